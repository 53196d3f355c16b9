"""How the `studydeck` process runs, unlike studydeck used as a library (the tests, a notebook).

A command loads its libraries, does one piece of work and exits. Three things that pay off in a
long-lived program only cost it time:
- pydantic looks for plugins among every installed package's entry points;
- the cyclic garbage collector goes over everything the command has made (imported modules,
  models, the parsed deck) again and again: ~35 ms of a 0.5 s `validate`, 15 % of a 1,000-slide
  build, and it finds next to nothing (a build's peak memory is the same without it);
- at exit it goes over all of it once more (~60 ms), for memory the process gives back anyway.
`watch` and `preview` run until stopped, so they turn the collector back on.
"""

from __future__ import annotations

import gc
import os


def start_command() -> None:
    """Set the process up for one command: call before anything imports pydantic."""
    # pydantic reads it when it builds a model class; a user's own setting wins
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    gc.disable()


def keep_running() -> None:
    """Collect garbage again, for a command that runs until stopped (watch, preview).

    What the command made before this (its modules, the first build) is left out of every
    collection from now on: it lives as long as the process.
    """
    gc.freeze()
    gc.enable()


def end_command() -> None:
    """Keep the collection at interpreter shutdown from visiting every object still alive.

    Files are closed by the `with` blocks that opened them, not by the collector.
    """
    gc.freeze()
