"""Guides in Chinese, Japanese and Hindi in print and on screen: every character drawn (read back by
pdftotext), the faces for each script embedded as subsets (pdffonts, and the book's own), Han
characters in the language's shapes, each document saying its language, CJK lines that keep their
closing marks, captions that fit the language's line, and the field's checkers (PDF/UA-1, EPUBCheck,
Ace, axe) finding nothing."""

from __future__ import annotations

import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest

from conftest import AXE, FIXTURES, epubcheck, keep_screenshot, make_project, run_build, serving
from test_accessibility import WCAG_AA, ace_report, pdf_ua_failures
from test_handout import font_sizes

SLUGS = {"zh": "zh-Hans", "ja": "ja", "hi": "hi"}
# The face each language's text must be drawn with (its PostScript name as pdffonts lists it).
FACES = {"zh": "Noto-Sans-CJK-SC", "ja": "Noto-Sans-CJK-JP", "hi": "Noto-Sans-Devanagari"}
CLOSING = "、。，．：；！？）」』】》"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("scripts"), guides=[FIXTURES / f"{slug}.md" for slug in SLUGS])
    report = run_build(project)
    assert report.ok, [r.problems for r in report.results]
    return project


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def written_characters(slug: str) -> set[str]:
    """Every letter, mark and punctuation character of the guide that is not ASCII: what only the
    script's faces draw (front matter keys, block kinds and Markdown marks are ASCII). The handouts
    show neither the lesson's part titles (the transcript lists turns) nor a day entry's dash."""
    text = (FIXTURES / f"{slug}.md").read_text(encoding="utf-8")
    guide, _, lesson = text.partition("\n# ")
    text = guide + re.sub(r"(?m)^## .*$", "", lesson)
    text = re.sub(r"(?m)^- (\d{1,2}:\d\d) — ", r"\1 ", text)
    return {c for c in text if ord(c) > 127 and unicodedata.category(c)[0] in "LMPNS"}


@pytest.mark.parametrize("slug", sorted(SLUGS))
def test_every_character_of_the_guide_is_drawn_and_read_back(project, slug):
    folder = project / "output" / slug
    for pdf in (folder / f"{slug}.pdf", folder / f"{slug}-large-print.pdf"):
        shown = set(pdf_text(pdf))
        assert written_characters(slug) - shown == set(), pdf.name
        assert "\ufffd" not in shown and "□" not in shown


@pytest.mark.parametrize("slug", sorted(SLUGS))
def test_the_scripts_faces_are_embedded_as_subsets_in_the_languages_shapes(project, slug):
    for pdf in (project / "output" / slug).glob("*.pdf"):
        rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        assert rows and all(re.search(r"\byes\s+yes\s+yes\b", row) for row in rows), rows  # embedded, subset, Unicode
        names = [row.split()[0].split("+", 1)[1] for row in rows]
        assert any(name.startswith(FACES[slug]) for name in names), names
        # Chinese never drawn with Japanese shapes, nor Japanese with Chinese ones.
        other = {"zh": "CJK-JP", "ja": "CJK-SC"}.get(slug)
        assert not other or not any(other in name for name in names), names


@pytest.mark.parametrize("slug", sorted(SLUGS))
def test_every_document_and_part_says_its_language(project, slug):
    from pypdf import PdfReader

    language = SLUGS[slug]
    folder = project / "output" / slug
    assert f'<html lang="{language}"' in (folder / "index.html").read_text(encoding="utf-8")
    assert f'lang="{language}"' in (project / "output" / "index.html").read_text(encoding="utf-8")  # its card
    for pdf in folder.glob("*.pdf"):
        assert str(PdfReader(pdf).trailer["/Root"]["/Lang"]) == language
    with zipfile.ZipFile(folder / f"{slug}.epub") as book:
        pages = [book.read(name).decode("utf-8") for name in book.namelist() if name.endswith(".xhtml")]
    assert pages and all(f'xml:lang="{language}"' in page for page in pages)


