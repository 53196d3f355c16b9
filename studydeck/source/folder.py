"""Where a deck project's files are: the root folder and paths confined to it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studydeck.errors import DeckError

DECK_FILE = "deck.yaml"


@dataclass(frozen=True)
class ProjectFolder:
    """The folders of one deck project."""

    root: Path

    @property
    def deck_file(self) -> Path:
        return self.root / DECK_FILE

    @property
    def chapters_dir(self) -> Path:
        return self.root / "chapters"

    @property
    def diagrams_dir(self) -> Path:
        return self.root / "diagrams"

    @property
    def notes_templates_dir(self) -> Path:
        return self.root / "templates" / "notes"

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    @property
    def diagram_output_dir(self) -> Path:
        return self.output_dir / "diagrams"

    @property
    def deck_output(self) -> Path:
        return self.output_dir / "deck.pptx"

    def chapter_output(self, chapter_id: str) -> Path:
        return self.output_dir / "chapters" / f"{chapter_id}.pptx"

    def diagram_file(self, name: str) -> Path:
        return self.diagrams_dir / f"{name}.yaml"

    def project_file(self, entry: str) -> Path:
        """Give the file a deck names relative to the project (an image, a template)."""
        return self.root / entry

    def inside(self, path: Path) -> bool:
        """Tell whether `path` (after resolving links and `..`) stays inside the project."""
        try:
            path.resolve().relative_to(self.root.resolve())
        except ValueError:
            return False
        return True


def find_project(start: Path) -> ProjectFolder:
    """Give the project whose deck.yaml is in `start`; raises DeckError if there is none."""
    root = start.expanduser()
    if not root.is_dir():
        raise DeckError.single(root, "the project folder does not exist")
    if not (root / DECK_FILE).is_file():
        raise DeckError.single(
            root / DECK_FILE,
            "no deck.yaml in this folder",
            hint="run studydeck in a deck project, name one with --project DIR, or start one"
                 " with `studydeck new deck DIR`",
        )
    return ProjectFolder(root.resolve())


def chapter_path(paths: ProjectFolder, entry: str) -> Path:
    """Give the file a `chapters:` entry names (`dns.yaml` or `chapters/dns.yaml`)."""
    relative = Path(entry)
    if relative.parts and relative.parts[0] == "chapters":
        return paths.root / relative
    return paths.chapters_dir / relative
