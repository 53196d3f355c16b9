#!/usr/bin/env bash
# Install the wheel as a user would and build with it, once per Python interpreter.
#
#   scripts/smoke-installed.sh [PYTHON...]
#
# Builds the sdist and, from it, the wheel once (failing on any warning the build prints), then for
# each PYTHON makes a venv outside the checkout, installs the wheel there (dependencies from the
# package index), and runs `studydeck new deck` + `studydeck build` and a build of a copy of the
# sample deck, checking that each wrote its .pptx. Without arguments it takes every Python from
# 3.11 on that this machine has (on PATH, or installed by pyenv). Every step has a time limit.
# BUILD_PYTHON (default: the checkout's .venv) builds the wheel; it needs the `build` package.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
builder="${BUILD_PYTHON:-$repo/.venv/bin/python}"
minors=(11 12 13 14)  # the Python 3 versions looked for: requires-python's and the next
pip_limit=600      # seconds for one `pip install` (it may download the dependencies)
command_limit=300  # seconds for one studydeck command
work=""            # the temporary folder of this run, removed at exit

# Give the path of each Python 3.11, 3.12, ... that runs here, one a line.
available_pythons() {
    local minor candidate
    for minor in "${minors[@]}"; do
        for candidate in "$(command -v "python3.$minor" || true)" "$(pyenv_python "3.$minor")"; do
            # a pyenv shim of a version pyenv has not selected is on PATH but does not run
            if [[ -n "$candidate" ]] \
                && "$candidate" -c 'import sys; print(sys.executable)' 2>/dev/null; then
                break
            fi
        done
    done
}

# Give pyenv's newest interpreter of one minor version, if pyenv has one.
pyenv_python() {
    local version="$1"
    find "${PYENV_ROOT:-$HOME/.pyenv}/versions" -maxdepth 3 \
        -path "*/versions/$version.*/bin/python$version" 2>/dev/null | sort -V | tail -n 1
}

# Run a command with a time limit, as a user of the venv would (nothing of the checkout's
# Python); its output is shown only when it fails.
bounded() {
    local limit="$1" log="$work/step.log"
    shift
    if ! env -u PYTHONPATH -u PYTHONHOME -u VIRTUAL_ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
        timeout --kill-after=10 "$limit" "$@" >"$log" 2>&1; then
        cat "$log" >&2
        echo "smoke: failed (or ran over ${limit} s) in $PWD: $*" >&2
        return 1
    fi
}

# Build the sdist and the wheel from it into $1; fail on a warning. Give the wheel's path.
build_wheel() {
    local dist="$1" log="$1/build.log"
    mkdir -p "$dist"
    # PYTHONDONTWRITEBYTECODE only makes setuptools warn that it skips byte-compiling
    if ! env -u PYTHONDONTWRITEBYTECODE timeout --kill-after=10 "$pip_limit" \
        "$builder" -m build --outdir "$dist" "$repo" >"$log" 2>&1; then
        cat "$log" >&2
        echo "smoke: building the wheel failed" >&2
        return 1
    fi
    if grep -E -n -A 8 '^(WARNING|warning:)|Warning: ' "$log" >&2; then
        echo "smoke: building the wheel printed the warnings above" >&2
        return 1
    fi
    ls "$dist"/studydeck-*.whl
}

# Install the wheel with one interpreter and build the starter deck and the sample deck.
smoke_one() {
    local python="$1" wheel="$2"
    local version venv place
    version="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    venv="$work/venv-$version"
    place="$work/use-$version"
    echo "smoke: Python $version ($python)"
    bounded "$command_limit" "$python" -m venv "$venv"
    bounded "$pip_limit" "$venv/bin/python" -m pip install --quiet "$wheel"
    mkdir -p "$place/sample"
    (
        cd "$place"
        export XDG_CACHE_HOME="$place/cache"  # a first run's caches, not the user's
        bounded "$command_limit" "$venv/bin/studydeck" new deck deck
        cd deck && bounded "$command_limit" "$venv/bin/studydeck" build
    )
    cp -R "$repo/deck.yaml" "$repo/chapters" "$repo/diagrams" "$repo/templates" "$place/sample/"
    (
        cd "$place/sample"
        export XDG_CACHE_HOME="$place/cache"
        bounded "$command_limit" "$venv/bin/studydeck" build
    )
    for deck in "$place/deck/output/deck.pptx" "$place/sample/output/deck.pptx"; do
        if [[ ! -s "$deck" ]]; then
            echo "smoke: Python $version wrote no $deck" >&2
            return 1
        fi
    done
    echo "smoke: Python $version installed the wheel and built both decks"
}

main() {
    local pythons=("$@") wheel python
    if [[ ${#pythons[@]} -eq 0 ]]; then
        mapfile -t pythons < <(available_pythons)
    fi
    if [[ ${#pythons[@]} -eq 0 ]]; then
        echo "smoke: no Python 3.11 or newer found" >&2
        return 1
    fi
    work="$(mktemp -d "${TMPDIR:-/tmp}/studydeck-smoke.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    wheel="$(build_wheel "$work/dist")"
    echo "smoke: built $(basename "$wheel") without warnings"
    for python in "${pythons[@]}"; do
        smoke_one "$python" "$wheel"
    done
}

main "$@"
