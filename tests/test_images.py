"""A guide's images in every format (publish.outputs.images): copies named by their bytes beside the
page, drawn in both handouts (larger in large print), carried in the book; none from elsewhere."""

from __future__ import annotations

import hashlib
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import AXE, dressed_project, epubcheck, keep_screenshot, run_build, serving

ALT = "An orange circle on a green field"


@pytest.fixture(scope="module")
def dressed(tmp_path_factory) -> Path:
    project = dressed_project(tmp_path_factory.mktemp("images"))
    report = run_build(project)
    assert report.ok, [r.problems for r in report.results]
    return project


def image_tags(page: Path) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []

    class Images(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "img":
                found.append({name: value or "" for name, value in attrs})

    Images().feed(page.read_text(encoding="utf-8"))
    return found


def named_by_bytes(source: Path) -> str:
    return f"{source.stem}-{hashlib.sha256(source.read_bytes()).hexdigest()[:12]}{source.suffix}"


def test_the_page_shows_copies_named_by_their_bytes_and_nothing_from_elsewhere(dressed):
    folder, images = dressed / "output" / "good", dressed / "guides" / "images"
    tags = image_tags(folder / "index.html")
    assert [(t["src"], t["alt"], t.get("role")) for t in tags] == [
        (f"images/{named_by_bytes(images / 'field.png')}", ALT, None),
        (f"images/{named_by_bytes(images / 'rule.png')}", "", "presentation")]
    for tag, name in zip(tags, ("field.png", "rule.png")):
        assert (folder / tag["src"]).read_bytes() == (images / name).read_bytes()
    assert (int(tags[0]["width"]), int(tags[0]["height"])) == (480, 240)
    assert sorted(p.name for p in (folder / "images").iterdir()) == sorted(t["src"][7:] for t in tags)


def pdf_images(pdf: Path) -> list[tuple[int, int, int]]:
    """(width, height, horizontal pixels per inch) of every image drawn in the PDF, by pdfimages."""
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    return [(int(row[3]), int(row[4]), int(row[12])) for row in rows]


def test_both_handouts_draw_the_image_and_large_print_draws_it_larger(dressed):
    folder = dressed / "output" / "good"
    standard = [ppi for width, height, ppi in pdf_images(folder / "good.pdf") if (width, height) == (480, 240)]
    large = [ppi for width, height, ppi in pdf_images(folder / "good-large-print.pdf") if (width, height) == (480, 240)]
    assert len(standard) == 1 and len(large) == 1
    assert 94 <= standard[0] <= 98  # its own size: 480 CSS pixels, 127 mm
    assert large[0] <= 72  # the column's whole width, about 178 mm


def test_in_the_handouts_the_figure_has_its_alt_text_and_the_decoration_is_not_read(dressed):
    import page
    from pypdf import PdfReader

    for name in ("good.pdf", "good-large-print.pdf"):
        pdf = dressed / "output" / "good" / name
        report = page.validate_pdf(pdf, profile="ua1").to_dict()
        assert report["rules"]["total"] == 104 and report["failures"] == [], (name, report["failures"])
        alts = []

        def walk(node):
            node = node.get_object()
            if node.get("/S") == "/Figure":
                alts.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, list) else [kids] if kids is not None else []):
                if hasattr(kid.get_object(), "get"):
                    walk(kid)

        walk(PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"])
        # the cover, the QR code and the figure; the decorative rule is no figure at all
        assert sorted(alts) == sorted(["A blue square", ALT, alts[1]]) and alts[1].startswith("QR code"), alts


def test_the_book_carries_each_image_and_passes_epubcheck(dressed):
    book = dressed / "output" / "good" / "good.epub"
    images = dressed / "guides" / "images"
    with zipfile.ZipFile(book) as opened:
        names = set(opened.namelist())
        for source in (images / "field.png", images / "rule.png"):
            assert opened.read(f"EPUB/images/{named_by_bytes(source)}") == source.read_bytes()
        package = ElementTree.fromstring(opened.read("EPUB/package.opf"))
        text = opened.read("EPUB/guide.xhtml").decode("utf-8")
    ns = {"opf": "http://www.idpf.org/2007/opf"}
    listed = {item.get("href"): item.get("media-type") for item in package.iterfind(".//opf:item", ns)}
    assert listed[f"images/{named_by_bytes(images / 'field.png')}"] == "image/png"
    assert {f"EPUB/{href}" for href in listed} == names - {"mimetype", "META-INF/container.xml", "EPUB/package.opf"}
    assert "visual" in [m.text for m in package.iterfind(".//opf:meta[@property='schema:accessMode']", ns)]
    assert f'alt="{ALT}"' in text and "<figcaption>The field at <em>noon</em></figcaption>" in text
    assert "0 fatals / 0 errors / 0 warnings" in epubcheck(book)


def test_a_changed_image_rebuilds_what_shows_it_and_drops_its_old_copy(tmp_path):
    from PIL import Image

    project = dressed_project(tmp_path / "p")
    assert run_build(project).ok
    field = project / "guides" / "images" / "field.png"
    old_copy = project / "output" / "good" / "images" / named_by_bytes(field)
    Image.new("RGB", (480, 240), "#6a1b9a").save(field)
    report = run_build(project)
    assert report.ok and report.speech.synthesized == 0
    assert sorted(report.results[0].built) == ["epub", "pdf", "web"]
    assert not old_copy.exists()
    assert (project / "output" / "good" / "images" / named_by_bytes(field)).read_bytes() == field.read_bytes()
    assert run_build(project).results[0].built == ()
    # Without its images, the guide's page keeps no copies.
    guide = project / "guides" / "good.md"
    guide.write_text(guide.read_text().replace("![decorative](images/rule.png)\n", "").replace(
        '![An orange circle on a green field](images/field.png "The field at *noon*")\n', ""))
    assert run_build(project).ok
    assert not (project / "output" / "good" / "images").exists()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 360])
def test_the_page_shows_the_image_within_the_screen_and_asks_no_other_server(browser, dressed, width):
    with serving(dressed / "output") as address:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{address}/good/index.html")
        page.wait_for_load_state("networkidle")
        shown = page.evaluate("""() => [...document.querySelectorAll('.figure img')].map(i =>
            [i.naturalWidth, i.getBoundingClientRect().width, i.getBoundingClientRect().right])""")
        keep_screenshot(page, f"images-{width}.png")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
                                   ".then(r => r.violations.map(v => v.id))")
        context.close()
    assert violations == []
    assert [natural for natural, _, _ in shown] == [480, 900]  # both decoded
    assert all(right <= width for _, _, right in shown)
    assert requested and all(url.startswith(address) for url in requested), requested
