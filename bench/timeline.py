"""Draw a build's timeline from its trace: which process did what when.

    .venv/bin/python bench/timeline.py TRACE.json docs/build-timeline.png

The trace comes from `publish build --trace TRACE.json`: one span per sentence spoken (by its
engine's process), per finishing piece of a guide, and for the pages. Needs matplotlib (the
`bench` extra: `pip install -e '.[bench]'`, which `make bench` installs).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

COLOURS = {"speech": "#1b4d7a", "finishing": "#d9822b", "pages": "#3c8d2f"}


def lanes(spans: list[dict]) -> list[tuple[str, list[dict]]]:
    """Spans on rows: each lane's spans packed onto as few rows as never overlap (an engine's
    threads, the finishing processes)."""
    rows: list[tuple[str, list[dict]]] = []
    for lane in dict.fromkeys(span["lane"] for span in spans):
        packed: list[list[dict]] = []
        for span in sorted((s for s in spans if s["lane"] == lane), key=lambda s: s["start"]):
            row = next((row for row in packed if row[-1]["end"] <= span["start"]), None)
            if row is None:
                packed.append([span])
            else:
                row.append(span)
        rows += [(f"{lane} {n + 1}" if len(packed) > 1 else lane, row) for n, row in enumerate(packed)]
    return rows


def main() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    trace, picture = Path(sys.argv[1]), Path(sys.argv[2])
    data = json.loads(trace.read_text(encoding="utf-8"))
    rows = lanes(data["spans"])
    figure, axes = plt.subplots(figsize=(11, 0.45 * len(rows) + 1.6))
    for index, (name, spans) in enumerate(reversed(rows)):
        for span in spans:
            axes.barh(index, span["end"] - span["start"], left=span["start"], height=0.7,
                      color=COLOURS.get(span["kind"], "#777"), edgecolor="white", linewidth=0.3)
    axes.set_yticks(range(len(rows)), [name for name, _ in reversed(rows)])
    axes.set_xlabel("seconds since the build started")
    axes.set_xlim(0, data["seconds"])
    axes.set_title(data.get("title", "publish build"), loc="left")
    from matplotlib.patches import Patch

    axes.legend(handles=[Patch(color=colour, label=kind) for kind, colour in COLOURS.items()], loc="lower left",
                frameon=False)
    axes.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    figure.savefig(picture, dpi=110)
    print(f"wrote {picture}")


if __name__ == "__main__":
    main()
