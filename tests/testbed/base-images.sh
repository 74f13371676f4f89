#!/usr/bin/env bash
# Local stand-ins for the images the Dockerfile names, so that it builds here without Docker Hub,
# under the very names users pull:
#
# - debian:bookworm-slim          debootstrap --variant=minbase bookworm, from this machine's
#                                 Debian mirror, without docs, locales and apt lists (plus the
#                                 machine's CA bundle when SSL_CERT_FILE names one, see below);
# - denoland/deno:bin-$DENO       /deno, the same binary the npm package `deno@$DENO` ships;
# - docker:$DOCKER-cli            /usr/local/bin/docker from Debian 13's docker-cli;
# - docker/compose-bin:v$COMPOSE  /docker-compose from Debian 13's docker-compose.
#
# The stand-ins serve as `FROM`/`COPY --from` sources only (the CLI one has no libc to run in).
# The versions are the Dockerfile's ARG defaults. An image already present under one of these
# names that this script did not make (a real one pulled from Docker Hub) is used as it is.
# Idempotent and cached: a second run only compares hashes (about 2 s); the first
# takes a few minutes (debootstrap). Called by tests/testbed/up.sh, under its lock.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
STATE_DIR="${DOCKERMATE_TESTBED_DIR:-/tmp/dockermate-testbed}"
D="$STATE_DIR/base-images"
DOCKER=/usr/bin/docker
export DOCKER_HOST=unix:///var/run/docker.sock DOCKER_BUILDKIT=0
LOG="$D/build.log"
# Bump to rebuild every stand-in.
VERSION=1

log() { printf '[base-images] %s\n' "$*" >&2; }
die() {
  printf '[base-images] ERROR: %s\n' "$*" >&2
  [[ -s $LOG ]] && tail -n 30 "$LOG" >&2
  exit 1
}

mkdir -p "$D"
: >"$LOG"
# ARG NAME=VALUE defaults of the Dockerfile
arg() { sed -n "s/^ARG $1=\\(.*\\)$/\\1/p" "$ROOT/Dockerfile" | head -n1; }
DENO_VERSION=$(arg DENO_VERSION)
DOCKER_VERSION=$(arg DOCKER_VERSION)
COMPOSE_VERSION=$(arg COMPOSE_VERSION)
[[ -n $DENO_VERSION && -n $DOCKER_VERSION && -n $COMPOSE_VERSION ]] ||
  die "the Dockerfile lacks ARG DENO_VERSION, DOCKER_VERSION or COMPOSE_VERSION defaults"

# record file of a stand-in: "HASH IMAGE-ID" when this script made it
record() { echo "$D/$(tr '/:' '__' <<<"$1").made"; }
image_id() { "$DOCKER" image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }

# needed REF HASH: true when REF must be (re)made
needed() {
  local ref=$1 hash=$2 id made_hash made_id
  id=$(image_id "$ref")
  [[ -n $id ]] || return 0
  if [[ -f $(record "$ref") ]]; then
    read -r made_hash made_id <"$(record "$ref")"
    [[ $made_id == "$id" && $made_hash != "$hash" ]] && return 0
    [[ $made_id == "$id" ]] && return 1
  fi
  log "using $ref as found (not made here)"
  return 1
}

# import REF HASH DIR [CHANGE…]: a root filesystem tar of DIR as REF
import_dir() {
  local ref=$1 hash=$2 dir=$3
  shift 3
  local changes=()
  for c in "$@"; do changes+=(-c "$c"); done
  tar -C "$dir" --numeric-owner -c . | "$DOCKER" import "${changes[@]}" - "$ref" >>"$LOG" 2>&1 ||
    die "docker import $ref failed"
  echo "$hash $(image_id "$ref")" >"$(record "$ref")"
  MADE+=("$ref")
}
MADE=()

# The mirror this machine's Debian 12 sources use (one-line or deb822 format).
debian_mirror() {
  local f uri
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    uri=$(awk '$1 == "deb" { for (i = 2; i < NF; i++) if ($i !~ /^\[/ && $(i + 1) == "bookworm") { print $i; exit } }' "$f")
    [[ -n $uri ]] && echo "$uri" && return
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    uri=$(awk -v RS= '/(^|\n)Suites:([^\n]* )?bookworm( |\n|$)/ {
      if (match($0, /(^|\n)URIs: *[^ \n]+/)) { s = substr($0, RSTART, RLENGTH); sub(/^\n?URIs: */, "", s); print s; exit }
    }' "$f")
    [[ -n $uri ]] && echo "$uri" && return
  done
}
MIRROR=$(debian_mirror)
[[ -n $MIRROR ]] || die "no Debian bookworm mirror found in /etc/apt/sources.list*"

