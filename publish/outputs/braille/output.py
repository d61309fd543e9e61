"""The braille format (`BrailleOutput`): a guide's braille edition as BRF and PEF.

It reads the guide alone, never the lesson's clips or timeline, so its key holds no audio: editing
a turn rebuilds the braille and speaks nothing more for it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

from publish.errors import BrailleError
from publish.outputs.base import KeyInputs, Material, Output, guide_of, keyed
from publish.outputs.braille import liblouis
from publish.outputs.files import GuideFiles
from publish.outputs.i18n import N_

log = logging.getLogger(__name__)

LABELS = (N_("Braille (BRF)"), N_("Braille (PEF)"))


class BrailleOutput(Output):
    name = "braille"
    help = "the braille edition, ready to emboss (BRF and PEF)"

    def files(self, files: GuideFiles, paper: str) -> tuple[Path, ...]:
        return (files.brf, files.pef)

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
        return {files.brf: brf(edition), files.pef: pef(edition, identifier, guide.updated)}

    def downloads(self, files: GuideFiles, paper: str, several_papers: bool,
                  _: Callable[[str], str] = str) -> list[tuple[Path, str]]:
        # A guide in a language with no braille table has none, though its braille step ran.
        return [(path, _(label)) for path, label in zip(self.files(files, paper), LABELS) if path.is_file()]
