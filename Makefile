# SOCEX Hub. `make run` to try it, `make test` to prove it. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
DEMO_ENV := SOCEX_MODE=demo
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers: the machines this runs on have two cores. `make test PYTEST_ARGS=-x` adds options.
# xdist's default distribution, not --dist loadfile: pytest-django orders transactional tests after
# the others and each worker runs its share in that order, so the flush after a transactional test
# never empties rows (data-migration roles, legal bases) that a later ordinary test relies on.
PYTEST_ARGS ?=
PYTEST := env SOCEX_MODE=test $(PY) -m pytest -q -n 2 $(PYTEST_ARGS)

.PHONY: help setup run test test-sqlite test-postgres lint typecheck serve demo-data clean

help:
	@echo "make run   - set everything up and run the demo on http://$(HOST):$(PORT) (SQLite, demo data)"
	@echo "make test  - set everything up and run the whole suite on SQLite, then on PostgreSQL if installed"
	@echo "make lint  - ruff (lint and format) and mypy"
	@echo "make serve - run under gunicorn with production settings (needs DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS)"

# Stamp files: each step runs again only when what it depends on changes. The virtual
# environment is (re)created when it is missing or was made with a Python older than 3.12.
$(VENV)/.installed: requirements.lock pyproject.toml
	@if ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  python=$$(scripts/find-python.sh) && echo "Creating $(VENV) with $$python" && rm -rf $(VENV) && "$$python" -m venv $(VENV); \
	fi
	$(PY) -m pip install -qq --disable-pip-version-check -r requirements.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

socex/static/build/.built: node_modules/.installed $(wildcard frontend/scss/*.scss) scripts/build-assets.sh
	bash scripts/build-assets.sh
	@touch $@

setup: $(VENV)/.installed socex/static/build/.built
	@mkdir -p var

demo-data: setup
	$(DEMO_ENV) $(PY) manage.py migrate --no-input
	$(DEMO_ENV) $(PY) manage.py load_reference
	$(DEMO_ENV) $(PY) manage.py seed_demo

# seed_demo ends by printing the demo sign-ins.
# A background-task worker runs beside the server (duplicate checks), and stops with it.
run: demo-data
	@echo
	@echo "SOCEX Hub (demo) is starting on http://$(HOST):$(PORT)/ - sign in with one of the accounts above. Ctrl+C stops it."
	@echo
	$(DEMO_ENV) $(PY) manage.py db_worker --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# Lint first (seconds), then the whole suite on SQLite, then again on PostgreSQL when a
# server is installed (REQUIRE_POSTGRES=1, as in CI, makes a missing server a failure).
test: setup
	$(VENV)/bin/ruff check .
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: setup
	@echo "== The whole suite on SQLite =="
	$(PYTEST)

test-postgres: setup
	@echo "== The whole suite on PostgreSQL =="
	bash scripts/test-postgres.sh $(PYTEST)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	SOCEX_MODE=test $(VENV)/bin/mypy config socex

typecheck: setup
	SOCEX_MODE=test $(VENV)/bin/mypy config socex

# Production: settings come from the environment (see README.md, "Production").
serve: setup
	SOCEX_MODE=production $(PY) manage.py check --deploy --fail-level WARNING
	SOCEX_MODE=production $(PY) manage.py migrate --no-input
	SOCEX_MODE=production $(PY) manage.py collectstatic --no-input
	SOCEX_MODE=production $(VENV)/bin/gunicorn config.wsgi:application --bind $(HOST):$(PORT) \
	  --workers $${WEB_CONCURRENCY:-3} --access-logfile -

clean:
	rm -rf $(VENV) node_modules socex/static/build staticfiles var
