"""The command line as a person types it: in a pseudo-terminal (pexpect), so the program sees a TTY
on stdin, stdout and stderr, at 80 columns and at 40. Every other test runs the CLI through pipes
or in-process, where a progress display never draws; here it does."""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from pathlib import Path

import pexpect
import pytest

from conftest import FIXTURES, GUIDES, REFERENCE_GUIDE, SHORT_GUIDE, make_project

ROOT = Path(__file__).resolve().parent.parent
PUBLISH = Path(sys.executable).with_name("publish")  # the console script `pip install` made
ESCAPE = re.compile(r"\x1b")
COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")
# The CLI with the test-only engines registered (a slow voice, so Ctrl-C lands while it speaks).
WITH_TEST_ENGINES = ("import sys; sys.path.insert(0, sys.argv.pop(1)); import fake_engines; "
                     "from publish.cli import main; sys.exit(main())")


def terminal(arguments: list[str], cwd: Path, columns: int = 80, env: dict[str, str] | None = None,
             engines: bool = False) -> pexpect.spawn:
    """`publish ARGUMENTS` in a pseudo-terminal of `columns` columns, as typed in `cwd`."""
    environment = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": "24", **(env or {})}
    environment.pop("NO_COLOR", None) if "NO_COLOR" not in (env or {}) else None
    if engines:
        command, args = sys.executable, ["-c", WITH_TEST_ENGINES, str(Path(__file__).parent), *arguments]
    else:
        command, args = str(PUBLISH), arguments
    return pexpect.spawn(command, args, cwd=str(cwd), env=environment, dimensions=(24, columns), encoding="utf-8",
                         codec_errors="replace", timeout=240)


def finished(child: pexpect.spawn) -> tuple[int, str]:
    """Everything it printed until it exited, and its exit status."""
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus if child.exitstatus is not None else 128 + child.signalstatus, child.before


def typed(arguments: list[str], cwd: Path, **options) -> tuple[int, str]:
    return finished(terminal(arguments, cwd, **options))


def screen(text: str, columns: int = 80) -> list[str]:
    """What the terminal shows at the end, lines scrolled off the top included: the output played
    on a VT100 emulator (pyte), so a bar that was drawn and erased is not there."""
    import pyte

    shown = pyte.HistoryScreen(columns, 24, history=10_000, ratio=1)
    pyte.Stream(shown).feed(text)
    scrolled = ["".join(line[x].data for x in range(columns)) for line in shown.history.top]
    return [line.rstrip() for line in scrolled + list(shown.display) if line.strip()]


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "project", guides=[SHORT_GUIDE])


@pytest.mark.parametrize("columns", [80, 40])
def test_build_draws_its_bar_removes_it_and_prints_the_summary(project, columns):
    code, shown = typed(["build"], project, columns=columns)
    assert code == 0, shown
    assert "Speaking and building guides" in shown, "the progress bar is drawn on a terminal"
    lines = screen(shown, columns)
    assert not any("Speaking and building guides" in line for line in lines), "the bar is removed when done"
    assert "Traceback" not in shown and any(line.startswith("Build finished in") for line in lines)
    assert "wind-turbine-technician" in shown and "built" in shown
    assert all(len(line) <= columns for line in lines), [line for line in lines if len(line) > columns]
    code, shown = typed(["build"], project, columns=columns)  # nothing to do
    assert code == 0 and "up to date" in shown and "Traceback" not in shown
    guide = project / "guides" / SHORT_GUIDE.name
    edited = guide.read_text(encoding="utf-8").replace("Is it really all about climbing?",
                                                       "Is it really all about climbing? I wonder.")
    guide.write_text(edited, encoding="utf-8")
    code, shown = typed(["build"], project, columns=columns)  # an edit
    assert code == 0 and "speech: 1 sentences synthesized" in shown and "Traceback" not in shown


