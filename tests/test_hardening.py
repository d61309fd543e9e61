"""Bad, hostile and faulty conditions: every one ends in a clear error or a correct build, never a mess."""

from __future__ import annotations

import errno
import io
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import zipfile
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

import pytest
import srt
import webvtt
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from conftest import FIXTURES, REFERENCE_GUIDE, SHORT_GUIDE, light_project, make_project, run_build
from publish.cli import main
from publish.errors import GuideError, OutputError
from publish.ffmpeg import decode
from publish.outputs.files import STANDARD
from publish.outputs.handout import HandoutRequest, render_handout
from publish.guide.source import load_guide, parse_guide
from publish.writer import write_bytes_atomic

BAD = sorted((FIXTURES / "bad").glob("*.md"))
PROBLEM_LINE = re.compile(r"^(?P<path>[^:]+\.md):(?P<line>\d+): .+ — .+$")


def test_the_corpus_is_large_enough():
    assert len(BAD) >= 40


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_cli_reports_file_line_and_hint_without_traceback(path, capsys):
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    *problems, closing = err.splitlines()
    assert re.fullmatch(r"\d+ problems? found in the guides checked\.", closing), closing
    assert problems and all(PROBLEM_LINE.match(line) for line in problems), err
    assert all(PROBLEM_LINE.match(line)["path"].endswith(path.name) for line in problems)


def test_enormous_file_is_refused_before_reading(tmp_path):
    huge = tmp_path / "huge.md"
    huge.write_text((FIXTURES / "good.md").read_text() + ("Ana: words. " * 200 + "\n\n") * 600)
    with pytest.raises(GuideError, match="over the limit"):
        load_guide(huge)


def test_enormous_line_is_refused(tmp_path):
    text = (FIXTURES / "good.md").read_text().replace("A paragraph.", "word " * 3000)
    with pytest.raises(GuideError, match="characters long"):
        parse_guide(text, "long.md")


def test_enormous_lesson_is_refused():
    text = (FIXTURES / "good.md").read_text() + "\n".join(f"\nAna: {'many words here ' * 300}" for _ in range(30))
    with pytest.raises(GuideError, match="over the limit of 20,000"):
        parse_guide(text, "long-lesson.md")


GOOD = (FIXTURES / "good.md").read_text()
REFERENCE = REFERENCE_GUIDE.read_text()


