# `make run` and `make test` work on a fresh clone: each builds .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast lint docs bench bench-crawl clean system-deps

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
	$(BIN)/python tools/typecheck.py
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

# System packages some tests need: a CJK font for the plots' Chinese labels (fonts-noto-cjk) and a
# headless browser for the Datasette page test (chromium). Debian/Ubuntu; .ci/run calls it. Only what
# is missing is installed; without root (or sudo) it says what to install and stops.
SYSTEM_PACKAGES := fonts-noto-cjk chromium
system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	command -v apt-get >/dev/null || { echo "install these packages: $$missing" >&2; exit 1; }; \
	$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing

clean:
	rm -rf $(VENV) .pytest_cache
