"""`studydeck pull` on the kinds of text a deck shows: Korean and English, chapter exports, native
diagram labels, the sample deck."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import BuiltDeck, build, copy_project, run_cli, slide_notes, soffice_convert
from diagram_xml import drawings, problems
from pptx import Presentation
from pull_edits import (
    A,
    P,
    assert_within_a_percent,
    changed_lines,
    clusters_hold_their_nodes,
    edit_text,
    icon_centre,
    set_paragraph,
    shape_named,
    texts,
)

from studydeck.source.office_pipes import remove_office_pipes

MINI = Path(__file__).parent / "fixtures" / "mini"


def test_korean_edits_of_many_kinds_go_back(mini_copy: Path, tmp_path: Path) -> None:
    build(mini_copy)
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    bullets, quiz, table, columns = prs.slides[3], prs.slides[5], prs.slides[7], prs.slides[8]
    set_paragraph(shape_named(bullets, "TextBox 3")._element, 4, "하위 a", "하위 에이")
    notes = bullets.notes_slide.notes_placeholder._element
    set_paragraph(notes, 0, "둘째 문장", "둘째 문장을 고친")
    set_paragraph(shape_named(quiz, "Quiz explanation")._element, 0, "둘이 맞다.", "둘이 정답이다.")
    set_paragraph(shape_named(table, "Table 3")._element, 7, "인스턴스", "인스턴스 하나")
    set_paragraph(shape_named(columns, "TextBox 6")._element, 1, "라", "라라 🚀")
    edited = tmp_path / "edited.pptx"
    prs.save(str(edited))
    alpha, beta = mini_copy / "chapters" / "alpha.yaml", mini_copy / "chapters" / "beta.yaml"
    before = alpha.read_text(encoding="utf-8"), beta.read_text(encoding="utf-8")

    result = run_cli("pull", "--project", mini_copy, edited)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:5] == [
        "chapters/alpha.yaml:15:17: sub-bullet '하위 a' → '하위 에이'",
        "chapters/alpha.yaml:16:12: notes '첫 문장입니다. 둘째 문장입니다.' → "
        "'첫 문장입니다. 둘째 문장을 고친입니다.'",
        "chapters/alpha.yaml:26:14: explanation '둘이 맞다.' → '둘이 정답이다.'",
        "chapters/beta.yaml:11:14: cell '인스턴스' → '인스턴스 하나'",
        "chapters/beta.yaml:16:40: bullet '라' → '라라 🚀'",
    ]
    assert changed_lines(before[0], alpha.read_text(encoding="utf-8")) == [
        "-      - 셋째 항목: [하위 a, 하위 b]",
        "-    notes: 첫 문장입니다. 둘째 문장입니다.",
        "+      - 셋째 항목: [하위 에이, 하위 b]",
        "+    notes: 첫 문장입니다. 둘째 문장을 고친입니다.",
        "-    explain: 둘이 맞다.",
        "+    explain: 둘이 정답이다.",
    ]
    assert changed_lines(before[1], beta.read_text(encoding="utf-8")) == [
        "-      - [범위, 인스턴스, 서브넷]", "+      - [범위, 인스턴스 하나, 서브넷]",
        "-    right: {heading: 오른쪽, bullets: [다, 라]}",
        "+    right: {heading: 오른쪽, bullets: [다, 라라 🚀]}",
    ]
    build(mini_copy)
    rebuilt, edited_deck = (Presentation(str(mini_copy / "output" / "deck.pptx")),
                            Presentation(str(edited)))
    for number, slide in enumerate(rebuilt.slides):  # (a quiz's notes say its new explanation)
        assert texts(slide)[:-1] == texts(edited_deck.slides[number])[:-1], f"slide {number + 1}"
    assert slide_notes(rebuilt.slides[3]) == slide_notes(edited_deck.slides[3])
    assert "nothing to pull" in run_cli("pull", "--project", mini_copy, edited).stdout


def test_a_bullet_with_sub_bullets_is_renamed_as_its_key(mini_copy: Path, tmp_path: Path) -> None:
    build(mini_copy)
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    edit_text(prs, 4, "TextBox 3", "셋째 항목", "셋째 항목: 고침 #2")
    edited = tmp_path / "edited.pptx"
    prs.save(str(edited))
    chapter = mini_copy / "chapters" / "alpha.yaml"
    before = chapter.read_text(encoding="utf-8")

    result = run_cli("pull", "--project", mini_copy, edited)

    assert result.stdout == "chapters/alpha.yaml:15:9: bullet '셋째 항목' → '셋째 항목: 고침 #2'\n"
    assert changed_lines(before, chapter.read_text(encoding="utf-8")) == [
        "-      - 셋째 항목: [하위 a, 하위 b]", "+      - '셋째 항목: 고침 #2': [하위 a, 하위 b]"]
    build(mini_copy)
    assert "nothing to pull" in run_cli("pull", "--project", mini_copy, edited).stdout


def test_a_chapter_export_pulls_into_its_chapter(tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    build(project, "--chapter", "beta")
    export = project / "output" / "chapters" / "beta.pptx"
    prs = Presentation(str(export))
    table_slide = next(s for s in prs.slides if any(sh.has_table for sh in s.shapes))
    table = next(sh for sh in table_slide.shapes if sh.has_table).table
    table.cell(2, 1).text_frame.paragraphs[0].runs[0].text = "인스턴스 하나"
    prs.save(str(export))
    chapter = project / "chapters" / "beta.yaml"
    before = chapter.read_text(encoding="utf-8")

    result = run_cli("pull", "--project", project, export)

    assert result.exit_code == 0, result.output
    assert "chapters/beta.yaml:11:14: cell '인스턴스' → '인스턴스 하나'" in result.stdout
    assert changed_lines(before, chapter.read_text(encoding="utf-8")) == [
        "-      - [범위, 인스턴스, 서브넷]", "+      - [범위, 인스턴스 하나, 서브넷]"]


NATIVE = Path(__file__).parent / "fixtures" / "native"


def _edit_native_labels(deck: Path, target: Path) -> None:
    prs = Presentation(str(deck))
    labels = {element.find(f".//{{{P}}}cNvPr").get("name"): element
              for element in prs.slides[3].shapes._spTree.iter(f"{{{P}}}sp")}
    set_paragraph(labels["alb: label"], 0, "Load balancer", "Load balancer (ALB)")
    set_paragraph(labels["alb->web-a: label"], 0, "분산", "분산한다")
    set_paragraph(labels["web-b: label"], 1, "(standby)", "(대기)")
    users = next(group for group in prs.slides[3].shapes._spTree.iter(f"{{{P}}}grpSp")
                 if group.find(f"{{{P}}}nvGrpSpPr/{{{P}}}cNvPr").get("name") == "users: node")
    offset = users.find(f"{{{P}}}grpSpPr/{{{A}}}xfrm/{{{A}}}off")
    offset.set("x", str(int(offset.get("x")) - 914400))  # dragged an inch to the left
    prs.save(str(target))


@pytest.mark.parametrize("saved_by", ["python-pptx",
                                      pytest.param("libreoffice", marks=pytest.mark.slow)])


def test_native_diagram_labels_go_back_to_the_diagram_file(tmp_path: Path,
                                                           saved_by: str) -> None:
    project = copy_project(NATIVE, tmp_path / "native")
    build(project)
    edited = tmp_path / "edited.pptx"
    _edit_native_labels(project / "output" / "deck.pptx", edited)
    if saved_by == "libreoffice":
        edited = soffice_convert(edited, "pptx", tmp_path / "lo")
    diagram = project / "diagrams" / "nested-tb.yaml"
    before = diagram.read_text(encoding="utf-8")

    result = run_cli("pull", "--project", project, edited)

    assert result.exit_code == 0, result.output
    *labels, pin_line = result.stdout.splitlines()
    assert labels == [
        "diagrams/nested-tb.yaml:5:62: node label 'Load balancer' → 'Load balancer (ALB)'",
        "diagrams/nested-tb.yaml:7:41: node label 'Web server B ⏎ (standby)' → "
        "'Web server B ⏎ (대기)'",
        "diagrams/nested-tb.yaml:17:35: edge label '분산' → '분산한다'",
    ]
    assert pin_line.startswith("diagrams/nested-tb.yaml:4:55: pin of node 'users' (new) → [0.3")
    pin = pin_line.rsplit("→ ", 1)[1]
    assert changed_lines(before, diagram.read_text(encoding="utf-8")) == [
        "-  users: {icon: onprem.client.Users, label: 사용자}",
        "-  alb: {icon: aws.network.ElbApplicationLoadBalancer, label: Load balancer}",
        f"+  users: {{icon: onprem.client.Users, label: 사용자, pin: {pin}}}",
        "+  alb: {icon: aws.network.ElbApplicationLoadBalancer, label: Load balancer (ALB)}",
        '-  web-b: {icon: aws.compute.EC2, label: "Web server B\\n(standby)"}',
        '+  web-b: {icon: aws.compute.EC2, label: "Web server B\\n(대기)"}',
        "-  - {from: alb, to: web-a, label: 분산}",
        "+  - {from: alb, to: web-a, label: 분산한다}",
    ]
    build(project)
    rebuilt = project / "output" / "deck.pptx"
    for node in ("users", "alb", "web-a", "web-b"):  # the others stay where dot put them
        assert_within_a_percent(icon_centre(rebuilt, 4, node), icon_centre(edited, 4, node),
                                rebuilt)
    shown = [drawing for drawing in drawings(rebuilt, project) if drawing.slide == 4]
    assert shown and [problem for d in shown for problem in problems(d)] == []
    assert clusters_hold_their_nodes(rebuilt, 4) == []
    again = run_cli("pull", "--project", project, edited)
    assert again.stdout == "nothing to pull: the deck's texts are the YAML's\n", again.output


def test_the_sample_deck_pulls_titles_code_captions_and_timeline_steps(
        sample: BuiltDeck, tmp_path: Path) -> None:
    prs = sample.open()
    edit_text(prs, 1, "placeholder:title", "웹 서비스", "웹서비스")
    edit_text(prs, 4, "TextBox 3", "먼저 이름을", "먼저 그 이름을")
    edit_text(prs, 6, "TextBox 3", "한 단계씩", "한 단계씩만")
    edit_text(prs, 8, "Code", "DiG 9.18", "DiG 9.20")
    edit_text(prs, 30, "TextBox 12", "기본 DB가 멈춘다", "기본 DB가 갑자기 멈춘다")
    edited = tmp_path / "edited.pptx"
    prs.save(str(edited))
    sources = {path: path.read_bytes() for path in sample.project.rglob("*.yaml")}

    result = run_cli("pull", "--dry-run", "--project", sample.project, edited)

    assert result.exit_code == 0, result.output
    assert result.stdout.split("\n--- a/")[0].splitlines() == [
        "chapters/01-dns.yaml:14:9: bullet '서버에 닿으려면 먼저 이름을 IP로 바꿔야 한다' → "
        "'서버에 닿으려면 먼저 그 이름을 IP로 바꿔야 한다'",
        "chapters/01-dns.yaml:41:14: caption '클릭할 때마다 한 단계씩, 질의와 안내가 오가는 "
        "순서를 본다' → '클릭할 때마다 한 단계씩만, 질의와 안내가 오가는 순서를 본다'",
        "chapters/01-dns.yaml:71:7: code line '; <<>> DiG 9.18 <<>> +trace www.example.com' → "
        "'; <<>> DiG 9.20 <<>> +trace www.example.com'",
        "chapters/03-database.yaml:71:16: step '기본 DB가 멈춘다' → '기본 DB가 갑자기 멈춘다'",
        "deck.yaml:2:8: title '대규모 트래픽을 견디는 웹 서비스 설계' → "
        "'대규모 트래픽을 견디는 웹서비스 설계'",
    ]
    assert "+      ; <<>> DiG 9.20 <<>> +trace www.example.com" in result.stdout
    assert {path: path.read_bytes() for path in sources} == sources  # nothing written


def test_a_node_label_moved_off_its_icon_is_kept_only_in_the_deck(tmp_path: Path) -> None:
    project = copy_project(NATIVE, tmp_path / "native")
    build(project)
    prs = Presentation(str(project / "output" / "deck.pptx"))
    tree = prs.slides[3].shapes._spTree
    label = next(shape for shape in tree.iter(f"{{{P}}}sp")
                 if shape.find(f"{{{P}}}nvSpPr/{{{P}}}cNvPr").get("name") == "alb: label")
    offset = label.find(f"{{{P}}}spPr/{{{A}}}xfrm/{{{A}}}off")
    offset.set("x", str(int(offset.get("x")) + 914400))  # an inch to the right, icon left
    edited = tmp_path / "edited.pptx"
    prs.save(str(edited))

    result = run_cli("pull", "--project", project, edited)

    assert result.exit_code == 0, result.output
    assert result.stdout == "slide 4: moved or resized 'alb: label' (kept only in the .pptx)\n"


IMPRESS_EDIT = Path(__file__).parent / "impress_edit.py"
BULLETS_SLIDE = """\
  - type: bullets
    title: Checks before launch  # a comment pull keeps
    bullets:
      - Helth checks on every target
      - Drain connections first
