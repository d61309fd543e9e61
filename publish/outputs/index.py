"""The site's index: every guide of the project as a card in its own language, with search,
filters and sort over them (the index's own script and Pagefind, `search.py`), each language's
podcast feed and the catalog for reading apps linked. Without JavaScript it is the plain,
complete list."""

from __future__ import annotations

from pathlib import Path

from publish.config import Config
from publish.guide.fields import FIELDS
from publish.outputs.feeds import channels, description, site_languages
from publish.outputs.files import Audience, File
from publish.outputs.i18n import language_name, phrase, translator
from publish.outputs.manifest import GuideEntry
from publish.outputs.page import Download
from publish.outputs.shown import duration_text
from publish.outputs.site import Site, SiteOutput


class IndexOutput(SiteOutput):
    name = "index"
    help = "the site's index of every guide, with search and filters"

    def files(self, where: Site, paper: str) -> tuple[File, ...]:
        return (where.files.index,)

    def make(self, material: Site, paper: str) -> dict[Path, bytes]:
        return {material.files.index.path: index_page(material).encode("utf-8")}


def index_page(site: Site) -> str:
    from publish.outputs.templating import environment

    config, manifest, files = site.config, site.manifest, site.files
    language = config.site.language
    feeds = channels(config, manifest) if config.site.base_url else []
    fields = sorted({e.guide.career_field for e in manifest.entries if e.guide.career_field})
    _ = translator(language)
    return environment(config.templates_dir, language).get_template("index.html.j2").render(
        site=config.site, description=description(config, language),
        entries=[_index_entry(e) for e in manifest.entries], language=language,
        feeds=[(each, language_name(each.language)) for each in feeds],
        languages=[(code, language_name(code)) for code in site_languages(config, manifest)],
        fields=[(key, _(FIELDS[key])) for key in fields], catalog=files.opds.url, search=f"{files.search.name}/")


def _index_entry(entry: GuideEntry) -> dict[str, object]:
    """A guide's card on the index, in the guide's own language: its page and its first downloads."""
    files, guide, language = entry.files, entry.guide, entry.guide.language
    return {"guide": guide, "failed": entry.failed, "_": phrase(language),
            "page": files.page.url if files.page in entry.made else None,
            "duration": duration_text(entry.timeline.duration, language) if entry.timeline else "",
            "field": translator(language)(FIELDS[guide.career_field]) if guide.career_field else "",
            "links": [Download(file.url, file.label, "") for file in entry.offered(Audience.READERS)[:3]]}
