"""Sub-commands that produce outputs: build and its per-format shortcuts."""

from __future__ import annotations

import argparse


def add_build_commands(commands: argparse._SubParsersAction) -> None:
    """Filled in as the renderers land."""
