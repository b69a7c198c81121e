#!/usr/bin/env bash
# Prints Lighthouse's four scores (performance, accessibility, best practices,
# SEO) for every page type, mobile and desktop, against the real server.
# Installs what it needs: Debian's Chromium and Lighthouse from npm (pointed at
# /usr/bin/chromium through CHROME_PATH; nothing downloads a browser).
#
#   bench/lighthouse.sh            # all page types
#   RUNS=3 bench/lighthouse.sh     # median of three runs per cell
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-1}
PORT=${PORT:-18181}
LH_VERSION=${LH_VERSION:-12}
work=$(mktemp -d)
trap 'kill "${server_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
lhdir=${LH_DIR:-/tmp/lighthouse-$LH_VERSION}
if [ ! -x "$lhdir/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$lhdir"
  npm install --prefix "$lhdir" --no-audit --no-fund --loglevel=error "lighthouse@$LH_VERSION" >/dev/null
fi
export CHROME_PATH=/usr/bin/chromium

go build -o "$work/site" ./cmd/site
"$work/site" -addr "127.0.0.1:$PORT" -log json 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
base="http://localhost:$PORT"
sleep 3 # let the background compression finish

# A result permalink: submit the role-fit form with each question's first option.
result=$(curl -s "$base/guides/pm-vs-po/fit" | grep -o 'name="[a-z0-9-]*" value="[a-z0-9-]*"' | awk -F'"' '!seen[$2]++ {printf "%s=%s&", $2, $4}')
result_url=$(curl -s -o /dev/null -w '%{redirect_url}' -H 'Sec-Fetch-Site: same-origin' --data "${result%&}" "$base/guides/pm-vs-po/fit")

pages=(
  "home /"
  "article /guides/pm-vs-po/difference"
  "article-faq /guides/pm-vs-po/a-week-with-both"
  "comparison /compare/pm-vs-po"
  "faq-answer /guides/pm-vs-po/faq/which-pays-more"
  "fit-form /guides/pm-vs-po/fit"
  "fit-result ${result_url#$base}"
  "team-form /guides/pm-vs-po/team"
)
# The 404 page is not here: Lighthouse refuses to audit a page whose status
# is not 2xx. The browser tests run axe-core on it instead.

flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
score() { # json-file -> "perf a11y bp seo"
  node -e '
    const r = require(process.argv[1]);
    const c = r.categories;
    console.log(["performance","accessibility","best-practices","seo"].map(k => Math.round(c[k].score*100)).join(" "));
    ' "$1"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '| page | form factor | performance | accessibility | best practices | SEO |\n|---|---|---|---|---|---|\n'
for entry in "${pages[@]}"; do
  name=${entry%% *}; path=${entry#* }
  for ff in mobile desktop; do
    preset=()
    [ "$ff" = desktop ] && preset=(--preset=desktop)
    : >"$work/scores"
    for run in $(seq "$RUNS"); do
      out="$work/$name-$ff-$run.json"
      # Lighthouse now and then fails to record a trace (NO_NAVSTART) on a busy
      # machine; try a run up to three times before giving up.
      for attempt in 1 2 3; do
        if "$lhdir/node_modules/.bin/lighthouse" "$base$path" "${preset[@]}" --quiet --output=json --output-path="$out" \
          --chrome-flags="$flags --user-data-dir=$work/profile-$run-$attempt" >/dev/null 2>"$work/lh.err"; then
          break
        fi
        [ "$attempt" = 3 ] && { cat "$work/lh.err" >&2; exit 1; }
        echo "   (retrying $name/$ff: $(grep -m1 -o 'Runtime error.*' "$work/lh.err" | cut -c1-120))" >&2
      done
      score "$out" >>"$work/scores"
    done
    cells=()
    for col in 1 2 3 4; do cells+=("$(awk -v c=$col '{print $c}' "$work/scores" | median)"); done
    printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "$ff" "${cells[@]}"
    # Name what cost points, so a score below 100 says why.
    node -e '
      const r = require(process.argv[1]);
      for (const [k, c] of Object.entries(r.categories)) {
        if (c.score === 1) continue;
        const low = c.auditRefs.filter(a => a.weight > 0 && r.audits[a.id].score !== null && r.audits[a.id].score < 1)
          .map(a => a.id + "=" + r.audits[a.id].score);
        if (low.length) console.error("   " + process.argv[2] + " " + k + ": " + low.join(", "));
      }' "$work/$name-$ff-1.json" "$name/$ff"
  done
done
