#!/usr/bin/env bash
# The main job on a fresh machine: install, start a local Neo4j (unless NEO4J_URI is set), migrate,
# seed the MovieLens demo, embed product text, train and publish a model and segment users when no
# model is active yet, and serve GraphQL on :4000 with a printed demo key. Every step is
# idempotent, so running it again just serves.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/install.sh
bash scripts/neo4j/neo4j.sh start
affinity() { node dist/src/cli/index.js "$@"; }
affinity migrate
affinity seed movielens
# The start path trains the GAT alone (a few minutes); `affinity train` prints the full baseline table.
affinity train --if-missing --baselines none
affinity segment --if-missing
# Two demo partners sharing overlapping MovieLens members; serve --demo-key prints a partner key and a curl.
affinity partners demo
# The serving V8 flags (src/cli/server-heap-flags.ts: fewer young-generation pauses under load) must
# be on the command line; read from the one list `serve --workers` also gives its workers.
read -r -a heap_flags <<< "$(node -p "require('./dist/src/cli/server-heap-flags').SERVER_HEAP_FLAGS.join(' ')")"
exec node "${heap_flags[@]}" dist/src/cli/index.js serve --demo-key