"""


@pytest.mark.slow
def test_edits_made_in_impress_survive_pull_and_build(tmp_path: Path) -> None:
    project = copy_project(NATIVE, tmp_path / "native")
    chapter = project / "chapters" / "shapes.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8") + BULLETS_SLIDE, encoding="utf-8")
    build(project)
    edited = tmp_path / "edited.pptx"
    profile = (tmp_path / "profile").resolve()
    try:
        done = subprocess.run(
            ["/usr/bin/python3", IMPRESS_EDIT, project / "output" / "deck.pptx", edited,
             profile, "-1|Helth|Health", "-1|notes:Checks before launch|Say: checks",
             "4|Load balancer|Load balancer (ALB)"],
            capture_output=True, text=True, timeout=240, check=False)
    finally:  # the sockets its LibreOffice, ended, leaves in /tmp
        remove_office_pipes(profile, f"studydeck-pull-{profile.name}")
    assert done.returncode == 0 and edited.is_file(), done.stderr

    result = run_cli("pull", "--project", project, edited)

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "chapters/shapes.yaml:27:9: bullet 'Helth checks on every target' → " \
           "'Health checks on every target'" in lines
    assert "diagrams/nested-tb.yaml:5:62: node label 'Load balancer' → " \
           "'Load balancer (ALB)'" in lines
    assert any(line.startswith("chapters/shapes.yaml:29:12: notes (new) 'Say: checks.")
               for line in lines), lines
    assert "kept only" not in result.stdout and "conflict" not in result.stdout
    build(project)
    rebuilt = Presentation(str(project / "output" / "deck.pptx"))
    last = rebuilt.slides[len(rebuilt.slides) - 1]
    assert "Health checks on every target" in texts(last)[1]
    assert slide_notes(last).startswith("Say: checks.")
    again = run_cli("pull", "--project", project, edited)
    assert again.stdout == "nothing to pull: the deck's texts are the YAML's\n", again.output


@pytest.mark.slow
def test_the_sample_deck_saved_by_libreoffice_has_nothing_to_pull(sample: BuiltDeck,
                                                                  tmp_path: Path) -> None:
    saved = soffice_convert(sample.deck, "pptx", tmp_path / "lo")

    result = run_cli("pull", "--dry-run", "--project", sample.project, saved)

    assert result.stdout == "nothing to pull: the deck's texts are the YAML's\n", result.output
