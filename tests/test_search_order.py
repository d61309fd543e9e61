"""Pagefind's bundle in one order: the same pages give the same files, byte for byte, in every build."""

from __future__ import annotations

import gzip
import json

import cbor2

from publish.outputs.search import Pagefind
from publish.outputs.search_order import SIGNATURE, in_steady_order

PAGE = """<html lang="{language}"><body><main data-pagefind-body>
<h1 data-pagefind-sort="title">{title}</h1><p>{text}</p>
<span data-pagefind-filter="language">{language}</span><span data-pagefind-filter="field">{field}</span>
<span data-pagefind-filter="level">{level}</span>
<span data-pagefind-sort="updated">{updated}</span><span data-pagefind-meta="lesson">{minutes} min</span>
</main></body></html>"""
PAGES = [dict(language="en", title=f"Guide {n}", text=f"Word{n} and the trade {n}.", field=field, level=level,
              updated=f"2026-0{1 + n % 9}-1{n % 10}", minutes=n + 3)
         for n, (field, level) in enumerate([("health", "a"), ("energy", "b"), ("technology", "c"), ("energy", "a"),
                                             ("education", "d"), ("health", "e")])]


def indexed() -> dict[str, bytes]:
    """The pages indexed by a Pagefind process of its own (each draws its own table order)."""
    with Pagefind({}) as index:
        for number, page in enumerate(PAGES):
            index.add_page(PAGE.format(**page), f"/guide-{number}/index.html")
        return index.files()


def read(data: bytes) -> list:
    return cbor2.loads(gzip.decompress(data)[len(SIGNATURE):])


def shuffled(bundle: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle as another process could have written it: every table Pagefind keeps in a hash
    table reversed, and the files renamed."""
    files = dict(bundle)
    entry = json.loads(files["pagefind-entry.json"])
    about = entry["languages"]["en"]
    meta = read(files.pop(f"pagefind.{about['hash']}.pf_meta"))
    for number, filter_ in enumerate(meta[3]):
        name, values = read(files.pop(f"filter/{filter_[1]}.pf_filter"))
        filter_[1] = f"en_other{number}"
        files[f"filter/en_other{number}.pf_filter"] = gzip.compress(SIGNATURE + cbor2.dumps([name, values[::-1]]))
    meta[3].reverse()
    meta[4].reverse()
    about["hash"] = "en_othermeta"
    files["pagefind.en_othermeta.pf_meta"] = gzip.compress(SIGNATURE + cbor2.dumps(meta))
    files["pagefind-entry.json"] = json.dumps(entry).encode()
    return files


def test_tables_in_any_order_give_the_same_files():
    bundle = indexed()
    steady = in_steady_order(bundle)
    assert in_steady_order(shuffled(bundle)) == steady
    assert in_steady_order(steady) == steady
    # Nothing is lost: the same files, the same filters with the same values and pages.
    assert len(steady) == len(bundle)
    meta = read(next(data for name, data in steady.items() if name.endswith(".pf_meta")))
    assert [name for name, _ in meta[3]] == ["field", "language", "level"]
    assert [name for name, _ in meta[4]] == ["title", "updated"]
    fields = read(steady[f"filter/{meta[3][0][1]}.pf_filter"])
    assert fields == ["field", [["education", [4]], ["energy", [1, 3]], ["health", [0, 5]], ["technology", [2]]]]


def test_the_same_pages_give_the_same_bundle_from_every_pagefind_process():
    """Six processes: three filters and two sorts in a random order each time, unless put in one."""
    bundles = [in_steady_order(indexed()) for _ in range(6)]
    assert all(bundle == bundles[0] for bundle in bundles[1:])
