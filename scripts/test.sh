#!/usr/bin/env bash
# Runs the whole counterdesk test suite. On Debian/Ubuntu it first installs
# whatever the tests need that is missing (as root, or through sudo), and
# starts a CUPS scheduler with two PDF printers for the printing tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: a C compiler for the bundled SQLite,
# poppler and qpdf to read the slips, CUPS with a PDF printer to print them.
PACKAGES=(gcc libc6-dev poppler-utils qpdf cups cups-client printer-driver-cups-pdf)

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# The printing tests print to "counterdesk-pdf" (cups-pdf writes the result
# to ~/PDF) and expect "counterdesk-stopped" to be a stopped printer.
if command -v cupsd >/dev/null 2>&1; then
  lpstat -r 2>/dev/null | grep -q "is running" || $SUDO cupsd || true
  for _ in $(seq 1 40); do lpstat -r 2>/dev/null | grep -q "is running" && break; sleep 0.25; done
  ppd=lsb/usr/cups-pdf/CUPS-PDF_noopt.ppd
  lpstat -p counterdesk-pdf >/dev/null 2>&1 || $SUDO lpadmin -p counterdesk-pdf -v cups-pdf:/ -m "$ppd" -E 2>/dev/null || echo "warning: could not add a CUPS printer; the printing tests will say so"
  lpstat -p counterdesk-stopped >/dev/null 2>&1 || $SUDO lpadmin -p counterdesk-stopped -v cups-pdf:/ -m "$ppd" -E 2>/dev/null || echo "warning: could not add a CUPS printer; the printing tests will say so"
  $SUDO cupsdisable counterdesk-stopped || true
fi

cargo test --locked --all-targets "$@"
