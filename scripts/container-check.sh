#!/usr/bin/env bash
# Build the production image from ./Dockerfile and check it, on a machine with
# no Docker engine and no image registry (only Debian's packages and the Go
# module proxy). Run as root from anywhere in the repository:
#
#   bash scripts/container-check.sh
#
# 1. installs buildah (and curl, file, ca-certificates) with apt-get if missing;
# 2. builds local stand-ins for the Dockerfile's two base images, under exactly
#    the names its ARG defaults give, since neither can be pulled here:
#      golang:1.26.8-bookworm       scratch + this machine's Go toolchain (its
#                                   version must equal go.mod's go line) + CA
#                                   certificates, so modules come from the proxy;
#      gcr.io/distroless/static-debian12:nonroot
#                                   scratch + passwd/group with nonroot (65532),
#                                   /home/nonroot, /tmp (1777), CA certificates;
# 3. buildah build --isolation chroot --storage-driver vfs --pull=never;
# 4. checks the image config (user, port, entrypoint, healthcheck, env, labels)
#    and its files (exactly the runtime base plus a static /site);
# 5. runs /site from the image's root filesystem as uid 65532 on a free
#    loopback port, fetches pages, runs the configured HEALTHCHECK command and
#    stops the server with SIGTERM, expecting exit status 0.
#
# Everything lives in a fresh temporary storage root (vfs driver) that is
# removed on exit, so the script is re-runnable and leaves nothing behind.
# Environment: IMAGE (default site:check); KEEP=1 keeps the storage root and
# prints how to use it; GOPROXY, GOSUMDB, GOPRIVATE and GOFLAGS are passed to
# the build when set.
# Go templates for buildah inspect are single-quoted on purpose:
# shellcheck disable=SC2016
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
IMAGE=${IMAGE:-site:check}
NONROOT=65532

say() { printf '\n==> %s\n' "$*"; }
die() {
  printf 'container-check: FAIL: %s\n' "$*" >&2
  exit 1
}

results=()
failures=0
pass() {
  results+=("PASS  $1${2:+: $2}")
  printf '  ok    %s%s\n' "$1" "${2:+: $2}"
}
fail() {
  results+=("FAIL  $1${2:+: $2}")
  printf '  FAIL  %s%s\n' "$1" "${2:+: $2}" >&2
  failures=$((failures + 1))
}
# expect NAME WANT GOT
expect() {
  if [ "$3" = "$2" ]; then pass "$1" "$3"; else fail "$1" "want '$2', got '$3'"; fi
}

timings=()
phase_start=$SECONDS
phase_done() {
  timings+=("$(printf '%-28s %4ds' "$1" $((SECONDS - phase_start)))")
  phase_start=$SECONDS
}

# ---------------------------------------------------------------- preconditions
say "preconditions"
[ "$(id -u)" = 0 ] || die "run as root: buildah's vfs storage, chroot isolation and setpriv need it"
if [ ! -f Dockerfile ] || [ ! -f go.mod ]; then die "no Dockerfile or go.mod in $repo"; fi

need=()
command -v buildah >/dev/null 2>&1 || need+=(buildah)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v file >/dev/null 2>&1 || need+=(file)
command -v setpriv >/dev/null 2>&1 || need+=(util-linux)
[ -s /etc/ssl/certs/ca-certificates.crt ] || need+=(ca-certificates)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing with apt-get: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" >/dev/null
fi
buildah --version

# The Go version: go.mod's go line, the Dockerfile's GO_IMAGE tag and the host
# toolchain the golang stand-in is made from must all agree.
gomod_go=$(awk '$1 == "go" { print $2; exit }' go.mod)
[ -n "$gomod_go" ] || die "go.mod has no go line"
go_image=$(sed -n 's/^ARG GO_IMAGE=//p' Dockerfile | sed -n 1p)
runtime_image=$(sed -n 's/^ARG RUNTIME_IMAGE=//p' Dockerfile | sed -n 1p)
if [ -z "$go_image" ] || [ -z "$runtime_image" ]; then
  die "Dockerfile must declare ARG GO_IMAGE=... and ARG RUNTIME_IMAGE=... with defaults"
