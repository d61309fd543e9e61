"""What each output of a guide is built from: its key. A changed key means rebuild; the state
file records the key each output in place was built from."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from publish.audio import LEVELS
from publish.config import Config
from publish.digest import digest, file_digest
from publish.guide.model import Guide
from publish.outputs.base import KeyInputs, keyed
from publish.outputs.manifest import GuideEntry, Manifest
from publish.outputs.registry import PAGE

if TYPE_CHECKING:
    from publish.speech.plan import LessonPlan


def guide_source(guide: Guide) -> bytes:
    path = Path(guide.where.path)
    return path.read_bytes() if path.is_file() else b""


def plan_key(plan: "LessonPlan") -> str:
    return digest([job.key for job in plan.jobs], [(t.turn.speaker.name, t.part) for t in plan.turns],
                  [p.title for p in plan.guide.lesson.parts], plan.cast)


def key_inputs(config: Config, plan: "LessonPlan", templates: str) -> KeyInputs:
    """`templates` is the templates folder's digest. The audio's key covers what its tags show."""
    guide = plan.guide
    cover = file_digest(guide.cover)
    audio = keyed(plan_key(plan), LEVELS, config.audio, file_digest(config.audio.intro), file_digest(config.audio.outro),
                  guide.title, guide.series, guide.summary, guide.updated, guide.language, cover, config.site.author,
                  guide.settings.transcript_speaker_names)
    return KeyInputs(audio, guide_source(guide), keyed(cover, images_key(guide)), templates, config.site,
                     guide.settings, config.braille)


def images_key(guide: Guide) -> list[tuple[str, str]]:
    """What the guide's figures show: each image's name and bytes (the alt text is in the source)."""
    return [(figure.name, file_digest(figure.source)) for figure in guide.figures]


def page_key(config: Config, entry: GuideEntry, state: dict[str, str], templates: str) -> str:
    """A page shows the guide and links every output it has: its key covers all of them."""
    from publish.build.state import state_key

    files = entry.files
    shown = sorted((step.state_name(files), state.get(state_key(entry.guide.slug, step.state_name(files)), ""))
                   for step in entry.steps if step.output is not PAGE)
    return keyed(guide_source(entry.guide), images_key(entry.guide), templates, config.site, shown, entry.failed)


def site_key(config: Config, manifest: Manifest, state: dict[str, str], templates: str) -> str:
    """The index and feed show every guide as its page does: their key covers every page's key."""
    shown = [(e.guide.slug, e.has(PAGE), page_key(config, e, state, templates)) for e in manifest.entries]
    return keyed(templates, config.site, shown)
