"""Inline Markdown in every text field: styled runs and real links in the written XML."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli, slide_title
from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.slide import Slide

from studydeck.layout.runs import markdown_runs, styled_line_count, styled_width_em
from studydeck.layout.text import StyledRun, line_count, text_width_em
from studydeck.richtext import Span, plain_text, spans

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

CHAPTER = """\
id: rich
title: "**서식** 챕터"
minutes: 5
objectives:
  - "`dig`로 **TTL** 읽기"
slides:
  - type: bullets
    title: "*DNS* 기초"
    bullets:
      - "**권한 있는 서버**가 답을 줍니다"
      - "`dig +trace example.com` 으로 확인"
      - "[Route 53 문서](https://docs.aws.amazon.com/route53/) 참고"
      - "별표는 \\\\*그대로\\\\*, 5 * 3 도 그대로"
      - "[나쁜 링크](javascript:alert(1))"
      - 상위:
          - "*기울임* 하위 항목"
  - type: table
    title: 표
    columns: ["**이름**", "`값`"]
    rows:
      - ["*TTL*", "`300`"]
  - type: two-column
    title: 두 칸
    left:
      heading: "**왼쪽**"
      bullets: ["`A` 레코드"]
    right:
      heading: 오른쪽
      bullets: ["**CNAME**"]
  - type: quiz
    question: "`NXDOMAIN`의 뜻은?"
    choices: ["**없는** 이름", "*시간 초과*"]
    answer: 1
    explain: "이름이 `없다`는 답입니다"
