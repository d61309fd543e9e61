"""Who speaks with which voice: guide syntax, the default cast, forced engines, and voices that
must never be downloaded."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, SHORT_GUIDE, make_project, run_build
from publish.speech.plan import plan_lesson
from publish.config import AudioConfig
from publish.errors import EngineError, GuideError
from publish.guide.source import load_guide
from publish.audio.timeline import Timeline


def guide_with(tmp_path: Path, ana: str = "", ben: str = "") -> Path:
    text = (FIXTURES / "good.md").read_text()
    text = text.replace("    name: Ana", "    name: Ana" + ana).replace("    name: Ben", "    name: Ben" + ben)
    path = tmp_path / "g.md"
    path.write_text(text)
    return path


def voices(plan) -> dict[str, str]:
    return {t.turn.speaker.id: str(t.voice) for t in plan.turns}


def test_a_guide_without_voices_gets_the_published_cast_or_with_draft_the_fast_one(tmp_path):
    guide = load_guide(guide_with(tmp_path))
    published = plan_lesson(guide, AudioConfig())
    assert voices(published) == {"ana": "hibari:heart", "ben": "kokoro:am_puck"}
    assert sorted(spec.name for spec in published.specs) == ["hibari", "kokoro"]
    assert {job.engine for job in published.jobs} == {"hibari", "kokoro"} and published.cast == "published"
    draft = plan_lesson(guide, AudioConfig(draft=True))
    assert voices(draft) == {"ana": "hibari:heart", "ben": "piper:joe"} and draft.cast == "draft"
    assert {job.engine for job in draft.jobs} == {"hibari", "piper"}
    # A voice the guide names is kept by both casts.
    named = load_guide(guide_with(tmp_path, ben="\n    voice: piper:joe"))
    assert voices(plan_lesson(named, AudioConfig())) == {"ana": "hibari:heart", "ben": "piper:joe"}


def test_forced_engine_uses_each_speakers_fallback_then_the_engine_default(tmp_path):
    path = guide_with(tmp_path, ana="\n    voice: hibari:heart\n    voices: {gtts: com.au}",
                      ben="\n    voice: piper:joe")
    guide = load_guide(path)
    assert voices(plan_lesson(guide, AudioConfig(engine="gtts"))) == {"ana": "gtts:com.au", "ben": "gtts:co.uk"}
    assert voices(plan_lesson(guide, AudioConfig(engine="tone"))) == {"ana": "tone:low", "ben": "tone:high"}
    assert voices(plan_lesson(guide, AudioConfig(engine="piper"))) == {"ana": "piper:joe", "ben": "piper:joe"}


def test_a_changed_voice_never_reuses_a_clip(tmp_path):
    first = plan_lesson(load_guide(guide_with(tmp_path, ben="\n    voice: piper:joe")), AudioConfig())
    second = plan_lesson(load_guide(guide_with(tmp_path, ben="\n    voice: hibari:heart+deep")), AudioConfig())
    third = plan_lesson(load_guide(guide_with(tmp_path, ben="\n    voice: hibari:heart")), AudioConfig())
    ben = [{job.key for t in plan.turns if t.turn.speaker.id == "ben" for s in t.sentences for job in s.jobs}
           for plan in (first, second, third)]
    assert not ben[0] & ben[1] and not ben[1] & ben[2] and not ben[0] & ben[2]


@pytest.mark.parametrize("voice, message", [
    ("kokro:heart", "unknown TTS engine `kokro`"),
    ("heart", "does not name its engine"),
    ("piper:joe+shiny", "variant `+shiny`"),
])
def test_a_wrong_voice_is_reported_at_its_line(tmp_path, voice, message):
    with pytest.raises(GuideError) as caught:
        load_guide(guide_with(tmp_path, ben=f"\n    voice: {voice}"))
    [problem] = caught.value.problems
    assert problem.line == 10 and message in problem.what


def test_a_fallback_for_an_unknown_engine_is_reported(tmp_path):
    with pytest.raises(GuideError, match=r"g.md:10: `pipr` is not a speech engine"):
        load_guide(guide_with(tmp_path, ben="\n    voices: {pipr: joe}"))


def test_the_network_guard_holds(no_network):
    import urllib.request

    with pytest.raises(OSError):
        urllib.request.urlopen("https://example.org/", timeout=2)
    assert no_network, "the attempt was seen"


def test_a_hibari_voice_that_is_not_on_disk_is_an_error_and_nothing_is_downloaded(tmp_path, monkeypatch, no_network):
    import hibari.voices

    monkeypatch.setenv("HIBARI_HOME", str(tmp_path / "hibari-home"))
    guide = load_guide(guide_with(tmp_path, ben="\n    voice: hibari:emma"))
    with pytest.raises(EngineError) as caught:
        plan_lesson(guide, AudioConfig())
    message = str(caught.value)
    assert "g.md:8: speaker Ben" in message and "never does" in message and "bf_emma.int8.onnx" in message
    assert str(tmp_path / "hibari-home") in message
    assert not (tmp_path / "hibari-home").exists()

    # Once the file is where hibari looks, the voice is used (here: the bundled model under its name).
    (tmp_path / "hibari-home").mkdir()
    os.symlink(hibari.voices.voice_path("heart"), tmp_path / "hibari-home" / "bf_emma.int8.onnx")
    assert voices(plan_lesson(guide, AudioConfig()))["ben"] == "hibari:emma"
    assert no_network == [], "nothing tried to reach the network"


def test_the_bundled_hibari_voice_is_found_without_loading_the_download_code(tmp_path):
    """The bundled voice's file is the one hibari itself names, found from hibari's registry data:
    planning a lesson loads neither the registry module nor, through it, `urllib.request`."""
    import hibari.voices

    from publish.engines.hibari import voice_file

    assert voice_file("heart") == Path(hibari.voices.voice_path("heart", download_missing=False))
    code = ("import sys; from publish.guide.source import load_guide; from publish.speech.plan import plan_lesson; "
            "from publish.config import AudioConfig; from pathlib import Path; "
            f"plan = plan_lesson(load_guide(Path({str(guide_with(tmp_path))!r})), AudioConfig(draft=True)); "
            "print(sorted(str(s) for s in plan.specs), 'urllib.request' in sys.modules, "
            "'publish._hibari_voices' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "hibari" in result.stdout and result.stdout.strip().endswith("False False"), result.stdout


def test_forced_gtts_build_speaks_through_the_proxy(tmp_path, fake_google):
    project = make_project(tmp_path / "p", engine="gtts", guides=[FIXTURES / "good.md"],
                           extra='[engines.gtts]\nbackoff = 0.01\n')
    report = run_build(project, only=frozenset({"audio", "transcript"}))
    assert report.ok, [r.problems for r in report.results]
    timeline = Timeline.from_json((project / "output/good/good.timeline.json").read_text())
    assert {t.voice for t in timeline.turns} == {"gtts:com", "gtts:co.uk"}
    assert len(fake_google.requests) == report.speech.synthesized > 0
    assert {host.split(':')[0] for host in fake_google.hosts} == {'translate.google.com', 'translate.google.co.uk'}


@pytest.mark.piper
def test_the_published_cast_builds_with_the_network_switched_off(tmp_path):
    """`unshare -n` gives the build a network namespace with no interfaces but loopback (down):
    Kokoro's model and voices are on the machine already."""
    project = make_project(tmp_path / "p", engine=None, guides=[SHORT_GUIDE])
    unshare = shutil.which("unshare")
    assert unshare, "unshare (util-linux) is needed for this test"
    result = subprocess.run([unshare, "-n", sys.executable, "-m", "publish", "build", "-q", "--only", "audio"],
                            cwd=project, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    timeline = Timeline.from_json((project / "output/wind-turbine-technician/wind-turbine-technician.timeline.json")
                                  .read_text())
    assert {t.voice for t in timeline.turns} == {"hibari:heart", "kokoro:am_puck"}


@pytest.mark.piper
def test_the_neural_voices_keep_nothing_about_the_machine_and_send_nothing(tmp_path):
    """ONNX Runtime, under Piper, hibari and Kokoro, writes a device ID and an event store into the user's
    cache and later uploads them; a build's engines must do neither."""
    home = tmp_path / "home"
    home.mkdir()
    code = ("from publish.engines.hibari import HibariEngine\nfrom publish.engines.piper import PiperEngine\n"
            "from publish.engines.kokoro import KokoroEngine\n"
            "for engine, voice in ((HibariEngine({}), 'heart'), (PiperEngine({}), 'joe'), (KokoroEngine({}), 'am_michael')):\n"
            "    assert len(engine.synthesize(engine.render('Hello there.'), voice).samples) > 1000\n")
    environment = {key: value for key, value in os.environ.items() if key != "ORT_DISABLE_TELEMETRY"}
    environment.update(HOME=str(home), XDG_CACHE_HOME=str(home / "cache"), PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-c", code], env=environment, check=True, timeout=300, cwd=tmp_path)
    kept = [str(p.relative_to(home)) for p in home.rglob("*") if "Microsoft" in p.parts or "onnxruntime" in p.name]
    assert kept == [], kept


def test_voice_files_outside_the_project_are_refused_by_check_and_build(tmp_path, capsys, monkeypatch):
    """`../` and absolute paths, and links inside the project that lead out, all resolve outside."""
    from conftest import make_project, run_build
    from publish.cli import main
    from publish.engines.piper import bundled_model

    project = make_project(tmp_path / "p", engine=None, guides=[FIXTURES / "good.md"])
    (project / "voices").mkdir()
    (project / "voices" / "linked.onnx").symlink_to(bundled_model())
    (project / "voices" / "linked.onnx.json").symlink_to(f"{bundled_model()}.json")
    guide = project / "guides" / "good.md"
    text = guide.read_text()
    monkeypatch.chdir(project)
    for voice in (f"piper:{bundled_model()}", "piper:../../outside.onnx", "piper:../voices/linked.onnx"):
        guide.write_text(text.replace("    name: Ben", f"    name: Ben\n    voice: {voice}"))
        assert main(["check"]) == 1
        err = capsys.readouterr().err
        assert "guides/good.md:8: speaker Ben: the voice file" in err and "is outside the project folder" in err
        report = run_build(project, only=frozenset({"audio"}))
        [result] = report.results
        assert not report.ok and "good.md:8: speaker Ben" in result.problems[0]
        assert "outside the project folder" in result.problems[0]


def test_check_refuses_a_fallback_voice_file_outside_the_project(tmp_path, capsys, monkeypatch):
    """A `voices:` fallback is used only by `--engine piper`; check applies the build's rule to it anyway."""
    from conftest import make_project
    from publish.cli import main

    project = make_project(tmp_path / "p", engine=None, guides=[FIXTURES / "good.md"])
    guide = project / "guides" / "good.md"
    text = guide.read_text()
    monkeypatch.chdir(project)
    for voice in ("../../../../etc/passwd", "/etc/hostname.onnx"):
        guide.write_text(text.replace("    name: Ben", f"    name: Ben\n    voices: {{piper: {voice}}}"))
        assert main(["check"]) == 1
        err = capsys.readouterr().err
        assert "guides/good.md:8: speaker Ben: the voice file" in err and "is outside the project folder" in err
    guide.write_text(text.replace("    name: Ben", "    name: Ben\n    voices: {piper: joe, gtts: co.uk}"))
    assert main(["check"]) == 0, capsys.readouterr().err


def test_a_file_that_is_not_a_voice_is_named_at_plan_time(tmp_path):
    voices_dir = tmp_path / "voices"
    voices_dir.mkdir()
    (voices_dir / "notes.onnx").write_text("these are my notes, not a voice")
    (voices_dir / "notes.onnx.json").write_text("{}")
    (voices_dir / "half.onnx").write_bytes(b"\x08\x08rest of a model")
    (voices_dir / "half.onnx.json").write_text('{"audio": {}}')
    cases = {"notes.onnx": "not a Piper voice model (not an ONNX file)", "half.onnx": "not a Piper voice config (no `espeak`)"}
    for name, what in cases.items():
        guide = load_guide(guide_with(tmp_path, ben=f"\n    voice: piper:voices/{name}"))
        with pytest.raises(EngineError) as caught:
            plan_lesson(guide, AudioConfig(), project=tmp_path)
        assert "g.md:8: speaker Ben" in str(caught.value) and what in str(caught.value)
