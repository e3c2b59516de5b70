#!/usr/bin/env bash
# The main job on a fresh machine: install, start a local Neo4j (unless NEO4J_URI is set), migrate,
# seed the MovieLens demo, train and publish a model when none is active, and serve GraphQL on :4000
# with a printed demo key. Every step is idempotent, so running it again just serves.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/install.sh
bash scripts/neo4j/neo4j.sh start
affinity() { node dist/src/cli/index.js "$@"; }
affinity migrate
affinity seed movielens
if affinity help train >/dev/null 2>&1; then affinity train --if-missing; fi
exec node dist/src/cli/index.js serve --demo-key
