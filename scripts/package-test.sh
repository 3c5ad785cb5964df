#!/usr/bin/env bash
# Tests the Debian package as an administrator meets it: lintian finds no
# error, dpkg installs it, the installed program answers (--version, man,
# init, demo data, verify, backup, doctor), the service units pass
# systemd-analyze, then it is removed and purged and leaves nothing behind.
# Run as root (dpkg), after scripts/package.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

deb=$(ls -t target/debian/counterdesk_*.deb 2>/dev/null | head -1 || true)
[ -n "$deb" ] || { echo "no package: run scripts/package.sh first"; exit 1; }
version=$(dpkg-deb -f "$deb" Version)
fail() { echo "package test: $*"; exit 1; }

echo "== $deb ($(du -k "$deb" | cut -f1) KiB)"

# The package's own checks. Errors fail; warnings are printed for people.
lintian --tag-display-limit 0 --fail-on error "$deb" || fail "lintian found errors"

# What dpkg computed and what the package carries.
dpkg-deb -f "$deb" Depends | grep -q libc6 || fail "Depends has no libc6"
dpkg-deb -f "$deb" Recommends | grep -q cups-client || fail "Recommends has no cups-client"
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/counterdesk ./usr/share/man/man1/counterdesk.1.gz \
         ./usr/share/man/man1/counterdesk-backup.1.gz ./usr/share/man/man1/counterdesk-hq-serve.1.gz \
         ./usr/share/bash-completion/completions/counterdesk ./usr/share/zsh/vendor-completions/_counterdesk \
         ./usr/share/fish/vendor_completions.d/counterdesk.fish ./usr/share/applications/counterdesk.desktop \
         ./usr/share/doc/counterdesk/copyright ./usr/share/counterdesk/forms/lv_residential_new.toml \
         ./usr/share/counterdesk/forms/calendar/2026.toml ./lib/systemd/system/counterdesk-hq.service \
         ./lib/systemd/system/counterdesk-hall.service; do
  grep -q " $f\$" <<<"$contents" || fail "$f is not in the package"
done

dpkg -i "$deb"
getent passwd counterdesk >/dev/null || fail "no counterdesk system user"
[ "$(stat -c %U /var/lib/counterdesk/hq)" = counterdesk ] || fail "/var/lib/counterdesk/hq is not the service user's"

/usr/bin/counterdesk --version | grep -qx "counterdesk ${version%%-*}" || fail "--version: $(/usr/bin/counterdesk --version)"
page=$(MANPAGER=cat man counterdesk 2>&1) || fail "man counterdesk: $page"
grep -q "integrated clerk" <<<"$page" || fail "man counterdesk does not describe the program"
page=$(MANPAGER=cat man counterdesk-backup 2>&1) || fail "man counterdesk-backup: $page"
grep -q "sha256" <<<"$page" || fail "man counterdesk-backup does not describe the command"
grep -q "OFL-1.1" /usr/share/doc/counterdesk/copyright || fail "the font's licence is not in the copyright file"

# A demo counter run from the installed binary.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
run() { HOME="$home" /usr/bin/counterdesk --lang en --db "$home/counter.db" "$@"; }
(cd "$home" && run init) | grep -q "ready" || fail "init"
(cd "$home" && run demo-data --customers 50 --applications 10) >/dev/null || fail "demo-data"
(cd "$home" && run verify) || fail "verify"
(cd "$home" && run backup) | grep -q "integrity check passed" || fail "backup"
# The doctor's lines for what this demo counter has; its exit code also
# reflects the calendar's coming year and this machine's disks.
(cd "$home" && run doctor) >"$home/doctor.txt" || true
cat "$home/doctor.txt"
for line in "Business forms: 18, all in order" "quick check passed" "Audit chain:" \
            "Backups: the last good one was taken 0 hours ago" "Slip font: the built-in font loads"; do
  grep -F "[ ok ]" "$home/doctor.txt" | grep -qF "$line" || fail "doctor did not say: $line"
done

# The units, where systemd is there to judge them.
if command -v systemd-analyze >/dev/null 2>&1; then
  systemd-analyze verify /lib/systemd/system/counterdesk-hq.service \
    /lib/systemd/system/counterdesk-hall.service || fail "systemd-analyze verify"
fi

dpkg -r counterdesk
[ ! -e /usr/bin/counterdesk ] || fail "the binary is still there after removal"
[ -d /var/lib/counterdesk ] || fail "removal took the servers' data (only purge may)"
dpkg -P counterdesk
[ ! -e /var/lib/counterdesk ] || fail "purge left /var/lib/counterdesk"
dpkg -s counterdesk >/dev/null 2>&1 && fail "dpkg still knows the package"
echo "package test: ok ($deb, $(du -k "$deb" | cut -f1) KiB)"
