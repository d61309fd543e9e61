"""The command line, called in-process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, GUIDES
from publish.cli import main


def test_check_clean_guides_exit_0(capsys):
    assert main(["check", str(GUIDES)]) == 0


def test_check_reports_every_problem_and_exits_1(capsys):
    code = main(["check", str(FIXTURES / "bad" / "unknown-speaker.md"), str(FIXTURES / "bad" / "bad-date.md")])
    err = capsys.readouterr().err
    assert code == 1
    assert "unknown-speaker.md:26: unknown speaker `Bob`" in err
    assert "bad-date.md:4:" in err
    assert "Traceback" not in err


def test_new_writes_a_guide_that_check_accepts(tmp_path, capsys):
    assert main(["new", "data-analyst", "--dir", str(tmp_path)]) == 0
    assert (tmp_path / "data-analyst.md").is_file()
    assert main(["check", str(tmp_path / "data-analyst.md")]) == 0
    assert main(["new", "data-analyst", "--dir", str(tmp_path)]) == 1  # never overwrites
    assert "already exists" in capsys.readouterr().err


@pytest.mark.parametrize("slug, said", [("electrician", "the work of an electrician."),
                                        ("data-analyst", "the work of a data analyst."),
                                        ("union-organizer", "the work of a union organizer."),
                                        ("hourly-planner", "the work of an hourly planner."),
                                        ("ux-designer", "the work of a ux designer.")])
def test_new_says_the_career_with_its_article(tmp_path, slug, said):
    assert main(["new", slug, "--dir", str(tmp_path)]) == 0
    assert said in (tmp_path / f"{slug}.md").read_text(encoding="utf-8")


def test_a_file_that_is_not_a_guide_is_named_for_what_it_is(tmp_path, capsys, monkeypatch):
    from PIL import Image

    (tmp_path / "guides").mkdir()
    Image.new("RGB", (4, 4)).save(tmp_path / "guides" / "x.md", format="PNG")
    (tmp_path / "guides" / "system.md").symlink_to("/etc/hostname")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "guides/x.md"]) == 1
    assert "guides/x.md:1: this is a PNG image, not a guide — name a guide saved as plain text" in capsys.readouterr().err
    assert main(["check", "guides/system.md"]) == 1
    err = capsys.readouterr().err
    assert "guides/system.md:1: this is a link to /etc/hostname, outside the project" in err
    assert "instead of linking to it" in err


def test_new_refuses_a_bad_slug(tmp_path, capsys):
    assert main(["new", "../evil", "--dir", str(tmp_path)]) == 1
    assert "not a usable slug" in capsys.readouterr().err


def test_check_missing_folder(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 1
    assert "no guides found" in capsys.readouterr().err


def test_help_lists_commands_and_build_options():
    result = subprocess.run([sys.executable, "-m", "publish", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for command in ("build", "check", "new", "serve", "audio", "transcript", "handout"):
        assert command in result.stdout
    build_help = subprocess.run([sys.executable, "-m", "publish", "build", "--help"], capture_output=True, text=True)
    for option in ("--only", "--engine", "--paper", "--jobs", "--force", "--output", "--quiet"):
        assert option in build_help.stdout


def test_console_script_installed():
    assert shutil.which("publish") or (sys.prefix and shutil.which("publish", path=f"{sys.prefix}/bin"))


def test_build_summary_names_the_voices_used(tmp_path, capsys, monkeypatch):
    from conftest import make_project

    project = make_project(tmp_path / "p", guides=[FIXTURES / "good.md"])
    monkeypatch.chdir(project)
    assert main(["build", "--only", "audio"]) == 0
    err = capsys.readouterr().err
    assert "voice tone:low: good (Ana)" in err and "voice tone:high: good (Ben)" in err
    assert f"the files are in output{os.sep}" in err  # a newcomer looked for where they went
    timeline = json.loads((project / "output" / "good" / "good.timeline.json").read_text(encoding="utf-8"))
    assert f"pace (words a minute): good {timeline['pace']['per_minute']:.0f}" in err
    # The table of guides: columns lined up under their headings, whatever the names' lengths.
    lines = err.splitlines()
    heading = next(index for index, line in enumerate(lines) if line.startswith("guide "))
    row = lines[heading + 2].split()
    assert row[:3] == ["good", "built", "audio"] and row[-2:] == [row[-2], "s"] and float(row[-2]) > 0
    assert lines[heading + 2].index("built") == lines[heading].index("status")
    assert lines[heading + 2].index("audio") == lines[heading].index("built")


def test_a_guide_that_lost_its_first_line_is_reported_not_skipped(in_folder, capsys):
    (in_folder / "guides").mkdir()
    text = (FIXTURES / "good.md").read_text()
    (in_folder / "guides" / "g.md").write_text(text.split("\n", 1)[1])
    (in_folder / "guides" / "notes.md").write_text("Ideas for next term's guides.\n")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "guides/g.md:1: the guide does not start with front matter" in err and "notes.md:1" not in err


def test_a_pipe_or_a_utf16_file_among_the_guides_is_reported_not_waited_on_or_skipped(in_folder, capsys):
    import os

    (in_folder / "guides").mkdir()
    os.mkfifo(in_folder / "guides" / "pipe.md")  # opening it to look for front matter would wait forever
    (in_folder / "guides" / "wide.md").write_bytes((FIXTURES / "good.md").read_text().encode("utf-16"))
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "pipe.md:1: this is not a regular file" in err and "wide.md:1: the file is saved as UTF-16" in err


def test_trace_records_each_sentence_each_finishing_part_and_the_pages(tmp_path, monkeypatch):
    import json

    from conftest import SHORT_GUIDE, make_project

    project = make_project(tmp_path / "p", guides=[SHORT_GUIDE])
    monkeypatch.chdir(project)
    assert main(["build", "-q", "--trace", "trace.json"]) == 0
    trace = json.loads((project / "trace.json").read_text(encoding="utf-8"))
    spoken = [s for s in trace["spans"] if s["kind"] == "speech"]
    from publish.config import load_config
    from publish.guide.source import load_guide
    from publish.speech.plan import plan_lesson

    plan = plan_lesson(load_guide(project / "guides" / SHORT_GUIDE.name), load_config(project).audio)
    assert len(spoken) == len({job.key for job in plan.jobs})
    assert {s["lane"] for s in spoken} == {"speech: tone"}
    finishing = sorted(s["label"] for s in trace["spans"] if s["kind"] == "finishing")
    assert finishing == ["wind-turbine-technician: audio, epub", "wind-turbine-technician: transcript, pdf, braille"]
    # The page, then the site's files: made and written by the same loop.
    pages = [s["label"] for s in trace["spans"] if s["kind"] == "pages"]
    assert pages == ["wind-turbine-technician: web", "@site: index, feeds, cover, assets, opds, sitemap, search"]
    assert all(0 <= s["start"] <= s["end"] <= trace["seconds"] for s in trace["spans"])
    # Finishing starts once speech is done.
    assert min(s["start"] for s in trace["spans"] if s["kind"] == "finishing") >= max(s["end"] for s in spoken)


def test_check_closes_with_what_it_found_in_the_guides_it_checked_and_never_says_built(capsys):
    assert main(["check", str(FIXTURES / "bad" / "bad-date.md")]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == "1 problem found in the guides checked."
    assert "built" not in err


def test_the_same_problem_on_many_turns_is_one_line(tmp_path, capsys):
    text = (FIXTURES / "good.md").read_text(encoding="utf-8")
    turns = "".join(f"\nSam: Turn {n}.\n" for n in range(9))
    (tmp_path / "x.md").write_text(text + turns, encoding="utf-8")
    first = text.count("\n") + 2
    assert main(["check", str(tmp_path / "x.md")]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines == [f"{tmp_path / 'x.md'}:{first}: unknown speaker `Sam` on 9 turns (lines {first}, {first + 2}, "
                     f"{first + 4}, {first + 6}, {first + 8}, …) — use a speaker declared under `speakers:` in the "
                     "front matter (Ana, Ben)", "1 problem found in the guides checked."]


MYTHS = "```myths\n- A plain myth.\n- myth: Another.\n```\n\n"


def test_a_warning_is_printed_as_such_and_does_not_fail_check(tmp_path, capsys):
    text = (FIXTURES / "good.md").read_text(encoding="utf-8").replace("# Audio lesson", MYTHS + "# Audio lesson")
    (tmp_path / "x.md").write_text(text, encoding="utf-8")
    line = text.split("\n").index("- A plain myth.") + 1
    assert main(["check", str(tmp_path / "x.md")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (f"{tmp_path / 'x.md'}:{line}: warning: a myth without its truth on 2 entries (lines {line}, "
                      f"{line + 1}) — write it as `- myth: …` with `  truth: …` below it, saying what is true "
                      "instead: a student skimming the list may take a lone myth for advice")
    assert err[-1] == "1 warning in the guides checked; a warning does not stop a build."
    # Beside a problem, the warning is still said; only the problem fails the check.
    (tmp_path / "x.md").write_text(text.replace("Ben: Hi", "Bob: Hi"), encoding="utf-8")
    assert main(["check", str(tmp_path / "x.md")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert ": warning: a myth without its truth" in err[0] and "unknown speaker `Bob`" in err[1]
    assert err[-1] == "1 problem and 1 warning found in the guides checked."


def test_a_build_says_the_guides_warnings_and_builds_them(tmp_path, capsys, monkeypatch):
    from conftest import make_project

    project = make_project(tmp_path / "p", guides=[FIXTURES / "good.md"])
    guide = project / "guides" / "good.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("# Audio lesson", MYTHS + "# Audio lesson"),
                     encoding="utf-8")
    monkeypatch.chdir(project)
    assert main(["build", "--only", "web"]) == 0
    err = capsys.readouterr().err
    assert "good.md:" in err and ": warning: a myth without its truth on 2 entries" in err


def test_the_summary_counts_failed_guides_among_those_built(tmp_path, capsys, monkeypatch):
    from conftest import make_project

    project = make_project(tmp_path / "p", guides=[FIXTURES / "good.md"])
    broken = project / "guides" / "broken.md"
    broken.write_text((FIXTURES / "good.md").read_text(encoding="utf-8").replace("Ana: ", "Sam: ", 1), encoding="utf-8")
    monkeypatch.chdir(project)
    assert main(["build", "--only", "audio"]) == 1
    assert "1 of 2 guide(s) failed; the others are up to date." in capsys.readouterr().err
    assert main(["build", "--only", "audio", "guides/broken.md"]) == 1
    err = capsys.readouterr().err
    assert "1 of 1 guide(s) failed." in err and "the others" not in err
