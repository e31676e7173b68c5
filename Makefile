# `make run` and `make test` work on a fresh clone: each builds .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast lint docs bench bench-crawl clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/govreports demo

test: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

# The inner loop: no slow, notebook or end-to-end tests, no lint (under a minute).
test-fast: $(BIN)/.installed
	$(BIN)/pytest -m "not slow and not notebook and not e2e" -x

# docs/cli.md from the commands' --help (tests/cli/test_docs.py fails when it is stale).
docs: $(BIN)/.installed
	$(BIN)/cog -r docs/cli.md

bench: $(BIN)/.installed
	$(BIN)/python benchmarks/parse_speed.py

bench-crawl: $(BIN)/.installed
	$(BIN)/python benchmarks/crawl_speed.py

clean:
	rm -rf $(VENV) .pytest_cache