fi
case "$go_image" in
  golang:"$gomod_go"-*) ;;
  *) die "Dockerfile's GO_IMAGE default ($go_image) does not match go.mod's 'go $gomod_go': use golang:$gomod_go-bookworm" ;;
esac
command -v go >/dev/null 2>&1 || die "no Go toolchain on this machine: install Go $gomod_go (the golang stand-in image is made from it)"
goroot=$(GOTOOLCHAIN=local go env GOROOT)
host_go=$(GOTOOLCHAIN=local "$goroot/bin/go" version | awk '{ print $3 }')
[ "$host_go" = "go$gomod_go" ] ||
  die "host Go is $host_go ($goroot) but go.mod says go $gomod_go: install Go $gomod_go, since the stand-in for $go_image is a copy of the host toolchain"
file -b "$goroot/bin/go" | grep -q 'statically linked' ||
  die "$goroot/bin/go is not statically linked, so it cannot run in a scratch-based stand-in image; use an official Go $gomod_go release"
echo "go.mod: go $gomod_go; Dockerfile: $go_image, $runtime_image; host toolchain: $host_go at $goroot"

# ---------------------------------------------------------------- storage
work=$(mktemp -d /var/tmp/container-check.XXXXXX)
chmod 0755 "$work"
mkdir -p "$work/tmp" "$work/rootfs"
bh() { buildah --root "$work/storage" --runroot "$work/run" --storage-driver vfs "$@"; }
server_pid=
cleanup() {
  local rc=$?
  set +e
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid"
    wait "$server_pid" 2>/dev/null
  fi
  if mountpoint -q "$work/rootfs"; then umount "$work/rootfs"; fi
  if [ "${KEEP:-}" = 1 ]; then
    echo "kept the storage: buildah --root $work/storage --runroot $work/run --storage-driver vfs images"
    exit "$rc"
  fi
  bh umount --all >/dev/null 2>&1
  bh rm --all >/dev/null 2>&1
  # Anything a failed build left mounted below the work dir, deepest first.
  findmnt -rn -o TARGET | grep "^$work/" | sort -r | while read -r m; do umount -l "$m"; done
  rm -rf --one-file-system "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A private store and registry config: nothing on the host is read or changed,
# and short names like golang:1.26.8-bookworm resolve as Docker resolves them.
cat >"$work/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$work/storage"
runroot = "$work/run"
EOF
cat >"$work/registries.conf" <<'EOF'
unqualified-search-registries = ["docker.io"]
short-name-mode = "permissive"
EOF
export CONTAINERS_STORAGE_CONF="$work/storage.conf"
export CONTAINERS_REGISTRIES_CONF="$work/registries.conf"
export BUILDAH_ISOLATION=chroot
export TMPDIR="$work/tmp"
echo "storage: $work (vfs)"

# golang:1.26.8-bookworm -> docker.io/library/golang:1.26.8-bookworm
qualify() {
  local first=${1%%/*}
  if [[ $1 != */* ]]; then
    echo "docker.io/library/$1"
  elif [[ $first == *.* || $first == *:* || $first == localhost ]]; then
    echo "$1"
  else
    echo "docker.io/$1"
  fi
}
phase_done "preconditions"

# ---------------------------------------------------------------- stand-ins
say "stand-in for $go_image (host Go toolchain, no shell)"
ctr=$(bh from --pull=never scratch)
mnt=$(bh mount "$ctr")
install -d -m 0755 "$mnt/etc/ssl/certs" "$mnt/usr/local/go" "$mnt/root"
install -d -m 1777 "$mnt/go" "$mnt/go/bin" "$mnt/go/src"
install -d -m 1777 "$mnt/tmp"
cp -a "$goroot/." "$mnt/usr/local/go/"
install -m 0644 /etc/ssl/certs/ca-certificates.crt "$mnt/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/root:/sbin/nologin\n' >"$mnt/etc/passwd"
printf 'root:x:0:\n' >"$mnt/etc/group"
printf 'hosts: files dns\n' >"$mnt/etc/nsswitch.conf"
bh umount "$ctr" >/dev/null
bh config \
  --env PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env GOLANG_VERSION="$gomod_go" --env GOTOOLCHAIN=local \
  --env GOPATH=/go --env GOCACHE=/root/.cache/go-build --env HOME=/root \
  --workingdir /go --created-by "scripts/container-check.sh: local stand-in" "$ctr"
