"""Project configuration: `publish.toml` at the project root, overridden by command-line options."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from publish.errors import UNSAFE_CHARACTERS, ConfigError
from publish.paper import PAPERS

CONFIG_NAME = "publish.toml"
# Every clip is resampled to this rate, and the lesson is mastered and encoded at it.
SAMPLE_RATE = 44100


@dataclass(frozen=True)
class AudioConfig:
    engine: str | None = None  # None: each host speaks with their own voice; a name: that engine for all
    draft: bool = False  # hosts who name no voice get the fast draft cast instead of the published one
    engine_options: tuple[tuple[str, str], ...] = ()
    # A factor on the reference pace (160 words a minute in English; publish/engines/pace.py):
    # one number for every language and voice, which each engine turns into its own speed control.
    pace: float = 1.0
    clause_pause_ms: int = 120  # inside a long sentence spoken in pieces
    sentence_pause_ms: int = 250
    turn_pause_ms: int = 650
    part_pause_ms: int = 1200
    lead_in_ms: int = 400
    tail_ms: int = 1000
    intro: Path | None = None
    outro: Path | None = None
    loudness_lufs: float = -16.0
    true_peak_dbtp: float = -1.0
    bitrate_kbps: int = 128
    sample_rate: int = SAMPLE_RATE

    @property
    def engine_settings(self) -> tuple[tuple[str, str], ...]:
        """`[engines.NAME]` settings as `NAME.key`, and the pace, which every engine reads."""
        return (("pace", repr(self.pace)), *self.engine_options)


LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
# The site's description when publish.toml gives none; other languages' feeds say it from the catalogs.
DEFAULT_DESCRIPTION = "Career guides and audio lessons for students."


@dataclass(frozen=True)
class SiteLanguage:
    """`[site.languages.es]`: what the site says in one of its other languages (that language's
    podcast feed and catalog); a key left out gets a default made from `[site]`."""

    code: str
    title: str | None = None
    description: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class SiteConfig:
    base_url: str | None = None
    title: str = "Career Compass"
    language: str = "en"  # of the index page and the site's own feed; each guide's card and page are in its own
    description: str = DEFAULT_DESCRIPTION
    author: str = "Career Compass"
    owner_name: str = "Career Compass"
    owner_email: str = "editor@example.org"
    category: str = "Education"
    explicit: bool = False
    image: str | None = None  # path under the output folder or absolute URL
    languages: tuple[SiteLanguage, ...] = ()  # settings for the site's other languages

    def in_language(self, code: str) -> SiteLanguage:
        """The settings given for another language; all unset for one publish.toml does not name."""
        return next((s for s in self.languages if s.code.lower() == code.lower()), SiteLanguage(code))


@dataclass(frozen=True)
class BrailleConfig:
    """The braille edition's page and code: the embosser's page in cells and lines, and grade 2
    (contracted) or grade 1 (uncontracted) braille."""

    cells: int = 40
    lines: int = 25
    grade: int = 2


# What a braille page can hold, with margin for a title page and a heading kept with its text.
BRAILLE_LIMITS = {"cells": (20, 100), "lines": (10, 100), "grade": (1, 2)}


@dataclass(frozen=True)
class Config:
    root: Path
    guides_dir: Path
    output_dir: Path
    templates_dir: Path
    cache_dir: Path
    paper: str | None = None  # None: each guide's own setting
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    audio: AudioConfig = field(default_factory=AudioConfig)
    site: SiteConfig = field(default_factory=SiteConfig)
    braille: BrailleConfig = field(default_factory=BrailleConfig)
    scheduler: str | None = None  # a Dask scheduler's address: the build's work runs on that cluster

    def with_overrides(self, **changes: Any) -> "Config":
        audio_changes = {k: changes.pop(k) for k in list(changes) if k in AudioConfig.__dataclass_fields__}
        config = replace(self, **{k: v for k, v in changes.items() if v is not None})
        audio_changes = {k: v for k, v in audio_changes.items() if v is not None}
        return replace(config, audio=replace(config.audio, **audio_changes)) if audio_changes else config


def bundled_templates() -> Path:
    return Path(__file__).resolve().parent / "outputs" / "templates"


def load_config(root: Path | None = None) -> Config:
    root = (root or Path.cwd()).resolve()
    path = root / CONFIG_NAME
    data: dict[str, Any] = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ConfigError(f"{path}: {error} — fix the TOML syntax (see README, 'Configuration')") from None
    return _config(root, path, data)


def _config(root: Path, path: Path, data: dict[str, Any]) -> Config:
    known = {"guides", "output", "templates", "cache", "paper", "jobs", "audio", "site", "engines", "cluster",
             "braille"}
    _no_unknown(path, "", data, known)
    templates = root / data.get("templates", "templates")
    if not templates.is_dir():
        templates = bundled_templates()
    paper = data.get("paper")
    if paper is not None and paper not in PAPERS:
        raise ConfigError(f"{path}: paper = \"{paper}\" — use one of: {', '.join(PAPERS)}")
    return Config(
        root=root,
        guides_dir=root / data.get("guides", "guides"),
        output_dir=root / data.get("output", "output"),
        templates_dir=templates,
        cache_dir=root / data.get("cache", ".publish-cache"),
        paper=paper,
        jobs=int(data.get("jobs", os.cpu_count() or 1)),
        audio=_audio(root, path, data.get("audio", {}), data.get("engines", {})),
        site=_site(path, data.get("site", {})),
        braille=_braille(path, data.get("braille", {})),
        scheduler=_scheduler(path, data.get("cluster", {})),
    )


def _audio(root: Path, path: Path, data: dict[str, Any], engines: dict[str, Any]) -> AudioConfig:
    _no_unknown(path, "audio.", data, set(AudioConfig.__dataclass_fields__) - {"engine_options"})
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("intro", "outro"):
            values[key] = _project_file(root, path, f"audio.{key}", value)
        elif key == "pace":
            values[key] = _pace(path, value)
        else:
            values[key] = value
    options: list[tuple[str, str]] = []
    for engine, table in engines.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [engines.{engine}] should be a table of settings")
        options.extend((f"{engine}.{k}", str(v)) for k, v in sorted(table.items()))
    return AudioConfig(engine_options=tuple(options), **values)


# Half and twice the reference pace: beyond them the voices garble words (Kokoro's and hibari's
# durations are divided by the factor) long before a listener would want it.
PACES = (0.5, 2.0)


def _pace(path: Path, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not PACES[0] <= value <= PACES[1]:
        raise ConfigError(f"{path}:{_line_of(path, 'pace')}: audio.pace = {value!r} — give a number from "
                          f"{PACES[0]} to {PACES[1]}, a factor on the reference pace (1.0: about 160 words a "
                          "minute in English; 0.9 a tenth slower)")
    return float(value)


def _project_file(root: Path, path: Path, key: str, value: Any) -> Path:
    """A file the build reads, resolved (links too) and kept inside the project folder."""
    short = key.split(".")[-1]
    where = f"{path}:{_line_of(path, short)}"
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {key} should be a file name in quotes — e.g. {short} = \"audio/{short}.mp3\"")
    resolved = (root / value).resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise ConfigError(f"{where}: {key} = \"{value}\" is outside the project folder — copy the file into the "
                          "project and name it from there, without `..` or a leading /")
    if not resolved.is_file():
        raise ConfigError(f"{where}: {key} = \"{value}\" does not exist — check the file name")
    return resolved


def _line_of(path: Path, key: str) -> int:
    """The line of publish.toml that sets `key` (TOML's reader gives no positions)."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except OSError:
        return 1
    return next((n for n, line in enumerate(lines, start=1) if line.strip().startswith((f"{key} ", f"{key}="))), 1)


def _site(path: Path, data: dict[str, Any]) -> SiteConfig:
    _no_unknown(path, "site.", data, set(SiteConfig.__dataclass_fields__))
    _plain_text(path, "site.", data)
    languages = _site_languages(path, data.pop("languages", {}), str(data.get("language", SiteConfig.language)))
    site = SiteConfig(**data, languages=languages)
    if not LANGUAGE_CODE.match(str(site.language)):
        raise ConfigError(f"{path}:{_line_of(path, 'language')}: site.language = \"{site.language}\" is not a "
                          "language code — use e.g. \"en\" or \"es\"")
    if site.base_url and not site.base_url.startswith(("https://", "http://")):
        raise ConfigError(f"{path}: site.base_url = \"{site.base_url}\" — give a full address starting with https://")
    if site.base_url and not site.base_url.endswith("/"):
        site = replace(site, base_url=site.base_url + "/")
    return site


def _braille(path: Path, data: Any) -> BrailleConfig:
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [braille] should be a table, e.g. [braille] then cells = 40")
    _no_unknown(path, "braille.", data, set(BrailleConfig.__dataclass_fields__))
    for key, value in data.items():
        low, high = BRAILLE_LIMITS[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ConfigError(f"{path}:{_line_of(path, key)}: braille.{key} = {value!r} — use a whole number "
                              f"from {low} to {high}" + (" (1: uncontracted, 2: contracted)" if key == "grade" else ""))
    return BrailleConfig(**data)


def _plain_text(path: Path, prefix: str, data: dict[str, Any]) -> None:
    for key, value in data.items():
        if isinstance(value, str) and UNSAFE_CHARACTERS.search(value):
            raise ConfigError(f"{path}:{_line_of(path, key)}: {prefix}{key} holds an invisible control character — "
                              "write it as plain text (the feed and pages cannot carry it)")


def _site_languages(path: Path, tables: Any, site_language: str) -> tuple[SiteLanguage, ...]:
    """`[site.languages.CODE]` tables: each language's own title, description and author."""
    if not isinstance(tables, dict):
        raise ConfigError(f"{path}:{_line_of(path, 'languages')}: site.languages should be tables such as "
                          "[site.languages.es] — write one table per language, with title, description and author")
    found = []
    for code, table in tables.items():
        where = f"{path}:{_table_line(path, f'site.languages.{code}')}"
        if not LANGUAGE_CODE.match(code) or not isinstance(table, dict):
            raise ConfigError(f"{where}: [site.languages.{code}] is not a table for a language code — "
                              "name a language as guides do, e.g. [site.languages.es]")
        if code.lower() == site_language.lower():
            raise ConfigError(f"{where}: [site.languages.{code}] is the site's own language — "
                              "set its title, description and author in [site] itself")
        known = set(SiteLanguage.__dataclass_fields__) - {"code"}
        _no_unknown(path, f"site.languages.{code}.", table, known)
        _plain_text(path, f"site.languages.{code}.", table)
        if any(not isinstance(value, str) for value in table.values()):
            raise ConfigError(f"{where}: [site.languages.{code}] holds a value that is not text — write each in quotes")
        found.append(SiteLanguage(code, **table))
    return tuple(found)


def _table_line(path: Path, name: str) -> int:
    """The line of publish.toml that opens the table `[name]`."""
    lines = path.read_text(encoding="utf-8").split("\n") if path.is_file() else []
    return next((n for n, line in enumerate(lines, start=1) if line.strip().replace(" ", "") == f"[{name}]"), 1)


SCHEDULER_ADDRESS = re.compile(r"^(tcp|tls)://[^\s/:]+:\d{1,5}$")


def check_scheduler(address: str, where: str = "--scheduler") -> str:
    if not SCHEDULER_ADDRESS.match(address):
        raise ConfigError(f"{where} = \"{address}\" is not a Dask scheduler address — write it as tcp://HOST:PORT, "
                          "e.g. tcp://10.0.0.5:8786 (the address `dask scheduler` prints)")
    return address


def _scheduler(path: Path, data: Any) -> str | None:
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [cluster] should be a table, e.g. [cluster] then scheduler = \"tcp://HOST:8786\"")
    _no_unknown(path, "cluster.", data, {"scheduler"})
    address = data.get("scheduler")
    if address is None:
        return None
    if not isinstance(address, str):
        raise ConfigError(f"{path}:{_line_of(path, 'scheduler')}: cluster.scheduler should be an address in quotes, "
                          "e.g. scheduler = \"tcp://10.0.0.5:8786\"")
    return check_scheduler(address, f"{path}:{_line_of(path, 'scheduler')}: cluster.scheduler")


def _no_unknown(path: Path, prefix: str, data: dict[str, Any], known: set[str]) -> None:
    for key in data:
        if key not in known:
            raise ConfigError(f"{path}: unknown setting `{prefix}{key}` — use one of: "
                              f"{', '.join(prefix + k for k in sorted(known))}")