@pytest.mark.parametrize("slug", sorted(SLUGS))
def test_the_book_carries_faces_that_draw_every_character_it_holds(project, slug):
    from fontTools.ttLib import TTFont

    with zipfile.ZipFile(project / "output" / slug / f"{slug}.epub") as book:
        files = {name: book.read(name) for name in book.namelist()}
    faces = {name: data for name, data in files.items() if name.startswith("EPUB/fonts/")}
    assert len(faces) == 2 and all(len(data) < 400_000 for data in faces.values()), {n: len(d) for n, d in faces.items()}
    text = " ".join(re.sub(r"<[^>]+>", " ", data.decode("utf-8")) for name, data in files.items()
                    if name.endswith(".xhtml"))
    # The script's letters and marks, and CJK punctuation; symbols (☐, ·) are the reading system's.
    wanted = {ord(c) for c in text if ord(c) > 127 and (unicodedata.category(c)[0] in "LM" or 0x3000 <= ord(c) <= 0x30ff
                                                          or 0xff00 <= ord(c) <= 0xffef)}
    for name, data in faces.items():
        import io

        drawn = set(TTFont(io.BytesIO(data)).getBestCmap())
        assert wanted - drawn == set(), name
    assert all('href="fonts.css"' in data.decode("utf-8") for name, data in files.items() if name.endswith(".xhtml"))
    assert '@font-face' in files["EPUB/fonts.css"].decode("utf-8")


@pytest.mark.parametrize("slug", sorted(SLUGS))
def test_epubcheck_and_pdf_ua_find_nothing(project, slug):
    report = epubcheck(project / "output" / slug / f"{slug}.epub")
    assert "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos" in report, report
    for pdf in (project / "output" / slug).glob("*.pdf"):
        rules, failures = pdf_ua_failures(pdf)
        assert rules == 104 and failures == [], (pdf.name, failures)


def test_large_print_in_every_script(project):
    for slug in SLUGS:
        sizes = font_sizes(project / "output" / slug / f"{slug}-large-print.pdf")
        assert sizes and min(sizes) >= 17.5 - 0.05, (slug, sorted(set(sizes))[:5])


def test_chinese_and_japanese_lines_never_start_with_a_closing_mark(tmp_path):
    """Pango breaks CJK lines between characters by Unicode's line breaking rules, which keep the
    kinsoku: a narrow column of text thick with marks, drawn and read back line by line."""
    from weasyprint import CSS, HTML

    from conftest import ROOT

    sheet = CSS(filename=str(ROOT / "publish" / "outputs" / "templates" / "handout.css"))
    for language, text in (("zh-Hans", "电工在新房子里布线，在老房子里排查故障。这份工作要求细心（非常细心），“一个小错误”就可能引起火灾。" * 6),
                           ("ja", "保育士は、食事や昼寝、遊びを通して子どもの一日を組み立てます。「小さな変化」に気づき、保護者に伝えます。" * 6)):
        for width in range(7, 15):
            pdf = tmp_path / f"{language}-{width}.pdf"
            HTML(string=f'<html lang="{language}"><body><p style="width: {width}.3em">{text}</p></body></html>').write_pdf(
                pdf, stylesheets=[sheet])
            lines = [line.strip() for line in pdf_text(pdf).splitlines() if line.strip()]
            assert len(lines) > 10 and not [line for line in lines if line[0] in CLOSING], (language, width, lines)
            assert not [line for line in lines if line[-1] in "（「『【《“"], (language, width)


@pytest.mark.parametrize("language, shown", [("zh-Hans", "462字节"), ("ja", "462 バイト"), ("hi", "462 बाइट"),
                                             ("fr", "462 octets"), ("en-GB", "462 bytes")])
def test_file_sizes_say_bytes_in_the_language(language, shown):
    from publish.outputs.shown import human_size

    assert human_size(462, language).replace("\u00a0", " ") == shown