# ---- debian:bookworm-slim ---------------------------------------------------
# debootstrap's root filesystem under a name of the test bed's own (the slow part, once), then
# this machine's CA bundle when SSL_CERT_FILE names one: where egress goes through a
# TLS-inspecting proxy, a base image holds its CA as the host does (the Dockerfile's Deno trusts
# the system store besides its own roots). Without SSL_CERT_FILE it is the plain minbase system.
minbase=dockermate-testbed/debian-minbase:bookworm
hash=$(echo "v$VERSION $minbase $MIRROR" | sha256sum | cut -d' ' -f1)
if needed "$minbase" "$hash"; then
  command -v debootstrap >/dev/null || die "debootstrap missing (tests/testbed/up.sh installs it)"
  rootfs="$D/debian-rootfs"
  rm -rf "$rootfs"
  log "debootstrap bookworm from $MIRROR (a few minutes, once)"
  debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" >>"$LOG" 2>&1 || die "debootstrap failed"
  # What the real slim image leaves out.
  rm -rf "$rootfs"/usr/share/{doc,man,info,locale}/* "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/*
  import_dir "$minbase" "$hash" "$rootfs" 'CMD ["bash"]'
  rm -rf "$rootfs"
fi
ref=debian:bookworm-slim
ca=${SSL_CERT_FILE:-}
[[ -n $ca && -f $ca ]] || ca=""
hash=$( {
  echo "v$VERSION $ref $(image_id "$minbase")"
  [[ -z $ca ]] || sha256sum <"$ca"
} | sha256sum | cut -d' ' -f1)
if needed "$ref" "$hash"; then
  ctx="$D/debian-slim"
  rm -rf "$ctx"
  mkdir -p "$ctx"
  echo "FROM $minbase" >"$ctx/Dockerfile"
  if [[ -n $ca ]]; then
    cp "$ca" "$ctx/ca-certificates.crt"
    echo "COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt" >>"$ctx/Dockerfile"
  fi
  "$DOCKER" build --force-rm -t "$ref" "$ctx" >>"$LOG" 2>&1 || die "docker build $ref failed"
  echo "$hash $(image_id "$ref")" >"$(record "$ref")"
  MADE+=("$ref")
  rm -rf "$ctx"
fi

# ---- denoland/deno:bin-$DENO_VERSION -----------------------------------------
ref="denoland/deno:bin-$DENO_VERSION"
# A released version's binary never changes: its tag is its hash.
hash=$(echo "v$VERSION $ref" | sha256sum | cut -d' ' -f1)
if needed "$ref" "$hash"; then
  deno_bin=$(npx -y "deno@$DENO_VERSION" eval 'console.log(Deno.execPath())' 2>>"$LOG") ||
    die "npx deno@$DENO_VERSION failed"
  dir="$D/deno-root"
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$deno_bin" "$dir/deno"
  import_dir "$ref" "$hash" "$dir" 'ENTRYPOINT ["/deno"]'
  rm -rf "$dir"
fi

# ---- docker:$DOCKER_VERSION-cli and docker/compose-bin:v$COMPOSE_VERSION ------------
cli_ref="docker:$DOCKER_VERSION-cli"
compose_ref="docker/compose-bin:v$COMPOSE_VERSION"
cli_hash=$(echo "v$VERSION $cli_ref $MIRROR" | sha256sum | cut -d' ' -f1)
compose_hash=$(echo "v$VERSION $compose_ref $MIRROR" | sha256sum | cut -d' ' -f1)
if needed "$cli_ref" "$cli_hash" || needed "$compose_ref" "$compose_hash"; then
  apt_dir="$D/apt"
  pkg="$D/pkg"
  rm -rf "$apt_dir" "$pkg"
  mkdir -p "$apt_dir"/{lists/partial,cache/archives/partial,parts,debs} "$pkg"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR trixie main" \
    >"$apt_dir/sources.list"
  # Only this list, its own lists and cache: the system's apt state is neither read nor changed.
  opts=(
    -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=$apt_dir/parts"
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
    -o "APT::Sandbox::User=root"
  )
  log "fetching Debian 13's docker-cli and docker-compose"
  {
    apt-get "${opts[@]}" update -q &&
      (cd "$apt_dir/debs" && apt-get "${opts[@]}" download docker-cli docker-compose)
  } >>"$LOG" 2>&1 || die "apt-get download docker-cli docker-compose failed"
  for deb in "$apt_dir"/debs/*.deb; do dpkg-deb -x "$deb" "$pkg"; done
  cli_found=$("$pkg/usr/bin/docker" --version)
  compose_found=$("$pkg/usr/libexec/docker/cli-plugins/docker-compose" version --short)
  [[ $cli_found == "Docker version $DOCKER_VERSION."* ]] ||
    die "Debian 13 has '$cli_found', the Dockerfile names docker:$DOCKER_VERSION-cli"
  [[ $compose_found == "$COMPOSE_VERSION" || $compose_found == "$COMPOSE_VERSION"-* ]] ||
    die "Debian 13 has Compose $compose_found, the Dockerfile names v$COMPOSE_VERSION"
  # The real images' layouts: the CLI in /usr/local/bin, compose-bin's binary at the root.
  mkdir -p "$D/cli-root/usr/local/bin" "$D/compose-root"
  cp "$pkg/usr/bin/docker" "$D/cli-root/usr/local/bin/docker"
  cp "$pkg/usr/libexec/docker/cli-plugins/docker-compose" "$D/compose-root/docker-compose"
  import_dir "$cli_ref" "$cli_hash" "$D/cli-root" 'CMD ["docker"]'
  import_dir "$compose_ref" "$compose_hash" "$D/compose-root"
  rm -rf "$apt_dir" "$pkg" "$D/cli-root" "$D/compose-root"
fi

if ((${#MADE[@]})); then
  log "made: ${MADE[*]}"
fi
exit 0
