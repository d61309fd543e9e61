"""`publish serve`'s web server: the built site on the loopback address only, with Range requests
for the player and, while the live preview watches the project, a reload client in every page.

The preview contract (as MkDocs' livereload keeps it): pages long-poll `/__publish__/poll` for
the build epoch; a finished build that touched a page makes it reload; while a build writes,
requests wait, so a half-built site is never served; a guide that does not check shows its
problems over the last good page.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import re
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from publish.errors import OutputError
from publish.outputs.files import MEDIA_TYPES, SiteFiles

log = logging.getLogger(__name__)

PREVIEW = "/__publish__/"
CLIENT = Path(__file__).with_name("preview.js")
POLL_SECONDS = 25.0  # a long-poll is answered at least this often, so proxies and browsers keep it
WRITE_WAIT_SECONDS = 300.0  # the longest a request waits for a build's writing to finish
KEPT_EPOCHS = 64


def page_address(path: str) -> str:
    """A page's address as both sides name it: `/slug/` for `/slug/index.html`."""
    path = "/" + path.lstrip("/")
    return path[: -len("index.html")] if path.endswith("/index.html") else path


@dataclass
class LiveSite:
    """What the preview tells its pages: the build epoch, the pages each build touched, the
    problems of the guides that do not check; and whether a build is writing."""

    epoch: int = 0
    problems: list[str] = field(default_factory=list)
    updating: bool = False  # sentences are being spoken: the pages' audio is provisional
    touched: dict[int, frozenset[str]] = field(default_factory=dict)  # epoch → page keys ("*": every page)
    writing: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, touched: set[str], problems: list[str], updating: bool = False) -> None:
        with self.changed:
            self.epoch += 1
            self.touched[self.epoch] = frozenset(page_address(p) if p != "*" else p for p in touched)
            self.touched = {e: t for e, t in self.touched.items() if e > self.epoch - KEPT_EPOCHS}
            self.problems, self.updating = list(problems), updating
            self.changed.notify_all()

    def set_writing(self, writing: bool) -> None:
        with self.changed:
            self.writing = writing
            self.changed.notify_all()

    def wait_until_written(self) -> None:
        with self.changed:
            self.changed.wait_for(lambda: not self.writing, timeout=WRITE_WAIT_SECONDS)

    def poll(self, since: int, page: str, timeout: float) -> dict:
        """Wait until a build after epoch `since` (or `timeout`); whether `page` should reload."""
        with self.changed:
            self.changed.wait_for(lambda: self.epoch > since, timeout=timeout)
            touched = set().union(*[t for e, t in self.touched.items() if e > since]) if since < self.epoch else set()
            forgotten = since < min(self.touched, default=self.epoch + 1) - 1  # older than what is kept: reload
            reload = "*" in touched or page_address(page) in touched or (forgotten and since < self.epoch)
            return {"epoch": self.epoch, "reload": reload, "problems": self.problems, "updating": self.updating}


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **MEDIA_TYPES}
    live: LiveSite | None = None

    def do_GET(self):
        if self.live is not None and self.path.startswith(PREVIEW):
            return self._preview()
        if self.live is not None:
            self.live.wait_until_written()
        return super().do_GET()

    def do_HEAD(self):
        if self.live is not None:
            self.live.wait_until_written()
        return super().do_HEAD()

    def _preview(self):
        url = urlsplit(self.path)
        if url.path == PREVIEW + "preview.js":
            return self._send(CLIENT.read_bytes(), "text/javascript; charset=utf-8")
        if url.path != PREVIEW + "poll":
            return self.send_error(404)
        query = parse_qs(url.query)
        since = int((query.get("epoch") or ["0"])[0] or 0)
        wait = POLL_SECONDS if (query.get("wait") or ["1"])[0] != "0" else 0.0
        answer = self.live.poll(since, (query.get("page") or ["/"])[0], wait)
        self._send(json.dumps(answer).encode("utf-8"), "application/json", cache=False)

    def _send(self, body: bytes, kind: str, cache: bool = True):
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if not cache:
            self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    # Browsers seek in audio with Range requests; without them the player restarts at 0:00.
    def send_head(self):
        path = Path(self.translate_path(self.path))
        if self.live is not None and (path / "index.html" if path.is_dir() else path).suffix == ".html":
            return self._page_with_client(path)
        range_header = self.headers.get("Range", "")
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", range_header.strip())
        if not match or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        first, last = match.groups()
        if first:
            start, end = int(first), min(int(last) if last else size - 1, size - 1)
        else:
            start, end = max(0, size - int(last or 0)), size - 1
        if start > end or start >= size:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.end_headers()
            return None
        handle = open(path, "rb")
        handle.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return _Slice(handle, end - start + 1)

    def _page_with_client(self, path: Path):
        """The page as built, with the reload client before `</body>`; the built file is untouched."""
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the standard redirect to the folder's address
            path = path / "index.html"
        try:
            page = path.read_bytes()
        except OSError:
            return super().send_head()
        epoch = self.live.epoch if self.live else 0
        client = f'<script src="{PREVIEW}preview.js" data-epoch="{epoch}" defer></script>\n'.encode()
        at = page.rfind(b"</body>")
        body = page[:at] + client + page[at:] if at >= 0 else page + client
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self):
        if not self._headers_buffer or b"Accept-Ranges" not in b"".join(self._headers_buffer):
            self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        log.debug(format, *args)


class _Slice:
    """The part of a file a Range asks for, read the way copyfile reads a file."""

    def __init__(self, handle, length: int):
        self.handle, self.left = handle, length

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        data = self.handle.read(self.left if size < 0 else min(size, self.left))
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.handle.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A browser that drops a request (a seek in the audio does) is normal: nothing to report.
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def make_server(folder: Path, port: int, live: LiveSite | None = None) -> ThreadingHTTPServer:
    """The server of `folder`; with `live`, the preview's, whose first build may still be under way."""
    if live is None and not SiteFiles(folder).index.path.is_file():
        raise OutputError(f"{folder} has no index.html — run `publish build` first")
    handler = functools.partial(type("Handler", (_Handler,), {"live": live}), directory=str(folder))
    return _Server(("127.0.0.1", port), handler)


def serve_in_background(server: ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    return thread

