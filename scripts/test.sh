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

step "migration linter"
# Only our apps; migrations that landed before the linter are listed, with the
# reason, in MIGRATION_LINTER_OPTIONS (tests/settings.py). It reads the SQL of
# PostgreSQL, the engine whose locks matter in production: SQLite rebuilds a
# table for most changes, so it would flag safe ones (a NOT NULL column with a
# database default, metadata-only on PostgreSQL).
bash scripts/with-postgres.sh $BIN/python manage.py lintmigrations --quiet ok ignore
status=$?
if [ $status -eq 97 ]; then
  missing "migration linter: no initdb/pg_ctl found" "sudo apt-get install -y postgresql"
elif [ $status -ne 0 ]; then
  exit 1
fi

step "dependency audit"
# Known vulnerabilities in the pinned packages; needs PyPI's
# vulnerability data. No network, or no answer even for Django: a visible skip.
# requirements-dev.txt starts with `-r requirements.txt`: both sets at once.
audit_out=$(timeout 120 $BIN/pip-audit -r requirements-dev.txt --progress-spinner off 2>&1)
audit_status=$?
printf '%s\n' "$audit_out"
if printf '%s' "$audit_out" | grep -Eq 'Found [0-9]+ known vulnerabilit'; then
  if [ "$ci" = true ] || [ "$ci" = 1 ]; then
    echo "FAILED: dependency audit found known vulnerabilities (CI=true). Fix: bump the pins above to a fixed version"
    exit 1
  fi
  echo "WARNING: dependency audit found known vulnerabilities. Fix: bump the pins above to a fixed version"
elif [ $audit_status -eq 124 ] ||
  { [ $audit_status -ne 0 ] &&
    printf '%s' "$audit_out" | grep -Eqi 'connection|resolve|timed? ?out|proxy|network'; } ||
  printf '%s' "$audit_out" | grep -Eqi '^django +.*could not be audited'; then
  echo "SKIPPED: dependency audit (no network). Fix: run again with network"
elif [ $audit_status -ne 0 ]; then
  echo "FAILED: dependency audit (pip-audit exited $audit_status). Fix: see the output above"; exit 1
fi

# The two passes run at the same time on a machine with two cores or more:
# each is one Python process that spends much of its time waiting for its
# database, Chromium or LibreOffice, so together they take little more than
# the longer pass alone. Each line says its pass; both must pass. Screenshots
# and page images go to test-artifacts/<engine>/, so neither pass reads back
# the other's files.
run_pass() { # name, command…
  local name=$1
  shift
  "$@" 2>&1 | sed -u "s/^/[$name] /"
}
sqlite_pass() {
  run_pass sqlite env -u DATABASE_URL $BIN/pytest -o cache_dir=.pytest_cache/sqlite
}
postgres_pass() {
  run_pass postgresql bash scripts/with-postgres.sh \
    $BIN/pytest -o cache_dir=.pytest_cache/postgresql
}

if [ "$(nproc 2>/dev/null || echo 1)" -ge 2 ]; then
  step "tests on SQLite and on PostgreSQL, side by side"
  sqlite_pass &
  sqlite_job=$!
  postgres_pass
  pg_status=$?
  wait $sqlite_job
  sqlite_status=$?
else
  step "tests on SQLite"
  sqlite_pass
  sqlite_status=$?
  step "tests on PostgreSQL"
  postgres_pass
  pg_status=$?
fi

if [ $sqlite_status -ne 0 ]; then
  echo "FAILED: the SQLite pass (lines marked [sqlite] above)"
fi
if [ $pg_status -eq 97 ]; then
  missing "PostgreSQL pass: no initdb/pg_ctl found" "sudo apt-get install -y postgresql"
  pg_status=0
elif [ $pg_status -ne 0 ]; then
  echo "FAILED: the PostgreSQL pass (lines marked [postgresql] above)"
fi
[ $sqlite_status -eq 0 ] && [ $pg_status -eq 0 ]
