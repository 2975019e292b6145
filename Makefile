# Two commands set up a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
ARGS ?=
PORT ?= 8000

.PHONY: run serve superuser import test test-postgres lint fmt demo bench lighthouse screenshots clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11+ not found: install it or set PYTHON=/path/to/python3.11"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "$(PYTHON) is older than 3.11"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e ".[dev]"
	touch $@

# The c3voc video team's schedule library reads our schedule.json in a test, as an
# independent consumer. It pins icalendar<6 and lxml<5, so it gets a virtualenv of its own.
VOC_VENV := .venv-voc
$(VOC_VENV)/.installed:
	test -x $(VOC_VENV)/bin/python || $(PYTHON) -m venv $(VOC_VENV)
	$(VOC_VENV)/bin/pip install --quiet "c3voc-schedule-tools==1.1.0"
	touch $@

## Runs the app on SQLite with the seed data, at http://127.0.0.1:8000/ (PORT=… for another)
run: $(VENV)/.installed demo
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

## Creates an admin account on the local SQLite database
superuser: $(VENV)/.installed
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py createsuperuser

## Imports a schedule file: make import FILE=path/to/schedule.xml [EVENT=slug]
import: $(VENV)/.installed
	@test -n "$(FILE)" || { echo "usage: make import FILE=path/to/schedule.xml [EVENT=slug]"; exit 1; }
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py import_schedule "$(FILE)" $(if $(EVENT),--event "$(EVENT)")

$(VENV)/.installed-serve: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e ".[serve,postgres,redis]"
	touch $@

## Production-style: gunicorn (WEB_CONCURRENCY workers), DEBUG off; needs DJANGO_SECRET_KEY and
## DJANGO_ALLOWED_HOSTS (and DATABASE_URL, CACHE_URL for PostgreSQL and Redis). See README.
serve: $(VENV)/.installed-serve
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py schedule.project.wsgi:application

demo: $(VENV)/.installed
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py loaddata demo

## Runs every test on every core (browser tests need /usr/bin/chromium; skipped loudly without
## it, fatal on CI). One process: make test JOBS=0; one file: make test ARGS=tests/...
JOBS ?= auto
test: $(VENV)/.installed-dev $(VOC_VENV)/.installed
	$(PY) -m pytest -n $(JOBS) $(ARGS)

## The same suite against PostgreSQL (DATABASE_URL defaults to the local server)
test-postgres: $(VENV)/.installed-dev $(VOC_VENV)/.installed
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(PY) -m pytest -n $(JOBS) $(ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	PYTHONPATH=. $(VENV)/bin/lint-imports

fmt: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

## Lighthouse (npm, pinned; 13.x needs Node 22) on seven FOSDEM 2025 pages, served by gunicorn
## with DEBUG off; writes bench/lighthouse.md (not part of make test). Needs node/npm and
## /usr/bin/chromium (CHROME_PATH=… for another); reports in bench/lighthouse-reports/.
## Another version: make lighthouse LIGHTHOUSE_VERSION=x.y.z (installed beside, in .lighthouse/).
LIGHTHOUSE_VERSION ?= 12.2.3
LIGHTHOUSE_DIR := .lighthouse/$(LIGHTHOUSE_VERSION)
lighthouse: $(VENV)/.installed-serve
	@command -v npm >/dev/null || { echo "npm not found: install Node.js 18.20+ and npm"; exit 1; }
	@test "$$(node -p 'require("./$(LIGHTHOUSE_DIR)/node_modules/lighthouse/package.json").version' 2>/dev/null)" = "$(LIGHTHOUSE_VERSION)" \
		|| npm install --no-save --save-exact --no-audit --no-fund --prefix $(LIGHTHOUSE_DIR) lighthouse@$(LIGHTHOUSE_VERSION)
	LIGHTHOUSE=$(LIGHTHOUSE_DIR)/node_modules/.bin/lighthouse $(PY) bench/lighthouse.py $(ARGS)

## Retakes the README's screenshots (docs/screenshots/) with the browser tests
screenshots: $(VENV)/.installed-dev
	UPDATE_SCREENSHOTS=1 $(PY) -m pytest tests/browser

## Measures FOSDEM 2025 in-process and under load; writes bench/results.md (not part of make test)
bench: $(VENV)/.installed-dev $(VENV)/.installed-serve
	$(PY) bench/run.py $(ARGS)

clean:
	rm -rf $(VENV) $(VOC_VENV) db.sqlite3 staticfiles
