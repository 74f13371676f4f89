#!/usr/bin/env bash
# DockerMate test bed: a real Docker daemon, a registry on 127.0.0.1:5000 and
# the local test images, all built from busybox-static (nothing is ever pulled
# from the internet).
#
# Idempotent: when everything is already up it only checks and exits (about a
# second). Run as root on a fresh machine (CI); installs what is missing with
# apt-get. Stop what it started with tests/testbed/down.sh.
#
# Over 500 lines on purpose: one script, because each step needs the ones before
# it (packages, then the daemon, the registry, then the images).
#
# Environment:
#   DOCKERMATE_TESTBED_DIR  state dir (logs, pidfiles, registry storage),
#                           default /tmp/dockermate-testbed
#   DOCKERMATE_TESTBED_REBUILD=1  rebuild and re-push every test image
set -euo pipefail

STATE_DIR="${DOCKERMATE_TESTBED_DIR:-/tmp/dockermate-testbed}"
REGISTRY="127.0.0.1:5000"
PREFIX="$REGISTRY/dockermate-test"
BASE_REF="$PREFIX/base:latest"
# Debian's 20.10 client: its legacy builder works here, BuildKit/buildx does
# not (/usr/local/bin/docker, first in PATH, is a 28.x CLI).
DOCKER=/usr/bin/docker
DOCKER_SOCK=/var/run/docker.sock
# Bump to force every image to be rebuilt (it is part of every content hash).
TESTBED_VERSION=1
DEADLINE_S=30

export DOCKER_HOST="unix://$DOCKER_SOCK" # ignore any docker context
export DOCKER_BUILDKIT=0
export DOCKER_CLI_HINTS=false
unset DOCKER_CONTEXT || true

START_NS=$(date +%s%N)
SUMMARY=()

log() { printf '[testbed] %s\n' "$*" >&2; }
die() {
  printf '[testbed] ERROR: %s\n' "$*" >&2
  exit 1
}
# die with the last lines of a log file
die_log() {
  local file=$1
  shift
  printf '[testbed] ERROR: %s\n' "$*" >&2
  if [[ -s $file ]]; then
    printf '[testbed] ---- last lines of %s ----\n' "$file" >&2
    tail -n 40 "$file" >&2
    printf '[testbed] ----\n' >&2
  fi
  exit 1
}
need_root() {
  [[ $EUID -eq 0 ]] || die "$1 needs root (run as root, as CI does)"
}
elapsed() { echo $((($(date +%s%N) - START_NS) / 1000000)); }

mkdir -p "$STATE_DIR"
# Serialise concurrent runs (e.g. several test processes starting at once).
# (fd 9 is closed for the daemons started below, or they would hold the lock.)
exec 9>"$STATE_DIR/lock"
flock -w 300 9 || die "another up.sh still holds $STATE_DIR/lock after 300 s"

# ---------------------------------------------------------------------------
# 1. Packages
# ---------------------------------------------------------------------------
# iproute2 and util-linux (ip, unshare, nsenter) run the private daemon of the fault tests;
# docker-compose (1.29, v1) brings up the generated compose files of the config tests; haproxy
# stands in for the HAProxy-based docker-socket-proxy in the socket proxy test; debootstrap makes
# the Debian base image of the Dockerfile test (base-images.sh).
PACKAGES=(docker.io docker-registry busybox-static chromium curl iproute2 util-linux docker-compose haproxy debootstrap)
missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
  need_root "installing ${missing[*]}"
  APT_LOG="$STATE_DIR/apt.log"
  log "installing with apt-get: ${missing[*]} (log: $APT_LOG)"
  # Keep package scripts from starting services (docker, docker-registry):
  # this script starts its own daemons. Only if the admin has no policy.
  created_policy=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    created_policy=1
  fi
  apt_ok=1
  {
    export DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=l NEEDRESTART_SUSPEND=1
    apt-get update -q &&
      apt-get install -y -q -o Dpkg::Use-Pty=0 "${missing[@]}"
  } >"$APT_LOG" 2>&1 || apt_ok=""
  [[ -n $created_policy ]] && rm -f /usr/sbin/policy-rc.d
  [[ -n $apt_ok ]] || die_log "$APT_LOG" "apt-get install ${missing[*]} failed"
  SUMMARY+=("installed: ${missing[*]}")
