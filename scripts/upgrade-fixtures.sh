#!/usr/bin/env bash
# Makes tests/fixtures/schema/NNNN.db: one database per released schema
# version, written by the program as it was when that version came in. For
# each commit that added a migration, the program of that commit is built
# from the repository's own history and its demo commands fill a new
# database (demo clerks, customers, and applications where that version
# could make them). The upgrade tests open every one with today's program.
#
#   scripts/upgrade-fixtures.sh            every version not yet made
#   scripts/upgrade-fixtures.sh 0007       that version again
#
# Run it after adding a migration and commit the new file with it.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
out="$repo/tests/fixtures/schema"
work=${FIXTURE_WORK:-/tmp/counterdesk-fixtures}
mkdir -p "$out" "$work"
export CARGO_TARGET_DIR="$work/target"
# Debug builds without debug info: these binaries run once.
export CARGO_PROFILE_DEV_DEBUG=0

for commit in $(git log --reverse --format=%H --diff-filter=A -- migrations/); do
  version=$(git show --format= --name-only --diff-filter=A "$commit" -- migrations/ |
    sed -n 's|^migrations/\([0-9]\{4\}\)_.*|\1|p' | sort | tail -1)
  [ -n "$version" ] || continue
  if [ $# -gt 0 ] && [ "$1" != "$version" ]; then continue; fi
  if [ $# -eq 0 ] && [ -f "$out/$version.db" ]; then continue; fi
  echo "== schema $version (commit ${commit:0:7})"
  tree="$work/tree"
  git worktree remove --force "$tree" 2>/dev/null || rm -rf "$tree"
  git worktree add --detach "$tree" "$commit" >/dev/null
  (cd "$tree" && cargo build --locked --quiet --bin counterdesk)
  home="$work/home"
  rm -rf "$home" && mkdir -p "$home"
  db="$home/fixture.db"
  run() { (cd "$tree" && HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
      "$CARGO_TARGET_DIR/debug/counterdesk" --db "$db" --lang en "$@"); }
  # Later programs create a database only with init (the oldest have none).
  run init >/dev/null 2>&1 || true
  # The oldest programs have no --applications; they made customers only.
  run demo-data --customers 40 --applications 12 --seed 7 >/dev/null 2>&1 ||
    run demo-data --customers 40 --seed 7 >/dev/null
  test -f "$db"
  # SQLite's own copy takes in anything still in the write-ahead log.
  got=$(python3 - "$db" "$out/$version.db" <<'PY'
import sqlite3, sys
src = sqlite3.connect(sys.argv[1])
dst = sqlite3.connect(sys.argv[2])
src.backup(dst)
print(dst.execute("PRAGMA user_version").fetchone()[0])
PY
)
  [ "$((10#$version))" -eq "$got" ] || { echo "schema $version: the file says $got"; exit 1; }
  git worktree remove --force "$tree"
done
ls -l "$out"
