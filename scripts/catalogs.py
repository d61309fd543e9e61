"""Make `publish/outputs/locale/publish.pot` current: every message Babel extracts from the
templates and the code, in the order it finds them, under the template's own header. Run it after
adding or changing a reader-facing string, then translate the new messages in each `<language>.po`
(tests/test_i18n.py checks that the template is current and every catalog complete).

    .venv/bin/python scripts/catalogs.py
"""

from __future__ import annotations

import io
from pathlib import Path

LOCALES = Path(__file__).resolve().parent.parent / "publish" / "outputs" / "locale"


def english_messages() -> list[str]:
    """Every message id of the catalogs, as Babel extracts them from templates and code."""
    from babel.messages.extract import extract_from_dir

    root = LOCALES.parent
    method_map = [("templates/**.j2", "jinja2"), ("**.py", "python")]
    options = {"templates/**.j2": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}}
    found = [message for _, _, message, _, _ in extract_from_dir(str(root), method_map, options_map=options,
                                                                  keywords={"_": None, "N_": None})]
    return list(dict.fromkeys(found))


def template(messages: list[str]) -> bytes:
    """The template's text: its header kept as it is, the messages in order, without locations."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    header = (LOCALES / "publish.pot").read_bytes().split(b"\n\n", 1)[0] + b"\n\n"
    catalog = Catalog(project="publish")
    for message in messages:
        catalog.add(message, flags=("python-format",) if "%(" in message else ())
    written = io.BytesIO()
    write_po(written, catalog, omit_header=True, no_location=True, width=100)
    return header + written.getvalue().lstrip(b"\n")


if __name__ == "__main__":
    (LOCALES / "publish.pot").write_bytes(template(english_messages()))
