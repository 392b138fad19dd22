#!/usr/bin/env bash
# The concurrent-writer tests on the SQLite default, on a busy machine: four
# processes burn CPU beside them (on two cores) while the eight certificate
# issuers and the eight enrolling clerks run RUNS times in a row (5). Exits 1
# if any run fails. Not part of `make test` (it takes a few minutes).
#   bash scripts/concurrency-under-load.sh [RUNS] [BURNERS]
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
burners=${2:-4}
pids=()
# A database file of its own: another test run in this checkout must not share it.
tmp=$(mktemp -d)
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done; rm -rf "$tmp"; }
trap stop EXIT
trap 'exit 130' INT TERM
for _ in $(seq "$burners"); do
  python3 -c 'while True: pass' &
  pids+=("$!")
done
echo "$burners CPU burners on $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
failed=0
for run in $(seq "$runs"); do
  started=$(date +%s)
  if DATABASE_URL="sqlite:///$tmp/db.sqlite3" DJANGO_SETTINGS_MODULE=tests.settings \
      .venv/bin/pytest -q -p no:cacheprovider \
      "tests/enrollment/test_certificates.py::test_eight_issuers_at_once_get_200_numbers_without_a_gap" \
      "tests/enrollment/test_concurrent_writers.py::test_eight_clerks_enrolling_at_once_all_succeed_and_counts_add_up" \
      >"$tmp/run-$run.log" 2>&1; then
    verdict=passed
  else
    verdict=FAILED
    failed=$((failed + 1))
  fi
  echo "run $run: $verdict in $(($(date +%s) - started)) s, load average $(cut -d' ' -f1 /proc/loadavg)"
  [ "$verdict" = passed ] || tail -n 30 "$tmp/run-$run.log"
done
echo "$((runs - failed)) of $runs runs passed"
[ "$failed" = 0 ]