fi
[[ -x $DOCKER ]] || die "$DOCKER missing although docker.io is installed"

# ---------------------------------------------------------------------------
# helpers for background daemons
# ---------------------------------------------------------------------------
# pid from pidfile if that process is alive and runs the expected binary
live_pid() {
  local pidfile=$1 exe=$2 pid
  [[ -f $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == "$exe" ]] || return 1
  echo "$pid"
}

# wait_for NAME PID LOG CHECK-FUNCTION
wait_for() {
  local name=$1 pid=$2 logfile=$3 check=$4
  local end=$(($(date +%s) + DEADLINE_S))
  while ! "$check"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      die_log "$logfile" "$name (pid $pid) exited during start-up"
    fi
    if (($(date +%s) >= end)); then
      die_log "$logfile" "$name (pid $pid) did not answer within ${DEADLINE_S}s"
    fi
    sleep 0.2
  done
}

# ---------------------------------------------------------------------------
# 2. Docker daemon
# ---------------------------------------------------------------------------
DOCKERD=/usr/sbin/dockerd
DOCKERD_PIDFILE="$STATE_DIR/dockerd.pid"
DOCKERD_LOG="$STATE_DIR/dockerd.log"
# shellcheck disable=SC2317 # called indirectly through wait_for
docker_ok() {
  [[ "$(curl -s --max-time 2 --unix-socket "$DOCKER_SOCK" http://localhost/_ping 2>/dev/null)" == OK ]]
}
if ! docker_ok; then
  if pid=$(live_pid "$DOCKERD_PIDFILE" "$DOCKERD"); then
    log "dockerd (pid $pid) is running but not answering yet; waiting"
  else
    need_root "starting dockerd"
    # A stale /var/run/docker.pid (dockerd SIGKILLed, pid reused) blocks start-up.
    if [[ -f /var/run/docker.pid ]]; then
      old=$(</var/run/docker.pid)
      if [[ "$(cat "/proc/$old/comm" 2>/dev/null)" != dockerd ]]; then
        rm -f /var/run/docker.pid
      else
        die "dockerd (pid $old, not started by up.sh) runs but $DOCKER_SOCK does not answer"
      fi
    fi
    log "starting dockerd (log: $DOCKERD_LOG)"
    printf '\n==== %s up.sh starts dockerd ====\n' "$(date -Is)" >>"$DOCKERD_LOG"
    setsid nohup "$DOCKERD" >>"$DOCKERD_LOG" 2>&1 </dev/null 9>&- &
    pid=$!
    echo "$pid" >"$DOCKERD_PIDFILE"
    SUMMARY+=("started dockerd (pid $pid)")
  fi
  wait_for dockerd "$pid" "$DOCKERD_LOG" docker_ok
fi
DOCKER_VERSION=$(curl -s --unix-socket "$DOCKER_SOCK" http://localhost/version |
  sed -n 's/^{"Platform":.*"Version":"\([^"]*\)","ApiVersion":"\([^"]*\)".*/\1 (API \2)/p' | head -n1)
[[ -n $DOCKER_VERSION ]] || DOCKER_VERSION="(version unknown)"

