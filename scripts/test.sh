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
bash scripts/with-postgres.sh $BIN/pytest
status=$?
if [ $status -eq 97 ]; then
  missing "PostgreSQL pass: no initdb/pg_ctl found" "sudo apt-get install -y postgresql"
  exit 0
fi
exit $status
