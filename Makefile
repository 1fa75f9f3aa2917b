# Two commands on a fresh machine: `make` builds the example briefings, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: all build check test test-all lint clean bench golden

all: build

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

# Incremental: only outputs whose inputs changed are rebuilt (`reportgen build -n` says why).
build: $(STAMP)
	$(BIN)/reportgen build

check: $(STAMP)
	$(BIN)/reportgen check

# Quick loop: slow tests are skipped. CI (CI=true) runs everything.
test: $(TEST_STAMP)
	$(BIN)/ruff check reportgen tests benchmarks
	if [ "$$CI" = "true" ]; then $(BIN)/pytest -m '' ; else $(BIN)/pytest ; fi

test-all: $(TEST_STAMP)
	$(BIN)/pytest -m ''

# Regenerate the expected briefings after an intended theme change; review the diff.
golden: $(TEST_STAMP)
	UPDATE_GOLDEN=1 $(BIN)/pytest tests/test_golden.py

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/bench_loader.py
	$(BIN)/python benchmarks/bench_pdf.py
	$(BIN)/python benchmarks/bench_build.py

# Removes built outputs and the build state; keeps the mail send logs and issue manifests.
clean: $(STAMP)
	$(BIN)/reportgen clean
