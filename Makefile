# Two commands set everything up on a fresh Debian machine: `make deck` and `make test`.
# `make deck` installs only what a build needs; `make test` adds the development tools.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: deck test lint typecheck unit system-deps test-deps bench update-golden schemas notes-templates clean

deck: $(STAMP) system-deps
	$(BIN)/studydeck build

test: $(DEV_STAMP) test-deps lint typecheck unit

lint: $(DEV_STAMP)
	$(BIN)/ruff check studydeck tests cli.py benchmarks

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

unit: $(DEV_STAMP) test-deps
	$(BIN)/pytest

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "studydeck needs Python 3.11 or newer (set PYTHON=python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(DEV_STAMP)

# The JSON Schemas made from the models: shipped in the package, and in schemas/ for this repo.
schemas: $(STAMP)
	$(BIN)/python -m studydeck.project.json_schema studydeck/schemas schemas

# The Python of studydeck's own notes templates, compiled ahead (shipped beside them): after
# editing studydeck/templates/notes/ (until then, an edited template is compiled on every run).
notes-templates: $(STAMP)
	$(BIN)/python -m studydeck.notes.compiled

# Re-render the visual-regression references (tests/golden/) and the expected error messages
# (tests/fixtures/invalid/*/expected.txt) after a change meant to show.
update-golden: $(DEV_STAMP) test-deps
	STUDYDECK_UPDATE_GOLDEN=1 $(BIN)/pytest tests/test_visual.py tests/test_errors.py

system-deps:
	@scripts/system-deps.sh

test-deps:
	@scripts/system-deps.sh --test

# Every performance figure next to its target (benchmarks/README.md); takes several minutes.
bench: $(DEV_STAMP) system-deps
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf output .pytest_cache .mypy_cache .ruff_cache
