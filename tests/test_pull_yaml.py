"""Values written back into YAML text: only the value's own text changes, in its own style."""

from __future__ import annotations

import pytest
import yaml

from studydeck.pptx.source_marks import RunText
from studydeck.pull.markdown import RunLook, as_markdown
from studydeck.pull.yaml_places import KEY, Change, NotWritable, apply_changes

CHAPTER = """\
# 주석은 그대로
slides:
  - type: bullets   # a comment after a value
    title: 'It''s quoted'
    bullets:
      - plain words
      - "double \\"quoted\\""
      - A parent: [child one, child two]
  - type: code
    code: |
      first line
        second line

  - type: quiz
    choices: [one, two]
    explain: >
      folded words
      go on here
"""


def _written(changes: list[Change], text: str = CHAPTER) -> list[str]:
    """Give the lines that differ, old then new."""
    new = apply_changes(text, changes)
    old_lines, new_lines = text.splitlines(), new.splitlines()
    assert len(old_lines) == len(new_lines), new
    return [f"{a} → {b}" for a, b in zip(old_lines, new_lines, strict=True) if a != b]


@pytest.mark.parametrize(("location", "value", "line"), [
    (("slides", 0, "title"), "It's new", "    title: 'It''s quoted' →     title: 'It''s new'"),
    (("slides", 0, "bullets", 0), "plainer words",
     "      - plain words →       - plainer words"),
    (("slides", 0, "bullets", 0), "# not a comment",
     "      - plain words →       - '# not a comment'"),
    (("slides", 0, "bullets", 1), 'double "quote"',
     '      - "double \\"quoted\\"" →       - "double \\"quote\\""'),
    (("slides", 0, "bullets", 2, "A parent", 1), "child, two",
     "      - A parent: [child one, child two] → "
     "      - A parent: [child one, 'child, two']"),
    (("slides", 0, "bullets", 2, "A parent", KEY), "The parent",
     "      - A parent: [child one, child two] → "
     "      - The parent: [child one, child two]"),
    (("slides", 1, "code"), "first line\n  second line changed\n",
     "        second line →         second line changed"),
    (("slides", 2, "choices", 1), "two: three",
     "    choices: [one, two] →     choices: [one, 'two: three']"),
])
def test_a_value_keeps_its_style_unless_its_text_needs_another(
        location: tuple[str | int, ...], value: str, line: str) -> None:
    assert _written([Change(location, value)]) == [line]


def test_line_endings_comments_and_blank_lines_stay() -> None:
    crlf = CHAPTER.replace("\n", "\r\n")
    new = apply_changes(crlf, [Change(("slides", 1, "code"), "first\n  second\n"),
                               Change(("slides", 0, "title"), "제목")])
    assert new == crlf.replace("first line", "first").replace("second line", "second") \
        .replace("'It''s quoted'", "'제목'")  # quoted as it was


def test_a_folded_value_that_cannot_stay_folded_is_double_quoted() -> None:
    new = apply_changes(CHAPTER, [Change(("slides", 2, "explain"), "folded\nwords\n")])
    assert new == CHAPTER.replace(">\n      folded words\n      go on here\n",
                                  '"folded\\nwords\\n"\n')


def test_a_new_key_goes_after_the_last_key_of_its_slide() -> None:
    new = apply_changes(CHAPTER, [Change(("slides", 0, "notes"), "말할 것\n둘째 줄"),
                                  Change(("slides", 2, "notes"), "one line")])
    assert "      - A parent: [child one, child two]\n    notes: |-\n      말할 것\n" \
           "      둘째 줄\n  - type: code\n" in new
    assert new.endswith("      go on here\n    notes: one line\n")
    assert yaml.safe_load(new)["slides"][0]["notes"] == "말할 것\n둘째 줄"


def test_a_value_that_is_not_a_text_is_refused() -> None:
    with pytest.raises(NotWritable):
        apply_changes(CHAPTER, [Change(("slides", 0, "bullets"), "flat")])


@pytest.mark.parametrize(("runs", "markdown"), [
    ([RunText("Use "), RunText("dig +trace", typeface="Consolas"), RunText(" on snake_case "),
      RunText("docs", link="https://example.org"), RunText(" now", bold=True)],
     "Use `dig +trace` on snake_case [docs](https://example.org) **now**"),
    ([RunText("2 * 3 = *6*")], "2 \\* 3 = \\*6\\*"),
    ([RunText("a "), RunText("bold ", bold=True), RunText("and "), RunText("it", italic=True)],
     "a **bold** and *it*"),
])
def test_runs_become_inline_markdown_again(runs: list[RunText], markdown: str) -> None:
    assert as_markdown(runs, RunLook(code_typefaces=frozenset({"Consolas"}))) == markdown


def test_a_title_s_own_bold_is_not_markdown() -> None:
    runs = [RunText("Health ", bold=True), RunText("checks", bold=True, italic=True)]
    assert as_markdown(runs, RunLook(bold_anyway=True)) == "Health *checks*"


DIAGRAM = """\
nodes:
  users: {icon: onprem.client.Users, label: 사용자}   # who asks
  alb:
    icon: aws.network.ElbApplicationLoadBalancer
    pin: [0.5, 0.25]
  db: {icon: aws.database.RDS, pin: [0.1, 0.9]}
"""


def test_pins_are_added_to_flow_and_block_nodes_and_replaced_in_place() -> None:
    new = apply_changes(DIAGRAM, [Change(("nodes", "users", "pin"), "[0.346, 0.085]", "flow"),
                                  Change(("nodes", "alb", "pin"), "[0.6, 0.25]", "flow"),
                                  Change(("nodes", "db", "pin"), "[0, 1]", "flow")])
    assert new.splitlines() == [
        "nodes:",
        "  users: {icon: onprem.client.Users, label: 사용자, pin: [0.346, 0.085]}   # who asks",
        "  alb:",
        "    icon: aws.network.ElbApplicationLoadBalancer",
        "    pin: [0.6, 0.25]",
        "  db: {icon: aws.database.RDS, pin: [0, 1]}",
    ]
    added = apply_changes(DIAGRAM.replace("    pin: [0.5, 0.25]\n", ""),
                          [Change(("nodes", "alb", "pin"), "[0.6, 0.25]", "flow")])
    assert added == DIAGRAM.replace("[0.5, 0.25]", "[0.6, 0.25]")


def test_new_items_join_block_and_flow_lists_in_their_neighbours_style() -> None:
    new = apply_changes(CHAPTER, [
        Change(("slides", 0, "bullets", 1), "after plain: words", "insert"),
        Change(("slides", 0, "bullets", 2), 'said "hi"', "insert"),
        Change(("slides", 0, "bullets", 2, "A parent", 2), "child three", "insert"),
        Change(("slides", 2, "choices", 0), "zero", "insert"),
    ])
    assert [line for line in new.splitlines() if line not in CHAPTER.splitlines()] == [
        "      - 'after plain: words'",
        '      - "said \\"hi\\""',
        "      - A parent: [child one, child two, child three]",
        "    choices: [zero, one, two]",
    ]
    with pytest.raises(NotWritable):
        apply_changes(CHAPTER, [Change(("slides", 0, "title", 0), "x", "insert")])
