"""`publish serve`'s live preview, driven as an editor uses it: a real `publish serve` process on a
loopback port, the guide page open in headless Chromium, files edited on disk."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import SHORT_GUIDE, make_project

pytestmark = pytest.mark.browser

SLUG = "wind-turbine-technician"
SENTENCE_SECONDS = 30  # a bound for speaking one sentence with the tone engine and rebuilding


def _ctrl_c_works() -> None:
    # A test run started in the background (`nohup make test &`, some CI runners) hands its
    # processes SIGINT ignored, and Python then never turns Ctrl-C into KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def preview_site(project: Path) -> Path:
    """Where the preview builds: a folder of its own, never the published `output/`."""
    return project / ".publish-cache" / "preview"


class Served:
    """`publish serve --port 0` in a project; its address, and what it printed. The address comes
    at once; like a person watching the terminal, the tests wait for the first build to be done."""

    def __init__(self, project: Path):
        environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen([sys.executable, "-m", "publish", "serve", "--port", "0"], cwd=project,
                                        stderr=subprocess.PIPE, text=True, env=environment,
                                        preexec_fn=_ctrl_c_works)
        self.lines: list[str] = []
        self.address = ""
        started = time.monotonic()
        while not self.address:
            line = self.process.stderr.readline()
            assert line, f"publish serve ended early: {''.join(self.lines)}"
            self.lines.append(line)
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            if found:
                self.address = found[0]
            assert time.monotonic() - started < 120, "publish serve did not start"
        while not any(line.startswith("rebuilt ") for line in self.lines):
            line = self.process.stderr.readline()
            assert line, f"publish serve ended early: {''.join(self.lines)}"
            self.lines.append(line)
            assert time.monotonic() - started < 300, "publish serve's first build did not end"
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stderr:
            self.lines.append(line)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=15)


@pytest.fixture
def editing(tmp_path):
    project = make_project(tmp_path / "p", guides=[SHORT_GUIDE])
    # A copy of the bundled templates: the editor changes them in the project.
    served = Served(project)
    yield project, served
    if served.process.poll() is None:
        served.process.kill()
        served.process.wait()


class HalfWritten:
    """Reads every file of the site while the preview rebuilds; notes any that is not whole."""

    def __init__(self, output: Path):
        self.output, self.problems, self.reads = output, [], 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def _poll(self):
        while not self.stop.is_set():
            for path in self.output.rglob("*"):
                if not path.is_file() or any(part.startswith(".") for part in path.relative_to(self.output).parts):
                    continue
                try:
                    data = path.read_bytes()
                except FileNotFoundError:
                    continue  # a guide's files removed with it
                self.reads += 1
                if path.name == "index.html" and not data.rstrip().endswith(b"</html>"):
                    self.problems.append(f"{path}: HTML cut short")
                elif path.suffix == ".json":
                    try:
                        json.loads(data)
                    except ValueError:
                        self.problems.append(f"{path}: JSON cut short")
                elif path.suffix == ".mp3" and len(data) < 1000:
                    self.problems.append(f"{path}: MP3 of {len(data)} bytes")
            time.sleep(0.02)

    def close(self) -> list[str]:
        self.stop.set()
        self.thread.join()
        assert self.reads > 0
        return self.problems


def lesson_text(page) -> str:
    return page.inner_text("#transcript")


@pytest.mark.piper
def test_an_edit_shows_its_text_at_once_then_its_audio(browser, tmp_path):
    # The real voices: speaking takes long enough to see the provisional page before the new audio.
    project = make_project(tmp_path / "p", engine=None, guides=[SHORT_GUIDE])
    served = Served(project)
    try:
        guide = project / "guides" / f"{SLUG}.md"
        page = browser.new_page()
        page.goto(served.address + f"{SLUG}/")
        mp3 = preview_site(project) / SLUG / f"{SLUG}.mp3"
        mp3_before = mp3.read_bytes()
        watcher = HalfWritten(preview_site(project))
        text = guide.read_text(encoding="utf-8")
        sentence = "Welcome to Career Compass."
        assert sentence in text
        guide.write_text(text.replace(sentence, "Welcome to the preview lesson, edited just now.", 1), encoding="utf-8")
        saved = time.monotonic()
        page.wait_for_function("() => document.querySelector('#transcript').innerText.includes('edited just now')",
                               timeout=3000)
        text_seconds = time.monotonic() - saved
        assert page.query_selector("#audio-updating"), "the new text came first, the audio still updating"
        page.wait_for_function("() => !document.getElementById('audio-updating') && "
                               "document.querySelector('#transcript').innerText.includes('edited just now')",
                               timeout=SENTENCE_SECONDS * 1000)
        audio_seconds = time.monotonic() - saved
        problems = watcher.close()
        assert not problems, problems
        assert mp3.read_bytes() != mp3_before, "the new sentence is in the audio"
        print(f"save → new text {text_seconds:.2f} s, → new audio {audio_seconds:.2f} s")
    finally:
        assert served.stop() == 0
    assert "Traceback" not in "".join(served.lines)


def test_a_page_keeps_its_scroll_and_audio_position_across_a_reload(browser, editing):
    project, served = editing
    page = browser.new_page(viewport={"width": 1000, "height": 700})
    page.goto(served.address + f"{SLUG}/")
    page.wait_for_function("() => document.getElementById('player').readyState >= 1")
    page.evaluate("() => { document.getElementById('player').currentTime = 4; window.scrollTo(0, 900); }")
    page.wait_for_timeout(300)
    css = project / "templates" / "assets" / "site.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.masthead { outline: 3px solid rgb(1, 2, 3); }\n",
                   encoding="utf-8")
    page.wait_for_function("() => getComputedStyle(document.querySelector('.masthead')).outlineColor === "
                           "'rgb(1, 2, 3)'", timeout=SENTENCE_SECONDS * 1000)
    page.wait_for_function("() => document.getElementById('player').readyState >= 1")
    page.wait_for_timeout(300)
    assert abs(page.evaluate("() => window.scrollY") - 900) < 5
    assert abs(page.evaluate("() => document.getElementById('player').currentTime") - 4) < 0.5


def test_a_template_edit_reloads_the_page(browser, editing):
    project, served = editing
    page = browser.new_page()
    page.goto(served.address + f"{SLUG}/")
    template = project / "templates" / "page.html.j2"
    template.write_text(template.read_text(encoding="utf-8").replace(
        '<main id="main" tabindex="-1">', '<main id="main" tabindex="-1"><p id="template-mark">Edited template</p>'),
        encoding="utf-8")
    page.wait_for_selector("#template-mark", timeout=SENTENCE_SECONDS * 1000)


def test_a_broken_guide_shows_its_problem_over_the_page_until_fixed(browser, editing):
    project, served = editing
    guide = project / "guides" / f"{SLUG}.md"
    page = browser.new_page()
    page.goto(served.address + f"{SLUG}/")
    good = guide.read_text(encoding="utf-8")
    broken = good.replace("title: ", "title: [unclosed\ntitle_again: ", 1)
    line = broken.splitlines().index(next(l for l in broken.splitlines() if l.startswith("title: [unclosed"))) + 1
    guide.write_text(broken, encoding="utf-8")
    panel = page.wait_for_selector("#publish-problems", timeout=10000)
    shown = panel.inner_text()
    assert re.search(rf"{SLUG}\.md:\d+: ", shown), shown
    assert f"{SLUG}.md:" in shown and "—" in shown
    assert any(f"{SLUG}.md:{n}:" in shown for n in range(line - 1, line + 3)), (line, shown)
    assert "Wind Turbine Technician" in page.inner_text("h1"), "the last good page stays under the problems"
    assert any(f"{SLUG}.md:" in printed for printed in served.lines), "the terminal says the same"
    guide.write_text(good, encoding="utf-8")
    page.wait_for_selector("#publish-problems", state="detached", timeout=10000)


def test_a_deleted_guide_leaves_the_index(browser, tmp_path):
    from conftest import REFERENCE_GUIDE

    project = make_project(tmp_path / "p", guides=[SHORT_GUIDE, REFERENCE_GUIDE])
    served = Served(project)
    try:
        page = browser.new_page()
        page.goto(served.address)
        assert "Wind Turbine Technician" in page.inner_text("main")
        (project / "guides" / f"{SLUG}.md").unlink()
        page.wait_for_function("() => !document.querySelector('main').innerText.includes('Wind Turbine Technician')",
                               timeout=SENTENCE_SECONDS * 1000)
        assert "Machine Learning Engineer" in page.inner_text("main")
    finally:
        assert served.stop() == 0
    assert "Traceback" not in "".join(served.lines)


def test_a_dropped_audio_request_is_not_an_error(editing):
    import socket
    import struct

    project, served = editing
    port = int(served.address.rsplit(":", 1)[1].strip("/"))
    size = (preview_site(project) / SLUG / f"{SLUG}.mp3").stat().st_size
    assert size > 500_000, "larger than the socket buffers, so the server is still writing when the client leaves"
    for _ in range(5):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
            client.sendall(f"GET /{SLUG}/{SLUG}.mp3 HTTP/1.1\r\nHost: x\r\nRange: bytes=0-\r\n\r\n".encode())
            assert client.recv(100).startswith(b"HTTP/1.0 206")
            # Gone at once, as a browser's audio request is when the listener seeks: a reset, not a goodbye.
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    time.sleep(1)
    assert served.stop() == 0
    assert "Traceback" not in "".join(served.lines) and "Error" not in "".join(served.lines), served.lines
