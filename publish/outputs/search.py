"""The index's search: Pagefind's index of every guide page's full text, each in its own language
(stemmed by that language; Chinese and Japanese split into words by Pagefind's extended build),
with the language and career field as filters and the lesson's length as each result's note.

The pages are indexed as this build renders them, in memory: Pagefind reads nothing from
`output/`, and its index comes back as bytes like every other site file. Only what the index
page's own script loads is kept (`pagefind.js`, its worker and WebAssembly, the index, filters
and fragments), not Pagefind's ready-made interfaces.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
from pathlib import Path

from publish.config import Config
from publish.errors import OutputError
from publish.outputs.base import keyed
from publish.outputs.files import File, SiteFiles
from publish.outputs.manifest import Manifest
from publish.outputs.search_order import in_steady_order
from publish.outputs.site import Site, SiteInputs, SiteOutput, leftovers_in

# Pagefind's ready-made search interfaces: the index page has its own, in its readers' language.
UNUSED = ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight")
# Page parts that say nothing about the career: the skip link, the voices' credits, the download list.
NOT_INDEXED = [".skip", ".voice-credits", ".downloads"]


class SearchOutput(SiteOutput):
    name = "search"
    help = "the index's search (Pagefind)"

    def files(self, where: Site, paper: str) -> tuple[File, ...]:
        """The file a search reads first; the others are named by their contents."""
        return (where.files.search_entry,)

    def key(self, inputs: SiteInputs, paper: str) -> str:
        from publish.places import package_version

        return keyed(inputs.templates, inputs.site, inputs.pages, package_version("pagefind"))

    def make(self, material: Site, paper: str) -> dict[Path, bytes]:
        return search_files(material.config, material.manifest)

    def leftovers(self, where: Site, made: dict[Path, bytes]) -> list[Path]:
        """Parts of an earlier index: each part is named by its contents, so every change leaves old ones."""
        return leftovers_in(where.files.search, made)


def search_files(config: Config, manifest: Manifest) -> dict[Path, bytes]:
    """Pagefind's bundle for every guide page the site has, under `output/pagefind/`."""
    from publish.outputs.page import render_guide_page

    site = SiteFiles(config.output_dir)
    with Pagefind({"exclude_selectors": NOT_INDEXED}) as index:
        for entry in manifest.entries:
            if entry.files.page in entry.made:
                index.add_page(render_guide_page(config, entry), entry.files.page.url)
        bundle = in_steady_order(index.files())
    return {site.search_file(name).path: data for name, data in bundle.items() if not name.startswith(UNUSED)}


class Pagefind:
    """Pagefind's indexer, run as a service (`pagefind --service`): a page's HTML in, the bundle's
    files out as bytes. Its Python package's client polls for each answer every 100 ms and reads at
    most 2 MiB at a time, which 200 pages would wait 20 s for and a large bundle overflows; this
    one reads each answer whole, as soon as it comes."""

    def __init__(self, config: dict[str, object]):
        self.config = config
        self.sent = 0
        self.unread = bytearray()

    def __enter__(self) -> "Pagefind":
        from pagefind.service import get_executable

        binary = get_executable()
        if binary is None:
            raise OutputError("the search index needs Pagefind, which is not installed — "
                              "run `pip install 'pagefind[extended]'` (make build installs it)")
        self.process = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.index = self._ask({"type": "NewIndex", "config": self.config})["index_id"]
        return self

    def __exit__(self, *_: object) -> None:
        self.process.kill()
        self.process.wait()

    def add_page(self, html: str, url: str) -> None:
        self._ask({"type": "AddFile", "index_id": self.index, "url": url, "file_contents": html})

    def files(self) -> dict[str, bytes]:
        answer = self._ask({"type": "GetFiles", "index_id": self.index})
        return {f["path"]: base64.b64decode(f["content"]) for f in answer["files"]}

    def _ask(self, payload: dict[str, object]) -> dict:
        """One request and its answer: each is base64 JSON, ended by a comma."""
        assert self.process.stdin and self.process.stdout  # both are pipes, opened in __enter__
        self.sent += 1
        request = json.dumps({"message_id": self.sent, "payload": payload}).encode("utf-8")
        self.process.stdin.write(base64.b64encode(request) + b",")
        self.process.stdin.flush()
        answer = json.loads(base64.b64decode(self._read_until_comma()))["payload"]
        if answer["type"] == "Error":
            raise OutputError(f"Pagefind refused a {payload['type']} request: {answer['message']} — "
                              "report this with the build's log (-v)")
        return answer

    def _read_until_comma(self) -> bytes:
        """The next answer: base64 holds no comma, so the first comma ends it."""
        assert self.process.stdout
        while (end := self.unread.find(b",")) < 0:
            more = os.read(self.process.stdout.fileno(), 1 << 20)  # what has come, up to 1 MiB
            if not more:
                raise OutputError("Pagefind stopped while making the search index — run the build with -v "
                                  "and check that `python -m pagefind --version` works")
            self.unread += more
        answer, self.unread = self.unread[:end], self.unread[end + 1:]
        return bytes(answer)
