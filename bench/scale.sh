#!/usr/bin/env bash
# Scale benchmark: synthetic content of 1, 100 and 1,000 guides shaped like
# the shipped one (copies of content/guides/pm-vs-po under new slugs and
# titles), served with -content. For each it prints the time from start to
# /readyz, the RSS at that moment and once background compression has
# settled, the CPU seconds that compression took, and the sizes of the home
# page and an article (brotli, as a browser gets them; and gzip). CPU
# seconds are quoted beside wall time: the machine may be shared.
#
#   bench/scale.sh [COUNTS...]     default: 1 100 1000; PORT (default 18105)
#   SITE_BIN=path bench/scale.sh   measure that binary (say, an older build)
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("${@:-1 100 1000}")
read -r -a counts <<<"${counts[*]}"
port=${PORT:-18105}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
site=${SITE_BIN:-$work/site}
[ -n "${SITE_BIN:-}" ] || go build -o "$site" ./cmd/site
src=content/guides/pm-vs-po
hz=$(getconf CLK_TCK)

cpu_s() { # utime+stime of a pid, in seconds
  awk -v hz="$hz" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"
}
rss_mb() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
size() { # bytes of a GET with the given Accept-Encoding
  curl -s -o /dev/null -w '%{size_download}' -H "Accept-Encoding: $2" "http://127.0.0.1:$port$1"
}

printf '%-7s %-9s %-11s %-10s %-12s %-10s %-13s %-13s %-16s\n' guides ready_s ready_cpu_s rss_ready rss_settled comp_cpu_s home_br/gz_B article_br/gz_B first_article_ms
for n in "${counts[@]}"; do
  dir="$work/c$n"
  mkdir -p "$dir/guides"
  for i in $(seq 1 "$n"); do
    slug=$(printf 'g%04d-vs' "$i")
    cp -r "$src" "$dir/guides/$slug"
    # New slug everywhere (links, front matter), a title of its own, an order.
    find "$dir/guides/$slug" -type f -exec sed -i "s/pm-vs-po/$slug/g" {} +
    sed -i -e "0,/^title: .*/s//title: Synthetic guide $i, Product Manager vs Product Owner/" \
      -e "s/^order: .*/order: $i/" "$dir/guides/$slug/guide.yaml"
    # Articles need titles of their own too (the loader refuses repeats).
    sed -i -E "0,/^title: /{s/^title: \"(.*)\"\$/title: \"\1 ($i)\"/;t;s/^title: (.*)\$/title: \1 ($i)/}" "$dir/guides/$slug"/articles/*.md
  done
  start=$(date +%s.%N)
  "$site" -content "$dir" -addr "127.0.0.1:$port" -log json >"$work/log$n" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/readyz"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/log$n"; exit 1; }
    sleep 0.02
  done
  ready=$(echo "$(date +%s.%N) - $start" | bc)
  rss_ready=$(rss_mb "$pid")
  cpu_ready=$(cpu_s "$pid")
  # The guide's first article (order: 1), whatever its file is called.
  first=$(grep -l '^order: 1$' "$src"/articles/*.md | sed -n 1p)
  article=/guides/g0001-vs/$(basename "$first" .md)
  t0=$(date +%s%N); curl -s -o /dev/null -H 'Accept-Encoding: br, gzip' "http://127.0.0.1:$port$article"; t1=$(date +%s%N)
  first_ms=$(( (t1 - t0) / 1000000 ))
  # Compression has settled when the process stops using CPU for 2 s.
  prev=$(cpu_s "$pid")
  while sleep 2; do
    now=$(cpu_s "$pid")
    if [ "$(echo "$now - $prev < 0.05" | bc)" = 1 ]; then break; fi
    prev=$now
  done
  comp=$(echo "$now - $cpu_ready" | bc)
  rss_settled=$(rss_mb "$pid")
  home="$(size / br)/$(size / gzip)"
  art="$(size "$article" br)/$(size "$article" gzip)"
  printf '%-7s %-9.2f %-11s %-10s %-12s %-10s %-13s %-13s %-16s\n' "$n" "$ready" "$cpu_ready" "${rss_ready}MB" "${rss_settled}MB" "$comp" "$home" "$art" "$first_ms"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
done
