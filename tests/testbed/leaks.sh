#!/usr/bin/env bash
# After a full run (pass or fail): nothing the tests labelled may be left on the shared daemon,
# and no helper container of DockerMate's (services/volumes/helper.ts: made for one request,
# removed after it) either.
# Prints what is left, removes it (the machine stays clean for the next run) and exits 1 when
# anything was found, so that a leaking test fails the suite.
# Usage: leaks.sh [DOCKER_SOCKET]
set -euo pipefail
SOCK=${1:-/var/run/docker.sock}
LABEL=test.dockermate.run
HELPER_LABEL=com.dockermate.helper

api() { curl -sf --unix-socket "$SOCK" "$@"; }
# A daemon that does not answer would look clean: that is a failure, not a pass.
if [[ "$(api http://localhost/_ping 2>/dev/null)" != OK ]]; then
  echo "[leaks] the daemon at $SOCK does not answer: cannot check what the tests left" >&2
  exit 1
fi
# GET PATH [LABEL]: the objects of PATH that carry the label (any value; the test label by default).
labelled() { api -G --data-urlencode "filters={\"label\":[\"${2:-$LABEL}\"]}" "http://localhost$1"; }

left=0
report() { # KIND LABEL NAMES...
  local kind=$1 label=$2
  shift 2
  (($#)) || return 0
  left=$((left + $#))
  echo "[leaks] $kind left behind by the tests (label $label): $*" >&2
}

mapfile -t containers < <(labelled "/containers/json?all=1" |
  grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4)
report containers "$LABEL" "${containers[@]}"
for id in "${containers[@]}"; do api -X DELETE "http://localhost/containers/$id?force=1&v=1" >/dev/null || true; done

mapfile -t helpers < <(labelled "/containers/json?all=1" "$HELPER_LABEL" |
  grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4)
report "volume helper containers" "$HELPER_LABEL" "${helpers[@]}"
for id in "${helpers[@]}"; do api -X DELETE "http://localhost/containers/$id?force=1&v=1" >/dev/null || true; done

mapfile -t volumes < <(labelled /volumes |
  grep -o '"Name":"[^"]*"' | cut -d'"' -f4)
report volumes "$LABEL" "${volumes[@]}"
for v in "${volumes[@]}"; do api -X DELETE "http://localhost/volumes/$v" >/dev/null || true; done

mapfile -t networks < <(labelled /networks |
  grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4)
report networks "$LABEL" "${networks[@]}"
for n in "${networks[@]}"; do api -X DELETE "http://localhost/networks/$n" >/dev/null || true; done

mapfile -t images < <(labelled "/images/json?all=1" |
  grep -o '"Id":"sha256:[0-9a-f]*"' | cut -d'"' -f4)
report images "$LABEL" "${images[@]}"
for i in "${images[@]}"; do api -X DELETE "http://localhost/images/$i?force=1" >/dev/null || true; done

if ((left)); then
  echo "[leaks] $left object(s) were left behind (removed now): the test that made them must clean up in finally" >&2
  exit 1
fi
echo "[leaks] nothing labelled $LABEL is left on the daemon" >&2
