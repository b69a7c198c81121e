#!/usr/bin/env bash
# bench/load.sh: load and fault benchmark of the site, on this machine only.
#
# Usage (as root, from anywhere):  bash bench/load.sh
#
# It installs wrk, nginx-light, curl and procps if they are missing (apt),
# builds the server and the helpers under bench/cmd/, and measures:
#   1. requests/s and p99 of the article page (Accept-Encoding: br,
#      keep-alive) for our server, a bare net/http handler writing the same
#      bytes and headers (bench/cmd/barehandler), nginx serving the same
#      brotli file, and nginx serving `site export` with
#      deploy/nginx/site.conf (its headers, its access log); ROUNDS rounds,
#      order rotated each round, median reported;
#   2. errors at 1,000 connections for 30 s;
#   3. slowloris: 500 half-sent requests held open, normal GETs timed
#      meanwhile, and when the server closes the slow connections;
#   4. SIGTERM under ~500 requests/s, drain delay 2 s: in-flight failures
#      versus refused connections, exit code, time to exit;
#   5. the server's RSS (VmRSS/VmHWM) before, during and after step 2.
#   6. what the server's /metrics (on -admin-addr) shows after step 1.
#   7. one request through the export's nginx with a client address in
#      X-Forwarded-For: nginx's access line and ours (client, request id).
# It prints a Markdown report and writes it to bench/results/load-<date>.md
# (left untracked). Every load goes to 127.0.0.1 only, and every run is
# bounded in time.
#
# Method. The article is the first page the server's own access log names
# "article" after a walk of its sitemap (ARTICLE overrides it). Our server
# logs every request as JSON (-log json, as in production) to a file. On a
# machine with two or more cores, every server under test runs on core
# SERVER_CPU and wrk (one thread) on core WRK_CPU (taskset): each server
# gets one core to itself and the load generator cannot take its CPU, and
# nginx runs one worker so it, too, uses one core. ROUNDS rounds, the order
# of the four targets rotated each round; the report gives the median and
# the min-max. Next to requests/s it gives the server's CPU time per
# request (utime+stime from /proc/PID/stat, nginx's workers included, over
# the run, divided by the requests wrk counted): the steadier figure on a
# shared machine, since other work slows wrk and the server alike but
# adds little CPU time to a request. Load averages are recorded for each
# run. PIN=0 turns pinning off (then wrk uses THREADS threads).
#
# Knobs (environment): ROUNDS (5), DURATION (15s), CONNS (64), THREADS (2,
# unpinned only), BIG_CONNS (1000), BIG_DURATION (30s), SLOW_CONNS (500),
# SIGTERM_RATE (500), PIN (1), SERVER_CPU (0), WRK_CPU (1), ARTICLE,
# PORTS (a list of ports to use instead of random free ones).
set -euo pipefail

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-15s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
BIG_CONNS=${BIG_CONNS:-1000}
BIG_DURATION=${BIG_DURATION:-30s}
SLOW_CONNS=${SLOW_CONNS:-500}
SIGTERM_RATE=${SIGTERM_RATE:-500}
ARTICLE=${ARTICLE:-}
PIN=${PIN:-1}
SERVER_CPU=${SERVER_CPU:-0}
WRK_CPU=${WRK_CPU:-1}
HOST=127.0.0.1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf '[load.sh %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- setup --

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need+=(nginx-light)
command -v curl >/dev/null || need+=(curl)
command -v ps >/dev/null || need+=(procps)
command -v taskset >/dev/null || need+=(util-linux)
BROTLI_MODULE=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so
[[ -f $BROTLI_MODULE ]] || need+=(libnginx-mod-http-brotli-static)
if ((${#need[@]})); then
	[[ $(id -u) == 0 ]] || die "missing ${need[*]}; run as root so they can be installed"
	log "installing ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [[ $PIN == 1 ]] && (($(nproc) >= 2)); then
	ON_SERVER=(taskset -c "$SERVER_CPU")
	ON_WRK=(taskset -c "$WRK_CPU")
	THREADS=1
	NGINX_WORKERS=1
	PINNING="pinned: each server on core $SERVER_CPU (nginx with one worker), wrk with one thread on core $WRK_CPU"
else
	ON_SERVER=()
	ON_WRK=()
	NGINX_WORKERS=$(nproc)
	PINNING="not pinned: wrk and the server under test share the $(nproc) cores"
fi
command -v go >/dev/null || die "the Go toolchain is needed to build the server (see go.mod)"

# 1,000 connections need file descriptors; a container may cap the hard limit.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
NOFILE=$(ulimit -n)
((NOFILE >= BIG_CONNS + 200)) || die "ulimit -n is $NOFILE, too low for $BIG_CONNS connections"

WORK=$(mktemp -d /tmp/bench-load.XXXXXX)
chmod 755 "$WORK" # nginx workers run as an unprivileged user
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT

log "building into $WORK"
(cd "$ROOT" && go build -buildvcs=auto -o "$WORK/site" ./cmd/site && # stamped, so /metrics names the commit (some machines set GOFLAGS=-buildvcs=false)
	go build -o "$WORK/barehandler" ./bench/cmd/barehandler &&
	go build -o "$WORK/slowloris" ./bench/cmd/slowloris &&
	go build -o "$WORK/sigterm" ./bench/cmd/sigterm)

# free_port prints a port on 127.0.0.1 that nothing listens on, below the
# ephemeral range so client sockets cannot take it meanwhile.
# PORTS="18151 18152 ..." restricts it to a list (a machine shared with others).
free_port() {
	local p
	for p in ${PORTS:-}; do
		# Each caller starts its server before the next asks, so a port in
		# use is one that answers.
		if ! (exec 3<>"/dev/tcp/$HOST/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	[[ -z ${PORTS:-} ]] || die "no free port in PORTS=$PORTS"
	for _ in $(seq 1 200); do
		p=$((20000 + RANDOM % 12000))
		if ! (exec 3<>"/dev/tcp/$HOST/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	die "no free port"
}

# wait_200 URL: wait up to 10 s for URL to answer 200.
wait_200() {
	for _ in $(seq 1 200); do
		[[ $(curl -s -o /dev/null -w '%{http_code}' -H 'Accept-Encoding: br' "$1" || true) == 200 ]] && return 0
		sleep 0.05
	done
	die "$1 did not answer 200"
}

# start_site NAME [FLAGS...]: start our server on a free port (pinned like
# every server under test); sets SITE_PID, SITE_URL. The log goes to a
# file as JSON, as it would to a collector in production (the access log
# is part of the cost of a request).
start_site() {
	local port name=$1
	shift
	port=$(free_port)
	"${ON_SERVER[@]}" "$WORK/site" -addr "$HOST:$port" -log json -data "$WORK/data-$name" "$@" 2>"$WORK/site-$name.log" &
	SITE_PID=$!
	PIDS+=("$SITE_PID")
	SITE_URL="http://$HOST:$port"
	wait_200 "$SITE_URL/readyz"
	wait_idle "$SITE_PID" # start-up compression of all pages runs in the background
}

# wait_idle PID: wait (up to 60 s) until PID uses at most 2 ticks of CPU in
# a second, so background work (compressing every page after start-up)
# is not counted as the cost of the requests that follow.
wait_idle() {
	local t0 t1
	for _ in $(seq 1 60); do
		t0=$(cpu_ticks "$1")
		sleep 1
		t1=$(cpu_ticks "$1")
		((t1 - t0 <= 2)) && return 0
	done
	log "warning: process $1 is still busy after 60 s"
}

# find_article: the first page of the sitemap that the server's access log
# calls an article (route "article"), so the benchmark follows the content.
find_article() {
	local loc
	for loc in $(curl -sS "$SITE_URL/sitemap.xml" | sed -n 's#.*<loc>[a-z]*://[^/]*\(/[^<]*\)</loc>.*#\1#p'); do
		curl -sS -o /dev/null "$SITE_URL$loc"
	done
	sleep 0.2 # access lines are written within 50 ms
	grep -m1 -o '"route":"article","path":"[^"]*"' "$WORK/site-$1.log" | sed 's/.*"path":"\([^"]*\)"/\1/'
}

# stop PID: SIGTERM, wait, and forget the PID so cleanup never signals a
# number the system may have reused.
stop() {
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
	local keep=() p
	for p in "${PIDS[@]}"; do
		[[ $p == "$1" ]] || keep+=("$p")
	done
	PIDS=("${keep[@]}")
}

# warn_lines LOG: lines of a server log other than access and start lines
# (and the newsletter's queue starting, which logs at info).
warn_lines() { grep -v '"level":"INFO"' "$1" | grep -c . || true; }

# rss PID: "VmRSS VmHWM" in MiB.
rss() {
	awk '/^VmRSS:/{r=$2} /^VmHWM:/{h=$2} END{printf "%.0f %.0f\n", r/1024, h/1024}' "/proc/$1/status"
}

# to_ms VALUE: wrk's latency ("850.00us", "1.23ms", "1.02s", "1.00m") in ms.
to_ms() {
	awk -v v="$1" 'BEGIN{
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
		printf "%.2f", n }'
}

# median: the middle line of numbers on stdin (lower middle for even counts).
median() { sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

# wrk_run URL CONNS DURATION OUT: run wrk and keep its report in OUT.
wrk_run() {
	"${ON_WRK[@]}" wrk -t"$THREADS" -c"$2" -d"$3" --latency -H 'Accept-Encoding: br' "$1" >"$4" 2>&1 ||
		die "wrk failed: $(cat "$4")"
}
wrk_rps() { awk '/^Requests\/sec:/{printf "%.0f", $2}' "$1"; }
wrk_p99() { to_ms "$(awk '$1=="99%"{print $2}' "$1")"; }
wrk_non2xx() { awk '/Non-2xx or 3xx responses:/{n=$NF} END{print n+0}' "$1"; }
wrk_sockerr() { # "connect read write timeout"
	awk '/Socket errors:/{gsub(",", ""); c=$4; r=$6; w=$8; t=$10} END{print c+0, r+0, w+0, t+0}' "$1"
}
wrk_requests() { awk '/requests in/{print $1}' "$1"; }

# kv FILE KEY: a value from a helper's key=value output.
kv() { awk -F= -v k="$2" '$1==k{v=substr($0, length(k)+2)} END{print (v == "" ? "n/a" : v)}' "$1"; }

loadavg() { cut -d' ' -f1 /proc/loadavg; }

# cpu_ticks PID: user+system CPU ticks of PID and its child processes (the
# nginx workers), in 1/CLK_TCK s.
TCK=$(getconf CLK_TCK)
cpu_ticks() {
	local t=0 p
	for p in "$1" $(ps -o pid= --ppid "$1"); do
		t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
	done
	echo "$t"
}

# us_per_req TICKS REQUESTS: server CPU microseconds per request.
us_per_req() { awk -v t="$1" -v n="$2" -v k="$TCK" 'BEGIN{printf "%.1f", (n > 0 ? t / k * 1e6 / n : 0)}'; }

# ------------------------------------------------------------- targets --

log "starting our server"
ADMIN_PORT=$(free_port)
# Trusting 127.0.0.1 as a proxy, as behind the export's nginx (step 7).
start_site bench -admin-addr "$HOST:$ADMIN_PORT" -trusted-proxies 127.0.0.1/32
OURS_PID=$SITE_PID
if [[ -z $ARTICLE ]]; then
	ARTICLE=$(find_article bench)
	[[ -n $ARTICLE ]] || die "no page of the sitemap was logged as an article"
fi
log "article: $ARTICLE"
OURS=$SITE_URL$ARTICLE

# The exact response our server sends for the article with brotli.
curl -sS -D "$WORK/article.hdr" -o "$WORK/article.br" -H 'Accept-Encoding: br' "$OURS"
tr -d '\r' <"$WORK/article.hdr" | grep -qi '^content-encoding: br$' || die "the article was not sent with brotli"
BODY_BYTES=$(stat -c %s "$WORK/article.br")
HDR_BYTES=$(stat -c %s "$WORK/article.hdr")

BARE_PORT=$(free_port)
"${ON_SERVER[@]}" "$WORK/barehandler" -addr "$HOST:$BARE_PORT" -body "$WORK/article.br" -headers "$WORK/article.hdr" 2>"$WORK/bare.log" &
BARE_PID=$!
PIDS+=("$BARE_PID")
BARE=http://$HOST:$BARE_PORT$ARTICLE
wait_200 "$BARE"

# nginx: the same brotli bytes as a static file, with the same headers as
# ours (add_header), so responses are the same size on the wire.
NGINX_PORT=$(free_port)
mkdir -p "$(dirname "$WORK/nginx/root$ARTICLE")" "$WORK/nginx/logs"
cp "$WORK/article.br" "$WORK/nginx/root$ARTICLE"
chmod -R a+rX "$WORK/nginx/root"
ADD_HEADERS=$(tr -d '\r' <"$WORK/article.hdr" | awk -F': ' 'NR>1 && NF>=2 {
	k = tolower($1)
	if (k == "date" || k == "content-length" || k == "content-type" || k == "etag") next
	v = substr($0, length($1) + 3); gsub(/"/, "\\\"", v)
	printf "\t\t\tadd_header %s \"%s\" always;\n", $1, v }')
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes $NGINX_WORKERS;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	server_tokens off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	client_body_temp_path $WORK/nginx/tmp;
	server {
		listen $HOST:$NGINX_PORT;
		root $WORK/nginx/root;
		location / {
			default_type "text/html; charset=utf-8";
$ADD_HEADERS
		}
	}
}
EOF
"${ON_SERVER[@]}" "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' 2>"$WORK/nginx/logs/stderr.log" &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
NGX=http://$HOST:$NGINX_PORT$ARTICLE
wait_200 "$NGX"

# nginx serving the static export with the sample configuration, as a CDN
# or a static host would; the export is built for our server's origin, so
# the bytes are the same.
EXPORT_PORT=$(free_port)
EXP_DIR=$WORK/export
mkdir -p "$EXP_DIR/logs" "$EXP_DIR/tmp" "$EXP_DIR/snippets"
"$WORK/site" export -base-url "http://localhost:${SITE_URL##*:}" "$EXP_DIR/root" >"$EXP_DIR/export.txt"
chmod -R a+rX "$EXP_DIR/root"
cp "$ROOT/deploy/nginx/site-headers.conf" "$EXP_DIR/snippets/"
sed -e "s#server 127.0.0.1:8080;#server ${SITE_URL#http://};#" -e "s#listen 80;#listen $HOST:$EXPORT_PORT;#" \
	-e "s#root /srv/site;#root $EXP_DIR/root;#" -e "s#include /srv/site/redirects.conf;#include $EXP_DIR/root/redirects.conf;#" \
	-e "s#/var/log/nginx/site.access.log#$EXP_DIR/logs/access.log#" \
	"$ROOT/deploy/nginx/site.conf" >"$EXP_DIR/site.conf"
cat >"$EXP_DIR/nginx.conf" <<EOF
worker_processes $NGINX_WORKERS;
pid $EXP_DIR/nginx.pid;
error_log $EXP_DIR/logs/error.log warn;
load_module $BROTLI_MODULE;
events { worker_connections 4096; }
http {
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	client_body_temp_path $EXP_DIR/tmp/body;
	proxy_temp_path $EXP_DIR/tmp/proxy;
	fastcgi_temp_path $EXP_DIR/tmp/fastcgi;
	uwsgi_temp_path $EXP_DIR/tmp/uwsgi;
	scgi_temp_path $EXP_DIR/tmp/scgi;
	include $EXP_DIR/site.conf;
}
EOF
"${ON_SERVER[@]}" "$NGINX" -p "$EXP_DIR" -c "$EXP_DIR/nginx.conf" -g 'daemon off;' 2>"$EXP_DIR/logs/stderr.log" &
EXPORT_PID=$!
PIDS+=("$EXPORT_PID")
EXP=http://$HOST:$EXPORT_PORT$ARTICLE
wait_200 "$EXP"

# All four must send the same body bytes.
want=$(sha256sum <"$WORK/article.br" | cut -c1-64)
for u in "$OURS" "$BARE" "$NGX" "$EXP"; do
	got=$(curl -sS -H 'Accept-Encoding: br' "$u" | sha256sum | cut -c1-64)
	[[ $got == "$want" ]] || die "$u sends different bytes"
done
log "article: $BODY_BYTES bytes of brotli, $HDR_BYTES bytes of headers; identical from all four"

# ------------------------------------------------ 1. throughput and p99 --

declare -A URL=([ours]=$OURS [bare]=$BARE [nginx]=$NGX [export]=$EXP)
declare -A PID=([ours]=$OURS_PID [bare]=$BARE_PID [nginx]=$NGINX_PID [export]=$EXPORT_PID)
order=(ours bare nginx export)
: >"$WORK/step1.tsv"
for r in $(seq 1 "$ROUNDS"); do
	for t in "${order[@]}"; do
		la=$(loadavg)
		log "round $r/$ROUNDS: $t ($THREADS threads, $CONNS connections, $DURATION; load average $la)"
		t0=$(cpu_ticks "${PID[$t]}")
		wrk_run "${URL[$t]}" "$CONNS" "$DURATION" "$WORK/wrk-$t-$r.txt"
		t1=$(cpu_ticks "${PID[$t]}")
		w=$WORK/wrk-$t-$r.txt
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$t" "$(wrk_rps "$w")" "$(wrk_p99 "$w")" "$(wrk_non2xx "$w")" \
			"$la" "$(us_per_req $((t1 - t0)) "$(wrk_requests "$w")")" >>"$WORK/step1.tsv"
	done
	order=("${order[@]:1}" "${order[0]}") # rotate, so no target always goes first
done
med() { awk -F'\t' -v t="$1" -v c="$2" '$2==t{print $c}' "$WORK/step1.tsv" | median; }
# span TARGET COLUMN: "min-max" of a column over the rounds.
span() { awk -F'\t' -v t="$1" -v c="$2" '$2==t{print $c}' "$WORK/step1.tsv" | sort -g | awk 'NR==1{lo=$1} {hi=$1} END{print lo "–" hi}'; }
RPS_ours=$(med ours 3) P99_ours=$(med ours 4) CPU_ours=$(med ours 7)
RPS_bare=$(med bare 3) P99_bare=$(med bare 4) CPU_bare=$(med bare 7)
RPS_nginx=$(med nginx 3) P99_nginx=$(med nginx 4) CPU_nginx=$(med nginx 7)
RPS_export=$(med export 3) P99_export=$(med export 4) CPU_export=$(med export 7)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", (b > 0 ? a / b : 0)}'; }
R_BARE=$(ratio "$RPS_ours" "$RPS_bare")
R_NGINX=$(ratio "$RPS_ours" "$RPS_nginx")
C_BARE=$(ratio "$CPU_bare" "$CPU_ours")
C_NGINX=$(ratio "$CPU_nginx" "$CPU_ours")
NON2XX_1=$(awk -F'\t' '{s+=$5} END{print s+0}' "$WORK/step1.tsv")
SITE_WARN_1=$(warn_lines "$WORK/site-bench.log")
# 6. What the metrics say after step 1: the article's series, encodings,
# the snapshot, the newsletter's queue, and the process.
curl -sS "http://$HOST:$ADMIN_PORT/metrics" >"$WORK/metrics.txt" || die "GET /metrics on the admin listener failed"
grep -E '^(site_http_requests_total|site_http_request_duration_seconds_(count|sum)|site_http_request_duration_seconds_bucket\{code="2xx",route="article",le="0.00(05|1|25|5)"|site_http_responses_by_encoding_total|site_snapshot_(guides|pages|builds_total)|site_rate_limited_total|site_result_cache|site_queue_|site_emails_sent_total|go_gc_duration_seconds_count|go_goroutines|go_memstats_heap_inuse_bytes|process_cpu_seconds_total|process_resident_memory_bytes|site_build_info)' \
	"$WORK/metrics.txt" | grep -Ev '^(site_http|site_rate|site_result|go_|process_)[^ ]* 0$' >"$WORK/metrics-interesting.txt" || true
# 7. One request through the export's nginx for a route it hands to our
# server, from a client whose address a CDN put in X-Forwarded-For: our
# access line should name that client and nginx's request id.
curl -sS -o /dev/null -H "X-Forwarded-For: 203.0.113.7" "http://$HOST:$EXPORT_PORT/readyz"
sleep 0.3 # our access lines are written within 50 ms; nginx's at once
PROXY_LINE=$(grep '"path":"/readyz"' "$WORK/site-bench.log" | grep '203\.0\.113\.7' | tail -1 || true)
NGINX_LINE=$(grep ' /readyz ' "$EXP_DIR/logs/access.log" | tail -1 || true)
stop "$BARE_PID"
stop "$NGINX_PID"
stop "$EXPORT_PID"
stop "$OURS_PID"

# ------------------------------------- 2 and 5. 1,000 connections, RSS --

log "step 2: $BIG_CONNS connections for $BIG_DURATION against a fresh server"
start_site big
read -r RSS_IDLE _ < <(rss "$SITE_PID")
(
	while kill -0 "$SITE_PID" 2>/dev/null; do
		rss "$SITE_PID" 2>/dev/null || true
		sleep 1
	done
) >"$WORK/rss.txt" &
SAMPLER=$!
PIDS+=("$SAMPLER")
LA_2=$(loadavg)
wrk_run "$SITE_URL$ARTICLE" "$BIG_CONNS" "$BIG_DURATION" "$WORK/wrk-big.txt"
read -r RSS_END _ < <(rss "$SITE_PID")
sleep 10
read -r RSS_AFTER HWM_AFTER < <(rss "$SITE_PID")
stop "$SAMPLER"
RSS_MAX=$(awk '{print $1}' "$WORK/rss.txt" | sort -g | tail -1)
RPS_2=$(wrk_rps "$WORK/wrk-big.txt")
P99_2=$(wrk_p99 "$WORK/wrk-big.txt")
REQ_2=$(wrk_requests "$WORK/wrk-big.txt")
NON2XX_2=$(wrk_non2xx "$WORK/wrk-big.txt")
read -r SE_CONNECT SE_READ SE_WRITE SE_TIMEOUT < <(wrk_sockerr "$WORK/wrk-big.txt")
SITE_WARN_2=$(warn_lines "$WORK/site-big.log")
stop "$SITE_PID"

# ------------------------------------------------------- 3. slowloris --

log "step 3: slowloris, $SLOW_CONNS connections"
start_site slow
"$WORK/slowloris" -addr "${SITE_URL#http://}" -path "$ARTICLE" -n "$SLOW_CONNS" >"$WORK/slow.txt" 2>"$WORK/slow.err" ||
	die "slowloris failed: $(cat "$WORK/slow.err")"
stop "$SITE_PID"

# ---------------------------------------------------------- 4. SIGTERM --

log "step 4: SIGTERM at 5 s under $SIGTERM_RATE requests/s, drain delay 2 s"
PORT4=$(free_port)
"$WORK/sigterm" -url "http://$HOST:$PORT4$ARTICLE" -rate "$SIGTERM_RATE" -duration 10s -term-at 5s \
	-server-log "$WORK/site-sigterm.log" -- "$WORK/site" -addr "$HOST:$PORT4" -data "$WORK/data-sigterm" -drain-delay 2s \
	>"$WORK/sigterm.txt" 2>"$WORK/sigterm.err" || die "sigterm helper failed: $(cat "$WORK/sigterm.err")"

# ---------------------------------------------------------------- report --

mark() { # mark OK?: ✅ or ❌
	if [[ $1 == 1 ]]; then echo "✅"; else echo "❌"; fi
}
num='a ~ /^[0-9]+([.][0-9]+)?$/'
ge() { awk -v a="$1" -v b="$2" "BEGIN{print ($num && a + 0 >= b + 0) ? 1 : 0}"; }
lt() { awk -v a="$1" -v b="$2" "BEGIN{print ($num && a + 0 < b + 0) ? 1 : 0}"; }
S=$WORK/slow.txt
T=$WORK/sigterm.txt
SE_TOTAL=$((SE_CONNECT + SE_READ + SE_WRITE + SE_TIMEOUT))
COMMIT=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=
if [[ -n $(cd "$ROOT" && git status --porcelain --untracked-files=no 2>/dev/null) ]]; then
	DIRTY=" (+ uncommitted changes)"
fi

REPORT=$WORK/report.md
{
	echo "# Load and fault benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "Commit $COMMIT$DIRTY; $(go version | cut -d' ' -f3); $(wrk --version 2>&1 | sed -n 1p | cut -d' ' -f1-2);" \
		"$("$NGINX" -v 2>&1 | sed 's/.*: //'); $(nproc) cores, $PINNING; other work on the machine shows in the" \
		"load averages below. Article $ARTICLE: $BODY_BYTES bytes of brotli plus $HDR_BYTES bytes of headers," \
		"identical bytes from all four servers. Our server logs every request as JSON to a file."
	echo
	echo "## 1. Article page, keep-alive, Accept-Encoding: br (wrk -t$THREADS -c$CONNS -d$DURATION, median of $ROUNDS, min–max)"
	echo
	echo "| server | requests/s | (min–max) | p99 (ms) | (min–max) | server CPU per request (µs) | (min–max) |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	echo "| ours (cmd/site, JSON access log to a file) | $RPS_ours | $(span ours 3) | $P99_ours | $(span ours 4) | $CPU_ours | $(span ours 7) |"
	echo "| bare net/http handler, same bytes and headers | $RPS_bare | $(span bare 3) | $P99_bare | $(span bare 4) | $CPU_bare | $(span bare 7) |"
	echo "| nginx, $NGINX_WORKERS worker(s), static .br file, same headers | $RPS_nginx | $(span nginx 3) | $P99_nginx | $(span nginx 4) | $CPU_nginx | $(span nginx 7) |"
	echo "| nginx serving \`site export\` with deploy/nginx/site.conf (brotli_static, access log on) | $RPS_export | $(span export 3) | $P99_export | $(span export 4) | $CPU_export | $(span export 7) |"
	echo
	echo "- requests/s ours/bare = **$R_BARE** (target ≥ 0.95) $(mark "$(ge "$R_BARE" 0.95)"); ours/nginx = **$R_NGINX**" \
		"(target ≥ 0.6) $(mark "$(ge "$R_NGINX" 0.6)"); our p99 $P99_ours ms (target < 5) $(mark "$(lt "$P99_ours" 5)")"
	echo "- CPU per request bare/ours = **$C_BARE**, nginx/ours = **$C_NGINX** (1.00 would mean as cheap as the other;" \
		"less sensitive than requests/s to the other work on this machine, since wrk's own share of the cores drops out)"
	echo "- non-2xx responses over all runs: $NON2XX_1; server log lines other than access lines: $SITE_WARN_1"
	echo
	echo "<details><summary>every run</summary>"
	echo
	echo "| round | server | requests/s | p99 (ms) | CPU per request (µs) | load average at start |"
	echo "| ---: | --- | ---: | ---: | ---: | ---: |"
	awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $7, $6}' "$WORK/step1.tsv"
	echo
	echo "</details>"
	echo
	echo "## 2. $BIG_CONNS connections for $BIG_DURATION (wrk -t$THREADS -c$BIG_CONNS, ulimit -n $NOFILE)"
	echo
	echo "| requests | requests/s | p99 (ms) | non-2xx | socket errors (connect/read/write/timeout) | |"
	echo "| ---: | ---: | ---: | ---: | --- | --- |"
	echo "| $REQ_2 | $RPS_2 | $P99_2 | $NON2XX_2 | $SE_CONNECT / $SE_READ / $SE_WRITE / $SE_TIMEOUT |" \
		"$(mark "$(lt "$((NON2XX_2 + SE_TOTAL))" 1)") |"
	echo
	echo "Load average at start: $LA_2. Server log lines other than access lines: $SITE_WARN_2. wrk's timeout is its default 2 s."
	echo
	echo "## 3. Slowloris ($(kv "$S" slow_opened) connections sending a header line every 2 s, never finishing)"
	echo
	echo "| | median (ms) | max (ms) | errors |"
	echo "| --- | ---: | ---: | ---: |"
	echo "| GET of the article, new connection each, before | $(kv "$S" baseline_median_ms) | $(kv "$S" baseline_max_ms) | $(kv "$S" baseline_errors) |"
	echo "| the same, while the slow connections are held | $(kv "$S" probe_median_ms) | $(kv "$S" probe_max_ms) |" \
		"$(kv "$S" probe_errors) $(mark "$(lt "$(kv "$S" probe_max_ms)" 100)") |"
	echo
	echo "- slow connections still open during the probes: at least $(kv "$S" probe_min_slow_open) of $(kv "$S" slow_opened)"
	echo "- closed by the server: $(kv "$S" slow_closed_by_server) of $(kv "$S" slow_opened), after" \
		"$(kv "$S" slow_closed_after_min_ms) / $(kv "$S" slow_closed_after_median_ms) / $(kv "$S" slow_closed_after_max_ms) ms" \
		"(min / median / max, from each connection's start; ReadHeaderTimeout is 5 s);" \
		"closed with a response sent first: $(kv "$S" slow_closed_with_response); still open at the end: $(kv "$S" slow_still_open)"
	echo
	echo "## 4. SIGTERM under load ($(kv "$T" rate) requests/s for $(kv "$T" load_seconds) s, SIGTERM at 5 s, -drain-delay 2s)"
	echo
	echo "| requests | ok | in-flight failures (mid-response, 5xx, timeout) | refused (listener closed) | other failures | exit code | exit after SIGTERM |"
	echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	other=$(($(kv "$T" idle_race) + $(kv "$T" backlog_reset) + $(kv "$T" other)))
	echo "| $(kv "$T" requests) | $(kv "$T" ok) | $(kv "$T" in_flight_failures) $(mark "$(lt "$(kv "$T" in_flight_failures)" 1)") |" \
		"$(kv "$T" refused) | $other | $(kv "$T" exit_code) $(mark "$([[ $(kv "$T" exit_code) == 0 ]] && echo 1 || echo 0)") |" \
		"$(kv "$T" exit_after_term_ms) ms |"
	echo
	echo "- in-flight failures by kind: mid-response $(kv "$T" mid_response), 5xx $(kv "$T" http_5xx), timeout $(kv "$T" timeout)"
	echo "- other failures by kind: keep-alive close race $(kv "$T" idle_race), reset in the accept queue $(kv "$T" backlog_reset)," \
		"other $(kv "$T" other); generator fell behind: $(kv "$T" missed); requests the client retried itself: $(kv "$T" transport_retries)"
	echo "- /readyz answered 503 $(kv "$T" readyz_503_after_term_ms) ms after SIGTERM; the last good answer was to a request" \
		"sent $(kv "$T" last_ok_started_after_term_ms) ms after it, the first refusal came at $(kv "$T" first_refused_after_term_ms) ms"
	echo "- latency of good answers: p50 $(kv "$T" ok_p50_ms) ms, p99 $(kv "$T" ok_p99_ms) ms, max $(kv "$T" ok_max_ms) ms"
	grep '^sample=' "$T" | sed 's/^sample=/- sample failure: /' || true
	echo
	echo "## 5. Server memory (step 2)"
	echo
	echo "| VmRSS idle | VmRSS max under load (1 s samples) | VmRSS at end of load | VmRSS 10 s later | VmHWM |"
	echo "| ---: | ---: | ---: | ---: | ---: |"
	echo "| $RSS_IDLE MiB | $RSS_MAX MiB | $RSS_END MiB | $RSS_AFTER MiB | $HWM_AFTER MiB |"
	echo
	echo "## 6. /metrics on the admin listener after step 1 (non-zero series of interest)"
	echo
	echo '```'
	cat "$WORK/metrics-interesting.txt"
	echo '```'
	echo
	echo "## 7. Behind a proxy: GET /readyz through the export's nginx with X-Forwarded-For: 203.0.113.7 (our server trusts 127.0.0.1)"
	echo
	echo "nginx's access line, then ours:"
	echo
	echo '```'
	echo "$NGINX_LINE"
	echo "$PROXY_LINE"
	echo '```'
} >"$REPORT"

mkdir -p "$ROOT/bench/results"
OUT=$ROOT/bench/results/load-$(date -u +%Y-%m-%d-%H%M).md
cp "$REPORT" "$OUT"
echo
cat "$REPORT"
echo
log "written to ${OUT#"$ROOT"/}"