# ---------------------------------------------------------------------------
# 3. Registry on 127.0.0.1:5000
# ---------------------------------------------------------------------------
REGISTRY_BIN=/usr/bin/docker-registry
REGISTRY_PIDFILE="$STATE_DIR/registry.pid"
REGISTRY_LOG="$STATE_DIR/registry.log"
REGISTRY_CONF="$STATE_DIR/registry.yml"
REGISTRY_DATA="$STATE_DIR/registry-data"
# Prints the HTTP status of GET /v2/ and whether the distribution header is
# present ("200 registry", "404 other", "" when nothing answers).
registry_probe() {
  local headers code
  headers=$(curl -s --max-time 2 -o /dev/null -D - "http://$REGISTRY/v2/" 2>/dev/null) || return 0
  code=$(sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' <<<"$headers")
  if grep -qi '^Docker-Distribution-Api-Version: *registry/2' <<<"$headers"; then
    echo "$code registry"
  else
    echo "$code other"
  fi
}
# shellcheck disable=SC2317 # called indirectly through wait_for
registry_ok() { [[ "$(registry_probe)" == "200 registry" ]]; }
probe=$(registry_probe)
if [[ -z $probe ]]; then
  if pid=$(live_pid "$REGISTRY_PIDFILE" "$REGISTRY_BIN"); then
    log "registry (pid $pid) is running but not answering yet; waiting"
  else
    mkdir -p "$REGISTRY_DATA"
    cat >"$REGISTRY_CONF" <<EOF
# written by tests/testbed/up.sh
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
  fields:
    service: dockermate-testbed-registry
storage:
  filesystem:
    rootdirectory: $REGISTRY_DATA
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $REGISTRY
  headers:
    X-Content-Type-Options: [nosniff]
EOF
    log "starting registry on $REGISTRY (log: $REGISTRY_LOG)"
    printf '\n==== %s up.sh starts registry ====\n' "$(date -Is)" >>"$REGISTRY_LOG"
    setsid nohup "$REGISTRY_BIN" serve "$REGISTRY_CONF" >>"$REGISTRY_LOG" 2>&1 </dev/null 9>&- &
    pid=$!
    echo "$pid" >"$REGISTRY_PIDFILE"
    SUMMARY+=("started registry (pid $pid)")
  fi
  wait_for registry "$pid" "$REGISTRY_LOG" registry_ok
elif [[ $probe != "200 registry" ]]; then
  who=$(ss -ltnpH 'sport = :5000' 2>/dev/null || true)
  if [[ $probe == *registry ]]; then
    die "the registry on $REGISTRY answers HTTP ${probe% *} to /v2/ (needs auth?); it was not started by up.sh. Listener: ${who:-?}"
  fi
  die "something that is not a Docker registry answers on $REGISTRY (HTTP ${probe% *}). Listener: ${who:-?}"
elif ! live_pid "$REGISTRY_PIDFILE" "$REGISTRY_BIN" >/dev/null; then
  log "note: using a registry on $REGISTRY that up.sh did not start"
fi

# ---------------------------------------------------------------------------
# 4. Test images
# ---------------------------------------------------------------------------
MANIFEST_ACCEPT=(
  -H "Accept: application/vnd.docker.distribution.manifest.v2+json"
  -H "Accept: application/vnd.docker.distribution.manifest.list.v2+json"
  -H "Accept: application/vnd.oci.image.manifest.v1+json"
  -H "Accept: application/vnd.oci.image.index.v1+json"
)
BUILD_DIR="$STATE_DIR/build"
BUILD_LOG="$STATE_DIR/build.log"
: >"$BUILD_LOG"
REBUILT=0

# digest the registry serves for REPO:TAG ("" if none)
registry_digest() {
  local repo=$1 tag=$2
  curl -s --max-time 5 -I "${MANIFEST_ACCEPT[@]}" \
    "http://$REGISTRY/v2/${repo#"$REGISTRY/"}/manifests/$tag" 2>/dev/null |
    sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: *\(sha256:[0-9a-f]*\).*/\1/p' | head -n1
}

# "ID HASH REPODIGEST..." of a local image, or "" if absent
local_image() {
  "$DOCKER" image inspect -f \
    '{{.Id}} {{index .Config.Labels "com.dockermate.testbed.hash"}} {{range .RepoDigests}}{{.}} {{end}}' \
    "$1" 2>/dev/null || true
}

# true if the local image REF has testbed hash HASH
has_hash() {
  local info
  [[ ${DOCKERMATE_TESTBED_REBUILD:-} != 1 ]] || return 1
  info=$(local_image "$1")
  [[ -n $info ]] || return 1
  read -r _ h _ <<<"$info"
  [[ $h == "$2" ]]
}

# push REF unless the registry already serves exactly the local image
ensure_pushed() {
  local ref=$1 repo=${1%:*} tag=${1##*:} info remote
  info=$(local_image "$ref")
  [[ -n $info ]] || die "image $ref missing locally"
  remote=$(registry_digest "$repo" "$tag")
  if [[ -n $remote && " $info " == *" $repo@$remote "* ]]; then
    return 0
  fi
  if ! "$DOCKER" push "$ref" >>"$BUILD_LOG" 2>&1; then
    die_log "$BUILD_LOG" "docker push $ref failed"
  fi
  PUSHED+=("$ref")
}

hash_dir() { # content hash of a build context (names + contents)
  (
    cd "$1"
    find . -type f | LC_ALL=C sort | while IFS= read -r f; do
      printf '%s\n' "$f"
      sha256sum <"$f"
    done
  ) | sha256sum | cut -d' ' -f1
}

PUSHED=()
BUILT=()

# ---- base: busybox-static root filesystem, imported ----------------------
BUSYBOX=/bin/busybox
[[ -x $BUSYBOX ]] || die "$BUSYBOX missing (busybox-static)"
PASSWD_TXT='root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
app:x:1000:1000:app:/home/app:/bin/sh'
GROUP_TXT='root:x:0:
daemon:x:1:
www-data:x:33:
users:x:100:
nogroup:x:65534:
app:x:1000:'
BASE_INDEX='<!doctype html><title>DockerMate test bed</title><h1>DockerMate test bed</h1>'
BASE_HASH=$( {
  echo "testbed v$TESTBED_VERSION base"
  sha256sum <"$BUSYBOX"
  printf '%s\n' "$PASSWD_TXT" "$GROUP_TXT" "$BASE_INDEX"
} | sha256sum | cut -d' ' -f1)

if ! has_hash "$BASE_REF" "$BASE_HASH"; then
  log "building $BASE_REF"
  rootfs="$BUILD_DIR/base-rootfs"
  rm -rf "$rootfs"
  mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,root,home/app,var/www,tmp,proc,sys,dev}
  cp "$BUSYBOX" "$rootfs/bin/busybox"
  while IFS= read -r applet; do
    [[ $applet == bin/busybox || -z $applet ]] && continue
    mkdir -p "$rootfs/$(dirname "$applet")"
    ln -sf /bin/busybox "$rootfs/$applet"
  done < <("$BUSYBOX" --list-full)
  printf '%s\n' "$PASSWD_TXT" >"$rootfs/etc/passwd"
  printf '%s\n' "$GROUP_TXT" >"$rootfs/etc/group"
  printf '%s\n' "$BASE_INDEX" >"$rootfs/var/www/index.html"
  chmod 1777 "$rootfs/tmp"
  chmod 700 "$rootfs/root"
  owner=(--numeric-owner)
  if [[ $EUID -eq 0 ]]; then
    chown 1000:1000 "$rootfs/home/app"
  else
    owner=(--owner=0 --group=0 --numeric-owner)
  fi
  raw="dockermate-testbed-rootfs:$BASE_HASH"
  # `docker import -c` does not accept LABEL: import, then label with a build.
  if ! tar -C "$rootfs" "${owner[@]}" -c . |
    "$DOCKER" import -c 'CMD ["/bin/sh"]' - "$raw" >>"$BUILD_LOG" 2>&1; then
    die_log "$BUILD_LOG" "docker import of the busybox root filesystem failed"
  fi
  ctx="$BUILD_DIR/base"
  rm -rf "$ctx"
  mkdir -p "$ctx"
  printf 'FROM %s\nLABEL com.dockermate.testbed="1" com.dockermate.testbed.image="base"\n' "$raw" >"$ctx/Dockerfile"
  if ! "$DOCKER" build --force-rm --label "com.dockermate.testbed.hash=$BASE_HASH" \
    -t "$BASE_REF" "$ctx" >>"$BUILD_LOG" 2>&1; then
    die_log "$BUILD_LOG" "docker build $BASE_REF failed"
  fi
  "$DOCKER" rmi "$raw" >/dev/null 2>&1 || true
  BUILT+=("$BASE_REF")
  REBUILT=1
fi

# ---- images FROM base -----------------------------------------------------
# Long-running processes run under a shell that exits on SIGTERM: as PID 1 a
# process without a TERM handler ignores it, and `docker stop` would always
# wait the full 10 s timeout.
# shellcheck disable=SC2016 # $p and $! are for the container's shell
HTTPD_CMD='CMD ["/bin/sh", "-c", "trap '"'"'kill $p 2>/dev/null; exit 0'"'"' TERM INT; httpd -f -p 8080 -h /var/www & p=$!; wait $p"]'
HEALTHY_CHECK='HEALTHCHECK --interval=1s --timeout=2s --retries=3 CMD wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1'

# write_context NAME: writes $BUILD_DIR/NAME/{Dockerfile,...}
write_context() {
  local name=$1 ctx="$BUILD_DIR/$1"
  rm -rf "$ctx"
  mkdir -p "$ctx"
  {
    echo "FROM $BASE_REF"
    echo "LABEL com.dockermate.testbed=\"1\" com.dockermate.testbed.image=\"$name\""
  } >"$ctx/Dockerfile"
  case $name in
  web)
    printf '%s\n' '<!doctype html><title>web</title><h1>web</h1>' >"$ctx/index.html"
    cat >>"$ctx/Dockerfile" <<EOF
COPY index.html /var/www/index.html
EXPOSE 8080
$HTTPD_CMD
EOF
    ;;
  healthy)
    printf '%s\n' '<!doctype html><title>healthy</title><h1>healthy</h1>' >"$ctx/index.html"
    cat >>"$ctx/Dockerfile" <<EOF