bh commit --quiet --format docker --rm "$ctr" "$(qualify "$go_image")" >/dev/null

say "stand-in for $runtime_image (nonroot user, no shell)"
ctr=$(bh from --pull=never scratch)
mnt=$(bh mount "$ctr")
install -d -m 0755 "$mnt/etc/ssl/certs" "$mnt/home"
install -d -m 0700 "$mnt/root"
install -d -m 0700 -o "$NONROOT" -g "$NONROOT" "$mnt/home/nonroot"
install -d -m 1777 "$mnt/tmp"
install -m 0644 /etc/ssl/certs/ca-certificates.crt "$mnt/etc/ssl/certs/ca-certificates.crt"
cat >"$mnt/etc/passwd" <<EOF
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:$NONROOT:$NONROOT:nonroot:/home/nonroot:/sbin/nologin
EOF
cat >"$mnt/etc/group" <<EOF
root:x:0:
tty:x:5:
staff:x:50:
nobody:x:65534:
nonroot:x:$NONROOT:
EOF
printf 'hosts: files dns\n' >"$mnt/etc/nsswitch.conf"
cat >"$mnt/etc/os-release" <<'EOF'
PRETTY_NAME="Local stand-in for distroless static-debian12 (scripts/container-check.sh); not for release"
ID=debian
VERSION_ID="12"
EOF
chmod 0644 "$mnt"/etc/passwd "$mnt"/etc/group "$mnt"/etc/nsswitch.conf "$mnt"/etc/os-release
bh umount "$ctr" >/dev/null
bh config --user "$NONROOT" --workingdir /home/nonroot \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
  --created-by "scripts/container-check.sh: local stand-in" "$ctr"
bh commit --quiet --format docker --rm "$ctr" "$(qualify "$runtime_image")" >/dev/null

# The Dockerfile's defaults, exactly as written, must now resolve locally.
for ref in "$go_image" "$runtime_image"; do
  bh inspect --type image --format '{{.FromImageID}}' "$ref" >/dev/null || die "$ref does not resolve in local storage"
done
bh images
phase_done "stand-in base images"

# ---------------------------------------------------------------- build
say "buildah build -t $IMAGE"
build_args=()
for v in GOPROXY GOSUMDB GOPRIVATE GOFLAGS; do
  if [ -n "${!v:-}" ]; then build_args+=(--build-arg "$v=${!v}"); fi
done
if rev=$(git -C "$repo" rev-parse --short=12 HEAD 2>/dev/null); then
  [ -z "$(git -C "$repo" status --porcelain 2>/dev/null)" ] || rev="$rev-dirty"
  build_args+=(--build-arg "REVISION=$rev")
  build_args+=(--build-arg "CREATED=$(git -C "$repo" log -1 --format=%cI)")
  build_args+=(--build-arg "VERSION=$(git -C "$repo" describe --tags --always --dirty 2>/dev/null || echo dev)")
fi
# --format docker keeps the HEALTHCHECK (the OCI image format has no field for
# it); --platform sets TARGETOS/TARGETARCH, which buildah 1.28 leaves unset.
goarch=$(GOTOOLCHAIN=local go env GOARCH)
bh build --isolation chroot --storage-driver vfs --pull=never --format docker --platform "linux/$goarch" \
  -f Dockerfile -t "$IMAGE" ${build_args[@]+"${build_args[@]}"} . 2>&1 | tee "$work/build.log"
grep -qi 'HEALTHCHECK is not supported' "$work/build.log" && die "buildah dropped the HEALTHCHECK"
phase_done "buildah build"
if warnings=$(grep -i 'level=warning' "$work/build.log"); then
  fail "build without warnings" "$(echo "$warnings" | sed 's/.*msg=//' | paste -sd ';' -)"
else
  pass "build without warnings"
fi

