#!/usr/bin/env bash
# Runs every check CI runs, on a throwaway PostgreSQL server that lives only as long as this
# script: ruff (lint and format), mypy, import-linter (layers), then pytest ("$@" goes to it).
#   bash scripts/test.sh                       # everything
#   bash scripts/test.sh -k migrations -x      # a selection (pytest options)
# Exits non-zero when any step fails; all steps run, so one run shows every failure.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

die() {
  printf 'test: LỖI / ERROR: %s\n' "$*" >&2
  exit 1
}

bash scripts/setup.sh --test
export PATH="$repo/.venv/bin:$PATH"

# --- a throwaway PostgreSQL server ---------------------------------------------------------
# Debian's binaries (highest version), run by an unprivileged user: the server refuses root.
# Loopback only, trust auth, socket in the temp dir; fsync off since the data is thrown away.

pg_bin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null |
  sort -V | tail -n 1)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  die "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)"
fi

pg_user="" # empty: this user runs the servers
if [ "$(id -u)" -eq 0 ]; then
  pg_user=postgres # created by Debian's postgresql package
  if ! id "$pg_user" >/dev/null 2>&1; then
    pg_user=pakn-pg
    id "$pg_user" >/dev/null 2>&1 ||
      useradd --system --no-create-home --shell /usr/sbin/nologin "$pg_user"
  fi
  pg_tmp=$(mktemp -d /tmp/pakn-pg.XXXXXX) # /tmp: a path the unprivileged user can reach
  chown "$pg_user" "$pg_tmp"
  # (from inside the temp dir: the user may not be allowed into the checkout's folder)
  as_pg() { (cd "$pg_tmp" && runuser -u "$pg_user" -- "$@"); }
else
  pg_tmp=$(mktemp -d "${TMPDIR:-/tmp}/pakn-pg.XXXXXX")
  as_pg() { "$@"; }
fi

pg_started=0
cleanup() {
  if [ "$pg_started" -eq 1 ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_tmp/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$pg_tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pg_port=$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_locale=C
if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then pg_locale=C.UTF-8; fi
as_pg "$pg_bin/initdb" -D "$pg_tmp/data" -U postgres -A trust -E UTF8 --locale="$pg_locale" \
  >"$pg_tmp/initdb.log" 2>&1 || { cat "$pg_tmp/initdb.log" >&2; die "initdb failed"; }
pg_started=1
as_pg "$pg_bin/pg_ctl" -D "$pg_tmp/data" -l "$pg_tmp/server.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $pg_port -k $pg_tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { tail -n 30 "$pg_tmp/server.log" >&2; die "PostgreSQL did not start"; }

export PAKN_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$pg_port/postgres"
export PAKN_REQUIRE_PG=1
# The failover test starts two servers of its own (tests/pg_cluster.py): the binaries, and
# the user they run as when the tests run as root.
export PAKN_TEST_PG_BIN="$pg_bin"
export PAKN_TEST_PG_RUNAS="$pg_user"
export PAKN_REQUIRE_XVFB=1 # the Xvfb test fails, not skips, when Xvfb is missing
printf 'test: PostgreSQL %s on 127.0.0.1:%s (data in %s)\n' \
  "$(basename "$(dirname "$pg_bin")")" "$pg_port" "$pg_tmp"

# --- the checks ----------------------------------------------------------------------------

failed=()
step() {
  local name=$1 rc=0 started=$SECONDS
  shift
  printf '\n== %s\n' "$name"
  "$@" || rc=$?
  printf '== %s: %s (%ss)\n' "$name" "$([ "$rc" -eq 0 ] && echo ok || echo "FAILED, exit $rc")" \
    "$((SECONDS - started))"
  [ "$rc" -eq 0 ] || failed+=("$name")
}

step "ruff check" ruff check .
step "ruff format" ruff format --check .
step "mypy" mypy
step "import-linter" lint-imports
# pytest's exit 5 (no tests collected) is non-zero too, so it counts as a failure.
step "pytest" pytest -ra "$@"

if [ ${#failed[@]} -gt 0 ]; then
  printf '\ntest: FAILED: %s\n' "${failed[*]}" >&2
  exit 1
fi
printf '\ntest: all checks passed (%ss)\n' "$SECONDS"
