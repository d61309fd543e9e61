"""publish: one career-guide source in; handouts, audio lessons, transcripts and captions out."""

import os

# The one place the version is written (pyproject.toml reads it from here): every output's key
# includes it, and a no-op build should not pay importlib.metadata's 40 ms to look it up.
__version__ = "0.1.0"

# ONNX Runtime (under the Piper and hibari voices) keeps a device ID and an event store in the
# user's cache and, a minute into a process, uploads usage events to Microsoft through any proxy
# the environment names. publish sends nothing anywhere by default: set before any engine loads
# it, here, where every process of a build (and every cluster worker) starts.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
