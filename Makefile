# fagkonferanse — two commands on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTANCE ?= instance
HOST ?= 127.0.0.1
PORT ?= 5000
# The exact versions the suite passed with: every install takes them (pip -c), so a clone made
# next year installs what was tested, not whatever is newest then. `make lock` renews them.
LOCK := requirements.lock

.PHONY: run test test-postgres bench install install-test system-deps translations lock clean

# Install again only when the project definition or the lock changed (the stamp is newer otherwise).
$(BIN)/fagkonferanse: pyproject.toml $(LOCK)
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e .
	touch $@

install: $(BIN)/fagkonferanse

$(VENV)/.test-deps: pyproject.toml $(LOCK) $(BIN)/fagkonferanse
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[test]'
	touch $@

# The example third-party plugin, installed from its own folder as a user would install it (not
# editable: its package data is checked too), again whenever one of its files changed. Its tests
# run with the rest (pyproject.toml's testpaths), so the plugin contract is checked on every change.
KURSBEVIS := examples/fagkonferanse-kursbevis
$(VENV)/.kursbevis: $(shell find $(KURSBEVIS) -type f -not -path '*/__pycache__/*') $(VENV)/.test-deps
	$(BIN)/python -m pip install --quiet --no-deps --force-reinstall ./$(KURSBEVIS)
	touch $@

# axe-core for the accessibility tests, pinned in package-lock.json (no browser download: the
# browser tests drive Debian's chromium through Playwright's Python package).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

install-test: $(VENV)/.test-deps $(VENV)/.kursbevis system-deps node_modules/axe-core/axe.min.js

## System packages the tests use (poppler-utils for PDFs, chromium for browser tests, PostgreSQL and Redis for the two-server test).
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

## Maintainers: resolve pyproject.toml's ranges afresh (runtime and test) in a throwaway venv and
## pin the result; then run `make test` and commit requirements.lock with the change that needed it.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet '.[test]'
	{ echo "# The versions make run and make test install (pip install -c $(LOCK)): pyproject.toml's"; \
	  echo "# dependencies and test extra, resolved by make lock. Regenerate with make lock; do not edit."; \
	  .lock-venv/bin/python -m pip freeze --exclude fagkonferanse; } > $(LOCK).new
	mv $(LOCK).new $(LOCK)
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) build dist .pytest_cache .lock-venv
