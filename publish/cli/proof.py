"""`publish proof`: listen back to built lessons with an offline recogniser and list what it misheard."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from publish.errors import PublishError


def add_proof_command(commands: argparse._SubParsersAction) -> None:
    proof = commands.add_parser(
        "proof", help="listen back to built lessons and list sentences a listener may mishear",
        description="Run an offline speech recogniser (Whisper tiny.en for English lessons, Whisper base for "
                    "other languages; from the optional extra `pip install 'publish[proof]'`) over each built lesson "
                    "and list, worst first, the sentences where what it heard differs from the script, with the "
                    "word error rate of the lesson and of each host (the character error rate for Chinese and "
                    "Japanese; for Hindi, which Whisper base often writes in Urdu script, the rate is shown but "
                    "not held to --max-wer). Build first.")
    proof.add_argument("guides", nargs="*", type=Path, metavar="GUIDE", help="guide files or folders (default: guides/)")
    proof.add_argument("--max-wer", type=float, metavar="PERCENT",
                       help="exit with status 1 when a lesson's word error rate is above this")
    proof.add_argument("--output", type=Path, help="output folder the lessons were built into (default: output/)")
    proof.set_defaults(run=run_proof, stopped="; no lesson was listened to")


def run_proof(args: argparse.Namespace) -> int:
    from publish.config import load_config
    from publish.guide.project import guide_paths
    from publish.guide.source import load_guides

    config = load_config()
    output = args.output.resolve() if args.output else config.output_dir
    worst = proof_lessons(load_guides(guide_paths(args.guides, config.guides_dir)), output)
    return 1 if args.max_wer is not None and worst > args.max_wer else 0


def proof_lessons(guides: list, output: Path) -> float:
    """Hear each guide's built lesson; print every misheard sentence with its line, and each host's
    word error rate. Returns the worst lesson's rate, in percent."""
    from publish.audio.multilingual import judge_note, measure_name
    from publish.audio.proof import model_folder, proof
    from publish.audio.timeline import read_timeline
    from publish.outputs.files import GuideFiles

    for language in sorted({guide.language for guide in guides}):
        model_folder(language)  # a missing extra is reported before any work
    worst = 0.0
    for guide in guides:
        files = GuideFiles(output, guide.slug, guide.settings.paper, guide.language)
        mp3, timeline = files.mp3.path, read_timeline(files.timeline.path)
        if timeline is None or not mp3.is_file():
            raise PublishError(f"{guide.where.path}: the lesson is not built yet — run `publish build --only audio` first")
        started = time.perf_counter()
        report = proof(mp3, timeline, guide.language)
        for check in report.flagged:
            print(f'{guide.where.path}:{check.line}: heard "{check.heard}" for "{check.written}" — '
                  "add a lexicon entry or rephrase")
        words = sum(c.words for c in report.checks)
        measure, units = measure_name(guide.language)
        print(f"{guide.slug}: {measure} {100 * report.word_error_rate:.1f} % over {words} {units}, "
              f"{len(report.flagged)} of {len(report.checks)} sentences flagged "
              f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        for speaker, (voice, rate, spoken) in report.by_host().items():
            print(f"  {speaker} ({voice}): {100 * rate:.1f} % of {spoken} {units}", file=sys.stderr)
        note = judge_note(guide.language)
        if note:
            print(f"  {guide.slug} ({guide.language}): {note}; --max-wer does not count this lesson", file=sys.stderr)
        else:
            worst = max(worst, 100 * report.word_error_rate)
    return worst
