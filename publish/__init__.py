"""publish: one career-guide source in; handouts, audio lessons, transcripts and captions out."""

import os
from importlib.metadata import PackageNotFoundError, version

# ONNX Runtime (under the Piper and hibari voices) keeps a device ID and an event store in the
# user's cache and, a minute into a process, uploads usage events to Microsoft through any proxy
# the environment names. publish sends nothing anywhere by default: set before any engine loads
# it, here, where every process of a build (and every cluster worker) starts.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

try:
    __version__ = version("publish")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
