# Two commands set everything up on a fresh Debian machine: `make deck` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: deck test lint typecheck unit system-deps test-deps bench update-golden clean

deck: $(STAMP) system-deps
	$(BIN)/python cli.py build

test: $(STAMP) test-deps lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check studydeck tests cli.py benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) test-deps
	$(BIN)/pytest

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "studydeck needs Python 3.11 or newer (set PYTHON=python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Re-render the visual-regression references (tests/golden/) and the expected error messages
# (tests/fixtures/invalid/*/expected.txt) after a change meant to show.
update-golden: $(STAMP) test-deps
	STUDYDECK_UPDATE_GOLDEN=1 $(BIN)/pytest tests/test_visual.py tests/test_errors.py

system-deps:
	@scripts/system-deps.sh

test-deps:
	@scripts/system-deps.sh --test

# Every performance figure next to its target (benchmarks/README.md); takes several minutes.
bench: $(STAMP) system-deps
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf output .pytest_cache .mypy_cache .ruff_cache