@st.composite
def mutated_guides(draw):
    text = draw(st.sampled_from([GOOD, REFERENCE]))
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        kind = draw(st.sampled_from(["delete", "insert", "duplicate", "swap", "replace"]))
        at = draw(st.integers(0, len(lines) - 1))
        if kind == "delete":
            del lines[at:at + draw(st.integers(1, 5))]
        elif kind == "insert":
            lines.insert(at, draw(st.text(max_size=80)))
        elif kind == "duplicate":
            lines.insert(at, lines[draw(st.integers(0, len(lines) - 1))])
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        else:
            line = lines[at]
            if line:
                cut = draw(st.integers(0, len(line)))
                lines[at] = line[:cut] + draw(st.text(alphabet=":-#`[]{}|>*%&!\"' \t\r\x00é9", max_size=6)) + line[cut:]
        text = "\n".join(lines)
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_guides())
def test_parser_returns_a_guide_or_our_error(text):
    try:
        guide = parse_guide(text, "mutated.md")
    except GuideError as error:
        assert error.problems and all(p.line >= 1 and p.hint for p in error.problems)
    else:
        assert guide.title and guide.lesson.turns


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_parser_survives_arbitrary_bytes(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "random.md"
    path.write_bytes(data)
    try:
        load_guide(path)
    except GuideError as error:  # ours, naming the file, a line and what to do
        assert error.problems and all(p.path.endswith("random.md") and p.line >= 1 and p.hint
                                      for p in error.problems), error.problems


class CountingServer:
    def __init__(self):
        self.hits = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.hits += 1
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def test_no_network_or_outside_file_reaches_a_handout(tmp_path):
    server = CountingServer()
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    folder = tmp_path / "guide"
    folder.mkdir()
    (folder / "escape.png").symlink_to(secret)
    hostile = (f"![remote]({server.url}/image.png) ![local](file://{secret}) ![link](escape.png) "
               f"<img src=\"file:///etc/passwd\"> <style>@import url({server.url}/x.css);</style>")
    with pytest.raises(GuideError) as caught:  # the reader refuses the images, at their line
        parse_guide(GOOD.replace("A paragraph.", hostile), str(folder / "g.md"), folder=folder)
    assert [(p.line, p.what.split("` ")[-1]) for p in caught.value.problems] == [
        (14, "is on another server"), (14, "is an address, not a file in the project"),
        (14, "an image is inside a paragraph of text")]
    # Behind the reader, the renderer and WeasyPrint's fetcher hold on their own: the text as given.
    guide = parse_guide(GOOD, str(folder / "g.md"), folder=folder)
    first = guide.sections[0]
    hostile_block = replace(first.blocks[0], text=hostile)
    guide = replace(guide, sections=(replace(first, blocks=(hostile_block,) + first.blocks[1:]),) + guide.sections[1:])
    templates = Path(__file__).parent.parent / "publish" / "outputs" / "templates"
    pdf = render_handout(HandoutRequest(guide, None, STANDARD, "a4", templates, "P", None))
    server.server.shutdown()
    assert server.hits == 0, "nothing was fetched from the network"
    out = tmp_path / "x.pdf"
    out.write_bytes(pdf)
    text_out = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "TOP-SECRET-CONTENT" not in text_out and "root:x:0" not in text_out
    assert all(not page.images for page in PdfReader(out).pages)


def test_symlinked_cover_pointing_outside_is_refused(tmp_path):
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n")
    folder = tmp_path / "guides"
    folder.mkdir()
    (folder / "cover.png").symlink_to(outside)
    (folder / "g.md").write_text(GOOD.replace("updated:", "cover: cover.png\nupdated:"))
    with pytest.raises(GuideError, match="outside the guide's folder"):
        load_guide(folder / "g.md")


def test_disk_full_is_a_clear_error_and_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "lesson.mp3"
    write_bytes_atomic(target, b"previous")
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    with pytest.raises(OutputError, match="free some disk space"):
        write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lesson.mp3"]


def valid(path: Path) -> None:
    """The file is complete and readable for what it is."""
    data = path.read_bytes()
    assert data, path
    if path.suffix == ".mp3":
        assert len(decode(path, 44100)) > 44100
    elif path.suffix == ".pdf":
        assert len(PdfReader(path).pages) >= 1
    elif path.suffix == ".json":
        json.loads(data)
    elif path.suffix == ".html":
        assert data.rstrip().endswith(b"</html>") or path.name.endswith(".transcript.html")
        HTMLParser().feed(data.decode("utf-8"))
    elif path.suffix == ".vtt":
        assert webvtt.from_buffer(io.StringIO(data.decode("utf-8"))).captions, path
    elif path.suffix == ".srt":
        assert list(srt.parse(data.decode("utf-8"))), path
    elif path.suffix == ".xml":
        ElementTree.fromstring(data)
    elif path.suffix == ".epub":
        with zipfile.ZipFile(path) as book:
            assert book.testzip() is None and book.read("mimetype") == b"application/epub+zip"
            ElementTree.fromstring(book.read("EPUB/package.opf"))
    elif path.suffix in (".txt", ".md"):
        assert data.decode("utf-8").strip(), path


def random_edit(guide: Path, chance: random.Random, mark: str) -> None:
    """One edit an editor might make, at random: a lesson turn (a new sentence to speak), a
    section's paragraph (documents and pages only) or the summary (also the MP3's tags)."""
    lines = guide.read_text(encoding="utf-8").split("\n")
    lesson = next(n for n, line in enumerate(lines) if line in ("# Audio lesson", "# Lección de audio"))
    closing = lines.index("---", 1)
    fenced, paragraphs, turns = False, [], []
    for number, line in enumerate(lines):
        fenced = fenced != line.startswith("```")
        if number > closing and not fenced and line.strip() and not line.startswith(("#", "-", "`", "!")):
            (turns if number > lesson else paragraphs).append(number)
    kind = chance.choice(["turn", "paragraph", "summary"])
    number = (next(n for n, line in enumerate(lines) if line.startswith("summary:")) if kind == "summary"
              else chance.choice(turns if kind == "turn" else paragraphs))
    lines[number] += f" {mark}"
    guide.write_text("\n".join(lines), encoding="utf-8")


def files_written_since(folder: Path, since_ns: int) -> int:
    """Files under `folder` written since then; a temporary `.part` file is one being written."""
    count = 0
    for path in folder.rglob("*"):
        try:
            count += path.is_file() and path.stat().st_mtime_ns > since_ns
        except FileNotFoundError:  # a temporary file renamed into place while we looked
            count += 1
    return count


def kill_while_writing(project: Path, chance: random.Random, environment: dict[str, str]) -> tuple[bool, int]:
    """`publish build` in its own process group, SIGKILLed a random moment (0–30 ms) after it has
    started writing outputs; whether it was still running then, and how many files it had written."""
    output, started = project / "output", time.time_ns()
    process = subprocess.Popen([sys.executable, "-m", "publish", "build", "-q"], cwd=project, env=environment,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while process.poll() is None and not files_written_since(output, started) and time.monotonic() < deadline:
        time.sleep(0.002)
    time.sleep(chance.uniform(0, 0.03))
    running = process.poll() is None
    os.killpg(process.pid, 9)  # the whole group: the build and its worker processes
    process.wait()
    return running, files_written_since(output, started)


# Edits in the soak: twelve keep `make test` under 15 minutes on two cores (twenty took 175 s of it).
SOAK_EDITS = 12


def test_random_edits_each_built_under_a_sigkill_mid_write_then_finished(tmp_path):
    """The soak test: three guides in two languages, edited at random 12 times; each build is SIGKILLed while
    it writes, and then every file parses; the next build finishes it, the index lists every guide,
    and the build after that does nothing."""
    project = light_project(tmp_path / "p")
    assert run_build(project).ok
    guides = sorted((project / "guides").glob("*.md"))
    slugs = sorted(path.stem for path in guides)
    chance = random.Random(20261130)
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    before_the_page = 0  # kills that came before the edited guide's page was written
    for attempt in range(SOAK_EDITS):
        guide, mark = chance.choice(guides), f"Take {attempt}."
        random_edit(guide, chance, mark)
        page = project / "output" / guide.stem / "index.html"
        started = time.time_ns()
        running, written = kill_while_writing(project, chance, environment)
        assert running and written >= 1, f"attempt {attempt}: the kill came while the build wrote its files"
        before_the_page += mark not in page.read_text(encoding="utf-8")
        for path in (project / "output").rglob("*"):  # what it wrote (the rest parsed before)
            if path.is_file() and not path.name.startswith(".") and path.stat().st_mtime_ns > started:
                valid(path)
        assert run_build(project).ok
        assert mark in page.read_text(encoding="utf-8")
        assert not list((project / "output").rglob(".*.part")), "stale partial files are cleared"
        index = (project / "output" / "index.html").read_text(encoding="utf-8")
        assert sorted(set(re.findall(r'<h2><a href="([a-z-]+)/index.html">', index))) == slugs, attempt
        again = run_build(project)
        assert [r.built for r in again.results] == [()] * len(slugs) and again.speech.synthesized == 0, attempt
    for path in (project / "output").rglob("*"):
        if path.is_file():
            valid(path)
    # Kills land at random while files are written; a third at least must cut the edited guide's own
    # outputs short (not only the site's pages after them), or the soak tests little.
    assert before_the_page >= SOAK_EDITS // 3, before_the_page


# --- any guide: refused at a line, or built into files that standard readers accept ---------------

# What hostile guides put in text fields, besides random Unicode: markup, template code, caption
# and Markdown syntax, invisible and direction characters, line breaks, escapes and emoji. The
# first ones can be in any accepted guide; the rest must be refused or neutralised.
SURVIVABLE = ["-->", "<script>x</script>", "{{ 7*7 }}", "{% if %}", "&amp;", "]]>", "\u200b", "\u202e", "\u0301",
              "🎉", "'", '"', "%", "0", "12:99", "O'Neil", "WEBVTT", "NOTE", "00:00:01.000 --> 00:00:02.000", " | "]
NASTY = SURVIVABLE + ["\x07", "\n", "\r", "\t", "\\a", ": ", "# ", "## ", "```", "*", "[](https://x.org)",
                      "\ufeff", "\u2028"]
letters = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Lo")), min_size=1, max_size=8)
printable = st.text(st.characters(whitelist_categories=("L", "M", "N", "P", "S", "Zs")), max_size=10)
# Clean text: random printable Unicode and survivable oddities, always with a letter to say.
clean_text = st.tuples(letters, st.lists(st.one_of(printable, st.sampled_from(SURVIVABLE)), max_size=3)).map(
    lambda parts: parts[0] + " " + "".join(parts[1]))
hostile_text = st.lists(st.one_of(st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
                                  st.sampled_from(NASTY)), max_size=3).map("".join)


@st.composite
def generated_guides(draw, hostile: bool | None = None):
    """Half clean guides with random Unicode in every field (these must build), half hostile ones
    (any field may be empty, broken or unsafe; a few lines may be deleted, doubled or inserted)."""
    hostile = draw(st.booleans()) if hostile is None else hostile

    def text() -> str:
        return draw(st.one_of(clean_text, hostile_text) if hostile else clean_text)

    def value() -> str:
        raw = text()
        quoted = json.dumps(raw, ensure_ascii=draw(st.booleans()))
        return draw(st.sampled_from([quoted, raw])) if hostile else quoted

    ana, ben = (first + draw(st.one_of(letters, hostile_text) if hostile else letters) for first in "AB")
    guide = f"""---
title: {value()}
subtitle: {value()}
summary: {value()}
series: {value()}
updated: 2026-01-15
speakers:
  - id: ana
    name: {json.dumps(ana)}
  - id: ben
    name: {json.dumps(ben)}
---

## 1 {text()} | 1 {text()}

{text()} *{text()}* [{text()}](https://example.org/{draw(letters)})

```facts
{value()}: {value()}
```

```day
- {draw(st.integers(0, 25) if hostile else st.integers(0, 23))}:{draw(st.integers(0, 61) if hostile else st.integers(0, 59)):02d} — {text()}
```

## 2 {text()} | 2 {text()}

```skills
{value()}: {draw(st.integers(-5, 105) if hostile else st.integers(0, 100))}
```

```routes
- route: {value()}
  share: {draw(st.integers(0, 101) if hostile else st.integers(0, 100))}%
  duration: {value()}
  cost: {draw(st.sampled_from(["low", "medium", "high", "$$", "free"] if hostile else ["low", "$$"]))}
```

```pros
- {value()}
```

```faq
- q: {value()}
  a: {value()}
```

```sources
- publisher: {value()}
  title: {value()}
  category: {value()}
```

# Audio lesson

## {text()}

Ana: {text()}

{ben}: {text()} {text()}. {text()}

## {text()}

{ana}: {text()}
"""
    lines = guide.split("\n")
    for _ in range(draw(st.integers(0, 2)) if hostile else 0):
        at = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "insert"]))
        if kind == "delete":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[draw(st.integers(0, len(lines) - 1))])
        else:
            lines.insert(at, draw(hostile_text))
    return "\n".join(lines)


