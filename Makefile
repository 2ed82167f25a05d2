# Two commands on a fresh machine: `make run` and `make test`. Everything else is optional.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
BENCH_N ?= 10000

.PHONY: run stop test bootstrap db data lint format migrations-check eval bench bench-full ci clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

bootstrap: $(VENV)/.installed

db: bootstrap
	$(PY) manage.py migrate --noinput

data: db
	$(PY) manage.py load_gazetteer
	$(PY) manage.py load_demo
	$(PY) manage.py search_index rebuild

run: data
	@echo "newsarchive: http://127.0.0.1:$(PORT)/  (editors: /admin/; see README for an account)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Stops the embedded PostgreSQL (a server at DATABASE_URL is not ours to stop).
stop: bootstrap
	$(PY) -m newsarchive.embedded_db stop

# A new test database every time: a reused one may hold what an interrupted run committed
# (pytest alone keeps --reuse-db from pyproject.toml, for quick runs while working).
test: bootstrap
	$(PY) -m pytest --create-db

lint: bootstrap
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: bootstrap
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: bootstrap
	$(PY) manage.py makemigrations --check --dry-run

eval: bootstrap
	$(PY) -m bench.eval_extraction
	$(PY) -m bench.eval_tagging
	$(PY) -m bench.eval_fakes
	$(PY) -m bench.eval_stories

bench: data
	$(PY) bench/run.py --articles $(BENCH_N)

bench-full: data
	$(PY) bench/run.py --articles 1000000

# Ingestion speed (bench/ingest.py): 10,000 HTML and 10,000 text files, read, parsed and
# tagged, then saved into a scratch database newsarchive_bench_ingest on the same server.
.PHONY: bench-ingest
bench-ingest: bootstrap
	$(PY) -m bench.ingest --full --files $${INGEST_FILES:-10000} --save-files $${INGEST_SAVE_FILES:-10000}

ci: lint migrations-check test

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
