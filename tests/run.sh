#!/usr/bin/env bash
# The whole test suite (`deno task test`): prepares the test bed (Docker daemon, registry on
# 127.0.0.1:5000, local images, Chromium), then runs every test. Nothing is skipped: a missing
# piece of the test bed fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/testbed/up.sh
deno install --quiet
deno run --allow-read=node_modules/htmx.org --allow-write=static/vendor scripts/vendor.ts

mkdir -p tests/output
log=tests/output/deno-test.log
status=0
NO_COLOR=1 deno test --allow-all --unstable-cron "$@" tests/ 2>&1 | tee "$log" || status=$?

# One plain closing line for CI: "tests: N passed, N failed".
summary=$(grep -E '^(ok|FAILED) \| [0-9]+ passed' "$log" | tail -n 1 || true)
passed=$(sed -E 's/.*\| ([0-9]+) passed.*/\1/' <<<"$summary")
failed=$(sed -E 's/.*\| ([0-9]+) failed.*/\1/' <<<"$summary")
if [[ -z "$summary" ]]; then
  echo "tests: 0 passed, 1 failed (deno test printed no summary)"
  exit 1
fi
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