def test_what_the_build_says_while_its_bar_is_drawn_stands_on_lines_of_its_own(project):
    toml = project / "publish.toml"
    toml.write_text(re.sub(r"base_url = .*\n", "", toml.read_text(encoding="utf-8")), encoding="utf-8")
    code, shown = typed(["build"], project)
    lines = screen(shown)
    assert code == 0 and "Speaking and building guides" in shown
    assert not any("Speaking and building guides" in line for line in lines), lines
    said = [line for line in lines if "no site.base_url" in line]
    assert said and all(line.startswith("no site.base_url") for line in said), lines


def test_a_narrow_terminal_gets_the_summary_wrapped_not_cut(project):
    code, shown = typed(["build", "--only", "audio,transcript,pdf"], project, columns=40)
    lines = screen(shown, 40)
    assert code == 0 and all(len(line) <= 40 for line in lines), lines
    assert "wind-turbine-technician" in lines and "  status: built" in lines
    assert any(line.strip().startswith("built: audio, transcript") for line in lines), lines


def test_no_color_gives_no_colour_and_a_dumb_terminal_no_escape_codes(project):
    code, shown = typed(["build"], project, env={"NO_COLOR": "1"})
    assert code == 0 and "Speaking and building guides" in shown
    assert not COLOUR.search(shown), COLOUR.findall(shown)[:5]
    code, shown = typed(["build", "--force"], project, env={"TERM": "dumb"})
    assert code == 0 and not ESCAPE.search(shown), repr(shown[:300])
    assert "wind-turbine-technician: built" in shown, "a dumb terminal still hears of each guide"


def half_written(output: Path) -> list[Path]:
    return [path for path in output.rglob("*") if path.name.endswith(".part")]


def test_ctrl_c_while_speaking_keeps_what_was_done_and_the_next_build_finishes(tmp_path):
    project = make_project(tmp_path / "project", engine="faulty-tone", guides=[REFERENCE_GUIDE],
                           extra='[engines.faulty-tone]\nslow_s = "0.2"\n')
    child = terminal(["build"], project, engines=True)
    child.expect("Speaking and building guides")
    # Ctrl-C once a few sentences are in the cache (on a busy machine the engine takes longer to start).
    deadline = time.monotonic() + 60
    while len(list((project / ".publish-cache").rglob("*.clip"))) < 4 and time.monotonic() < deadline:
        time.sleep(0.1)
    child.sendintr()
    code, shown = finished(child)
    assert code == 130, shown
    said = [line for line in screen(shown) if "interrupted" in line]
    assert len(said) == 1 and "kept" in said[0] and "build again" in said[0], screen(shown)
    assert "Traceback" not in shown and "KeyboardInterrupt" not in shown
    assert not half_written(project / "output") and not (project / "output" / REFERENCE_GUIDE.stem / "index.html").exists()
    code, shown = typed(["build"], project, engines=True)
    assert code == 0 and re.search(r"machine-learning-engineer\s+(status: )?built", shown), screen(shown)
    assert re.search(r"speech: \d+ sentences synthesized, [1-9]\d* from cache", shown), "what was spoken was kept"


def test_ctrl_c_while_finishing_keeps_what_was_done_and_the_next_build_finishes(tmp_path):
    guides = []
    for number in range(4):  # four guides to finish, so that Ctrl-C lands while some are left
        copy = tmp_path / f"guide-{number}.md"
        copy.write_text(REFERENCE_GUIDE.read_text(encoding="utf-8").replace(
            "slug: machine-learning-engineer", f"slug: guide-{number}"), encoding="utf-8")
        guides.append(copy)
    project = make_project(tmp_path / "project", guides=guides)
    assert typed(["build", "--only", "audio"], project)[0] == 0  # every clip spoken: what follows is finishing
    child = terminal(["build"], project)
    child.expect(r"guide-\d: built")
    child.sendintr()
    code, shown = finished(child)
    assert code == 130 and "Traceback" not in shown, shown
    assert len([line for line in screen(shown) if "interrupted" in line]) == 1
    assert not half_written(project / "output")
    left = [n for n in range(4) if not (project / "output" / f"guide-{n}" / "index.html").exists()]
    assert left, "Ctrl-C came after every guide was done: the test did not test anything"
    code, shown = typed(["build"], project)
    assert code == 0 and not re.search(r"speech: [1-9]", shown), "finishing the rest speaks nothing"
    assert all((project / "output" / f"guide-{n}" / f"guide-{n}.pdf").is_file() for n in range(4))
    assert all(f"guide-{n}" in shown for n in left)


