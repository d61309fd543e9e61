"""gTTS against a local fake of Google's endpoint: never the live service."""

from __future__ import annotations

import base64
import json
import threading
from urllib.parse import unquote
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from publish.engines import EngineSpec
from publish.engines.gtts import GttsEngine
from publish.errors import EngineError
from publish.ffmpeg import run


def tone_mp3() -> bytes:
    result = run(["-f", "lavfi", "-i", "sine=frequency=300:duration=0.8", "-ac", "1", "-ar", "24000",
                  "-f", "mp3", "pipe:1"])
    return result.stdout


class FakeGoogle:
    """Answers gTTS's batchexecute POSTs like the real service, or with scripted failures."""

    def __init__(self, failures: list[int]):
        self.failures = list(failures)
        self.requests: list[dict] = []
        audio = base64.b64encode(tone_mp3()).decode("ascii")
        body = ")]}'\n\n" + json.dumps([["wrb.fr", "jQ1olc", json.dumps([audio]), None, None, None, "generic"]],
                                            separators=(",", ":"))
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                fake.requests.append({"path": self.path, "body": self.rfile.read(length).decode()})
                if fake.failures:
                    self.send_response(fake.failures.pop(0))
                    self.end_headers()
                    return
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/_/TranslateWebserverUi/data/batchexecute"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_google(request):
    fake = FakeGoogle(getattr(request, "param", []))
    yield fake
    fake.close()


def engine(url: str, retries: int = 3):
    return EngineSpec(GttsEngine, (("endpoint", url), ("retries", str(retries)), ("backoff", "0.01"),
                                   ("language", "en"))).create()


def test_speaks_through_the_endpoint(fake_google):
    clip = engine(fake_google.url).synthesize("Hello from the test.", "co.uk")
    assert clip.rate == 24000 and 0.7 < len(clip.samples) / clip.rate < 1.0
    assert len(fake_google.requests) == 1
    rpc = json.loads(unquote(fake_google.requests[0]["body"][len("f.req="):-1]))
    assert json.loads(rpc[0][0][1])[:2] == ["Hello from the test", "en"]  # gTTS drops the final stop


@pytest.mark.parametrize("fake_google", [[429, 503]], indirect=True)
def test_rate_limit_is_retried_with_backoff(fake_google):
    clip = engine(fake_google.url).synthesize("Try again.", "com")
    assert len(clip.samples) > 0
    assert len(fake_google.requests) == 3


@pytest.mark.parametrize("fake_google", [[429] * 10], indirect=True)
def test_gives_up_with_a_helpful_message(fake_google):
    with pytest.raises(EngineError) as caught:
        engine(fake_google.url, retries=2).synthesize("Never works.", "com")
    assert "after 3 tries" in str(caught.value) and "--engine piper" in str(caught.value)
    assert "429" in str(caught.value)
    assert len(fake_google.requests) == 3


@pytest.mark.parametrize("fake_google", [[403]], indirect=True)
def test_refusal_is_not_retried(fake_google):
    with pytest.raises(EngineError, match="refused"):
        engine(fake_google.url).synthesize("Forbidden.", "com")
    assert len(fake_google.requests) == 1


def test_network_fault_says_so():
    with pytest.raises(EngineError, match="did not answer"):
        engine("http://127.0.0.1:9/nothing-listens-here", retries=1).synthesize("Anyone?", "com")
