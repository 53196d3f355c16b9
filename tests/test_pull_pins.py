"""What a deck's editor changes beyond a text: a native diagram's pinned nodes (the build keeps
them where the pins say; a node moved in the deck and pulled is tested with the other diagram
edits in test_pull_kinds), bullets added in the deck (new items in the YAML), colours and sizes
(listed as kept only in the .pptx)."""

from __future__ import annotations

import copy
from pathlib import Path

from conftest import build, copy_project, run_cli
from diagram_xml import drawings, problems
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Pt
from pull_edits import A, changed_lines, clusters_hold_their_nodes, icon_centre, shape_named, texts

NATIVE = Path(__file__).parent / "fixtures" / "native"
MINI = Path(__file__).parent / "fixtures" / "mini"


def test_a_node_pinned_out_of_its_groups_takes_its_groups_with_it(tmp_path: Path) -> None:
    project = copy_project(NATIVE, tmp_path / "native")
    diagram = project / "diagrams" / "nested-tb.yaml"
    text = diagram.read_text(encoding="utf-8")
    diagram.write_text(text.replace("label: 웹 서버 A}", "label: 웹 서버 A, pin: [0.0, 0.02]}"),
                       encoding="utf-8")
    build(project)
    deck = project / "output" / "deck.pptx"
    start = Presentation(str(deck))  # the pin keeps the drawing's size and place
    users = icon_centre(deck, 4, "users")

    assert clusters_hold_their_nodes(deck, 4) == []
    shown = [d for d in drawings(deck, project) if d.slide == 4]
    assert [problem for d in shown for problem in problems(d)] == []
    web_a, alb = icon_centre(deck, 4, "web-a"), icon_centre(deck, 4, "alb")
    assert web_a[1] < alb[1] and web_a[0] < users[0]  # up beside the users, left of them
    assert start.slides[3].shapes.title.text_frame.text == "Nested clusters, top to bottom"


def test_a_pin_outside_the_drawing_is_an_error_at_its_line(tmp_path: Path) -> None:
    project = copy_project(NATIVE, tmp_path / "native")
    diagram = project / "diagrams" / "nested-tb.yaml"
    text = diagram.read_text(encoding="utf-8")
    diagram.write_text(text.replace("label: 사용자}", "label: 사용자, pin: [1.5, 0.2]}")
                       .replace("label: 웹 서버 A}", "label: 웹 서버 A, pin: [0.3]}"),
                       encoding="utf-8")

    result = run_cli("validate", "--project", project)

    assert result.exit_code == 1
    assert "nested-tb.yaml:4:56: error: node 'users': item 1 of 'pin' should be at most 1, " \
           "not 1.5" in result.stderr, result.stderr
    assert "nested-tb.yaml:6:54: error: node 'web-a': 'pin' has 1 item; it needs at least 2" \
        in result.stderr
    assert "Traceback" not in result.output


STRANGER = """\
title: Bullets added in the deck
language: en
chapters: [chapters/launch.yaml]
"""
LAUNCH = """\
# a reviewer adds bullets in PowerPoint
id: launch
title: Launch day
minutes: 5
slides:
  - type: bullets
    title: Checks before launch   # keep this comment
    bullets:
      - 'Helth checks on every target'
      - Drain connections first
      - Rollback plan: [Keep the old AMI, Flip the alias back]
"""


def _add_paragraph(shape_element, after: int, text: str) -> None:  # type: ignore[no-untyped-def]
    """Add a paragraph after paragraph `after` as Enter does in the editor: its copy, retyped."""
    paragraphs = list(shape_element.iter(f"{{{A}}}p"))
    added = copy.deepcopy(paragraphs[after])
    runs = list(added.iter(f"{{{A}}}r"))
    for run in runs[1:]:
        added.remove(run)
    runs[0].find(f"{{{A}}}t").text = text
    paragraphs[after].addnext(added)


