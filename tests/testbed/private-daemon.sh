#!/usr/bin/env bash
# A private Docker daemon, never the shared one: for fault-injection tests (killing dockerd) and
# for the Docker 26 compatibility run (tests/testbed/docker26.sh). Its own network namespace,
# mount namespace (sysfs remounted for that netns, the cgroup tree bound back), data-root,
# exec-root, pidfile and socket, no iptables.
# Usage: private-daemon.sh start|stop|kill|restart|socket DIR NETNS [DOCKERD]
#   DIR      state dir (socket, data, log)
#   NETNS    network namespace
#   DOCKERD  the dockerd binary, default the system's; its own folder comes first in its PATH,
#            so that a dockerd from elsewhere uses the docker-proxy it came with
# DIR and NETNS have no default: callers derive them from their run (tests/run.sh) or state dir
# (docker26.sh), so that two runs on one host never share or kill each other's daemon.
set -euo pipefail
usage="usage: private-daemon.sh start|stop|kill|restart|socket DIR NETNS [DOCKERD]"
cmd=${1:?$usage}
D=${2:?$usage}
NETNS=${3:?$usage}
DOCKERD=${4:-/usr/sbin/dockerd}
SOCK="$D/docker.sock"
[[ -x $DOCKERD ]] || { echo "private daemon: $DOCKERD is not an executable" >&2; exit 1; }
DAEMON_PATH="$(dirname "$DOCKERD"):$PATH"

ping_ok() { curl -s --max-time 1 --unix-socket "$SOCK" http://localhost/_ping 2>/dev/null | grep -q OK; }

# True when a process has these words in its command line (reads /proc: no procps needed).
running() {
  local f
  local -a argv
  for f in /proc/[0-9]*/cmdline; do
    { mapfile -d "" -t argv <"$f"; } 2>/dev/null || continue
    [[ " ${argv[*]} " == *" $1 "* ]] && return 0
  done
  return 1
}

# The daemon and the containerd it manages must both be gone before a restart.
wait_gone() {
  for _ in $(seq 1 100); do
    if ! running "--data-root $D/data" && ! running "$D/exec/containerd/containerd.toml"; then
      rm -f "$D/docker.pid" "$D/exec/containerd/containerd.pid"
      return 0
    fi
    sleep 0.1
  done
  echo "private daemon: old processes did not exit" >&2
  return 1
}

start() {
  ping_ok && return 0
  wait_gone
  ip netns add "$NETNS" 2>/dev/null || true
  ip netns exec "$NETNS" ip link set lo up
  mkdir -p "$D/cg" "$D/data" "$D/exec"
  # nsenter (not `ip netns exec`, which remounts /sys and hides the cgroup tree).
  nohup unshare --mount --propagation private bash -c "
    mount --rbind /sys/fs/cgroup '$D/cg'
    exec nsenter --net=/var/run/netns/$NETNS bash -c '
      umount -l /sys
      mount -t sysfs sysfs /sys
      mount --rbind \"$D/cg\" /sys/fs/cgroup
      exec env PATH=\"$DAEMON_PATH\" \"$DOCKERD\" --data-root \"$D/data\" --exec-root \"$D/exec\" --pidfile \"$D/docker.pid\" \
        -H \"unix://$SOCK\" --iptables=false
    '
  " >>"$D/dockerd.log" 2>&1 9>&- &
  for _ in $(seq 1 300); do
    ping_ok && return 0
    sleep 0.1
  done
  echo "private daemon did not start; last log lines:" >&2
  tail -n 20 "$D/dockerd.log" >&2
  return 1
}

signal() {
  local pid
  pid=$(cat "$D/docker.pid" 2>/dev/null || true)
  [[ -n $pid ]] && kill "-$1" "$pid" 2>/dev/null || true
  wait_gone
}

case $cmd in
  start) start ;;
  stop) signal TERM ;;
  kill) signal KILL ;;
  restart) signal TERM && start ;;
  socket) echo "$SOCK" ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
