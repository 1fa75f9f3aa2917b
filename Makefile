# Two commands on a fresh machine: `make` builds the example briefings, `make test` runs the tests.
# Both install reportgen into .venv at the exact versions in requirements.lock (tested together);
# `make lock` refreshes that file from pyproject.toml's ranges.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements.lock
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
UV_VERSION := 0.13.9
# The newest versions pyproject.toml allows, for `make test-latest` (CI runs it after the locked suite).
LATEST := .venv-latest

.PHONY: all build check test test-all test-latest lint lock clean bench golden docs

all: build

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet --constraint $(LOCK) -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet --constraint $(LOCK) -e '.[test]'
	touch $@ $(STAMP)

# Incremental: only outputs whose inputs changed are rebuilt (`reportgen build -n` says why).
build: $(STAMP)
	$(BIN)/reportgen build

check: $(STAMP)
	$(BIN)/reportgen check

# The documentation site (docs/, MkDocs with the Material theme) into site/; `.venv/bin/mkdocs
# serve` shows it while you edit. The configuration and command-line references are generated
# from the code at every build.
docs: $(TEST_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# Some machines set PYTHONDONTWRITEBYTECODE: every test run would then compile reportgen and
# rewrite every test module's asserts again (a few seconds per test process). __pycache__ is
# ignored by git.
unexport PYTHONDONTWRITEBYTECODE

# Quick loop: slow tests are skipped. CI (CI=true) runs everything. Both use every core and
# print the 15 slowest tests.
PYTEST := pytest -n auto --dist worksteal --durations=15
test: $(TEST_STAMP)
	$(BIN)/ruff check reportgen tests benchmarks
	if [ "$$CI" = "true" ]; then $(BIN)/$(PYTEST) -m '' ; else $(BIN)/$(PYTEST) ; fi

test-all: $(TEST_STAMP)
	$(BIN)/$(PYTEST) -m ''

# The quick suite on the newest versions pyproject.toml's ranges allow: upstream breakage shows
# the day it is released, not the day the lock is refreshed.
test-latest:
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/pip install --quiet --upgrade pip
	$(LATEST)/bin/pip install --quiet --upgrade --upgrade-strategy eager -e '.[test]'
	$(LATEST)/bin/pip freeze --exclude-editable > $(LATEST)/versions.txt
	$(LATEST)/bin/$(PYTEST)

# Re-resolve requirements.lock from pyproject.toml (newest versions in its ranges); then run
# `make test` and commit both files.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet 'uv==$(UV_VERSION)'
	$(BIN)/uv pip compile pyproject.toml --extra test --extra bench --universal --python-version 3.11 \
		--upgrade --quiet -o $(LOCK)

# Regenerate the expected briefings after an intended theme change; review the diff.
golden: $(TEST_STAMP)
	UPDATE_GOLDEN=1 $(BIN)/pytest tests/end_to_end/test_golden.py

bench: $(TEST_STAMP)
	$(BIN)/pip install --quiet --constraint $(LOCK) -e '.[test,bench]'
	$(BIN)/python benchmarks/bench_peers.py
	$(BIN)/python benchmarks/bench_loader.py
	$(BIN)/python benchmarks/bench_pdf.py
	$(BIN)/python benchmarks/bench_build.py

# Removes built outputs and the build state; keeps the mail send logs and issue manifests.
clean: $(STAMP)
	$(BIN)/reportgen clean
