"""What each output's key is made of: the inputs the build gathers for a guide's formats, its page
and the site. Each output makes its own key from them (`Output.key`); a changed key means make it
again, and the state file records the key each output in place was built from."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from publish.audio import LEVELS
from publish.builder.state import BuildState
from publish.config import Config
from publish.digest import digest, file_digest
from publish.guide.model import Guide
from publish.outputs.base import KeyInputs, keyed
from publish.outputs.manifest import GuideEntry, Manifest
from publish.outputs.page import PageInputs
from publish.outputs.registry import PAGE
from publish.outputs.site import SiteInputs

if TYPE_CHECKING:
    from publish.speech.plan import LessonPlan


def guide_source(guide: Guide) -> bytes:
    path = Path(guide.where.path)
    return path.read_bytes() if path.is_file() else b""


def plan_key(plan: "LessonPlan") -> str:
    return digest([job.key for job in plan.jobs], [(t.turn.speaker.name, t.part) for t in plan.turns],
                  [p.title for p in plan.guide.lesson.parts], plan.cast)


def key_inputs(config: Config, plan: "LessonPlan", templates: str) -> KeyInputs:
    """A guide's formats' inputs; `templates` is the templates folder's digest. The audio's key
    covers what its tags show."""
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


def page_inputs(config: Config, entry: GuideEntry, state: BuildState, templates: str) -> PageInputs:
    """A page shows the guide and links every other output it has: its key covers all of them."""
    slug, files = entry.guide.slug, entry.files
    linked = tuple(sorted((step.state_name(files), state.key(slug, step.state_name(files)) or "")
                          for step in entry.steps if step.output is not PAGE))
    return PageInputs(guide_source(entry.guide), digest(images_key(entry.guide)), templates, config.site, linked,
                      entry.failed)


def site_inputs(config: Config, manifest: Manifest, state: BuildState, templates: str) -> SiteInputs:
    """The index and feed show every guide as its page does: their key covers every page's key."""
    pages = tuple((e.guide.slug, e.has(PAGE), PAGE.key(page_inputs(config, e, state, templates), ""))
                  for e in manifest.entries)
    return SiteInputs(templates, config.site, pages)