# ---------------------------------------------------------------- image config
say "image config"
cfg() { bh inspect --type image --format "$1" "$IMAGE"; }
expect "user" "$NONROOT:$NONROOT" "$(cfg '{{.Docker.Config.User}}')"
expect "exposed ports" "8080/tcp" "$(cfg '{{range $p, $_ := .Docker.Config.ExposedPorts}}{{$p}} {{end}}' | xargs)"
expect "entrypoint" "[/site]" "$(cfg '[{{range $i, $a := .Docker.Config.Entrypoint}}{{if $i}} {{end}}{{$a}}{{end}}]')"
expect "cmd" "[]" "$(cfg '[{{range $i, $a := .Docker.Config.Cmd}}{{if $i}} {{end}}{{$a}}{{end}}]')"
expect "healthcheck" "CMD /site healthcheck; interval 30s, timeout 3s, start period 5s" \
  "$(cfg '{{with .Docker.Config.Healthcheck}}{{range $i, $a := .Test}}{{if $i}} {{end}}{{$a}}{{end}}; interval {{.Interval}}, timeout {{.Timeout}}, start period {{.StartPeriod}}{{else}}none{{end}}')"
mapfile -t image_env < <(cfg '{{range .Docker.Config.Env}}{{println .}}{{end}}' | sed '/^$/d')
if printf '%s\n' "${image_env[@]}" | grep -qx 'LOG_FORMAT=json'; then pass "env LOG_FORMAT=json"; else fail "env LOG_FORMAT=json" "env is: ${image_env[*]}"; fi
for l in title description source revision version created; do
  v=$(cfg "{{index .Docker.Config.Labels \"org.opencontainers.image.$l\"}}")
  if [ -n "$v" ]; then pass "label org.opencontainers.image.$l" "$v"; else fail "label org.opencontainers.image.$l" "missing"; fi
done
expect "os/arch" "linux/$goarch" "$(cfg '{{.Docker.OS}}/{{.Docker.Architecture}}')"

# ---------------------------------------------------------------- image files
say "image files"
base_ctr=$(bh from --pull=never "$runtime_image")
base_mnt=$(bh mount "$base_ctr")
ctr=$(bh from --pull=never "$IMAGE")
mnt=$(bh mount "$ctr")
list() { (cd "$1" && find . -mindepth 1 -printf '/%P\t%M\t%U:%G\n' | LC_ALL=C sort); }
list "$base_mnt" >"$work/base.files"
list "$mnt" >"$work/image.files"
cut -f1 "$work/image.files" | sed 's/^/    /'
added=$(LC_ALL=C comm -13 "$work/base.files" "$work/image.files" | cut -f1 | xargs)
removed=$(LC_ALL=C comm -23 "$work/base.files" "$work/image.files" | cut -f1 | xargs)
expect "files added to the runtime base" "/data /site" "$added"
expect "runtime base files changed or removed" "" "$removed"
expect "/site mode and owner" "-rwxr-xr-x 0:0" "$(stat -c '%A %u:%g' "$mnt/site")"
binfile=$(file -b "$mnt/site")
case "$binfile" in
  *"statically linked"*) pass "file: statically linked" "${binfile%%, Go BuildID*}" ;;
  *) fail "file: statically linked" "$binfile" ;;
esac
if ldd_out=$(ldd "$mnt/site" 2>&1); then
  fail "ldd: not a dynamic executable" "$ldd_out"
else
  pass "ldd: not a dynamic executable" "$(echo "$ldd_out" | xargs)"
fi
case "$binfile" in
  *", stripped"*) pass "binary stripped (-s -w)" ;;
  *) fail "binary stripped (-s -w)" "$binfile" ;;
esac
if grep -qF "$repo" "$mnt/site"; then
  fail "no build paths in the binary (-trimpath)" "$repo occurs in /site"
else
  pass "no build paths in the binary (-trimpath)"
fi
bin_size=$(stat -c %s "$mnt/site")
phase_done "config and file checks"

