"""MP3 frames: a piece of the lesson encoded on its own, and pieces joined into one file that
decodes to exactly the samples a whole-file encode of the same track gives.

Why pieces join exactly here:
- every piece starts on the frame grid of the whole file (its length before it is a whole
  number of frames, `SAMPLES_PER_FRAME`), so its encoder's frames line up with the whole file's:
  LAME delays its output by the same `ENCODER_DELAY` + `DECODER_DELAY` samples whatever it is given;
- the bit reservoir is off, so no frame's data begins in the frame before it (another piece's);
- pieces are cut in pauses (`publish.audio.pieces`), so what one frame's transform overlaps of
  the next piece is silence, which both encoders saw;
- one Xing "Info" frame with the LAME tag's encoder delay and padding heads the joined file,
  counted for the whole, so a decoder drops exactly the samples the whole-file encode would.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from publish.config import AudioConfig
from publish.errors import AudioError

SAMPLES_PER_FRAME = 1152  # MPEG-1 Layer III
ENCODER_DELAY = 576  # what LAME puts before the first sample, written in the LAME tag
DECODER_DELAY = 529  # what a decoder's filter bank adds (FFmpeg's demuxer skips it with the tag's delay)
# LAME's speed/quality setting (0 slowest … 9 fastest). At 128 kbit/s mono, speech is far from
# the bit-rate limit: measured on the reference lesson, -q 7 encodes 2.6x faster than LAME's
# default (-q 3) at the same signal-to-noise ratio against the source (26.0 vs 25.5 dB).
LAME_QUALITY = 7
BITRATES_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
SAMPLE_RATES = (44100, 48000, 32000)
XING_OFFSET = 4 + 17  # after the frame header and a mono MPEG-1 frame's side information
# What an encoder sets up: the frames of a piece depend on these, so they are in its key.
ENCODER = f"libmp3lame q{LAME_QUALITY} no-reservoir 1152"


def frame_size(header: int) -> int:
    """Bytes in the MPEG-1 Layer III frame this 4-byte header opens."""
    if header >> 21 != 0x7FF or (header >> 19) & 3 != 3 or (header >> 17) & 3 != 1:
        raise AudioError(f"not an MPEG-1 Layer III frame header: {header:08x}")
    bitrate, rate = BITRATES_KBPS[(header >> 12) & 15], SAMPLE_RATES[(header >> 10) & 3]
    return 144 * bitrate * 1000 // rate + ((header >> 9) & 1)


def frame_ends(data: bytes) -> list[int]:
    """Where each frame of raw MP3 frames ends, in bytes."""
    ends, at = [], 0
    while at < len(data):
        if at + 4 > len(data):
            raise AudioError("MP3 frames end with a partial header")
        at += frame_size(int.from_bytes(data[at:at + 4], "big"))
        ends.append(at)
    if ends and ends[-1] != len(data):
        raise AudioError("MP3 frames end with a partial frame")
    return ends


def encode(samples: np.ndarray, config: AudioConfig) -> bytes:
    """Mono int16 samples → raw CBR MP3 frames (no header, no tags), the bit reservoir off."""
    from publish.ffmpeg import pcm_bytes, pcm_input, run

    result = run([*pcm_input(config.sample_rate), "-c:a", "libmp3lame", "-b:a", f"{config.bitrate_kbps}k",
                  "-compression_level", str(LAME_QUALITY), "-reservoir", "0", "-write_xing", "0",
                  "-id3v2_version", "0", "-f", "mp3", "pipe:1"], stdin=pcm_bytes(samples), what="encoding MP3")
    return result.stdout


def frames_for(length: int, last: bool) -> int:
    """How many frames a piece of `length` samples gives the joined file: one per SAMPLES_PER_FRAME
    of it; the last piece also those that hold the end (a decoder is ENCODER_DELAY + DECODER_DELAY
    samples behind the encoder's input)."""
    return -(-(length + ENCODER_DELAY + DECODER_DELAY) // SAMPLES_PER_FRAME) if last else length // SAMPLES_PER_FRAME


def piece_frames(samples: np.ndarray, last: bool, config: AudioConfig) -> bytes:
    """One piece of the track, encoded on its own: the frames the joined file takes from it. A
    piece other than the last is a whole number of frames long, and so starts the next on the grid."""
    if not last and len(samples) % SAMPLES_PER_FRAME:
        raise AudioError(f"a piece of {len(samples)} samples is off the MP3 frame grid")
    data = encode(samples, config)
    ends = frame_ends(data)
    wanted = frames_for(len(samples), last)
    if len(ends) < wanted:
        raise AudioError(f"the encoder gave {len(ends)} frames for a piece that needs {wanted}")
    return data[:ends[wanted - 1]] if wanted else b""


@dataclass(frozen=True)
class Joined:
    """The frames of every piece in order, and the samples they hold."""

    frames: bytes
    samples: int


def crc16(data: bytes) -> int:
    """CRC-16 (polynomial 0x8005, reflected, as the LAME tag's own checksum is computed)."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def info_frame(joined: Joined) -> bytes:
    """The Xing "Info" frame (CBR) with a LAME tag, for frames joined from pieces: the frame count,
    the byte count, a seek table, and the encoder delay and end padding that make a decoder give
    exactly `joined.samples` samples."""
    count = len(frame_ends(joined.frames))
    padding = count * SAMPLES_PER_FRAME - joined.samples - ENCODER_DELAY
    if not 0 <= padding < 4096:
        raise AudioError(f"{count} frames cannot hold {joined.samples} samples")
    header = _info_header(int.from_bytes(joined.frames[:4], "big"))
    frame = bytearray(frame_size(header))
    total = len(frame) + len(joined.frames)
    struct.pack_into(">I", frame, 0, header)
    struct.pack_into(">4sIII", frame, XING_OFFSET, b"Info", 0x7, count, total)  # frames, bytes, seek table
    toc = XING_OFFSET + 16
    frame[toc:toc + 100] = bytes(min(255, 256 * n // 100) for n in range(100))  # CBR: bytes grow with time
    lame = toc + 100
    frame[lame:lame + 9] = b"LAME3.100"
    frame[lame + 9] = 0x01  # tag revision 0, constant bit rate
    frame[lame + 21:lame + 24] = (ENCODER_DELAY << 12 | padding).to_bytes(3, "big")
    struct.pack_into(">I", frame, lame + 28, total)  # the music's length, this frame included
    struct.pack_into(">H", frame, lame + 34, crc16(bytes(frame[:lame + 34])))
    return bytes(frame)


INFO_BYTES = XING_OFFSET + 16 + 100 + 36  # Xing fields, seek table, LAME tag


def _info_header(audio: int) -> int:
    """The stream's frame header, unpadded; at a higher bit rate if its frame is too small for the
    tag (the Info frame carries no audio, and readers take the stream's bit rate from it)."""
    for index in range((audio >> 12) & 15, len(BITRATES_KBPS)):
        header = audio & ~(0xF << 12 | 1 << 9) | index << 12
        if frame_size(header) >= INFO_BYTES:
            return header
    raise AudioError("no MP3 frame can hold the Info tag")  # pragma: no cover - 320 kbit/s always can


def mp3_file(joined: Joined) -> bytes:
    """The joined frames as an MP3 file: the Info frame first (tags are added after)."""
    if not joined.frames:
        raise AudioError("the lesson audio has no MP3 frames")
    return info_frame(joined) + joined.frames
