#!/usr/bin/env bash
# Stops the registry and the Docker daemon that tests/testbed/up.sh started, and the Docker 26
# daemon and registry of tests/testbed/docker26.sh (only those: identified by the pidfiles in
# its state dir). Images, registry storage and logs are kept, so the next up.sh is quick. Pass
# --purge to also delete the state dir (registry storage, logs).
set -euo pipefail

STATE_DIR="${DOCKERMATE_TESTBED_DIR:-/tmp/dockermate-testbed}"
PURGE=""
[[ ${1:-} == --purge ]] && PURGE=1

log() { printf '[testbed] %s\n' "$*" >&2; }

if [[ ! -d $STATE_DIR ]]; then
  log "nothing to stop ($STATE_DIR does not exist)"
  exit 0
fi
exec 9>"$STATE_DIR/lock"
# wait for a running up.sh, but do not let a stuck lock keep the daemons up
flock -w 30 9 || log "warning: $STATE_DIR/lock still held after 30 s; stopping anyway"

# stop NAME PIDFILE EXE TIMEOUT_S
stop() {
  local name=$1 pidfile=$2 exe=$3 timeout=$4 pid end
  if [[ ! -f $pidfile ]]; then
    log "$name: not started by up.sh"
    return 0
  fi
  pid=$(<"$pidfile")
  if [[ ! $pid =~ ^[0-9]+$ || "$(readlink "/proc/$pid/exe" 2>/dev/null)" != "$exe" ]]; then
    log "$name: pid ${pid:-?} is gone (stale pidfile removed)"
    rm -f "$pidfile"
    return 0
  fi
  kill -TERM "$pid"
  end=$(($(date +%s) + timeout))
  while kill -0 "$pid" 2>/dev/null && (($(date +%s) < end)); do
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name: pid $pid ignored SIGTERM for ${timeout}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$pidfile"
  log "$name: stopped (pid $pid)"
}

# Docker 26 and its registry (tests/testbed/docker26.sh), which keep files in the state dir
if [[ -d $STATE_DIR/docker26 ]]; then
  bash "$(dirname "$0")/docker26.sh" down
fi
stop registry "$STATE_DIR/registry.pid" /usr/bin/docker-registry 10
# dockerd stops running containers first (10 s grace each, in parallel)
stop dockerd "$STATE_DIR/dockerd.pid" /usr/sbin/dockerd 40
# a dockerd that had to be killed leaves its pidfile behind
if [[ -f /var/run/docker.pid ]]; then
  old=$(</var/run/docker.pid)
  if [[ "$(cat "/proc/$old/comm" 2>/dev/null)" != dockerd ]]; then
    rm -f /var/run/docker.pid
  fi
fi

if [[ -n $PURGE ]]; then
  exec 9>&-
  rm -rf "$STATE_DIR"
  log "removed $STATE_DIR"
fi
