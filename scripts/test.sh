#!/usr/bin/env bash
# Runs the whole counterdesk test suite. On Debian/Ubuntu it first installs
# whatever the tests need that is missing (as root, or through sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: a C compiler for the bundled SQLite.
PACKAGES=(gcc libc6-dev)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

cargo test --locked --all-targets "$@"