def assert_outputs_parse(project: Path, slug: str) -> None:
    """Every file of the guide and the site, read by the reader its format is made for."""
    import xml.etree.ElementTree as ET

    import feedparser
    import srt
    import webvtt
    from mutagen.id3 import ID3

    from test_web import Page

    folder = project / "output" / slug
    for pdf in folder.glob("*.pdf"):
        assert PdfReader(pdf).pages[0].extract_text()
    mp3 = folder / f"{slug}.mp3"
    timeline = json.loads((folder / f"{slug}.timeline.json").read_text(encoding="utf-8"))
    assert len(decode(mp3, 44100)) > 0 and len(ID3(mp3).getall("CHAP")) == len(timeline["chapters"])
    for name in (f"{slug}.transcript.json", f"{slug}.chapters.json"):
        json.loads((folder / name).read_text(encoding="utf-8"))
    assert len(list(webvtt.read(str(folder / f"{slug}.vtt")))) == len(list(srt.parse((folder / f"{slug}.srt").read_text(encoding="utf-8"))))
    transcript = (folder / f"{slug}.txt").read_text(encoding="utf-8").strip().split("\n")
    assert sum(bool(re.match(r"^\d\d:\d\d ", line)) for line in transcript) == len(timeline["turns"])
    for page in (folder / "index.html", project / "output" / "index.html", folder / f"{slug}.transcript.html"):
        Page(page.read_text(encoding="utf-8"))
    ET.parse(project / "output" / "feed.xml")
    assert not feedparser.parse(str(project / "output" / "feed.xml")).bozo
    import zipfile

    with zipfile.ZipFile(folder / f"{slug}.epub") as book:  # EPUBCheck itself runs in test_epub.py
        assert book.namelist()[0] == "mimetype"
        for name in book.namelist():
            if name.endswith((".xhtml", ".opf", ".smil", ".xml")):
                ET.fromstring(book.read(name))


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
          phases=(Phase.explicit, Phase.generate, Phase.shrink))
