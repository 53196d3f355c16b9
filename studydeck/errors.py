"""One error type for problems in the user's files, and its formatter."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """A problem found in one of the user's files, with its place and a hint."""

    path: Path
    line: int
    column: int
    message: str
    hint: str = ""
    severity: str = "error"

    def format(self, root: Path | None = None) -> str:
        """Give the problem as `file:line:column: message (hint)`."""
        shown = self.path
        if root is not None:
            try:
                shown = self.path.resolve().relative_to(root.resolve())
            except ValueError:
                shown = self.path
        # one line per problem, as editors and grep read them: a title may hold line breaks
        message = self.message.replace("\r", "\\r").replace("\n", "\\n")
        text = f"{shown}:{self.line}:{self.column}: {self.severity}: {message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text


class DeckError(Exception):
    """Raised for bad input: carries every problem found, so they are reported together."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (str(p.path), p.line, p.column))
        super().__init__("\n".join(p.format() for p in self.problems))

    def __reduce__(self) -> tuple[type[DeckError], tuple[list[Problem]]]:
        return (DeckError, (self.problems,))  # survives the trip back from a worker process

    @classmethod
    def single(
        cls, path: Path, message: str, *, line: int = 1, column: int = 1, hint: str = ""
    ) -> DeckError:
        """Give an error holding one problem."""
        return cls([Problem(path, line, column, message, hint)])


class UsageMistake(Exception):
    """Raised for a command-line value that names nothing in the project (a usage error)."""

    def __init__(self, option: str, message: str, choices: list[str], what: str) -> None:
        self.option = option
        self.message = message
        self.choices = choices
        self.what = what  # what the choices are: "chapter ids", "diagrams"
        super().__init__(self.text())

    def text(self) -> str:
        """Give the message with the valid choices: "… (the chapter ids are: a, b)"."""
        listed = ", ".join(self.choices) if self.choices else "none"
        return f"{self.message} (the {self.what} are: {listed})"


class ToolMissingError(Exception):
    """Raised when an external program (Graphviz, LibreOffice) is not installed."""

    def __init__(self, tool: str, package: str) -> None:
        self.tool = tool
        self.package = package
        super().__init__(
            f"{tool} is not installed; install it with: sudo apt-get install {package}"
        )


class ToolFailedError(Exception):
    """Raised when an external program (LibreOffice, poppler) ran but did not do its job."""

    def __init__(self, message: str, hint: str = "") -> None:
        self.hint = hint
        super().__init__(f"{message}\n    hint: {hint}" if hint else message)