def save_by_rename(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp-save")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def output_bytes(output: Path) -> dict[str, bytes]:
    return {path.relative_to(output).as_posix(): path.read_bytes() for path in sorted(output.rglob("*")) if path.is_file()}


def test_serve_previews_edits_leaves_the_site_alone_and_stops_quietly(project):
    assert typed(["build"], project)[0] == 0
    published = output_bytes(project / "output")
    child = terminal(["serve", "--port", "0"], project)
    child.expect(r"on http://127\.0\.0\.1:(\d+)/")
    port = int(child.match.group(1))
    child.expect("rebuilt wind-turbine-technician", timeout=120)  # the preview's first build, from the cache
    guide = project / "guides" / SHORT_GUIDE.name
    climbing = "Is it really all about climbing?"
    save_by_rename(guide, guide.read_text(encoding="utf-8").replace(climbing, f"{climbing} I wonder.", 1))
    child.expect("rebuilt wind-turbine-technician", timeout=120)
    guide.write_text(guide.read_text(encoding="utf-8").replace("I wonder.", "Hello, everyone.", 1), encoding="utf-8")
    child.expect("rebuilt wind-turbine-technician", timeout=120)
    import urllib.request

    page = urllib.request.urlopen(f"http://127.0.0.1:{port}/wind-turbine-technician/", timeout=30).read().decode()
    assert "Hello, everyone" in page
    for name in ("sedAb12Cd", "4913", f".{guide.name}.swp", f"{guide.name}~", f"#{guide.name}#", f".#{guide.name}",
                 f"{guide.name}___jb_tmp___"):
        (guide.parent / name).write_text("not a guide", encoding="utf-8")
    with pytest.raises(pexpect.TIMEOUT):
        child.expect("changed:", timeout=4)
    child.sendintr()
    code, shown = finished(child)
    assert code == 0 and "Traceback" not in shown and "KeyboardInterrupt" not in shown, shown
    assert output_bytes(project / "output") == published, "the preview wrote into the published site"
    assert (project / ".publish-cache" / "preview" / "wind-turbine-technician" / "index.html").is_file()


def test_new_check_voices_and_help_as_typed(tmp_path):
    (tmp_path / "guides").mkdir()
    code, shown = typed(["new", "paramedic"], tmp_path, columns=40)
    assert code == 0 and "guides/paramedic.md" in shown
    code, shown = typed(["check"], tmp_path, columns=40)
    assert code == 0 and "Traceback" not in shown
    shutil.copy(FIXTURES / "bad" / "unknown-speaker.md", tmp_path / "guides")
    code, shown = typed(["check"], tmp_path, columns=40)
    assert code == 1 and "unknown-speaker.md:26: unknown speaker `Bob`" in shown.replace("\r\n", "\n").replace("\n", "")
    assert "nothing was built" not in shown, "check builds nothing, and says only what it checked"
    code, shown = typed(["voices"], tmp_path)
    assert code == 0 and "kokoro" in shown and "hibari" in shown
    for command in ("build", "check", "new", "proof", "serve", "voices", "audio", "transcript", "handout"):
        for columns in (80, 40):
            code, shown = typed([command, "--help"], tmp_path, columns=columns)
            assert code == 0 and "usage: publish" in shown and "Traceback" not in shown, command
            assert all(len(line) <= columns for line in screen(shown, columns)), (command, columns)


def test_proof_as_typed(project):
    assert typed(["build", "--only", "audio"], project)[0] == 0
    code, shown = typed(["proof"], project)
    # The tone engine says no words: the recogniser hears none of them, and proof says so per sentence.
    assert code == 0 and "word error rate" in shown and "Traceback" not in shown, shown
