"""`publish serve`: a local preview of the built site, on the loopback address only."""

from __future__ import annotations

import functools
import logging
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from publish.errors import OutputError

log = logging.getLogger(__name__)


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".vtt": "text/vtt", ".srt": "application/x-subrip",
                      ".mp3": "audio/mpeg", ".json": "application/json"}

    def log_message(self, format: str, *args) -> None:
        log.debug(format, *args)


def make_server(folder: Path, port: int) -> ThreadingHTTPServer:
    if not (folder / "index.html").is_file():
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
