#!/usr/bin/env bash
# Builds the Debian package: target/debian/counterdesk_<version>_<arch>.deb.
# Installs cargo-deb from the crate registry when it is missing, writes the
# man pages, completions and copyright file from the program's own
# definitions, then runs cargo deb (which builds the release binary).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! cargo deb --version >/dev/null 2>&1; then
  cargo install cargo-deb --locked --version "^3"
fi
cargo run --locked --quiet --example package_assets -- target/package-assets
# A native package's changelog, compressed as Debian wants it (no name or
# time in the gzip header, so the package builds the same twice).
gzip -9n -c debian/changelog > target/package-assets/changelog.gz
cargo deb --locked "$@"
