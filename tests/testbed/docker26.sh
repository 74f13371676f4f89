#!/usr/bin/env bash
# Docker 26 for the compatibility run of tests/run.sh, next to the test bed's Docker 20.10.
#
# Users run Docker 25-29 (API 1.44+). Debian 12 has only dockerd 20.10 (API 1.41) and Compose
# v1, so this takes Debian 13's docker.io and docker-cli 26.1 (API 1.45) and docker-compose 2.26
# from the machine's own Debian mirror, with a sources list of its own used only through apt
# options (the system stays on Debian 12), and unpacks them under the test bed's state dir:
#
# - Compose v2 as a CLI plugin in $STATE_DIR/docker-config/cli-plugins (DOCKER_CONFIG for it);
# - dockerd 26 as a private daemon (tests/testbed/private-daemon.sh: its own network and mount
#   namespaces, data-root, socket; never in the host's network namespace);
# - a registry on 127.0.0.1:5000 inside that network namespace, serving the storage of the test
#   bed's registry: the daemon pulls the test images from it, and tests run in that namespace
#   (tests/run.sh) see the same registry as the daemon;
# - the test images, pulled into the daemon (so they carry RepoDigests, as pulled images do).
#
# Idempotent: when everything is up it only checks (about a second). Needs root and
# tests/testbed/up.sh first. Names derive from the state dir, so two test beds do not clash, and
# neither clashes with the fault tests' private daemon (/tmp/dockermate-private-<run>).
#
# Usage: docker26.sh [up|env|down]
#   up    (default) fetch, start and load what is missing
#   env   print the variables the tests read (DOCKERMATE_TEST_DOCKER_HOST,
#         DOCKERMATE_TEST_DOCKER_CLI, DOCKERMATE_TEST_NETNS), one NAME=value a line
#   down  stop the registry and the daemon (packages, data and images are kept)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)

STATE_DIR="${DOCKERMATE_TESTBED_DIR:-/tmp/dockermate-testbed}"
D="$STATE_DIR/docker26"
PKG="$D/pkg"
DOCKERD="$PKG/usr/sbin/dockerd"
CLI="$PKG/usr/bin/docker"
COMPOSE="$STATE_DIR/docker-config/cli-plugins/docker-compose"
# netns names are global: derive ours from the state dir.
NETNS="dm26-$(printf '%s' "$D" | sha256sum | cut -c1-8)"
SOCK="$D/docker.sock"
REGISTRY_PIDFILE="$D/registry.pid"
REGISTRY_LOG="$D/registry.log"
REGISTRY_BIN=/usr/bin/docker-registry
PREFIX=127.0.0.1:5000/dockermate-test
# The test images the tests use (the `images` of tests/testbed/images.ts), as up.sh pushed them.
mapfile -t IMAGES < <(sed -n '/^export const images = {/,/^}/s/^ *[A-Za-z0-9]*: "\([^"]*\)",$/\1/p' \
  "$HERE/images.ts")
((${#IMAGES[@]})) || die "no test images found in $HERE/images.ts"
# Debian 13 packages: the daemon, the CLI that matches it, Compose v2.
PACKAGES=(docker.io docker-cli docker-compose)
SUITE=trixie

log() { printf '[docker26] %s\n' "$*" >&2; }
die() {
  printf '[docker26] ERROR: %s\n' "$*" >&2
  exit 1
}
die_log() {
  local file=$1
  shift
  printf '[docker26] ERROR: %s\n' "$*" >&2
  [[ -s $file ]] && tail -n 30 "$file" >&2
  exit 1
}

cmd=${1:-up}
case $cmd in
env)
  printf 'DOCKERMATE_TEST_DOCKER_HOST=unix://%s\n' "$SOCK"
  printf 'DOCKERMATE_TEST_DOCKER_CLI=%s\n' "$CLI"
  printf 'DOCKERMATE_TEST_NETNS=%s\n' "$NETNS"
  exit 0
  ;;
up | down) ;;
*) die "usage: docker26.sh [up|env|down]" ;;
esac

[[ $EUID -eq 0 ]] || die "needs root (network namespaces, a daemon), as CI has"
mkdir -p "$D"
exec 9>"$D/lock"
flock -w 300 9 || die "another docker26.sh still holds $D/lock after 300 s"

