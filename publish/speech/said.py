"""What each written sentence is as spoken, kept between builds.

Turning a sentence into what a voice says (numbers, dates, abbreviations, the guide's lexicon)
takes most of a build's planning: about 0.12 s for the reference project, where a build with
nothing to do takes 0.33 s. The result depends only on the sentence, the lexicon, the language,
publish's speech rules and the versions of the libraries that spell numbers, so a build keeps it
by those in its cache folder and asks the rules again only for sentences it has not seen.

A turn's sentences (its Markdown read as plain text, then split) are kept the same way, by the
turn's text and language (and the Markdown reader's version): a build with nothing to do reads
no turn's Markdown again.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Callable, Iterable, TypeGuard, TypeVar

from publish.digest import digest, files_digest
from publish.errors import PublishError
from publish.places import package_version
from publish.text import spoken as speech_rules
from publish.writer import write_bytes_atomic

log = logging.getLogger(__name__)
Kept = TypeVar("Kept", str, list[str])  # what is kept for a text: its sentences, or how it is said

FILE_NAME = "spoken.json"
# Besides publish's own rules, these libraries spell numbers and dates into words, and read a
# turn's Markdown as plain text.
TEXT_LIBRARIES = ("num2words", "unicode-rbnf", "Babel", "markdown-it-py")
# Sentences kept, most recently used last; a project's lessons are a few thousand at most.
MOST_KEPT = 50_000


def rules_identity() -> str:
    """Publish's speech rules (the bytes of `publish/text`) and the text libraries' versions: a
    change to any of them makes every sentence new again."""
    rules = sorted(Path(speech_rules.__file__).parent.glob("*.py"))
    return digest([path.name for path in rules], files_digest(*rules),
                  [(name, package_version(name)) for name in TEXT_LIBRARIES])


class SpokenTexts:
    """`spoken()` and a turn's sentences with a memory: `folder` None keeps nothing between builds."""

    def __init__(self, folder: Path | None):
        self.path = folder / FILE_NAME if folder else None
        self.rules = rules_identity() if folder else ""
        self.known: dict[str, str | list[str]] = self._read()
        self.added = 0

    def _read(self) -> dict[str, str | list[str]]:
        if self.path is None or not self.path.is_file():
            return {}
        try:
            kept = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            log.debug("ignoring an unreadable %s", self.path)
            return {}
        if not isinstance(kept, dict) or not all(isinstance(v, str) or _texts(v) for v in kept.values()):
            return {}
        return kept

    def sentences(self, turn: str, language: str) -> list[str]:
        """The sentences of a turn's inline Markdown, as plain text."""
        return list(self._kept(("sentences", turn), language, _texts, lambda: _split(turn, language)))

    def spoken(self, sentence: str, lexicon: Iterable[tuple[str, str]], language: str) -> str:
        lexicon = tuple(lexicon)
        return self._kept((lexicon, sentence), language, _text,
                          lambda: speech_rules.spoken(sentence, lexicon, language))

    def _kept(self, what: tuple[object, ...], language: str, valid: Callable[[object], TypeGuard[Kept]],
              make: Callable[[], Kept]) -> Kept:
        """`make()`, or what it gave for `what` in an earlier build (`valid` says a kept value fits)."""
        if self.path is None:
            return make()
        key = digest(self.rules, language, *what)
        found = self.known.pop(key, None)
        if valid(found):
            kept = found
        else:
            kept = make()
            self.added += 1
        self.known[key] = kept  # last: the most recently used
        return kept

    def save(self) -> None:
        """Keep the texts, when this build made new ones (the oldest go past MOST_KEPT)."""
        if self.path is None or not self.added:
            return
        kept = dict(list(self.known.items())[-MOST_KEPT:])
        try:
            write_bytes_atomic(self.path, json.dumps(kept, ensure_ascii=False).encode("utf-8"), durable=False)
        except (OSError, PublishError) as error:  # a cache: the next build only plans a little slower
            log.debug("cannot keep spoken texts in %s: %s", self.path, error)
        self.added = 0


def _texts(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _text(value: object) -> TypeGuard[str]:
    return isinstance(value, str)


def _split(turn: str, language: str) -> list[str]:
    return speech_rules.split_sentences(speech_rules.plain_text(turn), language)