# ---------------------------------------------------------------- run it
say "run /site from the image root filesystem as uid $NONROOT"
# The storage dirs are 0700, so the rootfs is bind-mounted read-only at a path
# uid 65532 can reach (which also proves the server needs no writable root).
runner=()
run_as="uid $NONROOT"
if mount --bind "$mnt" "$work/rootfs" && mount -o remount,bind,ro "$work/rootfs"; then
  root_dir=$work/rootfs
  runner=(setpriv --reuid "$NONROOT" --regid "$NONROOT" --clear-groups)
else
  echo "warning: cannot bind-mount the rootfs; running as root instead" >&2
  root_dir=$mnt
  run_as="root (bind mount failed)"
fi
entry=$(cfg '{{range $i, $a := .Docker.Config.Entrypoint}}{{if not $i}}{{$a}}{{end}}{{end}}')
# The container's environment: the image's Env only.
in_image() { env -i ${image_env[@]+"${image_env[@]}"} "$@"; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# The image declares /data a volume for the newsletter's SQLite database; a
# container runtime mounts one there, owned by the image's user. Running the
# binary from the image's files on this host, stand in for that volume with
# a folder the non-root user owns.
volume=$(mktemp -d /var/tmp/container-data.XXXXXX)
chown "$NONROOT:$NONROOT" "$volume"
server_log=$work/server.log
started=
for _ in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 40000))
  port_free "$port" || continue
  start_ms=$(date +%s%3N)
  (cd "$root_dir" && exec env -i ${image_env[@]+"${image_env[@]}"} DATA_DIR="$volume" "${runner[@]}" "$root_dir$entry" -addr "127.0.0.1:$port") >"$server_log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; then
      started=1
      break
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$started" ] && break
  if kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid"; fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=
  grep -q 'address already in use' "$server_log" || break
done
if [ -z "$started" ]; then
  cat "$server_log" >&2
  die "the server did not become ready on 127.0.0.1:${port:-?}"
fi
ready_ms=$(($(date +%s%3N) - start_ms))
pass "ready (/readyz 200)" "127.0.0.1:$port after ${ready_ms}ms"
expect "process uid" "$([ -n "${runner[*]}" ] && echo $NONROOT || echo 0)" "$(awk '/^Uid:/ { print $2 }' "/proc/$server_pid/status")"
if grep -q '^{.*"msg":"listening"' "$server_log" && ! grep -qv '^{' "$server_log"; then
  pass "JSON logs (LOG_FORMAT=json from the image)"
else
  fail "JSON logs (LOG_FORMAT=json from the image)" "$(head -n1 "$server_log")"
fi

fetch() { # PATH -> sets code and body file
  code=$(curl -sS -o "$work/body" -w '%{http_code}' "http://127.0.0.1:$port$1") || code=000
}
fetch /
expect "GET /" 200 "$code"
fetch /healthz
expect "GET /healthz" 200 "$code"
fetch /guides/pm-vs-po/difference
if [ "$code" = 200 ] && grep -q 'Product Manager' "$work/body"; then
  pass "GET /guides/pm-vs-po/difference" "200, $(wc -c <"$work/body") bytes, has \"Product Manager\""
else
  fail "GET /guides/pm-vs-po/difference" "status $code, 'Product Manager' $(grep -q 'Product Manager' "$work/body" && echo found || echo missing)"
fi

