"""Pagefind's bundle in one order, whatever order its indexer walked its tables in.

Pagefind keeps a language's filters, each filter's values and its sort orders in hash tables whose
order is drawn at random in each process (its source says so: "Change filter indexes to BTree to
give them a stable hash"), and names the files by what they hold. The same pages therefore gave a
different `pf_meta` and filter files from one build to the next, half the time for two filters:
an unchanged site rewritten, and a local and a cluster build of it unequal. Here each of those
tables is sorted by name, the files renamed by the hash of what they now hold, and the entry file
pointed at them. The search reads them as before: it finds every file through the entry file.

Each is gzip of `pagefind_dcd` then CBOR: a meta is `[version, pages, index chunks, filters,
sorts]`, a filter `[name, [[value, pages], …]]`, each filter and sort `[name, …]`.
"""

from __future__ import annotations

import gzip
import hashlib
import json

import cbor2

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"
FILTERS, SORTS = 3, 4  # where a meta holds them


def in_steady_order(bundle: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle with every language's filters and sorts in order of their names, and its files
    named by their contents."""
    files = dict(bundle)
    entry = json.loads(files[ENTRY])
    for language, about in entry["languages"].items():
        meta = _read(files.pop(f"pagefind.{about['hash']}.pf_meta"))
        for filter_ in meta[FILTERS]:
            name, values = _read(files.pop(f"filter/{filter_[1]}.pf_filter"))
            data = _written([name, sorted(values, key=lambda value: value[0])])
            filter_[1] = _named(language, data, 7)
            files[f"filter/{filter_[1]}.pf_filter"] = data
        meta[FILTERS].sort(key=lambda filter_: filter_[0])
        meta[SORTS].sort(key=lambda sort: sort[0])
        data = _written(meta)
        about["hash"] = _named(language, data, 10)
        files[f"pagefind.{about['hash']}.pf_meta"] = data
    entry["languages"] = dict(sorted(entry["languages"].items()))
    files[ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return files


def _read(data: bytes) -> list:
    plain = gzip.decompress(data)
    if not plain.startswith(SIGNATURE):
        raise ValueError("not a Pagefind index file")
    return cbor2.loads(plain[len(SIGNATURE):])


def _written(value: list) -> bytes:
    return gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def _named(language: str, data: bytes, length: int) -> str:
    """As Pagefind names its files: the language, then the start of a hash of the contents."""
    return f"{language}_{hashlib.sha256(data).hexdigest()[:length]}"