@given(generated_guides())
def test_any_guide_is_refused_at_a_line_or_builds_into_files_that_parse(text):
    """The whole pipeline, not only the parser: `check`, then `build --engine tone` when accepted."""
    import contextlib
    import io
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        project = make_project(Path(folder) / "p", guides=[FIXTURES / "good.md"])
        # One process: the same files as two (test_build.py), without starting two finishing
        # processes for each of the forty guides (about a second each).
        settings_file = project / "publish.toml"
        settings_file.write_text(settings_file.read_text(encoding="utf-8").replace("jobs = 2", "jobs = 1"), encoding="utf-8")
        guide = project / "guides" / "good.md"
        guide.write_text(text, encoding="utf-8")
        messages = io.StringIO()
        with contextlib.redirect_stderr(messages), contextlib.chdir(project):
            status = main(["check", "guides/good.md"])
        lines = messages.getvalue().strip().split("\n")
        assert "Traceback" not in messages.getvalue()
        if status == 1:
            event("refused by check")
            assert lines[:-1] and all(PROBLEM_LINE.match(line) for line in lines[:-1]), lines
            return
        assert status == 0, lines
        event("accepted and built")
        report = run_build(project)
        assert report.ok, [r.problems for r in report.results]
        assert_outputs_parse(project, load_guide(guide).slug)
