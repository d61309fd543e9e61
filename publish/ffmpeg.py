"""Running ffmpeg for decoding, measuring, filtering and encoding (`publish.audio.frames`).

ffmpeg comes from imageio-ffmpeg, which ships a static binary but no ffprobe: every decode here
asks ffmpeg for raw 16-bit PCM on a pipe.
"""

from __future__ import annotations

import logging
import re
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from publish.errors import AudioError

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    try:
        import imageio_ffmpeg
    except ImportError:  # pragma: no cover - a dependency of the package
        raise AudioError("imageio-ffmpeg is not installed — run the README's set-up command") from None
    return imageio_ffmpeg.get_ffmpeg_exe()


def run(args: list[str], stdin: bytes | memoryview | None = None, what: str = "ffmpeg") -> subprocess.CompletedProcess:
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", *args]
    result = subprocess.run(command, input=stdin, capture_output=True, check=False)
    if result.returncode != 0:
        tail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise AudioError(f"{what} failed: {' / '.join(tail)}")
    return result


def pcm_bytes(samples: np.ndarray) -> memoryview:
    """The samples as int16 bytes for ffmpeg's stdin, without a copy when they already are.

    A view of bytes, not of int16 items: `subprocess` slices its input by items and counts what
    it wrote in bytes, so an int16 view sends ffmpeg only every other 4096 samples.
    """
    return memoryview(np.ascontiguousarray(samples, np.int16).data).cast("B")


def pcm_input(rate: int) -> list[str]:
    return ["-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0"]


def decode(path_or_bytes: Path | bytes, rate: int) -> np.ndarray:
    """Any audio file (or its bytes) → mono int16 samples at `rate`."""
    if isinstance(path_or_bytes, Path):
        source, stdin, shown = ["-i", str(path_or_bytes)], None, str(path_or_bytes)
    else:
        source, stdin, shown = ["-i", "pipe:0"], path_or_bytes, "audio data"
    result = run([*source, "-map", "0:a:0", "-f", "s16le", "-acodec", "pcm_s16le", "-ac", "1", "-ar", str(rate),
                  "pipe:1"], stdin=stdin, what=f"decoding {shown}")
    return np.frombuffer(result.stdout, dtype=np.int16)


def filter_pcm(samples: np.ndarray, rate: int, audio_filter: str, out_rate: int) -> np.ndarray:
    """Run mono int16 samples through an ffmpeg audio filter chain."""
    return np.frombuffer(_filtered(samples, rate, audio_filter, out_rate).stdout, dtype=np.int16)


def _filtered(samples: np.ndarray, rate: int, audio_filter: str, out_rate: int) -> subprocess.CompletedProcess:
    return run([*pcm_input(rate), "-af", audio_filter, "-f", "s16le", "-ac", "1", "-ar", str(out_rate), "pipe:1"],
               stdin=pcm_bytes(samples), what="filtering audio")


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    true_peak_dbtp: float
    lra: float


def measure_pcm(samples: np.ndarray, rate: int, pre_filter: str = "", peak: bool = True) -> Loudness:
    """EBU R128 loudness of PCM samples, optionally after a filter chain (true peak only with `peak`)."""
    meter = "ebur128=peak=true" if peak else "ebur128"
    chain = f"{pre_filter},{meter}" if pre_filter else meter
    result = run([*pcm_input(rate), "-af", chain, "-f", "null", "-"], stdin=pcm_bytes(samples), what="measuring loudness")
    return _ebur128_summary(result.stderr.decode("utf-8", "replace"))


@dataclass(frozen=True)
class Metered:
    """Samples through a filter chain, and the loudness of what came out, block by block."""

    samples: np.ndarray
    momentary: np.ndarray  # LUFS of every whole 400 ms block, one every 100 ms (EBU R128's gating blocks)
    loudness: Loudness


def filter_and_meter(samples: np.ndarray, rate: int, audio_filter: str) -> Metered:
    """Samples through a filter chain, and the loudness of what came out, in one pass: with ebur128's
    momentary loudness at the end of every 100 ms. From the fourth on, each is one of the 400 ms
    blocks that integrated loudness is gated over, so the loudness of several such passes together
    can be reckoned from their blocks."""
    step = rate // 10
    meter = f"asetnsamples=n={step}:p=0,ebur128=metadata=1:peak=true,ametadata=mode=print:key=lavfi.r128.M"
    result = _filtered(samples, rate, f"{audio_filter},{meter}", rate)
    text = result.stderr.decode("utf-8", "replace")
    momentary = [float(value) for value in MOMENTARY.findall(text)]
    whole = min(len(momentary), len(samples) // step)  # a last, partial 100 ms ends no block
    return Metered(np.frombuffer(result.stdout, dtype=np.int16), np.asarray(momentary[3:whole], dtype=np.float64),
                   _ebur128_summary(text))


MOMENTARY = re.compile(r"lavfi\.r128\.M=(-?[\d.]+|-inf)")


def _ebur128_summary(text: str) -> Loudness:
    summary = text[text.rfind("Summary:"):]
    integrated = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    lra = re.search(r"LRA:\s+(-?[\d.]+) LU", summary)
    if not integrated:
        raise AudioError("measuring loudness gave no result")
    return Loudness(float(integrated.group(1)), float(peak.group(1)) if peak else float("-inf"),
                    float(lra.group(1)) if lra else 0.0)
