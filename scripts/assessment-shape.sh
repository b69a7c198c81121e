#!/bin/sh
# assessment-shape.sh prints, for every assessment in the shipped content,
# how all possible answer sets spread over its outcomes and how far each
# question can move each factor. Editors use it to check that no outcome
# has become a catch-all after changing weights or thresholds.
set -eu
cd "$(dirname "$0")/.."
go test ./content -run '^TestAssessmentShape$' -count=1 -v | sed -n 's/^        //p'
