"""Images in a guide (publish.guide.figures): a file in the guide's folder with its alt text, or a
problem naming the file, the line and the fix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import FIXTURES, draw_figures
from publish.errors import GuideError
from publish.guide.model import Figure, Paragraph
from publish.guide.source import load_guide

GOOD = (FIXTURES / "good.md").read_text(encoding="utf-8")
IMAGE_LINE = 16  # the line after "A paragraph." and a blank line in good.md


def guide_with(folder: Path, text: str, where: str = "A paragraph.\n") -> Path:
    """good.md in `folder` with `text` after `where`; the dressed fixture's images beside it."""
    draw_figures(folder)
    path = folder / "g.md"
    path.write_text(GOOD.replace(where, where + "\n" + text + "\n", 1), encoding="utf-8")
    return path


def problems_of(path: Path) -> list:
    with pytest.raises(GuideError) as caught:
        load_guide(path)
    return caught.value.problems


def test_an_image_on_its_own_line_is_a_figure_with_alt_and_caption(tmp_path):
    guide = load_guide(guide_with(tmp_path, '![An orange circle](images/field.png "At *noon*")\n\n'
                                            "![decorative](./images/rule.png)"))
    figures = guide.figures
    assert [(f.name, f.alt, f.caption, f.decorative, f.where.line) for f in figures] == [
        ("images/field.png", "An orange circle", "At *noon*", False, IMAGE_LINE),
        ("images/rule.png", "", "", True, IMAGE_LINE + 2)]
    assert figures[0].source == (tmp_path / "images" / "field.png").resolve()
    blocks = guide.sections[0].blocks
    assert isinstance(blocks[0], Paragraph) and isinstance(blocks[1], Figure) and isinstance(blocks[2], Figure)


def test_a_guide_moved_elsewhere_reads_its_images_from_there(tmp_path):
    guide = load_guide(guide_with(tmp_path, "![An orange circle](images/field.png)"))
    moved = guide.with_images_in(Path("/scratch/guide"))
    assert moved.figures[0].source == Path("/scratch/guide/images/field.png")
    assert guide.figures[0].source.parent == (tmp_path / "images").resolve()  # the original is unchanged


REFUSED = {
    "remote": ("![A pixel](http://tracker.example/p.png)", "is on another server", "guides/images/"),
    "https": ("![A pixel](https://cdn.example/p.png)", "is on another server", "guides/images/"),
    "scheme-relative": ("![A pixel](//cdn.example/p.png)", "is on another server", "guides/images/"),
    "file-url": ("![A disk](file:///etc/hosts)", "is an address, not a file", "copy the image"),
    "data-url": ("![A dot](data:image/png;base64,iVBORw0KGgo=)", "is an address, not a file", "copy the image"),
    "absolute": ("![Hosts](/etc/hosts)", "outside the guide's folder", "images/name.jpg"),
    "parent": ("![Up](../outside.png)", "outside the guide's folder", "without `..`"),
    "missing": ("![Gone](images/gone.png)", "does not exist", "check the file name"),
    "no-alt": ("![](images/field.png)", "has no alt text", "![decorative]"),
    "blank-alt": ("![  ](images/field.png)", "has no alt text", "for readers who cannot see it"),
    "not-an-image": ("![Notes](notes.png)", "is not a PNG, JPEG or GIF file", "save it as .png"),
    "wrong-ending": ("![A field](images/field.jpg)", "holds PNG data under a .jpg ending", "rename it to end in .png"),
    "in-a-sentence": ("See ![a field](images/field.png) here.", "inside a paragraph of text", "a line of its own"),
    "in-a-list": ("- ![A field](images/field.png)", "can only stand on a line of its own", "out of the list"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_bad_image_is_refused_with_file_line_and_fix(tmp_path, name):
    text, what, hint = REFUSED[name]
    (tmp_path / "notes.png").write_text("not an image", encoding="utf-8")
    draw_figures(tmp_path)
    (tmp_path / "images" / "field.jpg").write_bytes((tmp_path / "images" / "field.png").read_bytes())
    (tmp_path.parent / "outside.png").write_bytes((FIXTURES.parent.parent / "guides" / "README.md").read_bytes()[:10])
    found = problems_of(guide_with(tmp_path, text))
    assert len(found) == 1, [str(p) for p in found]
    assert found[0].path.endswith("g.md") and found[0].line == IMAGE_LINE, str(found[0])
    assert what in found[0].what and hint in found[0].hint, str(found[0])


def test_a_link_out_of_the_folder_is_outside_it(tmp_path):
    outside = tmp_path / "elsewhere"
    draw_figures(outside)
    folder = tmp_path / "project"
    path = guide_with(folder, "![A field](images/linked.png)")
    os.symlink(outside / "images" / "field.png", folder / "images" / "linked.png")
    assert "outside the guide's folder" in problems_of(path)[0].what


@pytest.mark.parametrize("where, place", [("Teamwork: 80\n", "a ``` block"), ("Ana: Hello there.\n", "the lesson")])
def test_an_image_in_a_block_or_the_lesson_is_refused_at_its_line(tmp_path, where, place):
    path = guide_with(tmp_path, "![A field](images/field.png)", where=where)
    line = path.read_text(encoding="utf-8").split("\n").index("![A field](images/field.png)") + 1
    found = problems_of(path)
    assert any("can only stand on a line of its own" in p.what for p in found), place
    assert {p.line for p in found} == {line}, [str(p) for p in found]  # (the block or lesson says its own, too)


def test_an_oversized_image_is_refused(tmp_path):
    path = guide_with(tmp_path, "![Big](images/big.png)")
    with open(tmp_path / "images" / "big.png", "wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n")
        handle.truncate(10_000_001)
    found = problems_of(path)
    assert "over the limit of 10 MB" in found[0].what and found[0].line == IMAGE_LINE


def test_check_refuses_a_remote_image_and_a_missing_alt_with_their_lines(tmp_path, capsys):
    from publish.cli import main

    path = guide_with(tmp_path, "![A pixel](https://tracker.example/p.gif)\n\n![](images/field.png)")
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"g.md:{IMAGE_LINE}: the image `https://tracker.example/p.gif` is on another server" in err
    assert f"g.md:{IMAGE_LINE + 2}: the image `images/field.png` has no alt text" in err
