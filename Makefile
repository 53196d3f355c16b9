# Two commands set everything up on a fresh Debian machine: `make deck` and `make test`.
# `make deck` installs only what a build needs; `make test` adds the development tools.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

# Interpreters `make smoke` installs the wheel on; empty: every Python 3.11+ found here.
SMOKE_PYTHONS ?=
# pytest on two workers (pytest-xdist); a test file stays on one worker, so its module fixtures
# (built decks, LibreOffice conversions) are made once. `make check PYTEST_WORKERS=0`: one process.
PYTEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

.PHONY: deck test check lint typecheck unit smoke system-deps test-deps bench update-golden schemas \
	notes-templates clean

deck: $(STAMP) system-deps
	$(BIN)/studydeck build

# Before a push, and in CI (.ci/run): every test (two workers) and, beside them (the workers
# often wait on LibreOffice), the wheel installed on each Python here. Under 6 minutes on 2 cores.
test: $(DEV_STAMP) test-deps lint typecheck
	@$(MAKE) --no-print-directory -j2 unit smoke

# Before every commit, in about a minute: the tests not marked slow (no LibreOffice, Chromium or
# installed wheel; tests/conftest.py fails a test that starts one of those without the mark).
check: $(DEV_STAMP) system-deps lint typecheck
	$(PYTEST) -m "not slow" --durations=15

lint: $(DEV_STAMP)
	$(BIN)/ruff check studydeck tests cli.py benchmarks

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

unit: $(DEV_STAMP) test-deps
	$(PYTEST) --durations=30

# The wheel built once (no warnings allowed), installed in a fresh venv outside the checkout for
# each interpreter, and used to build a new deck and the sample deck.
smoke: $(DEV_STAMP) system-deps
	BUILD_PYTHON=$(BIN)/python timeout --kill-after=10 900 scripts/smoke-installed.sh $(SMOKE_PYTHONS)

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
	$(BIN)/python -m studydeck.notes.precompile

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