def test_bullets_added_in_the_deck_go_back_as_new_items(tmp_path: Path) -> None:
    project = tmp_path / "stranger"
    (project / "chapters").mkdir(parents=True)
    (project / "deck.yaml").write_text(STRANGER, encoding="utf-8")
    chapter = project / "chapters" / "launch.yaml"
    chapter.write_bytes(LAUNCH.replace("\n", "\r\n").encode())
    build(project)
    prs = Presentation(str(project / "output" / "deck.pptx"))
    body = shape_named(prs.slides[3], "TextBox 3")._element
    _add_paragraph(body, 3, "Page the on-call: it's 🚀 day")  # a sub-bullet, after the first
    _add_paragraph(body, 1, "Warm the caches")  # after 'Drain connections first'
    _add_paragraph(body, 1, "Freeze deploys")
    edited = tmp_path / "edited.pptx"
    prs.save(str(edited))
    before = chapter.read_bytes().decode()

    result = run_cli("pull", "--project", project, edited)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "chapters/launch.yaml:11:9: bullet (new) 'Freeze deploys'",
        "chapters/launch.yaml:12:9: bullet (new) 'Warm the caches'",
        "chapters/launch.yaml:13:43: sub-bullet (new) 'Page the on-call: it's 🚀 day'",
    ]
    after = chapter.read_bytes().decode()
    assert "\r\n" in after and "\n" not in after.replace("\r\n", "")  # CRLF kept
    assert sorted(changed_lines(before, after)) == sorted([
        "+      - Freeze deploys",
        "+      - Warm the caches",
        "-      - Rollback plan: [Keep the old AMI, Flip the alias back]",
        "+      - Rollback plan: [Keep the old AMI, 'Page the on-call: it''s 🚀 day', "
        "Flip the alias back]",
    ])
    build(project)
    rebuilt = Presentation(str(project / "output" / "deck.pptx"))
    assert texts(rebuilt.slides[3])[:-1] == texts(Presentation(str(edited)).slides[3])[:-1]
    again = run_cli("pull", "--project", project, edited)
    assert again.stdout == "nothing to pull: the deck's texts are the YAML's\n", again.output


def test_a_korean_sub_bullet_added_in_the_deck_goes_back(mini_copy: Path, tmp_path: Path) -> None:
    build(mini_copy)
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    body = shape_named(prs.slides[3], "TextBox 3")._element
    _add_paragraph(body, 4, "하위 가운데")  # between '하위 a' and '하위 b'
    _add_paragraph(body, 0, "첫째 다음 항목")
    edited = tmp_path / "edited.pptx"
    prs.save(str(edited))
    chapter = mini_copy / "chapters" / "alpha.yaml"
    before = chapter.read_text(encoding="utf-8")

    result = run_cli("pull", "--project", mini_copy, edited)

    assert result.exit_code == 0, result.output
    assert changed_lines(before, chapter.read_text(encoding="utf-8")) == [
        "+      - 첫째 다음 항목",
        "-      - 셋째 항목: [하위 a, 하위 b]",
        "+      - 셋째 항목: [하위 a, 하위 가운데, 하위 b]",
    ]
    build(mini_copy)
    rebuilt = Presentation(str(mini_copy / "output" / "deck.pptx"))
    assert texts(rebuilt.slides[3])[:-1] == texts(Presentation(str(edited)).slides[3])[:-1]
    assert "nothing to pull" in run_cli("pull", "--project", mini_copy, edited).stdout


def test_colours_and_sizes_changed_in_the_deck_are_listed_as_kept(tmp_path: Path) -> None:
    project = tmp_path / "stranger"
    (project / "chapters").mkdir(parents=True)
    (project / "deck.yaml").write_text(STRANGER, encoding="utf-8")
    (project / "chapters" / "launch.yaml").write_text(LAUNCH, encoding="utf-8")
    build(project)
    prs = Presentation(str(project / "output" / "deck.pptx"))
    slide = prs.slides[3]
    slide.shapes.title.text_frame.paragraphs[0].runs[0].font.color.rgb = RGBColor(0xC0, 0, 0)
    body = shape_named(slide, "TextBox 3").text_frame
    body.paragraphs[1].runs[0].font.size = Pt(40)
    edited = tmp_path / "edited.pptx"
    prs.save(str(edited))
    sources = {path: path.read_bytes() for path in project.rglob("*.yaml")}

    result = run_cli("pull", "--project", project, edited)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "slide 4: colour changed in 'placeholder:title' (kept only in the .pptx)",
        "slide 4: text size changed in 'TextBox 3' (kept only in the .pptx)",
    ]
    assert {path: path.read_bytes() for path in sources} == sources
    unedited = run_cli("pull", "--project", project, project / "output" / "deck.pptx")
    assert unedited.stdout == "nothing to pull: the deck's texts are the YAML's\n"
