"""The front matter of a guide: title and other settings, the hosts and their voices, the lexicon."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from publish import engines
from publish.errors import EngineError, GuideError
from publish.paper import PAPERS
from publish.guide.fields import FIELDS
from publish.guide.model import Settings, Speaker
from publish.guide.quoting import FRONT_MATTER, quoted_text
from publish.guide.reader import Reader
from publish.text.spoken import has_words
from publish.guide.yamlnode import YNode, compose


SPEAKER_ID_RE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


FRONT_MATTER_KEYS = {
    "title", "subtitle", "series", "slug", "language", "updated", "summary", "field", "cover", "cover_alt",
    "speakers", "lexicon", "settings",
}


SETTINGS_KEYS = {"transcript_speaker_names", "caption_max_cps", "paper"}


def front_matter(front: str, reader: Reader) -> dict[str, YNode]:
    root, problems = compose(quoted_text(front, FRONT_MATTER), reader.path, line_offset=1)
    reader.problems.extend(problems)
    reader.front_matter_unread = bool(problems)
    if problems and (root is None or root.kind != "mapping"):
        raise GuideError(reader.problems)
    if root is None or root.kind != "mapping":
        line = root.line if root else 2
        raise GuideError.single(reader.path, line, "the front matter is not a list of `key: value` settings",
                                "write settings such as `title: Machine Learning Engineer`, one a line")
    meta: dict[str, YNode] = {}
    for key, value in root.pairs():
        name = key.text() if key.kind == "text" else ""
        if name not in FRONT_MATTER_KEYS:
            reader.problem(key.line, f"unknown setting `{name}`",
                           f"use one of: {', '.join(sorted(FRONT_MATTER_KEYS))}")
        elif name not in meta:  # a second one is reported with the YAML (`… is given twice here`)
            meta[name] = value
    return meta


def text_value(node: YNode | None, reader: Reader, name: str, line: int, required: bool = True) -> str:
    if node is None or node.is_null():
        if required and not reader.front_matter_unread:
            reader.problem(line, f"the guide has no `{name}`", f"add a line `{name}: …` to the front matter")
        return ""
    if node.kind != "text":
        reader.problem(node.line, f"`{name}` should be text, not a {node.kind}", f"write `{name}: …` on one line")
        return ""
    value = node.text()
    if required and not value:
        reader.problem(node.line, f"`{name}` is empty", f"write the {name} after `{name}:`")
    return value


def speakers_of(node: YNode | None, reader: Reader) -> dict[str, Speaker]:
    speakers: dict[str, Speaker] = {}
    if node is None or node.is_null():
        reader.problem(2, "no speakers are declared for the audio lesson",
                       "add `speakers:` with an `id` and `name` for each host (see guides/README.md)")
        return speakers
    if node.kind != "list":
        reader.problem(node.line, "`speakers` should be a list", "start each speaker with `- id: …`")
        return speakers
    for item in node.items():
        speaker = _speaker(item, reader)
        if speaker is None:
            continue
        names = {s.name.lower() for s in speakers.values()}
        if speaker.id in speakers or speaker.name.lower() in names:
            reader.problem(item.line, f"speaker `{speaker.id}` is declared twice",
                           "give every speaker its own id and name")
            continue
        speakers[speaker.id] = speaker
    if not any(True for _ in node.items()):
        reader.problem(node.line, "no speakers are declared for the audio lesson",
                       "list each host under `speakers:` as `- id: …` and `  name: …`")
    return speakers


def _speaker(item: YNode, reader: Reader) -> Speaker | None:
    if item.kind != "mapping":
        reader.problem(item.line, "a speaker should have `id`, `name` and optional `voices`",
                       "write `- id: maya` then `  name: Maya` below it")
        return None
    fields = {k.text(): v for k, v in item.pairs() if k.kind == "text"}
    unknown = set(fields) - {"id", "name", "voice", "voices"}
    if unknown:
        reader.problem(item.line, f"unknown speaker setting `{sorted(unknown)[0]}`",
                       "use `id`, `name`, `voice` and `voices`")
    if "id" not in fields:
        reader.problem(item.line, "this speaker has no `id`", "add `id: …`, a short lowercase name such as `ben`")
        return None
    speaker_id = text_value(fields.get("id"), reader, "id", item.line)
    name = text_value(fields.get("name"), reader, "name", item.line) or speaker_id.title()
    if speaker_id and not SPEAKER_ID_RE.match(speaker_id):
        reader.problem(item.line, f"speaker id `{speaker_id}` is not a simple lowercase word",
                       "use letters, digits, - or _, starting with a letter, e.g. `maya`")
        return None
    voice = _voice(fields.get("voice"), reader)
    voices: list[tuple[str, str]] = []
    voices_node = fields.get("voices")
    if voices_node is not None and not voices_node.is_null():
        if voices_node.kind != "mapping":
            reader.problem(voices_node.line, "`voices` should map an engine to a voice",
                           "write e.g. `voices: {piper: joe, gtts: co.uk}`")
        else:
            for engine, fallback in voices_node.pairs():
                if engine.kind != "text" or fallback.kind != "text" or not fallback.text():
                    reader.problem(engine.line, "a voice should be `engine: voice name`", "e.g. `gtts: co.uk`")
                    continue
                if engine.text() not in engines.REGISTRY:
                    reader.problem(engine.line, f"`{engine.text()}` is not a speech engine",
                                   f"use one of: {', '.join(engines.names())}")
                    continue
                voices.append((engine.text(), fallback.text()))
    if not speaker_id:
        return None
    return Speaker(reader.where(item.line), speaker_id, name, tuple(voices), voice)


def _voice(node: YNode | None, reader: Reader) -> str | None:
    """A speaker's `voice: engine:name`, checked for a known engine and variant."""
    if node is None or node.is_null():
        return None
    if node.kind != "text" or not node.text():
        reader.problem(node.line, "`voice` should name one voice", "write e.g. `voice: hibari:heart`")
        return None
    try:
        engines.parse_voice(node.text())
    except EngineError as error:
        reader.problem(node.line, *str(error).split(" — ", 1))
        return None
    return node.text()


