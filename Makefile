# The two commands of the README: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := DJANGO_DEBUG=1

.PHONY: run test bench bench-load venv venv-dev messages clean

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create a virtual environment. On Debian: apt-get install -y python3-venv"; exit 1; }
	@$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

venv: $(VENV)/.runtime
venv-dev: $(VENV)/.dev

run: venv
	@bash scripts/prereqs.sh run
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	@echo "Open http://127.0.0.1:8000/ and log in with one of the users above (Ctrl+C stops the server)."
	@# One background worker for every queue (large certificate batches first,
	@# long report PDFs and workbooks); it stops with the server.
	@$(DEV_ENV) $(BIN)/python manage.py db_worker --queue-name '*' --interval 1 --no-reload --verbosity 0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: venv-dev
	@bash scripts/test.sh

# On demand, not part of `make test`: figures go into docs/performance.md.
# The report bench's scale (nation: one year of 76.492 classes, the year before
# at province scale; `province` or `centre` for a trial) and the load's length.
BENCH_SCALE ?= nation
BENCH_HISTORY_SCALE ?= province
BENCH_LOAD_SCALE ?= province
BENCH_DURATION ?= 10m
# How many load runs `make bench` ends with (the load goal's record is 3).
BENCH_LOAD_RUNS ?= 1
# Every bench runs even when one misses its goal; the exit status says so.
bench: venv-dev
	@bash scripts/prereqs.sh test
	@$(BIN)/pip install -q -r requirements-bench.txt
	@started=$$(date +%s); failed=0; \
	bash scripts/with-postgres.sh $(BIN)/python bench/import_bench.py || failed=1; \
	bash scripts/with-postgres.sh $(BIN)/python bench/certificates_bench.py || failed=1; \
	BENCH_SCALE=$(BENCH_SCALE) BENCH_HISTORY_SCALE=$(BENCH_HISTORY_SCALE) \
	  bash scripts/with-postgres.sh $(BIN)/python bench/report_bench.py || failed=1; \
	for run in $$(seq $(BENCH_LOAD_RUNS)); do \
	  echo "== load run $$run of $(BENCH_LOAD_RUNS) =="; \
	  BENCH_SCALE=$(BENCH_LOAD_SCALE) BENCH_DURATION=$(BENCH_DURATION) \
	  bash scripts/with-postgres.sh $(BIN)/python bench/load_bench.py || failed=1; \
	done; \
	echo "make bench: $$(( ($$(date +%s) - started) / 60 )) min"; exit $$failed

# The load goal's record: three load runs in a row, each on a fresh database
# (about 12 minutes each); run it on a quiet machine (load average < 1).
bench-load: venv-dev
	@bash scripts/prereqs.sh test
	@$(BIN)/pip install -q -r requirements-bench.txt
	@failed=0; for run in 1 2 3; do echo "== load run $$run of 3 =="; \
	  BENCH_SCALE=$(BENCH_LOAD_SCALE) BENCH_DURATION=$(BENCH_DURATION) \
	  bash scripts/with-postgres.sh $(BIN)/python bench/load_bench.py || failed=1; \
	done; exit $$failed

# Developers only (needs gettext): refresh locale/ after changing texts.
messages: venv-dev
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l vi --no-obsolete --no-location
	$(DEV_ENV) $(BIN)/python manage.py compilemessages -l vi --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* test-db.sqlite3* test-artifacts staticfiles
