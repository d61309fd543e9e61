"""The braille format (`BrailleOutput`): a guide's braille edition as BRF and PEF.

It reads the guide alone, never the lesson's clips or timeline, so its key holds no audio: editing
a turn rebuilds the braille and speaks nothing more for it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from publish.errors import BrailleError
from publish.outputs.base import GuideOutput, KeyInputs, Material, guide_of, keyed
from publish.outputs.braille import liblouis
from publish.outputs.braille.tables import has_table, no_table
from publish.outputs.files import File, GuideFiles

log = logging.getLogger(__name__)


class BrailleOutput(GuideOutput):
    name = "braille"
    help = "the braille edition, ready to emboss (BRF and PEF)"

    def files(self, where: GuideFiles, paper: str) -> tuple[File, ...]:
        # A guide in a language with no braille table has none: nothing is missing, nothing to make.
        return (where.brf, where.pef) if has_table(where.language) else ()

    def absent_because(self, where: GuideFiles) -> str:
        return no_table(where.language)

    def key(self, inputs: KeyInputs, paper: str) -> str:
        # liblouis's version too: a newer table can write the same guide differently.
        return keyed(inputs.source, inputs.braille, liblouis.version())

    def make(self, material: Material, paper: str) -> dict[Path, bytes]:
        from publish.outputs.braille.edition import braille_edition
        from publish.outputs.braille.files import brf, pef

        guide, files, config = guide_of(material), material.files, material.config
        try:
            edition = braille_edition(guide, config.braille)
        except BrailleError as error:
            # Not the guide's failure: its other formats are made as usual; `publish check` says so too.
            log.warning("%s", error)
            return {}
        identifier = files.url(config.site.base_url) if config.site.base_url else files.slug
        return {files.brf.path: brf(edition), files.pef.path: pef(edition, identifier, guide.updated)}
