"""Shared fixtures: small projects in temporary folders, built once per session where possible."""

from __future__ import annotations

import json
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

import fake_engines  # noqa: F401  registers the test-only engines

from publish.builder.pipeline import BuildOptions, build
from publish.config import load_config
from publish.guide.project import find_guides

ROOT = Path(__file__).resolve().parent.parent
GUIDES = ROOT / "guides"
REFERENCE_GUIDE = GUIDES / "machine-learning-engineer.md"
SHORT_GUIDE = GUIDES / "wind-turbine-technician.md"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE_URL = "https://careers.example.org/lessons/"


def make_project(folder: Path, engine: str | None = "tone", guides: list[Path] | None = None, extra: str = "",
                 draft: bool = False, cache: Path | None = None) -> Path:
    """A project folder with copies of the guides and templates and a publish.toml; `engine=None`
    lets every host speak with their own voice (the published cast, or with `draft` the draft cast).
    `cache` is a speech cache folder of another project's, to start from what it spoke."""
    (folder / "guides").mkdir(parents=True)
    for guide in guides or find_guides(GUIDES):
        shutil.copy(guide, folder / "guides" / guide.name)
    shutil.copytree(ROOT / "publish" / "outputs" / "templates", folder / "templates")
    engine_line = (f'engine = "{engine}"' if engine else "") + ("\ndraft = true" if draft else "")
    cache_line = f"cache = {json.dumps(str(cache))}\n" if cache else ""
    (folder / "publish.toml").write_text(
        f'jobs = 2\n{cache_line}[audio]\n{engine_line}\n[site]\nbase_url = "{BASE_URL}"\n{extra}', encoding="utf-8")
    return folder


# `make test` runs the tests that listen twice: natively, then with the recogniser's lower kernels
# (Makefile). Both runs keep the lessons they listen to in this folder, so that the second hears
# what the first spoke instead of speaking it again: clips are kept by everything that makes their
# samples, and Kokoro's products and convolutions give the very same samples (test_kokoro.py checks
# that in both runs), so speaking again would only repeat the first run's work.
# Read as the tests start, from the folder they start in (the Makefile names it from there).
SHARED_LESSONS = os.environ.get("PUBLISH_TEST_LESSONS", "").strip()
LISTENING_CACHE = Path(SHARED_LESSONS).resolve() if SHARED_LESSONS else None


def listening_cache() -> Path | None:
    """The speech cache the listening tests share across `make test`'s two runs; None under a plain
    `pytest`, where each lesson is spoken into its own project."""
    return LISTENING_CACHE


def with_offshore_copy(project: Path) -> Path:
    """`project` with one guide more: the short guide under another slug and title."""
    copy = (SHORT_GUIDE.read_text(encoding="utf-8").replace("slug: wind-turbine-technician", "slug: offshore-wind-technician")
            .replace("title: Wind Turbine Technician", "title: Offshore Wind Technician"))
    (project / "guides" / "offshore-wind-technician.md").write_text(copy, encoding="utf-8")
    return project


def light_project(folder: Path, extra: str = "") -> Path:
    """Three guides in two languages, as the example project has, without its long reference lesson:
    the short English guide, the Spanish one and a copy of the short one. For tests of what a build
    does across guides, where a lesson's length adds only time (a build of these takes half as long)."""
    return with_offshore_copy(make_project(folder, guides=[SHORT_GUIDE, GUIDES / "cocinero-profesional.md"], extra=extra))


def dressed_project(folder: Path) -> Path:
    """The small fixture guide with a cover image (a blue square), a 2 s intro (48 kHz WAV) and a
    1.5 s outro (MP3) named in publish.toml."""
    from PIL import Image

    from publish.ffmpeg import run

    project = make_project(folder, guides=[FIXTURES / "good.md"])
    audio = project / "audio"
    audio.mkdir()
    run(["-f", "lavfi", "-i", "sine=frequency=500:duration=2", "-ar", "48000", str(audio / "intro.wav")])
    run(["-f", "lavfi", "-i", "sine=frequency=700:duration=1.5", str(audio / "outro.mp3")])
    toml = project / "publish.toml"
    toml.write_text(toml.read_text().replace('engine = "tone"', 'engine = "tone"\nintro = "audio/intro.wav"\n'
                                                                  'outro = "audio/outro.mp3"'))
    Image.new("RGB", (300, 300), "#336699").save(project / "guides" / "cover.png")
    guide = project / "guides" / "good.md"
    text = guide.read_text().replace("updated:", "cover: cover.png\ncover_alt: A blue square\nupdated:")
    guide.write_text(text.replace("A paragraph.\n", "A paragraph.\n\n" + FIGURES))
    draw_figures(project / "guides")
    return project


# The dressed guide's images: a photo-like picture with a caption, and a decorative rule.
FIGURES = ('![An orange circle on a green field](images/field.png "The field at *noon*")\n\n'
           "![decorative](images/rule.png)\n")


def draw_figures(folder: Path) -> None:
    from PIL import Image, ImageDraw

    (folder / "images").mkdir(parents=True, exist_ok=True)
    field = Image.new("RGB", (480, 240), "#2e7d32")
    ImageDraw.Draw(field).ellipse((180, 60, 300, 180), fill="#ef6c00")
    field.save(folder / "images" / "field.png")
    Image.new("RGB", (900, 12), "#1b4d7a").save(folder / "images" / "rule.png")


def ebur128(path: Path):
    """A finished file's loudness as a podcast host measures it: decoded, then ffmpeg's ebur128
    with true peak over every sample."""
    from publish.ffmpeg import decode, measure_pcm

    return measure_pcm(decode(path, 44100), 44100)


