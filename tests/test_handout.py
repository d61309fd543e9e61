"""Handouts read back with independent readers: pypdf and poppler's pdfinfo / pdftotext."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import BASE_URL, FIXTURES, REFERENCE_GUIDE
from publish.config import load_config
from publish.outputs.files import EDITIONS, STANDARD
from publish.outputs.handout import HandoutRequest, render_handout, render_html
from publish.guide.source import load_guide, parse_guide
from publish.audio.timeline import Timeline

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


def pdfs(project: Path, slug: str = "machine-learning-engineer") -> tuple[Path, Path]:
    folder = project / "output" / slug
    return folder / f"{slug}.pdf", folder / f"{slug}-large-print.pdf"


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def text_of(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_standard_handout_pages_and_metadata(tone_project):
    standard, _ = pdfs(tone_project)
    reader = PdfReader(standard)
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == (595.3, 841.9)
    assert 4 <= len(reader.pages) <= 16
    info = pdfinfo(standard)
    assert info["Tagged"] == "yes"
    assert info["Title"] == "Machine Learning Engineer"
    assert reader.trailer["/Root"].get("/Lang") == "en"
    assert "pdfuaid" in reader.xmp_metadata.rdf_root.toxml() if reader.xmp_metadata else False


def test_sections_in_order_with_labels(tone_project):
    guide = load_guide(REFERENCE_GUIDE)
    # letter-spaced labels come out of pdftotext with stray spaces: compare without white space
    text = "".join(text_of(pdfs(tone_project)[0]).split())
    position = 0
    for section in guide.sections:
        heading = "".join(f"{section.number:02d} · {section.label.upper()}".split())
        label_at = text.find(heading, position)
        assert label_at >= position, heading
        found = text.find("".join(section.title.split()), label_at)
        assert found > label_at, section.title
        position = found


def test_outline_has_every_section(tone_project):
    reader = PdfReader(pdfs(tone_project)[0])
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    guide = load_guide(REFERENCE_GUIDE)
    for section in guide.sections:
        assert any(section.title in t for t in titles), section.title
    assert any("Audio guide transcript" in t for t in titles)


def test_transcript_times_match_the_audio(tone_project):
    folder = tone_project / "output" / "machine-learning-engineer"
    timeline = Timeline.from_json((folder / "machine-learning-engineer.timeline.json").read_text())
    text = text_of(pdfs(tone_project)[0])
    for turn in timeline.turns:
        whole = turn.start // timeline.sample_rate  # truncated to the second, as the reference format prints it
        assert f"{whole // 60:02d}:{whole % 60:02d}" in text
    assert re.search(r"00:00\s+Maya:\s+Hello and welcome", text)


def test_every_transcript_turn_names_its_speaker_in_both_editions(tone_project):
    folder = tone_project / "output" / "machine-learning-engineer"
    timeline = Timeline.from_json((folder / "machine-learning-engineer.timeline.json").read_text())
    for handout in pdfs(tone_project):
        read = subprocess.run(["pdftotext", str(handout), "-"], capture_output=True, text=True, check=True).stdout
        text = " ".join(read.split())
        for turn in timeline.turns:
            whole = turn.start // timeline.sample_rate
            opening = " ".join(turn.text.split()[:3])
            assert f"{whole // 60:02d}:{whole % 60:02d} {turn.speaker}: {opening}" in text, (handout.name, opening)
    # The text transcript keeps the reference format: time, two spaces, the words.
    assert re.match(r"^00:00  Hello and welcome", (folder / "machine-learning-engineer.txt").read_text().split("\n")[3])


def test_skill_ratings_printed_as_numbers(tone_project):
    text = text_of(pdfs(tone_project)[0])
    for rating in ("92/100", "76/100", "90/100", "94/100", "88/100"):
        assert rating in text


def font_sizes(path: Path) -> list[float]:
    sizes = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            sizes.append(round(font_size * scale, 1))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_large_print_is_at_least_17_5_pt(tone_project):
    standard, large = pdfs(tone_project)
    sizes = font_sizes(large)
    assert min(sizes) >= 17.5 - 0.05, sorted(set(sizes))[:5]
    assert max(font_sizes(standard)) < 30 and min(font_sizes(standard)) < 12
    assert len(PdfReader(large).pages) > len(PdfReader(standard).pages)
    assert pdfinfo(large)["Tagged"] == "yes"


def test_large_print_has_no_italics(tone_project):
    fonts = subprocess.run(["pdffonts", str(pdfs(tone_project)[1])], capture_output=True, text=True, check=True).stdout
    assert fonts.count("\n") > 3, "pdffonts listed the fonts"
    assert "Oblique" not in fonts and "Italic" not in fonts
    assert "Serif" not in fonts.replace("Sans", "")


def test_letter_paper_and_qr_code(tone_project, tmp_path):
    guide = load_guide(REFERENCE_GUIDE)
    config = load_config(tone_project)
    request = HandoutRequest(guide, None, STANDARD, "letter", config.templates_dir, "Career Compass",
                             f"{BASE_URL}machine-learning-engineer/")
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(render_handout(request))
    box = PdfReader(pdf).pages[0].mediabox
    assert (float(box.width), float(box.height)) == LETTER
    text = text_of(pdf)
    assert f"{BASE_URL}machine-learning-engineer/" in text
    assert "has not been built yet" in text
    # The QR code, read as a phone would read it: the page drawn by poppler, decoded by zxing-cpp.
    import zxingcpp
    from PIL import Image

    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True)
    [drawn] = tmp_path.glob("page*.png")
    codes = zxingcpp.read_barcodes(Image.open(drawn))
    assert [code.text for code in codes if code.format == zxingcpp.BarcodeFormat.QRCode] == \
        [f"{BASE_URL}machine-learning-engineer/"]


def test_guide_text_cannot_inject_markup():
    text = (FIXTURES / "good.md").read_text().replace(
        "A paragraph.", "<script>alert(1)</script> {{ 7*7 }} {% if 1 %}x{% endif %} <img src=\"file:///etc/passwd\">")
    guide = parse_guide(text, "good.md", folder=FIXTURES)
    html = render_html(HandoutRequest(guide, None, STANDARD, "a4", Path(__file__).parent.parent / "publish" / "outputs" / "templates",
                                      "P", None))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html
    assert '<img src="file:///etc/passwd">' not in html


def test_files_outside_allowed_folders_are_not_fetched(tmp_path):
    from publish.outputs.handout import restricted_fetcher

    fetcher = restricted_fetcher((tmp_path,))
    (tmp_path / "ok.css").write_text("p{}")
    assert fetcher.fetch((tmp_path / "ok.css").as_uri()) is not None
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.org/a.css"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    outside = tmp_path.parent / "outside-secret.txt"
    outside.write_text("secret")
    (tmp_path / "link.txt").symlink_to(outside)
    with pytest.raises(ValueError):
        fetcher.fetch((tmp_path / "link.txt").as_uri())


TEMPLATES = Path(__file__).parent.parent / "publish" / "outputs" / "templates"
EDITION_AND_PAPER = [(edition, paper) for edition in EDITIONS for paper in ("a4", "letter")]


def pages_of(pdf: bytes) -> list[str]:
    from io import BytesIO

    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def many_pathways() -> str:
    """The small guide with ten pathways, each after a paragraph of a different length: wherever the
    page breaks fall, several of them start near the foot of a page."""
    sections = []
    for number in range(10):
        steps = "".join(f"Step{number}x{step}: {step + 1} years\n" for step in range(6))
        words = " ".join(["Some words on how people move up in this job."] * (number % 4 + 1))
        sections.append(f"## P{number} | Pathway {number}\n\n{words}\n\n```pathway\n{steps}```\n\n")
    return (FIXTURES / "good.md").read_text().replace("# Audio lesson", "".join(sections) + "# Audio lesson")


@pytest.mark.parametrize("edition, paper", EDITION_AND_PAPER, ids=lambda value: getattr(value, "name", value))
def test_a_pathway_that_fits_on_a_page_is_kept_on_one(edition, paper):
    guide = parse_guide(many_pathways(), "good.md", folder=FIXTURES)
    pages = pages_of(render_handout(HandoutRequest(guide, None, edition, paper, TEMPLATES, "P", None)))
    for number in range(10):
        holding = {index for index, text in enumerate(pages) for step in range(6) if f"Step{number}x{step}" in text}
        assert len(holding) == 1, f"pathway {number} is split over pages {sorted(holding)}"


def lowest_text(pdf: bytes, page: int) -> float:
    """How far down page `page` (0-based) its last line of text reaches, as a share of the page's
    height, not counting the page number in the bottom margin."""
    bbox = subprocess.run(["pdftotext", "-bbox", "-f", str(page + 1), "-l", str(page + 1), "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', bbox).group(1))
    bottoms = [float(y) for y in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)"', bbox)]
    return max(y for y in bottoms if y < height - 62) / height  # 62 pt: the 22 mm bottom margin


@pytest.mark.parametrize("edition, paper", EDITION_AND_PAPER, ids=lambda value: getattr(value, "name", value))
def test_no_page_is_left_mostly_blank_before_the_transcript(tone_project, edition, paper):
    folder = tone_project / "output" / "machine-learning-engineer"
    timeline = Timeline.from_json((folder / "machine-learning-engineer.timeline.json").read_text())
    pdf = render_handout(HandoutRequest(load_guide(REFERENCE_GUIDE), timeline, edition, paper, TEMPLATES, "P", None))
    pages = pages_of(pdf)
    starts = next(index for index, text in enumerate(pages) if "Audio guide transcript" in text)
    assert lowest_text(pdf, starts - 1) > 0.75, f"page {starts} is mostly blank before the transcript"
