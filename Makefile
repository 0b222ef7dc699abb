# SOCEX Hub. `make run` to try it, `make test` to prove it. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
DEMO_ENV := SOCEX_MODE=demo
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help setup run test test-sqlite test-postgres lint typecheck serve demo-data clean

help:
	@echo "make run   - set everything up and run the demo on http://$(HOST):$(PORT) (SQLite, demo data)"
	@echo "make test  - set everything up and run the whole suite on SQLite, then on PostgreSQL if installed"
	@echo "make lint  - ruff and mypy"
	@echo "make serve - run under gunicorn with production settings (needs DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS)"

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python.sh)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

socex/static/build/.built: node_modules/.installed frontend/scss/app.scss frontend/scss/_socex.scss scripts/build-assets.sh
	bash scripts/build-assets.sh
	@touch $@

setup: $(VENV)/.installed socex/static/build/.built
	@mkdir -p var

demo-data: setup
	$(DEMO_ENV) $(PY) manage.py migrate --no-input
	$(DEMO_ENV) $(PY) manage.py load_reference
	$(DEMO_ENV) $(PY) manage.py seed_demo

run: demo-data
	@$(DEMO_ENV) $(PY) manage.py seed_demo --sign-ins
	$(DEMO_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(MAKE) --no-print-directory test-sqlite
	bash scripts/test-postgres.sh

test-sqlite: setup
	SOCEX_MODE=test $(PY) -m pytest -q -n 2 --dist loadfile

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	SOCEX_MODE=test $(VENV)/bin/mypy config socex

serve: setup
	$(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input
	$(VENV)/bin/gunicorn config.wsgi:application --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3}

clean:
	rm -rf $(VENV) node_modules socex/static/build staticfiles var
