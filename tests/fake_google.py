"""A local stand-in for Google's TTS service, reached through gTTS's public path: the test sets
`HTTPS_PROXY`, gTTS (which passes the environment's proxies to requests) opens a CONNECT tunnel
to this proxy, and the proxy answers the TLS inside it with a throw-away certificate (gTTS does
not verify certificates). Nothing leaves the machine; publish has no hook for it."""

from __future__ import annotations

import base64
import json
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from socketserver import StreamRequestHandler, ThreadingTCPServer


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate and key for translate.google.* (openssl, from Debian; installed by `make test`)."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "google.pem", folder / "google.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=translate.google.com", "-addext", "subjectAltName=DNS:translate.google.com,"
                    "DNS:translate.google.co.uk,DNS:translate.google.com.au", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


class FakeGoogle:
    """Answers gTTS's batchexecute POSTs like the real service, or with scripted failures."""

    def __init__(self, audio: bytes, failures: list[int], folder: Path):
        self.failures = list(failures)
        self.requests: list[dict] = []
        self.hosts: list[str] = []
        encoded = base64.b64encode(audio).decode("ascii")
        self.body = (")]}'\n\n" + json.dumps([["wrb.fr", "jQ1olc", json.dumps([encoded]), None, None, None, "generic"]],
                                               separators=(",", ":"))).encode()
        cert, key = self_signed(folder)
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.load_cert_chain(cert, key)
        self.lock = threading.Lock()
        self.server = ThreadingTCPServer(("127.0.0.1", 0), self._tunnel_handler())
        self.server.daemon_threads = True
        self.proxy = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _tunnel_handler(self):
        fake = self

        class Tunnel(StreamRequestHandler):
            def handle(self):
                request_line = self.rfile.readline().decode("latin-1").split()
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                if len(request_line) < 2 or request_line[0] != "CONNECT":
                    self.wfile.write(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
                    return
                with fake.lock:
                    fake.hosts.append(request_line[1])
                self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                self.wfile.flush()
                try:
                    inner = fake.tls.wrap_socket(self.connection, server_side=True)
                except (ssl.SSLError, OSError):
                    return
                fake._service_handler()(inner, self.client_address, None)

        return Tunnel

    def _service_handler(self):
        fake = self

        class Service(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                with fake.lock:
                    fake.requests.append({"path": self.path, "body": self.rfile.read(length).decode()})
                    failure = fake.failures.pop(0) if fake.failures else None
                if failure:
                    self.send_response(failure)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(fake.body)))
                self.end_headers()
                self.wfile.write(fake.body)

            def log_message(self, *args):
                pass

        return Service

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def refused_proxy() -> str:
    """A loopback address where nothing listens: gTTS's connection through it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"
