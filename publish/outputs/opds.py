"""The catalog for reading apps (OPDS 1.2, Atom): `opds.xml` lists every guide's book, with its
handouts and lesson as further downloads; each language has a navigation feed (`opds-es.xml`)
leading to its guides by title (`opds-es-all.xml`) and the latest updated first (`opds-es-new.xml`).

Links are relative. With `site.base_url` each feed says, with `xml:base`, that they resolve
against it, so a copy of the catalog still points at the site. Without one the catalog is still
made: Atom resolves relative links against the address the app read the catalog from, which
is right wherever `output/` is hosted (unlike a podcast feed, whose apps want absolute
enclosures); the build says so.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from publish.config import Config
from publish.guide.fields import FIELDS
from publish.guide.model import Guide
from publish.outputs.feeds import channel, site_languages
from publish.outputs.files import Audience, File, SiteFiles
from publish.outputs.i18n import language_name, same_language, translator
from publish.outputs.manifest import GuideEntry, Manifest
from publish.outputs.site import Site, SiteOutput, leftovers_in

log = logging.getLogger(__name__)

# What a reading app can take away: the book first (what OPDS apps open), then handouts and lesson.
TAKEN = (".epub", ".pdf", ".mp3")
THUMBNAIL = (240, 360)  # pixels; a book's proportions, small enough for a list


@dataclass(frozen=True)
class Link:
    href: str  # from the site's root, where every catalog file lies
    type: str
    title: str = ""


@dataclass(frozen=True)
class Book:
    """A guide as the catalog lists it."""

    guide: Guide
    id: str
    updated: str
    field: str  # the career field's name in the guide's language, or ""
    page: Link | None
    thumbnail: Link
    acquisitions: tuple[Link, ...]


class CatalogOutput(SiteOutput):
    name = "opds"
    help = "the catalog for reading apps (OPDS 1.2), with each guide's thumbnail"

    def files(self, where: Site, paper: str) -> tuple[File, ...]:
        site, manifest = where.files, where.manifest
        per_language = [site.opds_for(code, kind) for code in site_languages(where.config, manifest)
                        for kind in ("", "all", "new")]
        thumbnails = [site.thumbnail(entry.guide.slug) for entry in manifest.entries if _acquisitions(entry)]
        return (site.opds, *per_language, *thumbnails)

    def make(self, material: Site, paper: str) -> dict[Path, bytes]:
        return opds_files(material.config, material.manifest)

    def leftovers(self, where: Site, made: dict[Path, bytes]) -> list[Path]:
        """Thumbnails of guides the catalog no longer lists."""
        return leftovers_in(where.files.covers, made)


def opds_files(config: Config, manifest: Manifest) -> dict[Path, bytes]:
    """Every catalog feed, and the thumbnail of each guide it lists."""
    if not config.site.base_url:
        log.info("no site.base_url in publish.toml: opds.xml links relative to its own address (right wherever "
                 "output/ is hosted; set site.base_url for a catalog that still works when copied elsewhere)")
    site = SiteFiles(config.output_dir)
    listed = [entry for entry in manifest.entries if _acquisitions(entry)]
    books = [_book(config, entry) for entry in listed]
    made = {site.thumbnail(entry.guide.slug).path: thumbnail(entry.guide) for entry in listed}
    made[site.opds.path] = _render(config, "opds-acquisition.xml.j2", config.site.language, books=books,
                                   title=config.site.title, self_href=site.opds.url,
                                   languages=[(code, language_name(code), site.opds_for(code).url,
                                               site.opds_for(code, "all").url)
                                              for code in site_languages(config, manifest)])
    for code in site_languages(config, manifest):
        made.update(_language_files(config, code, [b for b in books if same_language(b.guide.language, code)]))
    return made


def _language_files(config: Config, code: str, books: list[Book]) -> dict[Path, bytes]:
    site, title = SiteFiles(config.output_dir), channel(config, code).title
    by_title = sorted(books, key=lambda b: b.guide.title.lower())
    latest = sorted(by_title, key=lambda b: b.guide.updated, reverse=True)
    common = {"title": title, "languages": []}
    navigation, every, newest = site.opds_for(code), site.opds_for(code, "all"), site.opds_for(code, "new")
    return {
        navigation.path: _render(config, "opds-navigation.xml.j2", code, title=title, books=books,
                                 self_href=navigation.url, all_href=every.url, all_id=_id(f"catalog:{code}:all"),
                                 new_href=newest.url, new_id=_id(f"catalog:{code}:new")),
        every.path: _render(config, "opds-acquisition.xml.j2", code, books=by_title, self_href=every.url, **common),
        newest.path: _render(config, "opds-acquisition.xml.j2", code, books=latest, self_href=newest.url, **common),
    }


def _render(config: Config, name: str, language: str, books: list[Book], **values: object) -> bytes:
    from publish.outputs.templating import environment

    site = SiteFiles(config.output_dir)
    updated = max((b.guide.updated for b in books), default=date(1970, 1, 1))
    template = environment(config.templates_dir, language).get_template(name)
    return template.render(site=config.site, language=language, books=books, updated=_instant(updated),
                           id=_id(f"catalog:{values['self_href']}"), start_href=site.opds.url,
                           **values).encode("utf-8")


def _book(config: Config, entry: GuideEntry) -> Book:
    guide, files = entry.guide, entry.files
    site = SiteFiles(config.output_dir)
    return Book(guide, _id(f"guide:{guide.slug}"), _instant(guide.updated),
                translator(guide.language)(FIELDS[guide.career_field]) if guide.career_field else "",
                Link(files.page.url, files.page.media_type) if files.page in entry.made else None,
                Link(site.thumbnail(guide.slug).url, site.thumbnail(guide.slug).media_type),
                tuple(Link(file.url, file.media_type, file.label) for file in _acquisitions(entry)))


def _acquisitions(entry: GuideEntry) -> list[File]:
    """The guide's files a reading app can take, in place, each with its label in the guide's language."""
    found = [file for file in entry.offered(Audience.READERS) if file.path.suffix in TAKEN]
    return sorted(found, key=lambda file: TAKEN.index(file.path.suffix))


def thumbnail(guide: Guide) -> bytes:
    """The guide's cover made small, or a plain one drawn with its title."""
    import io

    from PIL import Image

    from publish.outputs.cover import title_cover

    if guide.cover is None:
        return title_cover(guide.title, THUMBNAIL, margin=THUMBNAIL[0] // 12)
    with Image.open(guide.cover) as image:
        small = image.convert("RGB")
        small.thumbnail(THUMBNAIL)
        buffer = io.BytesIO()
        small.save(buffer, format="PNG")
        return buffer.getvalue()


def _instant(day: date) -> str:
    """A guide's date as Atom's instant: noon UTC, as the podcast feed dates its episodes."""
    return f"{day.isoformat()}T12:00:00Z"


def _id(name: str) -> str:
    """An Atom id, the same in every build and whatever the site's address: a name-based UUID."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'publish:' + name)}"
