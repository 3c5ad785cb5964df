#!/usr/bin/env bash
# Reads every log line the test suite wrote (at every level: the tests log
# at TRACE) and fails on personal data: an ID number, a mobile phone, a demo
# password, a bearer token. The demo data's numbers are random, so IDs and
# phones are found by their shape, not by a list.
#
#   scripts/check-logs.sh [DIR]      (default: target/tmp/test-logs)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-target/tmp/test-logs}
shopt -s nullglob
files=("$dir"/*.log*)
[ ${#files[@]} -gt 0 ] || { echo "check-logs: no logs in $dir: the suite wrote none"; exit 1; }
lines=$(cat "${files[@]}" | wc -l)
# The workstations the suite starts in pseudo-terminals log their start:
# none there means the logs were not collected at all.
grep -q "workstation started" "${files[@]}" || { echo "check-logs: no workstation logged in $dir: the logs were not collected"; exit 1; }

found=0
check() {
  local what=$1 pattern=$2 how=${3:--E}
  local hits
  hits=$(LC_ALL=C.UTF-8 grep "$how" -nH -- "$pattern" "${files[@]}" | head -5 || true)
  if [ -n "$hits" ]; then
    echo "check-logs: $what in the logs:"
    echo "$hits"
    found=1
  fi
}
# A resident ID (GB 11643): region, birth date, sequence, check digit.
check "an ID number" '(^|[^0-9])[1-9][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]([^0-9]|$)'
# A mainland mobile number.
check "a phone number" '(^|[^0-9])1[3-9][0-9]{9}([^0-9]|$)'
# The demo clerks' and the lab's people's passwords.
check "a password" 'counter1001|counter1002|manager2001|trainer3001|admin9001|trainer001|trainee101|trainee102'
check "a bearer token" '[Bb]earer [A-Za-z0-9]'
# Names and addresses: log lines are in English, so any Chinese text in
# one is a customer's or a clerk's name, an address or a message's words.
check "Chinese text (a name or an address)" '[\x{4e00}-\x{9fff}]' -P
check "a token value" 'token[=:] *"?[A-Za-z0-9_-]{16,}'
[ "$found" -eq 0 ] || exit 1
echo "check-logs: ${#files[@]} files, $lines lines, no personal data"
