"""`publish serve`: a local preview of the built site, on the loopback address only."""

from __future__ import annotations

import functools
import logging
import re
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from publish.errors import OutputError
from publish.outputs.files import SiteFiles
from publish.outputs.shown import MEDIA_TYPES

log = logging.getLogger(__name__)


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **MEDIA_TYPES}

    # Browsers seek in audio with Range requests; without them the player restarts at 0:00.
    def send_head(self):
        range_header = self.headers.get("Range", "")
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", range_header.strip())
        path = Path(self.translate_path(self.path))
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


def make_server(folder: Path, port: int) -> ThreadingHTTPServer:
    if not SiteFiles(folder).index.is_file():
        raise OutputError(f"{folder} has no index.html — run `publish build` first")
    handler = functools.partial(_Handler, directory=str(folder))
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve(folder: Path, port: int) -> None:
    server = make_server(folder, port)
    log.info("serving %s on http://127.0.0.1:%d/ — press Ctrl-C to stop", folder, server.server_address[1])
    try:
        server.serve_forever()
    finally:
        server.server_close()
