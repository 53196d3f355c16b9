"""`new deck`: a starter project that builds at once, shows every slide type, and `icons`."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import assert_valid_ooxml, run_cli, slide_notes, slide_title
from pptx import Presentation

from studydeck.schema.slide_types import slide_type_names

SCHEMA_LINE = "# yaml-language-server: $schema="


def start(folder: Path, *options: str) -> str:
    result = run_cli("new", "deck", folder, *options)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(("language", "agenda"), [("en", "Agenda"), ("ko", "목차")])
def test_a_new_deck_builds_at_once_with_every_slide_type(
    tmp_path: Path, language: str, agenda: str
) -> None:
    project = tmp_path / "talk"
    start(project, "--language", language, "--title", "Caching 101: 캐시 ✨")
    built = run_cli("build", "--project", project)
    assert built.exit_code == 0, built.output
    warnings = [line for line in built.output.splitlines() if ": warning: " in line]
    assert len(warnings) == 1  # only the sparkles no font of the deck has
    assert "1 warning found" in built.stderr
    assert "'✨' (U+2728 SPARKLES) is in none of the deck's fonts" in warnings[0]
    deck = Presentation(str(project / "output" / "deck.pptx"))
    titles = [slide_title(slide) for slide in deck.slides]
    assert titles[:2] == ["Caching 101: 캐시 ✨", agenda]
    assert all(slide_notes(slide).strip() for slide in deck.slides)
    chapters = [yaml.safe_load(path.read_text(encoding="utf-8"))
                for path in sorted((project / "chapters").glob("*.yaml"))]
    assert len(chapters) == 2
    used = {slide["type"] for chapter in chapters for slide in chapter["slides"]}
    assert used == set(slide_type_names()), "the starter should show every slide type"
    walkthroughs = [s for c in chapters for s in c["slides"] if s.get("walkthrough")]
    assert walkthroughs, "the starter's diagram slide should walk through its steps"
    assert run_cli("validate", "--project", project).exit_code == 0


def test_a_new_deck_has_its_readme_gitignore_and_working_schema_lines(tmp_path: Path) -> None:
    project = tmp_path / "talk"
    start(project, "--language", "en")
    assert "output/" in (project / ".gitignore").read_text(encoding="utf-8").splitlines()
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Our study session\n") and "studydeck build" in readme
    yaml_files = [project / "deck.yaml", *sorted(project.glob("*/*.yaml"))]
    assert len(yaml_files) == 4
    for path in yaml_files:
        first, _, rest = path.read_text(encoding="utf-8").partition("\n")
        assert first.startswith(SCHEMA_LINE), path
        schema_file = path.parent / first.removeprefix(SCHEMA_LINE)
        schema = yaml.safe_load(schema_file.read_text(encoding="utf-8"))
        assert list(jsonschema.Draft202012Validator(schema).iter_errors(
            yaml.safe_load(rest))) == [], path


def test_the_hints_name_the_studydeck_command(tmp_path: Path) -> None:
    printed = start(tmp_path / "talk", "--language", "en")
    assert "cd " in printed and "studydeck build" in printed
    project = tmp_path / "talk"
    for kind, name in (("chapter", "extra"), ("diagram", "flow-2")):
        result = run_cli("new", kind, name, "--project", project)
        assert result.exit_code == 0, result.output
        printed += result.stdout
    assert "python cli.py" not in printed
    assert "studydeck validate" in printed and "studydeck diagrams flow-2" in printed


def test_a_non_empty_folder_is_refused_unless_forced(tmp_path: Path) -> None:
    project = tmp_path / "notes"
    project.mkdir()
    mine = project / "deck.yaml"
    mine.write_text("title: mine\n", encoding="utf-8")
    refused = run_cli("new", "deck", project)
    assert refused.exit_code == 1
    assert "the folder is not empty" in refused.stderr and "--force" in refused.stderr
    assert mine.read_text(encoding="utf-8") == "title: mine\n"
    assert sorted(p.name for p in project.iterdir()) == ["deck.yaml"]
    start(project, "--force")
    assert run_cli("validate", "--project", project).exit_code == 0


def test_a_file_or_an_empty_title_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "deck.txt"
    file.write_text("x", encoding="utf-8")
    assert "not a folder" in run_cli("new", "deck", file).stderr
    empty = run_cli("new", "deck", tmp_path / "new", "--title", "  ")
    assert empty.exit_code == 1 and "the title is empty" in empty.stderr
    assert not (tmp_path / "new").exists()
    assert run_cli("new", "deck", tmp_path / "x", "--language", "fr").exit_code == 2


@pytest.mark.slow  # LibreOffice
def test_the_new_deck_renders_in_libreoffice(tmp_path: Path) -> None:
    project = tmp_path / "talk"
    start(project, "--language", "en")
    result = run_cli("export", "pdf", "--project", project)
    assert result.exit_code == 0, result.output
    assert_valid_ooxml(project / "output" / "deck.pptx")
    assert (project / "output" / "deck.pdf").stat().st_size > 10_000


def test_icons_lists_the_names_diagrams_accept() -> None:
    result = run_cli("icons", "route53")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["aws.network.Route53", "aws.network.Route53HostedZone"]
    every = run_cli("icons").stdout.splitlines()
    assert len(every) > 1000 and "onprem.client.Users" in every
    assert run_cli("icons", "AWS", "rds").stdout.splitlines()[0].startswith("aws.database.RDS")
    missing = run_cli("icons", "no-such-icon")
    assert missing.exit_code == 1 and "no icon name contains 'no-such-icon'" in missing.stderr


def test_version_prints_the_installed_version() -> None:
    from importlib.metadata import version

    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"studydeck {version('studydeck')}"


def test_an_empty_folder_points_to_new_deck(tmp_path: Path) -> None:
    result = run_cli("build", "--project", tmp_path)
    assert result.exit_code == 1
    assert "no deck.yaml in this folder" in result.stderr
    assert "studydeck new deck DIR" in result.stderr