# The HEALTHCHECK exactly as configured (CMD /site healthcheck), with PORT set
# because this server is not on the default :8080.
mapfile -t hc < <(cfg '{{with .Docker.Config.Healthcheck}}{{range .Test}}{{println .}}{{end}}{{end}}' | sed '/^$/d')
if [ "${hc[0]:-}" != CMD ] || [ ${#hc[@]} -lt 2 ]; then die "unexpected healthcheck test: ${hc[*]:-none}"; fi
if hc_out=$(cd "$root_dir" && in_image PORT="$port" "${runner[@]}" "$root_dir${hc[1]}" "${hc[@]:2}" 2>&1); then
  pass "healthcheck (PORT=$port)" "exit 0"
else
  fail "healthcheck (PORT=$port)" "exit $?: $hc_out"
fi

kill -TERM "$server_pid"
rc=0
wait "$server_pid" || rc=$?
server_pid=
expect "SIGTERM exit status" 0 "$rc"
if grep -q '"msg":"stopped"' "$server_log"; then pass "graceful shutdown logged"; else fail "graceful shutdown logged" "$(tail -n1 "$server_log")"; fi

# `site version` prints what the labels say (the build stamps both).
ver_out=$(cd "$root_dir" && in_image "${runner[@]}" "$root_dir$entry" version 2>&1) || true
label_rev=$(cfg '{{index .Docker.Config.Labels "org.opencontainers.image.revision"}}')
label_created=$(cfg '{{index .Docker.Config.Labels "org.opencontainers.image.created"}}')
if grep -qx "revision $label_rev" <<<"$ver_out" && grep -qx "time     $label_created" <<<"$ver_out"; then
  pass "site version matches the labels" "$(echo "$ver_out" | paste -sd ' ' -)"
else
  fail "site version matches the labels" "labels $label_rev $label_created; printed: $ver_out"
fi

# As in a container: the server is process 1 of its own PID namespace and was
# started with -addr (no PORT); the HEALTHCHECK, run beside it with the
# image's environment only, must find it from process 1's arguments.
if command -v unshare >/dev/null 2>&1 && command -v nsenter >/dev/null 2>&1; then
  port2=$((20000 + RANDOM % 40000))
  (cd "$root_dir" && exec env -i ${image_env[@]+"${image_env[@]}"} DATA_DIR="$volume" unshare --pid --fork --mount-proc --kill-child "${runner[@]}" "$root_dir$entry" -addr "127.0.0.1:$port2") >"$work/ns.log" 2>&1 &
  ns_pid=$!
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port2/readyz" 2>/dev/null && break
    sleep 0.1
  done
  inner=$(pgrep -P "$ns_pid" | sed -n 1p)
  if [ -n "$inner" ] && hc_out=$(cd "$root_dir" && in_image nsenter --target "$inner" --pid --mount "${runner[@]}" "$root_dir${hc[1]}" "${hc[@]:2}" 2>&1); then
    pass "healthcheck follows the server's -addr (no PORT)" "exit 0"
  else
    fail "healthcheck follows the server's -addr (no PORT)" "exit non-zero: $hc_out $(cat "$work/ns.log")"
  fi
  # unshare --fork does not pass signals on; the server (process 1 inside)
  # handles SIGTERM itself, and unshare exits with it.
  if [ -n "$inner" ]; then kill -TERM "$inner" 2>/dev/null || true; else kill -KILL "$ns_pid" 2>/dev/null || true; fi
  wait "$ns_pid" 2>/dev/null || true
else
  fail "healthcheck follows the server's -addr (no PORT)" "unshare/nsenter (util-linux) missing"
fi

# And the healthcheck must fail once nothing answers.
if (cd "$root_dir" && in_image PORT="$port" "${runner[@]}" "$root_dir${hc[1]}" "${hc[@]:2}") >/dev/null 2>&1; then
  fail "healthcheck fails with no server" "exit 0"
else
  pass "healthcheck fails with no server" "exit non-zero"
fi
umount "$work/rootfs" 2>/dev/null || true
phase_done "run checks"

# ---------------------------------------------------------------- summary
size_of() { bh images --noheading --format '{{.Size}}' "$1" | sed -n 1p | xargs; }
image_size=$(size_of "$IMAGE")
base_size=$(size_of "$runtime_image")
say "summary"
printf '  %-14s %s\n' "image" "$IMAGE: ${image_size:-?} (runtime base stand-in ${base_size:-?})"
printf '  %-14s %s\n' "binary" "/site: $bin_size bytes ($(numfmt --to=iec-i --suffix=B "$bin_size"))"
printf '  %-14s %s\n' "ran as" "$run_as"
echo "  timings:"
printf '    %s\n' "${timings[@]}" "$(printf '%-28s %4ds' total "$SECONDS")"
echo "  checks:"
printf '    %s\n' "${results[@]}"
echo
if [ "$failures" -gt 0 ]; then
  echo "container-check: $failures check(s) failed" >&2
  exit 1
fi
echo "container-check: all ${#results[@]} checks passed"
