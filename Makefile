# The verbs a newcomer needs: run, test, lint, bench.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The address in e-mails sent without a request (reminders, reports): where `make run` serves.
MAALBILDE_URL ?= http://$(HOST):$(PORT)
PG_URL ?= postgres://postgres@127.0.0.1:5432/maalbilde
# The tests and `make run` start several Python processes: compiled modules are kept between
# them even where the environment asks Python not to write them.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test test-sqlite test-postgres lint format messages install lock system-packages test-packages postgres bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Exactly the versions in the lock (made from pyproject.toml's ranges by `make lock`), so a
# new release of a dependency changes nothing until the lock is made again.
$(VENV)/.installed: pyproject.toml requirements/dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# Pin every dependency anew within pyproject.toml's ranges.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet 'pip-tools>=7.4,<8'
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --allow-unsafe --no-emit-index-url \
	  --no-emit-find-links --upgrade -o requirements/dev.lock pyproject.toml

install: system-packages $(VENV)/.installed

# Debian packages, installed only when missing: gettext for translations, Pango and a font
# for the PDF reports (WeasyPrint), and for the tests Debian's chromium (the browser tests
# never download one).
REPORT_PACKAGES := dpkg:libpango-1.0-0 dpkg:libpangoft2-1.0-0 dpkg:fonts-dejavu-core
system-packages:
	@$(call apt_ensure,msgfmt:gettext $(REPORT_PACKAGES))

test-packages:
	@$(call apt_ensure,msgfmt:gettext $(REPORT_PACKAGES) /usr/bin/chromium:chromium)

# Each pair is a command and the package that brings it, or "dpkg:" and a library package.
define apt_ensure
missing=""; for pair in $(1); do \
  if [ "$${pair%%:*}" = dpkg ]; then dpkg -s "$${pair#*:}" >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
  else command -v "$${pair%%:*}" >/dev/null || missing="$$missing $${pair#*:}"; fi; \
done; \
if [ -n "$$missing" ]; then \
  echo "Installing Debian packages:$$missing"; \
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
fi
endef

messages: install
	cd maalbilde && ../$(BIN)/maalbilde compilemessages --ignore '.venv' >/dev/null

run: messages
	$(BIN)/maalbilde migrate --noinput
	$(BIN)/maalbilde plan import plans/*.yaml
	$(BIN)/maalbilde funding import funding/*.yaml
	$(BIN)/maalbilde demo
	$(BIN)/maalbilde demo_login
	MAALBILDE_URL=$(MAALBILDE_URL) $(BIN)/maalbilde serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# PostgreSQL must be there; in CI a missing server fails the run rather than skipping its tests.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start || true
	@for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; \
	 echo "PostgreSQL is not reachable on 127.0.0.1:5432; the PostgreSQL tests cannot run." >&2; exit 1

# Tests run in two processes (one a core on the machines we run on); one that runs out of
# tests takes some of the other's. The demo data is built once a run and copied where needed.
# Their databases are made from the models (the migrations are checked apart: makemigrations
# --check, the upgrade test, and every command-line test that migrates a new database).
PYTEST := $(BIN)/pytest -q -n 2 --dist worksteal --nomigrations

test-sqlite: messages test-packages
	$(PYTEST)

test-postgres: messages test-packages postgres
	DATABASE_URL=$(PG_URL) $(PYTEST)

# The checks of the code run beside the SQLite pass, whose two processes leave a core idle
# at times (waiting for the browser or a command); each one's output is shown whole.
test: install test-packages
	$(MAKE) --no-print-directory -j 2 --output-sync=target lint test-sqlite
	$(MAKE) --no-print-directory test-postgres

# The pictures of the main pages in docs/screenshots/, taken by a browser test.
screenshots: messages test-packages
	MAALBILDE_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q tests/browser/test_screenshots.py

# Benchmarks (bench/README.md): minutes, not part of `make test`.
bench: messages postgres
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/status_bench.py
	$(BIN)/python bench/load_bench.py
	$(BIN)/python bench/load_bench.py --think 1
	$(BIN)/python bench/round_bench.py
	$(BIN)/python bench/release_bench.py
	$(BIN)/python bench/stray_quote_bench.py

clean:
	rm -rf $(VENV) var
