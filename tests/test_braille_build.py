"""The braille output in a build: `--only braille` makes BRF and PEF and speaks nothing, the page
and the manifest list them, their key holds no audio, and `[braille]` in publish.toml sets them."""

from __future__ import annotations

import re

import pytest

from braille_readers import brf_pages
from conftest import FIXTURES, SHORT_GUIDE, assert_links_resolve, make_project, run_build
from publish.config import BrailleConfig, load_config
from publish.errors import ConfigError
from publish.outputs.files import GuideFiles

SLUG = "wind-turbine-technician"


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "p", guides=[SHORT_GUIDE])


def files_of(project) -> GuideFiles:
    return GuideFiles(project / "output", SLUG)


def test_only_braille_builds_brf_and_pef_and_speaks_nothing(project):
    report = run_build(project, only=frozenset({"braille"}))
    assert report.ok and report.results[0].built == ("braille",)
    assert report.speech.synthesized == 0 and report.speech.cached == 0
    files = files_of(project)
    assert files.brf.path.read_bytes().count(b"\f") == 5 and files.pef.path.read_bytes().startswith(b"<?xml")
    assert not files.mp3.path.exists() and not files.timeline.path.exists()
    again = run_build(project, only=frozenset({"braille"}))
    assert again.results[0].fresh == ("braille",) and not again.results[0].built


def test_the_page_lists_both_braille_files_with_their_sizes(project):
    assert run_build(project, only=frozenset({"braille", "web"})).ok
    page = files_of(project).page.path.read_text(encoding="utf-8")
    for label in ("Braille (BRF)", "Braille (PEF)"):
        assert re.search(re.escape(label) + r"[^<]*</a>\s*<span[^>]*>[^<]*\d+(\.\d)? KB", page), label
    assert_links_resolve(files_of(project).page.path)


def test_editing_a_turn_rebuilds_the_braille_and_speaks_only_that_turn(project):
    assert run_build(project).ok
    guide = project / "guides" / SHORT_GUIDE.name
    guide.write_text(guide.read_text().replace("See you next time.", "See you soon."))
    report = run_build(project)
    assert "braille" in report.results[0].built and report.speech.synthesized == 1
    braille = files_of(project).brf.path.read_bytes()
    assert b"SEE Y SOON4" in braille


def test_the_braille_key_holds_no_audio_and_follows_its_own_settings(project):
    assert run_build(project, only=frozenset({"braille"})).ok
    toml = project / "publish.toml"
    toml.write_text(toml.read_text().replace("[audio]", "[audio]\nturn_pause_ms = 900"))
    assert run_build(project, only=frozenset({"braille"})).results[0].fresh == ("braille",)
    toml.write_text(toml.read_text() + "\n[braille]\ncells = 32\nlines = 27\n")
    assert run_build(project, only=frozenset({"braille"})).results[0].built == ("braille",)
    pages = brf_pages(files_of(project).brf.path.read_bytes())
    assert {len(page) for page in pages} == {27} and max(len(line) for page in pages for line in page) <= 32


def test_a_guide_in_a_language_without_a_table_builds_everything_else(tmp_path):
    project = make_project(tmp_path / "p", guides=[FIXTURES / "de.md"])
    report = run_build(project, only=frozenset({"braille", "web"}))
    assert report.ok
    files = GuideFiles(project / "output", "de")
    assert not files.brf.path.exists() and not files.pef.path.exists()
    assert "Braille" not in files.page.path.read_text(encoding="utf-8")
    [result] = report.results
    assert [warning for warning in result.warnings if "no braille table for German" in warning], result.warnings
    assert not any("tables.py" in warning for warning in result.warnings), "a teacher is not sent to the source"
    [result] = run_build(project).results
    assert "braille" not in result.built and "audio" in result.built, "the summary lists only what was made"
    assert any("no braille table" in warning for warning in result.warnings)
    assert run_build(project).results[0].warnings == (), "said when the guide is built, not on every build"


def test_braille_settings_in_publish_toml(tmp_path):
    (tmp_path / "publish.toml").write_text("[braille]\ncells = 32\nlines = 27\ngrade = 1\n")
    assert load_config(tmp_path).braille == BrailleConfig(cells=32, lines=27, grade=1)
    (tmp_path / "publish.toml").write_text("[braille]\ncells = 32\ngrade = 3\n")
    with pytest.raises(ConfigError, match=r"publish.toml:3: braille.grade = 3 — use a whole number from 1 to 2"):
        load_config(tmp_path)
    (tmp_path / "publish.toml").write_text("[braille]\nsides = 2\n")
    with pytest.raises(ConfigError, match="unknown setting `braille.sides`"):
        load_config(tmp_path)


def test_check_warns_of_characters_with_no_braille(tmp_path, monkeypatch, capsys):
    from publish.cli import main

    guide = tmp_path / "guides" / "good.md"
    guide.parent.mkdir()
    guide.write_text((FIXTURES / "good.md").read_text().replace("A paragraph.", "A paragraph 🚀."))
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0
    line = guide.read_text().split("\n").index("A paragraph 🚀.") + 1
    assert f"good.md:{line}: warning: rocket has no braille — the braille edition leaves it out" in capsys.readouterr().err
