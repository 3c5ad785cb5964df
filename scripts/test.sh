#!/usr/bin/env bash
# Runs the whole counterdesk test suite. On Debian/Ubuntu it first installs
# whatever the tests need that is missing (as root, or through sudo), and
# starts a CUPS scheduler with two PDF printers for the printing tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: a C compiler for the bundled SQLite,
# poppler and qpdf to read the slips, CUPS with a PDF printer to print them,
# PostgreSQL for the HQ store, chromium to look at HQ's status page; for the
# package: dpkg-dev (cargo-deb's dpkg-shlibdeps), lintian, man-db, systemd
# (systemd-analyze verify for the units) and util-linux (unshare, for a
# full backup disk of a test's own); sqlite3 for the backup benchmark's
# reference `.backup`.
PACKAGES=(gcc libc6-dev poppler-utils qpdf cups cups-client printer-driver-cups-pdf
          postgresql chromium dpkg-dev lintian man-db systemd util-linux sqlite3)

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

# A PostgreSQL server of the tests' own: initdb and pg_ctl as the postgres
# user (initdb refuses root), socket in its own folder, loopback port 54329.
# The HQ tests create a fresh database per test on it.
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -n "$PGBIN" ]; then
  PGROOT=/tmp/counterdesk-test-pg
  PGPORT=54329
  if ! $SUDO runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGROOT/data" status >/dev/null 2>&1; then
    if [ ! -f "$PGROOT/data/PG_VERSION" ]; then
      $SUDO rm -rf "$PGROOT"
      $SUDO mkdir -p "$PGROOT"
      $SUDO chown postgres "$PGROOT"
      $SUDO runuser -u postgres -- "$PGBIN/initdb" -D "$PGROOT/data" -A trust -U postgres >/dev/null
    fi
    $SUDO runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/log" -w \
      -o "-k $PGROOT -p $PGPORT -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
  fi
  export COUNTERDESK_TEST_PG="postgres://postgres@127.0.0.1:$PGPORT/postgres"
fi

# Every log line the suite writes is collected here and checked after.
rm -rf target/tmp/test-logs
cargo test --locked --all-targets "$@"

# The whole run (no filter given) also checks every log line the suite
# wrote for personal data, and builds the Debian package, lints, installs,
# runs, removes and purges it.
if [ $# -eq 0 ]; then
  ./scripts/check-logs.sh target/tmp/test-logs
  ./scripts/package.sh
  $SUDO ./scripts/package-test.sh
fi