"""


def _add_chapter(project: Path) -> None:
    (project / "chapters" / "rich.yaml").write_text(CHAPTER, encoding="utf-8")
    deck = project / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8") + "  - rich.yaml\n", encoding="utf-8")


def _runs(slide: Slide) -> list[etree._Element]:
    return list(slide._element.iter(f"{A}r"))


def _run(slide: Slide, text: str) -> etree._Element:
    found = [run for run in _runs(slide) if run.findtext(f"{A}t") == text]
    assert found, f"no run {text!r} in {[r.findtext(f'{A}t') for r in _runs(slide)]}"
    return found[0]


def _props(run: etree._Element) -> etree._Element:
    properties = run.find(f"{A}rPr")
    assert properties is not None
    return properties


def _is_mono(run: etree._Element) -> bool:
    latin = _props(run).find(f"{A}latin")
    east_asian = _props(run).find(f"{A}ea")
    return (latin is not None and latin.get("typeface") == "Consolas"
            and east_asian is not None and east_asian.get("typeface") == "D2Coding")


def test_spans_read_bold_italic_code_links_and_escapes() -> None:
    assert spans("**굵게** *기울임* `코드` [링크](https://a.example/x) \\*별\\*") == (
        Span("굵게", bold=True), Span(" "), Span("기울임", italic=True), Span(" "),
        Span("코드", code=True), Span(" "), Span("링크", link="https://a.example/x"),
        Span(" *별*"))
    assert plain_text("1. 목록 # 제목 <b>x</b> 5 * 3 snake_case_name") == (
        "1. 목록 # 제목 <b>x</b> 5 * 3 snake_case_name")
    assert plain_text("[x](javascript:alert(1))") == "[x](javascript:alert(1))"
    assert plain_text("  앞 공백\n둘째 줄") == "  앞 공백\n둘째 줄"


def test_code_runs_are_measured_with_the_monospace_font() -> None:
    text = "dig +trace www.example.com"
    plain_width, code_width = text_width_em(text), styled_width_em(markdown_runs(f"`{text}`"))
    assert code_width > plain_width * 1.03  # plain text is measured in its widest face, DejaVu
    between = (plain_width + code_width) / 2
    assert line_count(text, between) == 1
    assert styled_line_count(markdown_runs(f"`{text}`"), between) == 2
    bold = markdown_runs("**굵은 글씨가 더 넓습니다** 보통")
    assert bold[0] == StyledRun("굵은 글씨가 더 넓습니다", bold=True)


def test_markdown_becomes_styled_runs_in_every_field(mini_copy: Path) -> None:
    _add_chapter(mini_copy)
    result = run_cli("build", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    slides = {slide_title(s): s for s in prs.slides}

    bullets = slides["DNS 기초"]
    assert _props(_run(bullets, "DNS")).get("i") == "1"  # the title
    assert _props(_run(bullets, "권한 있는 서버")).get("b") == "1"
    assert _props(_run(bullets, "가 답을 줍니다")).get("b") in (None, "0")  # not bold
    code = _run(bullets, "dig +trace example.com")
    assert _is_mono(code) and _props(code).find(f"{A}highlight") is not None
    link = _run(bullets, "Route 53 문서")
    click = _props(link).find(f"{A}hlinkClick")
    assert click is not None and _props(link).get("u") == "sng"
    relationship = bullets.part.rels[click.get(R_ID)]
    assert relationship.reltype == RT.HYPERLINK and relationship.is_external
    assert relationship.target_ref == "https://docs.aws.amazon.com/route53/"
    assert _run(bullets, "별표는 *그대로*, 5 * 3 도 그대로") is not None
    assert _run(bullets, "[나쁜 링크](javascript:alert(1))") is not None
    assert _props(_run(bullets, "기울임")).get("i") == "1"

    table = slides["표"]
    assert _props(_run(table, "이름")).get("b") == "1"
    assert _is_mono(_run(table, "값")) and _is_mono(_run(table, "300"))
    assert _props(_run(table, "TTL")).get("i") == "1"
    # white header text on the header fill: no light tint behind it
    assert _props(_run(table, "값")).find(f"{A}highlight") is None

    columns = slides["두 칸"]
    assert _props(_run(columns, "왼쪽")).get("b") == "1"
    assert _is_mono(_run(columns, "A"))
    quiz = next(s for s in prs.slides if any(
        r.findtext(f"{A}t") == "NXDOMAIN" for r in _runs(s)))
    assert _is_mono(_run(quiz, "NXDOMAIN")) and _is_mono(_run(quiz, "없다"))
    assert _props(_run(quiz, "시간 초과")).get("i") == "1"
    section = next(s for s in prs.slides if slide_title(s) == "서식 챕터")
    assert _props(_run(section, "서식")).get("b") == "1"
    assert _is_mono(_run(section, "dig"))

    every_text = "".join(r.findtext(f"{A}t") or "" for s in prs.slides for r in _runs(s))
    assert "**" not in every_text and "`" not in every_text


def test_markdown_at_the_start_of_an_unquoted_value_gets_a_quoting_hint(mini_copy: Path) -> None:
    chapter = mini_copy / "chapters" / "alpha.yaml"
    original = chapter.read_text(encoding="utf-8")
    for bullet, hint in (("`dig` 명령", "'`'"), ("**TTL**은 초 단위", "YAML alias"),
                         ("*italic* word", "YAML alias")):
        chapter.write_text(original.replace("      - 둘째 항목\n", f"      - {bullet}\n"),
                           encoding="utf-8")
        result = run_cli("validate", "--project", mini_copy)
        assert result.exit_code == 1
        assert "alpha.yaml:14:" in result.output and hint in result.output, result.output
        assert "put the whole text in quotes" in result.output


def test_markdown_that_stays_literal_is_a_warning(mini_copy: Path) -> None:
    chapter = mini_copy / "chapters" / "alpha.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "      - 둘째 항목\n",
        "      - \"**'DNS'**는 이름\"\n      - '별표 두 개 \\*\\* 는 일부러'\n"), encoding="utf-8")
    result = run_cli("validate", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    assert "alpha.yaml:14:9: warning: a `**` or backtick here shows literally" in result.output
    assert "alpha.yaml:15:" not in result.output  # escaped on purpose
