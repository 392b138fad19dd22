#!/usr/bin/env bash
# `make test`: lint, migrations, the whole suite on SQLite, then on PostgreSQL
# (a throwaway cluster unless DATABASE_URL is set), browser tests included.
# Outside CI a missing prerequisite is a visible skip; with CI=true, a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=tests.settings
ci=${CI:-}
bash scripts/prereqs.sh test

step() { printf '\n== %s\n' "$*"; }
missing() {
  if [ "$ci" = true ] || [ "$ci" = 1 ]; then
    echo "FAILED: $1 (CI=true: a missing prerequisite fails). Fix: $2"; exit 1
  fi
  echo "SKIPPED: $1. Fix: $2"
}

step "ruff"
$BIN/ruff check . || exit 1
$BIN/ruff format --check . || exit 1

step "migrations and system checks"
env -u DATABASE_URL $BIN/python manage.py makemigrations --check --dry-run || exit 1
env -u DATABASE_URL $BIN/python manage.py check --fail-level WARNING || exit 1

step "tests on SQLite"
env -u DATABASE_URL $BIN/pytest || exit 1

step "tests on PostgreSQL"
if [ -n "${DATABASE_URL:-}" ]; then
  $BIN/pytest || exit 1
  exit 0
fi
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pgbin" ]; then
  missing "PostgreSQL pass: no initdb/pg_ctl found" "sudo apt-get install -y postgresql"
  exit 0
fi
tmp=$(mktemp -d)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$tmp"
port=$($BIN/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop_pg() { as_pg "$pgbin/pg_ctl" -D "$tmp/data" -m fast -w stop >/dev/null 2>&1; rm -rf "$tmp"; }
trap stop_pg EXIT
as_pg "$pgbin/initdb" -D "$tmp/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null || exit 1
as_pg "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -o \
  "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$tmp/server.log"; exit 1; }
echo "throwaway PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres" $BIN/pytest