# pid from the registry's pidfile while that process lives
registry_pid() {
  local pid
  [[ -f $REGISTRY_PIDFILE ]] || return 1
  pid=$(<"$REGISTRY_PIDFILE")
  [[ $pid =~ ^[0-9]+$ && "$(readlink "/proc/$pid/exe" 2>/dev/null)" == "$REGISTRY_BIN" ]] || return 1
  echo "$pid"
}

if [[ $cmd == down ]]; then
  if pid=$(registry_pid); then
    kill -TERM "$pid"
    log "registry stopped (pid $pid)"
  fi
  rm -f "$REGISTRY_PIDFILE"
  if [[ -x $DOCKERD ]]; then
    bash "$HERE/private-daemon.sh" stop "$D" "$NETNS" "$DOCKERD"
    log "dockerd stopped"
  fi
  exit 0
fi

START_NS=$(date +%s%N)
SUMMARY=()

# ---------------------------------------------------------------------------
# 1. Packages from Debian 13, unpacked under $PKG
# ---------------------------------------------------------------------------
# The mirror this machine's Debian 12 sources use (one-line or deb822 format), not a guess.
debian_mirror() {
  local f uri
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    uri=$(awk '$1 == "deb" { for (i = 2; i < NF; i++) if ($i !~ /^\[/ && $(i + 1) == "bookworm") { print $i; exit } }' "$f")
    [[ -n $uri ]] && echo "$uri" && return
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    # paragraphs: a URI of one whose Suites include plain "bookworm"
    uri=$(awk -v RS= '/(^|\n)Suites:([^\n]* )?bookworm( |\n|$)/ {
      if (match($0, /(^|\n)URIs: *[^ \n]+/)) { s = substr($0, RSTART, RLENGTH); sub(/^\n?URIs: */, "", s); print s; exit }
    }' "$f")
    [[ -n $uri ]] && echo "$uri" && return
  done
  return 0
}

