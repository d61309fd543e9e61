"""Large blocks given back when freed (publish.memory): a process that passes megabytes around does
not keep them once they are gone."""

from __future__ import annotations

import subprocess
import sys

import pytest

# A guide's worth of large blocks, each freed, with small blocks that stay between them (as the
# records of a build do); before them one larger block freed, which raises glibc's threshold.
KEPT_AFTER = """
import sys
from publish.memory import give_back_large_blocks
if sys.argv[1] == "fixed":
    give_back_large_blocks()
def resident():
    return int(open("/proc/self/statm").read().split()[1]) * 4096
larger = bytearray(8 << 20)
del larger
before = resident()
blocks, kept = [], []
for _ in range(100):
    blocks.append(bytearray(1 << 20))
    kept.append(bytes(1000))
del blocks
print(resident() - before)
"""


def kept_after(mode: str) -> int:
    """Bytes still resident after a hundred 1 MiB blocks were freed."""
    return int(subprocess.run([sys.executable, "-c", KEPT_AFTER, mode], capture_output=True, text=True,
                              check=True).stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc, read from /proc")
def test_a_hundred_freed_megabytes_are_given_back():
    assert kept_after("fixed") < 10 << 20
    assert kept_after("glibc's own") > 50 << 20, "glibc no longer keeps them: this test tests nothing"
