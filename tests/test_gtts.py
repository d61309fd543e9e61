"""gTTS against a local fake of Google's service, reached through an HTTPS proxy in the
environment: never the live service, and no test hook in publish."""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest

from fake_google import refused_proxy
from publish.engines import EngineSpec
from publish.engines.gtts import GttsEngine
from publish.errors import EngineError


def engine(retries: int = 3):
    return EngineSpec(GttsEngine, (("retries", str(retries)), ("backoff", "0.01"), ("language", "en"))).create()


def test_speaks_through_the_proxy_to_google(fake_google):
    clip = engine().synthesize("Hello from the test.", "co.uk")
    assert clip.rate == 24000 and 0.7 < len(clip.samples) / clip.rate < 1.0
    assert len(fake_google.requests) == 1 and fake_google.hosts == ["translate.google.co.uk:443"]
    assert fake_google.requests[0]["path"] == "/_/TranslateWebserverUi/data/batchexecute"
    rpc = json.loads(unquote(fake_google.requests[0]["body"][len("f.req="):-1]))
    assert json.loads(rpc[0][0][1])[:2] == ["Hello from the test", "en"]  # gTTS drops the final stop


@pytest.mark.parametrize("fake_google", [[429, 503]], indirect=True)
def test_rate_limit_is_retried_with_backoff(fake_google):
    clip = engine().synthesize("Try again.", "com")
    assert len(clip.samples) > 0
    assert len(fake_google.requests) == 3


@pytest.mark.parametrize("fake_google", [[429] * 10], indirect=True)
def test_gives_up_with_a_helpful_message(fake_google):
    with pytest.raises(EngineError) as caught:
        engine(retries=2).synthesize("Never works.", "com")
    assert "after 3 tries" in str(caught.value) and "--engine piper" in str(caught.value)
    assert "429" in str(caught.value)
    assert len(fake_google.requests) == 3


@pytest.mark.parametrize("fake_google", [[403]], indirect=True)
def test_refusal_is_not_retried(fake_google):
    with pytest.raises(EngineError, match="refused"):
        engine().synthesize("Forbidden.", "com")
    assert len(fake_google.requests) == 1


def test_network_fault_says_so(monkeypatch):
    for name in ("HTTPS_PROXY", "https_proxy"):
        monkeypatch.setenv(name, refused_proxy())
    with pytest.raises(EngineError, match="did not answer"):
        engine(retries=1).synthesize("Anyone?", "com")
