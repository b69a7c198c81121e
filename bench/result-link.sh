#!/usr/bin/env bash
# bench/result-link.sh: what a shared result link gets when many people open
# it from one address (an office behind one NAT), and its size on the wire.
#
# Usage: bash bench/result-link.sh [PORT]   (default port 18141)
#
# It builds and starts the server on 127.0.0.1:PORT, takes a persona-like
# complete answer set of the first assessment from the form, then sends:
#   1. the result page with Accept-Encoding br, gzip and none, printing the
#      bytes on the wire of each, and its ETag, Vary and Cache-Control;
#   2. N (45) GETs of that one result link from one address, counting the
#      status codes; then N conditional GETs (If-None-Match) the same way.
# Every request goes to 127.0.0.1 only.
set -euo pipefail
PORT=${1:-18141}
N=${N:-45}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=$(mktemp -d)/site
go build -C "$ROOT" -o "$BIN" ./cmd/site
"$BIN" -addr "127.0.0.1:$PORT" >/dev/null 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 50); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.1; done

FORM=/guides/pm-vs-po/fit
# The last option of every question, posted like a browser would.
BODY=$(curl -fs "$BASE$FORM" | grep -o 'name="[a-z0-9-]*" value="[a-z0-9-]*"' |
  sed 's/name="\([^"]*\)" value="\([^"]*\)"/\1=\2/' | awk -F= '{last[$1]=$0; if(!seen[$1]++) order[++n]=$1} END{for(i=1;i<=n;i++) printf "%s%s", (i>1?"&":""), last[order[i]]}')
LINK=$(curl -s -o /dev/null -w '%{redirect_url}' -H 'Sec-Fetch-Site: same-origin' -d "$BODY" "$BASE$FORM")
echo "result link: $LINK"

echo "## the result page on the wire"
for enc in br gzip identity; do
  printf '%-9s %6s bytes\n' "$enc" "$(curl -s -H "Accept-Encoding: $enc" -o /dev/null -w '%{size_download}' "$LINK")"
done
curl -s -D - -o /dev/null -H 'Accept-Encoding: br' "$LINK" | tr -d '\r' | grep -iE '^(etag|vary|cache-control|content-encoding):' || true

echo "## $N GETs of one result link from one address"
for _ in $(seq "$N"); do curl -s -o /dev/null -w '%{http_code}\n' "$LINK"; done | sort | uniq -c
ETAG=$(curl -s -D - -o /dev/null "$LINK" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
if [ -n "$ETAG" ]; then
  echo "## $N conditional GETs (If-None-Match: $ETAG)"
  for _ in $(seq "$N"); do curl -s -o /dev/null -w '%{http_code}\n' -H "If-None-Match: $ETAG" "$LINK"; done | sort | uniq -c
fi