COPY index.html /var/www/index.html
EXPOSE 8080
$HEALTHY_CHECK
$HTTPD_CMD
EOF
    ;;
  unhealthy)
    printf '%s\n' '<!doctype html><title>unhealthy</title><h1>unhealthy</h1>' >"$ctx/index.html"
    cat >>"$ctx/Dockerfile" <<EOF
COPY index.html /var/www/index.html
EXPOSE 8080
HEALTHCHECK --interval=1s --timeout=2s --retries=2 CMD echo "unhealthy on purpose" >&2; exit 1
$HTTPD_CMD
EOF
    ;;
  exits)
    cat >>"$ctx/Dockerfile" <<'EOF'
CMD ["/bin/sh", "-c", "echo 'exits: failing on purpose with code 3' >&2; exit 3"]
EOF
    ;;
  exits-late)
    cat >>"$ctx/Dockerfile" <<'EOF'
CMD ["/bin/sh", "-c", "echo 'exits-late: up, failing in 2 s'; sleep 2; echo 'exits-late: failing on purpose with code 3' >&2; exit 3"]
EOF
    ;;
  ticker)
    cat >>"$ctx/Dockerfile" <<'EOF'
CMD ["/bin/sh", "-c", "trap 'exit 0' TERM INT; i=0; while true; do echo \"line $i\"; i=$((i+1)); sleep 0.2; done"]
EOF
    ;;
  app-v1 | app-v2)
    local v=${name#app-v}
    printf '%s\n' "$v.0.0" >"$ctx/VERSION"
    printf '%s\n' "<!doctype html><title>app v$v</title><h1>app version $v.0.0</h1>" >"$ctx/index.html"
    cat >>"$ctx/Dockerfile" <<EOF
LABEL org.opencontainers.image.title="dockermate-test-app" org.opencontainers.image.version="$v.0.0"
COPY VERSION /VERSION
COPY index.html /var/www/index.html
EXPOSE 8080
$HEALTHY_CHECK
$HTTPD_CMD
EOF
    ;;
  *) die "unknown image $name" ;;
  esac
}

