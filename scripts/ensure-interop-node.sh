#!/bin/sh
# The interoperability tests (tests/interop) run Digital Bazaar's JavaScript VC libraries and DIDKit
# (@learncard/didkit-plugin: Rust ssi as WebAssembly) under Node.js. DIDKit's types-only dependency
# @learncard/core is replaced by tests/interop/stubs/learncard-core (package.json "overrides"): the
# plugin's bundle never loads it. Installs the versions pinned in tests/interop/package-lock.json into
# tests/interop/node_modules with `npm ci` when they are missing or older than the lockfile.
# Idempotent and quiet; the lockfile carries integrity hashes, so npm checks what it installs.
set -e
dir="$(cd "$(dirname "$0")/../tests/interop" && pwd)"
stamp="$dir/node_modules/.package-lock.json"   # written by npm after a successful install
if [ -f "$stamp" ] && [ ! "$dir/package-lock.json" -nt "$stamp" ] && [ ! "$dir/package.json" -nt "$stamp" ]; then
  exit 0
fi
sh "$(dirname "$0")/ensure-npm.sh"
echo "installing the pinned Digital Bazaar libraries into tests/interop/node_modules" >&2
cd "$dir"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
