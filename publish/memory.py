"""Large blocks of memory given back as soon as they are freed, in the processes that build.

glibc's malloc serves a block of 128 KiB or more from its own mapping, given back to the system when
freed; but each time such a block is freed it raises that threshold to the block's size (up to
32 MiB), and later blocks of that size come from the heap, where freed ones stay behind, scattered.
A build passes blocks of megabytes around guide after guide (clips, PCM, MP3s, PDFs as bytes), so
its processes kept growing with the guides they finished: finishing processes to 155–190 MB over a
library of 200, the build's own process from 38 to 53 MB. With the threshold fixed where it starts,
each finishing process stays at 122–135 MB in every generation, and the build's peak (PSS, summed
over its processes) is 343 MB for 200 guides against 485–493 MB (docs/benchmarks.md).
"""

from __future__ import annotations

import ctypes
import os

M_MMAP_THRESHOLD = -3  # mallopt's parameter number, from glibc's malloc.h
THRESHOLD = 128 * 1024  # glibc's own starting value; setting it turns the raising off


def give_back_large_blocks() -> None:
    """Fix malloc's mapping threshold in this process (and in processes forked from it); nothing
    where the C library is not glibc."""
    _glibc_call("mallopt", M_MMAP_THRESHOLD, THRESHOLD)


def give_back_freed() -> None:
    """Give the heap's freed pages back to the system now (glibc's malloc_trim): after a large
    structure is let go mid-process, not at the next large free; nothing elsewhere."""
    _glibc_call("malloc_trim", 0)


def _glibc_call(name: str, *arguments: int) -> None:
    """glibc's function `name` called in this process; nothing where the C library is another."""
    try:
        if os.confstr("CS_GNU_LIBC_VERSION"):  # "glibc 2.36"; an error or None elsewhere
            getattr(ctypes.CDLL(None), name)(*arguments)
    except (ValueError, OSError, AttributeError):
        pass