def silences(path: Path, noise_db: float = -45.0, min_seconds: float = 0.15) -> list[tuple[float, float]]:
    """(start, end) of the silent stretches ffmpeg's silencedetect finds in a file, in seconds."""
    import re

    from publish.ffmpeg import run

    result = run(["-i", str(path), "-af", f"silencedetect=noise={noise_db}dB:d={min_seconds}", "-f", "null", "-"],
                 what="detecting silence")
    text = result.stderr.decode("utf-8", "replace")
    starts = [float(x) for x in re.findall(r"silence_start: (-?[\d.]+)", text)]
    ends = [float(x) for x in re.findall(r"silence_end: (-?[\d.]+)", text)]
    return list(zip(starts, ends + [float("inf")] * (len(starts) - len(ends))))


def speak_all(jobs, spec, cache, cores: int = 1, retries: int = 2) -> dict[str, str | None]:
    """Every job spoken by this machine's speech service into `cache`: each key's error, or None."""
    from publish.speech.service import SpeechService

    service = SpeechService(cache.folder, 44100, cores, retries)
    try:
        for job in jobs:
            service.submit(job, spec)
        service.close_input()
        return {spoken.job.key: spoken.error for spoken in iter(service.events.get, None)}
    finally:
        service.close()


def build_options(only: frozenset[str] | None = None, **options) -> BuildOptions:
    """The build's options, with formats named as `--only` names them."""
    from publish.outputs.registry import by_names

    return BuildOptions(**options) if only is None else BuildOptions(only=by_names(",".join(only)), **options)


def run_build(project: Path, **options):
    config = load_config(project)
    return build(config, find_guides(project / "guides"), build_options(**options))


@pytest.fixture(scope="session")
def tone_project(tmp_path_factory) -> Path:
    """Both guides built with the deterministic tone engine: every format, fast."""
    project = make_project(tmp_path_factory.mktemp("tone"))
    report = run_build(project)
    assert report.ok, [r.problems for r in report.results]
    return project


@pytest.fixture(scope="session")
def cast_project(tmp_path_factory) -> Path:
    """The short guide built with real voices, the fast draft cast (hibari heart and Piper joe):
    everything that plays or shows the lesson (no handouts)."""
    project = make_project(tmp_path_factory.mktemp("cast"), engine=None, guides=[SHORT_GUIDE], draft=True,
                           cache=listening_cache())
    report = run_build(project, only=frozenset({"audio", "transcript", "epub", "web"}))
    assert report.ok, [r.problems for r in report.results]
    return project


@pytest.fixture
def in_folder(tmp_path):
    """Run a test with the current directory set to a fresh temporary folder."""
    previous = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(previous)


def local_links(page: Path) -> list[str]:
    """Every href and src in an HTML file that points at a file of the site (not a URL or anchor)."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            for name, value in attrs:
                if name in ("href", "src") and value and not value.startswith(("http:", "https:", "#", "mailto:")):
                    found.append(value.split("#")[0])

    Links().feed(page.read_text(encoding="utf-8"))
    return [link for link in found if link]


def assert_links_resolve(page: Path) -> list[str]:
    links = local_links(page)
    missing = [link for link in links if not (page.parent / link).is_file()]
    assert not missing, f"{page} links files that do not exist: {missing}"
    return links


CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--mute-audio", "--autoplay-policy=no-user-gesture-required",
                  "--disable-background-networking", "--disable-component-update", "--no-first-run"]
AXE = ROOT / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def no_network(monkeypatch) -> list[str]:
    """Every attempt of this process to open a connection or look up a host is refused and listed."""
    import socket

    attempts: list[str] = []

    def refuse(what):
        def refused(*args, **kwargs):
            attempts.append(f"{what}{args[1:] if what == 'connect' else args[:1]}")
            raise OSError("the network is off in this test")
        return refused

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return attempts


EPUBCHECK = Path("/usr/share/java/epubcheck.jar")  # Debian's epubcheck, installed by `make test`


def epubcheck(path: Path) -> str:
    """EPUBCheck's report on a book."""
    import subprocess

    assert EPUBCHECK.is_file(), "EPUBCheck is missing — run `make test`, which installs Debian's epubcheck"
    result = subprocess.run(["java", "-jar", str(EPUBCHECK), str(path)], capture_output=True, text=True, timeout=300)
    return result.stdout + result.stderr


def keep_screenshot(page, name: str) -> None:
    """Screenshots for a person to look at, kept when PUBLISH_SCREENSHOTS names a folder."""
    folder = os.environ.get("PUBLISH_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=True)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright; `make test` installs it, and without it this fails."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Chromium is missing — run `make test`, which installs Debian's chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """`publish serve` on a free loopback port for the body; yields the site's address."""
    from publish.cli.serve import make_server

    server = make_server(folder, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def served_site(tone_project):
    with serving(tone_project / "output") as address:
        yield address


@pytest.fixture
def fake_google(request, tmp_path, monkeypatch):
    """Google's TTS service faked on loopback and reached through `HTTPS_PROXY` (tests/fake_google.py);
    parametrize indirectly with a list of HTTP statuses to answer first."""
    from fake_google import FakeGoogle

    from publish.ffmpeg import run

    tone = run(["-f", "lavfi", "-i", "sine=frequency=300:duration=0.8", "-ac", "1", "-ar", "24000", "-f", "mp3",
                "pipe:1"]).stdout
    fake = FakeGoogle(tone, getattr(request, "param", []), tmp_path / "google")
    for name in ("HTTPS_PROXY", "https_proxy"):
        monkeypatch.setenv(name, fake.proxy)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield fake
    fake.close()
