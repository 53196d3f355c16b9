"""Bounded work on a project from someone else: huge diagrams, a Graphviz that does not finish,
files that expand to gigabytes and pictures cut short are plain errors at their place."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import REPO, Result, run_cli
from PIL import Image

from studydeck.diagrams import render
from studydeck.project.diagram_files import MAX_EDGES, MAX_NODES
from studydeck.source.bounded_files import MAX_EXPANDED_TEMPLATE


def assert_plain_error(result: Result, place: str, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert place in result.stderr, result.stderr
    assert message in result.stderr, result.stderr


def with_image_slide(project: Path, entry: str) -> None:
    chapter = project / "chapters" / "alpha.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8")
                       + f"  - {{type: image, title: Photo 사진, image: {entry}}}\n",
                       encoding="utf-8")


def test_a_diagram_of_thousands_of_nodes_is_refused_quickly(mini_copy: Path) -> None:
    nodes = "".join(f"  n{i}: {{icon: aws.compute.EC2, label: Node {i}}}\n" for i in range(2000))
    edges = "".join(f"  - {{from: n{i % 2000}, to: n{(i * 7 + 1) % 2000}}}\n"
                    for i in range(6000))
    (mini_copy / "diagrams" / "flow.yaml").write_text(f"nodes:\n{nodes}edges:\n{edges}",
                                                       encoding="utf-8")
    started = time.monotonic()
    result = run_cli("build", "--project", mini_copy)
    assert time.monotonic() - started < 60
    assert_plain_error(result, "diagrams/flow.yaml:2:",
                       f"the diagram has 2000 nodes; at most {MAX_NODES} are drawn")
    assert f"the diagram has 6000 edges; at most {MAX_EDGES} are drawn" in result.stderr
    assert not (mini_copy / "output" / "deck.pptx").exists()


def test_graphviz_is_stopped_after_its_time_limit(
        mini_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same mechanism as the 30 s limit, at a limit no drawing meets."""
    monkeypatch.setattr(render, "DOT_SECONDS", 0.001)
    result = run_cli("build", "--project", mini_copy)
    assert_plain_error(result, "diagrams/flow.yaml:1:1",
                       "Graphviz could not draw this diagram: Graphviz ran longer than 0.001 s"
                       " and was stopped")
    assert not (mini_copy / "output" / "deck.pptx").exists()


def test_a_template_that_expands_to_gigabytes_is_refused_before_it_is_opened(
        mini_copy: Path) -> None:
    template = mini_copy / "templates" / "bomb.pptx"
    template.parent.mkdir()
    zeros = bytes(1024 * 1024)
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("ppt/media/zeros.bin", "w") as part:
            for _ in range(MAX_EXPANDED_TEMPLATE // len(zeros) + 1):
                part.write(zeros)
    assert template.stat().st_size < 1024 * 1024
    deck = mini_copy / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8") + "theme: {template: templates/bomb.pptx}\n",
                    encoding="utf-8")
    result = run_cli("validate", "--project", mini_copy)
    assert_plain_error(result, "deck.yaml:", "template 'templates/bomb.pptx' would expand to"
                       " 201 MB, more than 200 MB")


def png_claiming(width: int, height: int) -> bytes:
    """Give a tiny PNG file whose header says it is `width` × `height` pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def test_a_picture_of_gigapixels_is_refused_before_it_is_decoded(mini_copy: Path) -> None:
    (mini_copy / "images").mkdir()
    (mini_copy / "images" / "bomb.png").write_bytes(png_claiming(100_000, 100_000))
    with_image_slide(mini_copy, "images/bomb.png")
    result = run_cli("build", "--project", mini_copy)
    assert_plain_error(result, "chapters/alpha.yaml:", "image 'images/bomb.png' is more than"
                       " 180 megapixels, over the limit of 50 megapixels")
    (mini_copy / "images" / "bomb.png").write_bytes(png_claiming(10_000, 10_000))
    result = run_cli("build", "--project", mini_copy)
    assert_plain_error(result, "chapters/alpha.yaml:", "image 'images/bomb.png' is 10000 ×"
                       " 10000 pixels, over the limit of 50 megapixels")


@pytest.mark.parametrize("suffix", ["png", "jpg"])
def test_a_picture_cut_short_is_an_error_at_its_line(mini_copy: Path, suffix: str) -> None:
    (mini_copy / "images").mkdir()
    whole = mini_copy / "images" / f"whole.{suffix}"
    Image.effect_noise((200, 120), 60).convert("RGB").save(whole)
    data = whole.read_bytes()
    (mini_copy / "images" / f"cut.{suffix}").write_bytes(data[:len(data) * 2 // 3])
    with_image_slide(mini_copy, f"images/whole.{suffix}")
    assert run_cli("validate", "--project", mini_copy).exit_code == 0
    with_image_slide(mini_copy, f"images/cut.{suffix}")
    result = run_cli("build", "--project", mini_copy)
    line = len((mini_copy / "chapters" / "alpha.yaml").read_text(encoding="utf-8").splitlines())
    assert_plain_error(result, f"chapters/alpha.yaml:{line}:",
                       f"image 'images/cut.{suffix}' cannot be read as a picture")


def test_a_chapter_that_is_a_fifo_is_an_error_not_a_wait(mini_copy: Path) -> None:
    chapter = mini_copy / "chapters" / "beta.yaml"
    chapter.unlink()
    os.mkfifo(chapter)  # reading it would wait for a writer forever
    finished = subprocess.run([sys.executable, str(REPO / "cli.py"), "validate", "--project",
                               str(mini_copy)], capture_output=True, text=True, timeout=60,
                              check=False)
    assert finished.returncode == 1, finished.stderr
    assert "Traceback" not in finished.stderr
    assert "chapters/beta.yaml" in finished.stderr