# name -> reference
declare -A REFS=(
  [web]="$PREFIX/web:latest"
  [healthy]="$PREFIX/healthy:latest"
  [unhealthy]="$PREFIX/unhealthy:latest"
  [exits]="$PREFIX/exits:latest"
  [exits-late]="$PREFIX/exits-late:latest"
  [ticker]="$PREFIX/ticker:latest"
  [app-v1]="$PREFIX/app:v1"
  [app-v2]="$PREFIX/app:v2"
)
ORDER=(web healthy unhealthy exits exits-late ticker app-v1 app-v2)

for name in "${ORDER[@]}"; do
  ref=${REFS[$name]}
  write_context "$name"
  hash=$( {
    echo "testbed v$TESTBED_VERSION $name base=$BASE_HASH"
    hash_dir "$BUILD_DIR/$name"
  } | sha256sum | cut -d' ' -f1)
  if has_hash "$ref" "$hash"; then
    continue
  fi
  log "building $ref"
  if ! "$DOCKER" build --force-rm --label "com.dockermate.testbed.hash=$hash" \
    -t "$ref" "$BUILD_DIR/$name" >>"$BUILD_LOG" 2>&1; then
    die_log "$BUILD_LOG" "docker build $ref failed"
  fi
  BUILT+=("$ref")
  REBUILT=1
