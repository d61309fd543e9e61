"""The clip cache: every spoken sentence as a checksummed entry, keyed by everything that changes
its samples, and the processing that makes an engine's output a finished clip.

A clip's key (`publish.speech.plan.job_key`) hashes the spoken text, the engine and its version,
the voice (and its model file), the voice variant, the engine settings, and `CLIP_PROCESSING`
below. Editing one sentence therefore re-synthesizes only that sentence, and a changed voice never
reuses an old clip. Each entry carries a checksum; a damaged entry is spoken again, never stitched
into the audio.
"""

from __future__ import annotations

import hashlib
import logging
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from publish import engines
from publish.engines import VARIANTS
from publish.errors import EngineError
from publish.writer import write_bytes_atomic

if TYPE_CHECKING:  # NumPy loads when clips are read or made, not when a build only plans
    import numpy as np

log = logging.getLogger(__name__)

# Bump when `finish_clip` changes, so old cached clips are not reused.
CLIP_PROCESSING = "6"  # 6: word timings kept with the clip
MAGIC = b"PUBCLIP2"
# magic, sha256 of payload, sample rate, sample count, timed word count (0: not timed)
HEADER = struct.Struct("<8s32sIII")
TRIM_THRESHOLD = 330  # about -40 dBFS: quieter edges are breath and model noise, not speech
TRIM_KEEP_BEFORE = 0.015  # seconds kept before the first loud sample
TRIM_KEEP_AFTER = 0.040


def variant_filter(variant: str, rate: int) -> str:
    pitch, speed = VARIANTS[variant]
    return f"asetrate={round(rate * pitch)},aresample={rate},atempo={speed / pitch:.6f}"


@dataclass(frozen=True)
class ClipShape:
    """How long a clip is and when its spoken words are said: all that placing it in a lesson reads."""

    length: int  # samples
    words: tuple[tuple[int, int], ...] | None = None


@dataclass(frozen=True)
class SpokenClip:
    """One job's audio at the lesson's rate, and when each of its spoken words is said (in samples
    from the clip's start), where the engine could time them."""

    samples: np.ndarray  # int16
    words: tuple[tuple[int, int], ...] | None = None

    @property
    def shape(self) -> ClipShape:
        return ClipShape(len(self.samples), self.words)


class ClipCache:
    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.clip"

    def get(self, key: str, rate: int) -> SpokenClip | None:
        try:
            data = self.path(key).read_bytes()
        except OSError:
            return None
        clip = parse_entry(data, rate)
        if clip is None:
            self._damaged(key)
        return clip

    def shape(self, key: str, rate: int) -> ClipShape | None:
        """The clip's length and word times, read from its header and its end without its samples
        (whose checksum the build checked when it planned, and finishing checks when it reads them)."""
        try:
            with self.path(key).open("rb") as entry:
                header = entry.read(HEADER.size)
                if len(header) < HEADER.size:
                    return None
                magic, _, stored_rate, count, word_count = HEADER.unpack(header)
                if magic != MAGIC or stored_rate != rate:
                    return None
                entry.seek(HEADER.size + 2 * count)
                spans = struct.unpack(f"<{2 * word_count}I", entry.read(8 * word_count)) if word_count else ()
        except (OSError, struct.error):
            return None
        return ClipShape(count, tuple(zip(spans[::2], spans[1::2])) if word_count else None)

    def has(self, key: str, rate: int) -> bool:
        return self.get(key, rate) is not None

    def put(self, key: str, clip: SpokenClip, rate: int) -> None:
        self.put_entry(key, entry_bytes(clip, rate))

    def put_entry(self, key: str, data: bytes) -> None:
        write_bytes_atomic(self.path(key), data, durable=False)

    def _damaged(self, key: str) -> None:
        log.warning("cached clip %s is damaged (bad header, truncated or checksum mismatch); synthesizing it again",
                    key[:12])
        try:
            self.path(key).unlink()
        except OSError:
            pass
        return None


def entry_bytes(clip: SpokenClip, rate: int) -> bytes:
    """A clip as its cache entry: header (with the payload's checksum), samples, word spans."""
    import numpy as np

    words = np.asarray(clip.words or (), dtype="<u4").reshape(-1, 2)
    payload = clip.samples.astype(np.int16).tobytes() + words.tobytes()
    return HEADER.pack(MAGIC, hashlib.sha256(payload).digest(), rate, len(clip.samples), len(words)) + payload


def parse_entry(data: bytes, rate: int) -> SpokenClip | None:
    """A cache entry's clip, or None when the entry is damaged or for another rate."""
    import numpy as np

    if len(data) < HEADER.size:
        return None
    magic, digest, stored_rate, count, word_count = HEADER.unpack_from(data)
    payload = data[HEADER.size:]
    if magic != MAGIC or stored_rate != rate or len(payload) != 2 * count + 8 * word_count:
        return None
    if hashlib.sha256(payload).digest() != digest:
        return None
    samples = np.frombuffer(payload, dtype=np.int16, count=count)
    if not word_count:
        return SpokenClip(samples)
    spans = np.frombuffer(payload, dtype="<u4", offset=2 * count).reshape(-1, 2)
    return SpokenClip(samples, tuple((int(a), int(b)) for a, b in spans))


def as_float(samples: np.ndarray) -> np.ndarray:
    import numpy as np

    if samples.dtype == np.int16:
        return samples.astype(np.float32) / 32768.0
    return samples.astype(np.float32, copy=False)


def to_int16(samples: np.ndarray) -> np.ndarray:
    import numpy as np

    return np.clip(np.rint(samples * 32768.0), -32768, 32767).astype(np.int16)


def finish_clip(clip: engines.Clip, variant: str, rate: int) -> SpokenClip:
    """Engine output → the project's rate, with the voice variant applied and silent edges trimmed;
    word timings follow the samples.

    Bump `CLIP_PROCESSING` (above) when this changes, so old cached clips are not reused.

    Every engine's own rate (22,050 Hz Piper, 24 kHz hibari, …) is brought to the lesson's here,
    by soxr. (The intro and outro files are decoded straight to the lesson's rate by ffmpeg.)
    """
    import numpy as np
    import soxr

    from publish.ffmpeg import filter_pcm

    if clip.samples.size == 0:
        raise EngineError("the engine returned no audio for a sentence")
    samples = as_float(clip.samples)
    if variant:
        samples = as_float(filter_pcm(to_int16(samples), clip.rate, variant_filter(variant, clip.rate), clip.rate))
    if clip.rate != rate:
        samples = soxr.resample(samples, clip.rate, rate, quality="HQ")
    pcm = to_int16(samples)
    loud = np.flatnonzero(np.abs(pcm.astype(np.int32)) > TRIM_THRESHOLD)
    if loud.size == 0:
        raise EngineError("the engine returned only silence for a sentence")
    first = max(0, loud[0] - int(TRIM_KEEP_BEFORE * rate))
    last = min(len(pcm), loud[-1] + int(TRIM_KEEP_AFTER * rate))
    samples = np.ascontiguousarray(pcm[first:last], dtype=np.int16)
    if clip.words is None:
        return SpokenClip(samples)
    # The variant plays the clip 1/speed as long; the rate change scales it by rate/clip.rate.
    scale = rate / clip.rate / VARIANTS[variant][1]

    def moved(at: int) -> int:
        return int(min(max(round(at * scale) - first, 0), len(samples)))

    return SpokenClip(samples, tuple((moved(start), moved(end)) for start, end in clip.words))