fetch_packages() {
  local apt_dir="$D/apt" mirror
  mirror=$(debian_mirror)
  [[ -n $mirror ]] || die "no Debian bookworm mirror found in /etc/apt/sources.list*"
  rm -rf "$apt_dir"
  mkdir -p "$apt_dir"/{lists/partial,cache/archives/partial,parts,debs}
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $SUITE main" \
    >"$apt_dir/sources.list"
  # Only this list (SourceParts points at an empty folder), its own lists and cache: the
  # system's apt state is neither read nor changed.
  local opts=(
    -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=$apt_dir/parts"
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
    -o "APT::Sandbox::User=root"
  )
  log "fetching ${PACKAGES[*]} from $mirror $SUITE (log: $apt_dir/apt.log)"
  {
    apt-get "${opts[@]}" update -q &&
      (cd "$apt_dir/debs" && apt-get "${opts[@]}" download "${PACKAGES[@]}")
  } >"$apt_dir/apt.log" 2>&1 || die_log "$apt_dir/apt.log" "apt-get download ${PACKAGES[*]} failed"
  rm -rf "$PKG.new"
  mkdir -p "$PKG.new"
  local deb
  for deb in "$apt_dir"/debs/*.deb; do dpkg-deb -x "$deb" "$PKG.new"; done
  rm -rf "$PKG"
  mv "$PKG.new" "$PKG"
  rm -rf "$apt_dir"
  SUMMARY+=("fetched: $("$DOCKERD" --version)")
}

if [[ ! -x $DOCKERD || ! -x $CLI || ! -x $PKG/usr/libexec/docker/cli-plugins/docker-compose ]]; then
  fetch_packages
fi
if ! cmp -s "$PKG/usr/libexec/docker/cli-plugins/docker-compose" "$COMPOSE"; then
  mkdir -p "$(dirname "$COMPOSE")"
  cp "$PKG/usr/libexec/docker/cli-plugins/docker-compose" "$COMPOSE"
  SUMMARY+=("installed Compose $("$COMPOSE" version --short) as $COMPOSE")
fi

# ---------------------------------------------------------------------------
# 2. The daemon
# ---------------------------------------------------------------------------
ping_ok() { [[ "$(curl -s --max-time 2 --unix-socket "$SOCK" http://localhost/_ping 2>/dev/null)" == OK ]]; }
if ! ping_ok; then
  log "starting dockerd 26 in netns $NETNS (log: $D/dockerd.log)"
  # its own session: a test run's Ctrl-C must not take it down
  setsid -w bash "$HERE/private-daemon.sh" start "$D" "$NETNS" "$DOCKERD" 9>&- ||
    die_log "$D/dockerd.log" "dockerd 26 did not start"
  SUMMARY+=("started dockerd 26")
fi

# ---------------------------------------------------------------------------
# 3. A registry on the namespace's 127.0.0.1:5000, over the test bed registry's storage
# ---------------------------------------------------------------------------
in_netns() { nsenter --net="/var/run/netns/$NETNS" "$@"; }
registry_ok() {
  [[ "$(in_netns curl -s --max-time 2 -o /dev/null -w '%{http_code}' http://127.0.0.1:5000/v2/ 2>/dev/null)" == 200 ]]
}
if ! registry_ok; then
  registry_pid >/dev/null && die "the registry (pid $(<"$REGISTRY_PIDFILE")) runs but does not answer"
  [[ -d $STATE_DIR/registry-data ]] || die "$STATE_DIR/registry-data missing: run tests/testbed/up.sh first"
  # No blob descriptor cache: two registries share this storage.
  cat >"$D/registry.yml" <<EOF
# written by tests/testbed/docker26.sh
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $STATE_DIR/registry-data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:5000
EOF
  log "starting a registry in netns $NETNS (log: $REGISTRY_LOG)"
  setsid nohup nsenter --net="/var/run/netns/$NETNS" "$REGISTRY_BIN" serve "$D/registry.yml" \
    >>"$REGISTRY_LOG" 2>&1 </dev/null 9>&- &
  echo $! >"$REGISTRY_PIDFILE"
  for _ in $(seq 1 150); do
    registry_ok && break
    kill -0 "$(<"$REGISTRY_PIDFILE")" 2>/dev/null || die_log "$REGISTRY_LOG" "the registry exited"
    sleep 0.2
  done
  registry_ok || die_log "$REGISTRY_LOG" "the registry did not answer within 30 s"
  SUMMARY+=("started a registry (pid $(<"$REGISTRY_PIDFILE"))")
fi

# ---------------------------------------------------------------------------
# 4. Test images: pulled when the daemon lacks the one the shared daemon has
# ---------------------------------------------------------------------------
# "REF ID" lines of a daemon's test images
tagged() {
  "$1" -H "$2" image ls --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}}' 2>/dev/null |
    grep "^$PREFIX/" || true
}
image_id() { sed -n "s|^$2 ||p" <<<"$1"; }
shared=$(tagged /usr/bin/docker unix:///var/run/docker.sock)
ours=$(tagged "$CLI" "unix://$SOCK")
PULLED=()
for ref in "${IMAGES[@]}"; do
  want=$(image_id "$shared" "$ref")
  [[ -n $want ]] || die "$ref missing on the shared daemon: run tests/testbed/up.sh first"
  [[ "$(image_id "$ours" "$ref")" == "$want" ]] && continue
  # By the digest the shared daemon has: a test may have pushed another image under the tag.
  digest=$(/usr/bin/docker image inspect -f '{{range .RepoDigests}}{{println .}}{{end}}' "$ref" |
    grep -m1 "^${ref%:*}@") || die "$ref has no RepoDigest of ${ref%:*} (not pushed by up.sh?)"
  "$CLI" -H "unix://$SOCK" pull -q "$digest" >>"$D/pull.log" 2>&1 || die_log "$D/pull.log" "pull $digest failed"
  "$CLI" -H "unix://$SOCK" tag "$digest" "$ref"
  PULLED+=("${ref#"$PREFIX/"}")
done
((${#PULLED[@]})) && SUMMARY+=("pulled: ${PULLED[*]}")

version=$(curl -s --unix-socket "$SOCK" http://localhost/version |
  sed -n 's/.*"Version":"\([^"]*\)","ApiVersion":"\([^"]*\)".*/\1 (API \2)/p' | head -n1)
((${#SUMMARY[@]})) || SUMMARY+=("everything was already up")
{
  echo "[docker26] ready in $((($(date +%s%N) - START_NS) / 1000000)) ms: docker ${version:-?} at $SOCK, netns $NETNS"
  for line in "${SUMMARY[@]}"; do echo "[docker26]   $line"; done
} >&2
