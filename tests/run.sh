#!/usr/bin/env bash
# The whole test suite (`deno task test`): prepares the test bed (Docker daemon, registry on
# 127.0.0.1:5000, local images, Chromium), then runs every test. Nothing is skipped: a missing
# piece of the test bed fails the run.
#
# Then it runs the tests where Docker versions differ (Engine API fields, compose) a second time
# against Docker 26 (tests/testbed/docker26.sh): a private daemon in its own network namespace.
# That run happens inside the namespace, so the server under test, the registries and proxies
# the tests start and the daemon all see the same 127.0.0.1; DOCKERMATE_TEST_DOCKER_HOST and
# DOCKERMATE_TEST_DOCKER_CLI point the tests at that daemon and its CLI.
set -euo pipefail
cd "$(dirname "$0")/.."

DOCKER26_TESTS=(
  tests/integration/containers.test.ts
  tests/integration/container-config.test.ts
  tests/integration/container-config-api.test.ts
  tests/integration/images.test.ts
  tests/integration/image-updates.test.ts
  tests/integration/image-updates-api.test.ts
  tests/integration/dashboard.test.ts
  tests/integration/events.test.ts
  tests/integration/logs.test.ts
  tests/integration/stacks.test.ts
)

# This run's own name for the fault tests' private daemon (tests/helpers/private-daemon.ts).
export DOCKERMATE_TEST_RUN="r$(date +%s)-$$"
fault_dir="/tmp/dockermate-private-$DOCKERMATE_TEST_RUN"
fault_netns="dm-fault-$DOCKERMATE_TEST_RUN"
# The fault tests' daemon, its images and its network namespace go with the run, however it ends
# (a failed step, Ctrl-C).
remove_fault_daemon() {
  [[ -d $fault_dir ]] || return 0
  bash tests/testbed/private-daemon.sh stop "$fault_dir" "$fault_netns" || true
  ip netns del "$fault_netns" 2>/dev/null || true
  rm -rf "$fault_dir"
}
trap remove_fault_daemon EXIT

bash tests/testbed/up.sh
bash tests/testbed/docker26.sh
deno install --quiet
deno run --allow-read --allow-env --allow-run --allow-write=static/vendor scripts/vendor.ts

mkdir -p tests/output
log=tests/output/deno-test.log
log26=tests/output/deno-test-docker26.log
status=0
NO_COLOR=1 deno test --allow-all --unstable-cron "$@" tests/ 2>&1 | tee "$log" || status=$?

started=$(date +%s)
echo "==== against Docker 26: ${DOCKER26_TESTS[*]##*/} ===="
declare -A env26
while IFS='=' read -r name value; do env26[$name]=$value; done < <(bash tests/testbed/docker26.sh env)
nsenter --net="/var/run/netns/${env26[DOCKERMATE_TEST_NETNS]}" env NO_COLOR=1 DENO_NO_UPDATE_CHECK=1 \
  DOCKERMATE_TEST_DOCKER_HOST="${env26[DOCKERMATE_TEST_DOCKER_HOST]}" \
  DOCKERMATE_TEST_DOCKER_CLI="${env26[DOCKERMATE_TEST_DOCKER_CLI]}" \
  deno test --allow-all --unstable-cron "$@" "${DOCKER26_TESTS[@]}" 2>&1 | tee "$log26" || status=$?
echo "==== Docker 26 run: $(($(date +%s) - started)) s ===="

remove_fault_daemon

# Nothing a test labelled may be left behind, pass or fail (it is removed, and the run fails).
leaks=0
bash tests/testbed/leaks.sh || leaks=1
bash tests/testbed/leaks.sh "${env26[DOCKERMATE_TEST_DOCKER_HOST]#unix://}" || leaks=1

# "PASSED FAILED" from deno test's summary line in a log, nothing when it printed none.
counts() { sed -nE 's/^(ok|FAILED) \| ([0-9]+) passed.*\| ([0-9]+) failed.*/\2 \3/p' "$1" | tail -n 1; }

# One plain closing line for CI: "tests: N passed, N failed" (both runs).
passed=0
failed=0
for file in "$log" "$log26"; do
  read -r p f <<<"$(counts "$file")" || true
  if [[ -z ${p:-} ]]; then
    echo "tests: $passed passed, $((failed + 1)) failed (deno test printed no summary in $file)"
    exit 1
  fi
  passed=$((passed + p))
  failed=$((failed + f))
done
if ((leaks)); then
  failed=$((failed + 1))
  status=1
  echo "a test left labelled objects behind (see [leaks] above): counted as one failure"
fi
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
