# fagkonferanse — two commands on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTANCE ?= instance
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-postgres bench install install-test system-deps translations clean

# Install again only when the project definition changed (the stamp is newer otherwise).
$(BIN)/fagkonferanse: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

install: $(BIN)/fagkonferanse

$(VENV)/.test-deps: pyproject.toml $(BIN)/fagkonferanse
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# axe-core for the accessibility tests, pinned in package-lock.json (no browser download: the
# browser tests drive Debian's chromium through Playwright's Python package).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

install-test: $(VENV)/.test-deps system-deps node_modules/axe-core/axe.min.js

## System packages the tests use (poppler-utils for PDFs, chromium for browser tests).
system-deps:
	@sh scripts/system-deps.sh

## Set up, initialise the instance (never overwriting a database) and serve on http://$(HOST):$(PORT)
run: install
	$(BIN)/fagkonferanse --instance $(INSTANCE) setup
	$(BIN)/fagkonferanse --instance $(INSTANCE) serve --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/python -m pytest -n 2 -q

## The suite on PostgreSQL: FAGKONFERANSE_TEST_POSTGRES_URL names a server (.ci/run starts one).
test-postgres: install-test
	@test -n "$(FAGKONFERANSE_TEST_POSTGRES_URL)" || { echo "set FAGKONFERANSE_TEST_POSTGRES_URL (see .ci/run)"; exit 2; }
	FAGKONFERANSE_TEST_POSTGRES_URL=$(FAGKONFERANSE_TEST_POSTGRES_URL) $(BIN)/python -m pytest -n 2 -q

bench: install-test
	$(BIN)/python -m benchmarks

## Developers: extract, update and compile the message catalogues after changing UI text.
translations: install-test
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o src/fagkonferanse/translations/messages.pot --no-location --sort-output --no-wrap .
	$(BIN)/pybabel update -i src/fagkonferanse/translations/messages.pot -d src/fagkonferanse/translations --no-fuzzy-matching --no-wrap
	$(BIN)/pybabel compile -d src/fagkonferanse/translations

clean:
	rm -rf $(VENV) build dist .pytest_cache