done

# app:latest is app:v1 (tests push v2 as latest to simulate an update; a new
# run of up.sh resets it).
APP_LATEST="$PREFIX/app:latest"
v1_id=$(local_image "$PREFIX/app:v1" | cut -d' ' -f1)
latest_id=$(local_image "$APP_LATEST" | cut -d' ' -f1)
if [[ $v1_id != "$latest_id" ]]; then
  "$DOCKER" tag "$PREFIX/app:v1" "$APP_LATEST"
fi

for ref in "$BASE_REF" "${REFS[web]}" "${REFS[healthy]}" "${REFS[unhealthy]}" \
  "${REFS[exits]}" "${REFS[exits-late]}" "${REFS[ticker]}" "${REFS[app-v1]}" "${REFS[app-v2]}" "$APP_LATEST"; do
  ensure_pushed "$ref"
done

if ((REBUILT)); then
  # drop old, now untagged test images (those still used by containers stay)
  "$DOCKER" image prune -f --filter label=com.dockermate.testbed=1 >/dev/null 2>&1 || true
fi

# Stand-ins for the Dockerfile's base images (Docker Hub is out of reach): cached, so quick.
bash "$(dirname "$0")/base-images.sh" || die "tests/testbed/base-images.sh failed"

# ---------------------------------------------------------------------------
# 5. Summary
# ---------------------------------------------------------------------------
((${#BUILT[@]})) && SUMMARY+=("built: ${BUILT[*]##*/}")
((${#PUSHED[@]})) && SUMMARY+=("pushed: ${PUSHED[*]##*/}")
((${#SUMMARY[@]})) || SUMMARY+=("everything was already up")
{
  echo "[testbed] ready in $(elapsed) ms: docker $DOCKER_VERSION, registry http://$REGISTRY, images $PREFIX/{base,web,healthy,unhealthy,exits,ticker}:latest, app:{v1,v2,latest=v1}"
  for line in "${SUMMARY[@]}"; do echo "[testbed]   $line"; done
} >&2
exit 0
