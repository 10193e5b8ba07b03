#!/bin/sh
# Browser tests drive Debian's chromium through Playwright (no browser download).
# Installs chromium when it is missing and this user may install packages.
set -e
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "chromium is not installed: run 'sudo apt-get install chromium' (browser tests need it)" >&2
  exit 1
fi
