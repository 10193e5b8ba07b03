#!/bin/sh
# Fetch the WebAssembly build of ZXing-C++ (npm package zxing-wasm) that the verifier page uses
# to read QR codes from the camera. Served by the verifier itself, never from a CDN.
# Pinned version and sha256 of the npm tarball; the files land in verifier/static/vendor/zxing-wasm/
# (gitignored). Idempotent: does nothing when the pinned files are already in place.
set -eu
VERSION=3.1.6
SHA256=188321a7680275ce7ab73c7c13fac9f6c4181b5da7ed65af64ba34d1fd416ea5
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST="$ROOT/verifier/static/vendor/zxing-wasm"

if [ -f "$DEST/VERSION" ] && [ "$(cat "$DEST/VERSION")" = "$VERSION $SHA256" ] \
   && [ -f "$DEST/zxing_reader.wasm" ] && [ -f "$DEST/zxing-reader.iife.js" ]; then
  exit 0
fi
sh "$ROOT/scripts/ensure-npm.sh"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
(cd "$TMP" && npm pack --silent "zxing-wasm@$VERSION" >/dev/null)
TARBALL="$TMP/zxing-wasm-$VERSION.tgz"
echo "$SHA256  $TARBALL" | sha256sum -c - >/dev/null || {
  echo "fetch-zxing-wasm: sha256 mismatch for zxing-wasm@$VERSION, refusing it" >&2; exit 1; }
tar -xzf "$TARBALL" -C "$TMP"
mkdir -p "$DEST"
cp "$TMP/package/dist/iife/reader/index.js" "$DEST/zxing-reader.iife.js"
cp "$TMP/package/dist/reader/zxing_reader.wasm" "$DEST/zxing_reader.wasm"
cp "$TMP/package/LICENSE" "$DEST/LICENSE"
echo "$VERSION $SHA256" > "$DEST/VERSION"
echo "zxing-wasm $VERSION installed in $DEST"
