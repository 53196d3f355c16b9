"""Code stays whole where it can (issue 24): one slide at a smaller size before a split, a split
between top-level statements only, and one size for a deck's code slides."""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import run_cli, slide_title
from pptx import Presentation
from pptx.slide import Slide

from studydeck.layout import geometry as g
from studydeck.layout.code_lines import CODE_FLOOR, code_pages
from studydeck.layout.statements import statement_units

HANDLER = textwrap.dedent("""\
    def handle(request):
        key = request.path
        cached = cache.get(key)
        if cached is not None:
            metrics.hit()
            return cached
        else:
            metrics.miss()
            value = database.load(key)
            cache.set(key, value, ttl=60)
            return value
    """).splitlines()
HELPERS = [line for n in range(8) for line in
           (f"def helper_{n}(request):", f"    if request.ok_{n}:", "        return 'ok'",
            "    return 'down'", "")]


def test_a_listing_cuts_only_before_top_level_statements() -> None:
    units = statement_units(HANDLER + [""] + HELPERS, 12)
    assert units[0] == [*HANDLER, ""]  # the whole function: never cut inside its `if` … `else`
    assert all(unit[0].startswith("def ") for unit in units)


def test_a_block_longer_than_a_slide_is_cut_between_its_clauses_and_statements() -> None:
    units = statement_units(HANDLER, 5)
    assert [unit[0].strip() for unit in units][:4] == [
        "def handle(request):", "cached = cache.get(key)", "if cached is not None:", "else:"]
    assert max(len(unit) for unit in units) <= 5


def test_code_that_fits_at_a_smaller_size_stays_on_one_slide() -> None:
    area, _ = g.caption_split(True)
    lines = HANDLER + [""] + HELPERS[:2]  # 14 lines and a caption: 18 pt (17 lines at 16 pt)
    size, pages = code_pages(lines, area, len(lines), 24)
    assert pages == [len(lines)] and CODE_FLOOR <= size < 24


def test_a_split_falls_between_functions_at_the_largest_size_that_keeps_it_two_slides() -> None:
    area, _ = g.caption_split(True)
    lines = HANDLER + [""] + HELPERS  # 52 lines
    size, pages = code_pages(lines, area, len(lines), 24)
    starts = [sum(pages[:n]) for n in range(len(pages))]
    assert all(lines[start].startswith("def ") for start in starts)
    assert len(pages) == 4 and size >= CODE_FLOOR


def _code_chapter(project: Path, listings: dict[str, list[str]]) -> None:
    slides = "".join(
        f"  - type: code\n    title: {title}\n    language: python\n    caption: A caption\n"
        "    code: |\n" + "".join(f"      {line}\n" if line else "\n" for line in lines)
        for title, lines in listings.items())
    (project / "chapters" / "code.yaml").write_text(
        f"id: code\ntitle: Code\nminutes: 5\nslides:\n{slides}", encoding="utf-8")
    deck = project / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8") + "  - code.yaml\n", encoding="utf-8")


def _code_size(slide: Slide) -> float:
    shape = next(s for s in slide.shapes if s.name == "Code")
    sizes = {run.font.size.pt for p in shape.text_frame.paragraphs for run in p.runs}
    assert len(sizes) == 1
    return sizes.pop()


def test_a_decks_code_slides_share_one_size_and_stay_whole(mini_copy: Path) -> None:
    _code_chapter(mini_copy, {"Short": ["x = 1", "print(x)"],
                              "Handler": HANDLER + [""] + HELPERS[:2]})
    result = run_cli("build", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    assert "continues" not in result.stderr  # the 14 lines stay on one slide
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    code = [slide for slide in prs.slides if slide_title(slide) in ("Short", "Handler")]
    assert len(code) == 2
    sizes = {_code_size(slide) for slide in code}
    assert len(sizes) == 1 and CODE_FLOOR <= sizes.pop() < 24


TOKEN_BUCKET = textwrap.dedent("""\
    import time  # 시간


    class TokenBucket:
        def __init__(self, rate, burst):
            self.rate = rate
            self.burst = burst
            self.tokens = burst
            self.stamp = time.monotonic()

        def allow(self):
            now = time.monotonic()
            earned = (now - self.stamp) * self.rate
            self.tokens = min(self.burst, self.tokens + earned)
            self.stamp = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False
    """).splitlines()


def test_nineteen_lines_and_a_caption_stay_on_one_slide_at_the_floor(mini_copy: Path) -> None:
    """Too many lines for a caption below them: the caption goes beside the code."""
    _code_chapter(mini_copy, {"Bucket": TOKEN_BUCKET})
    result = run_cli("build", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    assert "continues" not in result.stderr
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    (slide,) = [slide for slide in prs.slides if slide_title(slide).startswith("Bucket")]
    assert _code_size(slide) == CODE_FLOOR
    panel = next(s for s in slide.shapes if s.name == "Code panel")
    caption = next(s for s in slide.shapes if s.has_text_frame and s.text_frame.text == "A caption")
    assert caption.left >= panel.left + panel.width  # beside the code, not under it
    assert caption.left + caption.width <= g.BODY.right
    assert panel.top + panel.height <= g.BODY.bottom
