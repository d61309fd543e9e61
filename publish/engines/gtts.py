"""Google Text-to-Speech through the `gtts` package; needs the internet.

Hosts get distinct accents through the `tld` (the voice: `com`, `co.uk`, `com.au` …). Rate
limits and network faults are retried with backoff; then the error names what happened and
suggests the offline engine. gTTS sends its requests through the environment's proxy settings
(`HTTPS_PROXY`), which is also how the tests reach a local fake of the service.
"""

from __future__ import annotations

import logging
import time

from publish.engines.base import Clip, Engine
from publish.errors import EngineError
from publish.places import package_version

log = logging.getLogger(__name__)
RATE = 24000
RETRYABLE = {429, 500, 502, 503, 504}


class GttsEngine(Engine):
    uses_language = True
    name = "gtts"
    summary = "Google Text-to-Speech (needs the internet); voices are accents: com, co.uk, com.au"
    realtime = 5.0  # over the network
    default_voices = ("com", "co.uk", "com.au")
    sample_rate = RATE

    def __init__(self, options, threads: int = 1):
        super().__init__(options, threads)
        self.language = self.option("language", "en") or "en"
        self.retries = int(self.option("retries", "3"))
        self.backoff = float(self.option("backoff", "1.0"))
        self.timeout = float(self.option("timeout", "10"))

    def identity(self, voice: str) -> str:
        return f"gtts {package_version('gTTS')} lang {self.language} tld {voice}"

    def synthesize(self, text: str, voice: str) -> Clip:
        from publish.ffmpeg import decode

        for attempt in range(self.retries + 1):
            try:
                return Clip(decode(self._fetch(text, voice), RATE), RATE)
            except _Retryable as error:
                if attempt == self.retries:
                    raise EngineError(
                        f"Google TTS did not answer after {self.retries + 1} tries ({error}) — wait a while and "
                        "build again (finished sentences are cached), or build offline with `--engine piper`"
                    ) from None
                delay = self.backoff * (2 ** attempt)
                log.info("Google TTS: %s; trying again in %.1f s", error, delay)
                time.sleep(delay)
        raise AssertionError("unreachable")

    def _fetch(self, text: str, voice: str) -> bytes:
        import io

        from gtts import gTTS, gTTSError

        tts = gTTS(text=text, lang=self.language, tld=voice, lang_check=False, timeout=self.timeout)
        buffer = io.BytesIO()
        try:
            tts.write_to_fp(buffer)
        except gTTSError as error:
            status = getattr(error.rsp, "status_code", None)
            if status is None or status in RETRYABLE:
                raise _Retryable(error.msg) from None
            raise EngineError(f"Google TTS refused the request: {error.msg} — check the guide's language and "
                              "the speakers' gtts voices, or use `--engine piper`") from None
        if not buffer.getvalue():
            raise _Retryable("the answer held no audio")
        return buffer.getvalue()


class _Retryable(Exception):
    pass