def word_ends(text: str, language: str) -> set[int]:
    """Where the words of `text` end, by the word breakers the languages' own tools use (fugashi over
    UniDic for Japanese, jieba for Chinese): read here independently of the captions' phrases."""
    if language == "ja":
        import fugashi

        words = [word.surface for word in fugashi.Tagger()(text)]
    else:
        import jieba

        words = jieba.lcut(text)
    ends, at = set(), 0
    for word in words:
        at = text.index(word, at) + len(word)
        ends.add(at)
    return ends


@pytest.mark.parametrize("slug, width", [("zh", 16), ("ja", 13)])
def test_captions_wrap_by_characters_at_the_languages_line_length(project, slug, width):
    import webvtt

    from publish.audio.timeline import Timeline

    folder = project / "output" / slug
    captions = list(webvtt.read(str(folder / f"{slug}.vtt")))
    lines = [line for caption in captions for line in caption.text.splitlines()]
    assert lines and max(len(line) for line in lines) <= width, lines
    assert not [line for line in lines if line[0] in CLOSING]
    assert all(len(caption.text.splitlines()) <= 2 for caption in captions)
    timeline = Timeline.from_json((folder / f"{slug}.timeline.json").read_text(encoding="utf-8"))
    said = "".join(sentence.text for turn in timeline.turns for sentence in turn.sentences)
    assert "".join(lines).replace(" ", "") == said.replace(" ", "")  # nothing lost at a break
    # Every line ends where a word does: no word is cut in two across lines or cues (spaces left out).
    ends, start = set(), 0
    for sentence in (sentence.text for turn in timeline.turns for sentence in turn.sentences):
        ends |= {start + end for end in word_ends(sentence.replace(" ", ""), slug)}
        start += len(sentence.replace(" ", ""))
    at = 0
    for line in lines:
        at += len(line.replace(" ", ""))
        assert at in ends, (said.replace(" ", "")[at - 10:at], said.replace(" ", "")[at:at + 10])


@pytest.mark.browser
@pytest.mark.parametrize("slug", sorted(SLUGS))
def test_daisy_ace_finds_no_violation_in_the_book(project, tmp_path, slug):
    report = ace_report(project / "output" / slug / f"{slug}.epub", tmp_path / "ace")
    violations = [f"{a['earl:testSubject']['url']}: {b['earl:test']['dct:title']}"
                  for a in report["assertions"] for b in a.get("assertions", [])]
    assert violations == [] and report["earl:result"]["earl:outcome"] == "pass"


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 360])
def test_axe_finds_nothing_on_the_pages_at_desktop_and_phone_width(project, browser, width):
    with serving(project / "output") as address:
        for path in ["index.html", *(f"{slug}/index.html" for slug in SLUGS)]:
            context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
            page = context.new_page()
            page.goto(f"{address}/{path}")
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
            assert [f"{v['id']}: {v['help']} {v['nodes'][0]['target']}" for v in result["violations"]] == [], path
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
            keep_screenshot(page, path.replace("/", "-").replace(".html", f"-{width}.png"))
            context.close()


@pytest.mark.parametrize("language, text, cut", [
    ("ja", "看護師は朝7:30に申し送りをします。", ["看護師は", "朝", "7:30に", "申し送りを", "します。"]),
    ("ja", "よろしくお願いします、さくらさん。", ["よろしく", "お願いします、", "さくらさん。"]),
    ("ja", "データを確認して、年収は約600万円で「リーダー」になれます！",
     ["データを", "確認して、", "年収は", "約600万円で", "「リーダー」に", "なれます！"]),
    ("zh", "他说：“AI 很重要。”数据科学家每天早上七点半上班。",
     ["他", "说：", "“AI ", "很", "重要。”", "数据", "科学家", "每天", "早上", "七点", "半", "上班。"]),
])
def test_caption_lines_break_between_phrases(language, text, cut):
    from publish.text.phrases import phrases

    assert list(phrases(text, language)) == cut