def lexicon_of(node: YNode | None, reader: Reader) -> tuple[tuple[str, str], ...]:
    if node is None or node.is_null():
        return ()
    if node.kind != "mapping":
        reader.problem(node.line, "`lexicon` should map a word to how it is said",
                       "write e.g. `lexicon: {Kaggle: KAG-ull}`")
        return ()
    entries = []
    for word, say in node.pairs():
        if word.kind != "text" or say.kind != "text" or not word.text() or not say.text():
            reader.problem(word.line, "a lexicon entry should be `word: how to say it`", "e.g. `MLOps: em el ops`")
            continue
        if not has_words(say.text()):
            reader.problem(say.line, f"the lexicon says `{word.text()}` as `{say.text()}`, which has nothing to say aloud",
                           "write how it sounds in letters, e.g. `Kaggle: KAG-ull`, or in IPA between slashes")
            continue
        entries.append((word.text(), say.text()))
    return tuple(entries)


def settings_of(node: YNode | None, reader: Reader) -> Settings:
    if node is None or node.is_null():
        return Settings()
    if node.kind != "mapping":
        reader.problem(node.line, "`settings` should be a list of `key: value`", "see guides/README.md")
        return Settings()
    values: dict[str, object] = {}
    for key, value in node.pairs():
        name = key.text() if key.kind == "text" else ""
        raw = value.text() if value.kind == "text" else ""
        if name == "transcript_speaker_names":
            if raw.lower() not in ("true", "false", "yes", "no"):
                reader.problem(value.line, "`transcript_speaker_names` should be true or false", "write true or false")
            values[name] = raw.lower() in ("true", "yes")
        elif name == "caption_max_cps":
            try:
                cps = float(raw)
            except ValueError:
                cps = -1.0
            if not 8 <= cps <= 25:
                reader.problem(value.line, f"`caption_max_cps` is `{raw}`",
                               "use a reading speed between 8 and 25 characters a second (17 is usual, 13 for young learners)")
            values[name] = cps
        elif name == "paper":
            if raw.lower() not in PAPERS:
                reader.problem(value.line, f"paper `{raw}` is not known", f"use one of: {', '.join(PAPERS)}")
            values[name] = raw.lower()
        else:
            reader.problem(key.line, f"unknown setting `{name}`", f"use one of: {', '.join(sorted(SETTINGS_KEYS))}")
    return Settings(**values)  # type: ignore[arg-type]


def date_value(node: YNode | None, reader: Reader) -> date | None:
    raw = text_value(node, reader, "updated", 2)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        reader.problem(node.line if node else 2, f"`updated: {raw}` is not a date", "write it as YYYY-MM-DD, e.g. 2026-11-01")
        return None


def field_of(node: YNode | None, reader: Reader) -> str:
    """The guide's career field: one key of the fixed list, or "" when the guide names none."""
    raw = text_value(node, reader, "field", 2, required=False)
    if raw and raw.lower() not in FIELDS:
        reader.problem(node.line if node else 2, f"field `{raw}` is not a career field the index knows",
                       f"use one of: {', '.join(FIELDS)}")
        return ""
    return raw.lower()


def cover_of(node: YNode | None, reader: Reader, folder: Path | None) -> Path | None:
    raw = text_value(node, reader, "cover", 2, required=False)
    if not raw or folder is None or node is None:
        return None
    base = folder.resolve()
    candidate = (base / raw).resolve()
    if base not in candidate.parents:
        reader.problem(node.line, f"cover `{raw}` is outside the guide's folder",
                       "put the image next to the guide and name it without `..` or a leading /")
        return None
    if candidate.suffix.lower() not in (".png", ".jpg", ".jpeg"):
        reader.problem(node.line, f"cover `{raw}` is not a PNG or JPEG image", "use a .png or .jpg file")
        return None
    if not candidate.is_file():
        reader.problem(node.line, f"cover image `{raw}` does not exist", "check the file name, or remove `cover:`")
        return None
    return candidate
