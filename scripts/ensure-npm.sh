#!/bin/sh
# Node.js and npm are needed for two test-time assets (the verifier page's zxing-wasm, and the
# interoperability test against Digital Bazaar's libraries). Install Debian's when missing.
set -e
if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's nodejs and npm" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
else
  echo "node and npm are needed: run 'sudo apt-get install nodejs npm'" >&2
  exit 1
fi
