#!/usr/bin/env bash
# The whole test suite: installs what is missing, starts a dedicated test Neo4j (unless NEO4J_URI is
# set), runs jest (unit, integration against the real Neo4j, e2e over HTTP), and prints
# "N passed, N failed" from jest's JSON report. Extra arguments go to jest, except --keep-neo4j:
# a test Neo4j this script started is stopped at the end (so a second clone or CI beside it can
# start theirs) unless that flag is given; one that was already running is left as it was.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

keep_neo4j=0
jest_args=()
for arg in "$@"; do
  if [ "$arg" = "--keep-neo4j" ]; then keep_neo4j=1; else jest_args+=("$arg"); fi
done

bash scripts/install.sh
# Type errors in tests fail here, once: jest only transpiles (see jest.config.js).
echo "[test] type-checking src and tests"
npx tsc -p tsconfig.json --noEmit
# install.sh has just compiled dist/: the suites that run the CLI as a process use it as it is.
export AFFINITY_DIST_FRESH=1

started_neo4j=0
stop_test_neo4j() {
  if [ "$started_neo4j" = 1 ] && [ "$keep_neo4j" = 0 ]; then
    started_neo4j=0
    echo "[test] stopping the test Neo4j this run started (--keep-neo4j keeps it)" >&2
    bash scripts/neo4j/neo4j.sh stop || true
  fi
}
trap stop_test_neo4j EXIT

if [ -z "${NEO4J_URI:-}" ]; then
  # A separate instance on its own port and folder, so tests never touch the demo database.
  export NEO4J_HOME_DIR="${NEO4J_TEST_HOME_DIR:-$root/.neo4j-test}"
  export NEO4J_BOLT_PORT="${NEO4J_TEST_BOLT_PORT:-7688}"
  export NEO4J_PORT_VARIABLE=NEO4J_TEST_BOLT_PORT
  was_running=0
  if bash scripts/neo4j/neo4j.sh status >/dev/null 2>&1; then was_running=1; fi
  bash scripts/neo4j/neo4j.sh start
  if [ "$was_running" = 0 ]; then started_neo4j=1; fi
  if [ -n "${NEO4J_TEST_ROUTING:-}" ]; then
    # The same instance through a routing URI, as a cluster or Aura is reached: the driver asks it
    # for a routing table and sends reads and writes by access mode (docs/scaling.md).
    export NEO4J_URI="neo4j://127.0.0.1:$NEO4J_BOLT_PORT"
    NEO4J_PASSWORD="$(cat "$NEO4J_HOME_DIR/password")"
    export NEO4J_PASSWORD
    echo "tests run through the routing URI $NEO4J_URI"
  fi
fi

mkdir -p .cache
report=.cache/jest-report.json
rm -f "$report"
status=0
npx jest --runInBand --json --outputFile="$report" ${jest_args[@]+"${jest_args[@]}"} || status=$?
# Before the summary, so "N passed, N failed" stays the last line.
stop_test_neo4j

if [ -f "$report" ]; then
  node -e '
    const r = require(process.argv[1]);
    const failed = r.numFailedTests + r.testResults.filter((s) => s.status === "failed" && s.assertionResults.length === 0).length;
    console.log(`${r.numPassedTests} passed, ${failed} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
  ' "$root/$report"
else
  echo "0 passed, 1 failed"
fi
exit "$status"
