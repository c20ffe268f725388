"""Merge translations into the Japanese catalog: `python scripts/update_catalog.py FILE.py`.

FILE.py defines JA = {msgid: translation}. Entries not in the template are dropped, so the
catalog always mirrors the source; untranslated entries stay empty (a test then fails).
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1] / "src" / "altmatch" / "i18n"


def main(translations_file: str | None) -> None:
    with (ROOT / "messages.pot").open("rb") as fh:
        template = read_po(fh)
    po_path = ROOT / "locale" / "ja" / "LC_MESSAGES" / "messages.po"
    existing: dict[str, str] = {}
    if po_path.exists():
        with po_path.open("rb") as fh:
            existing = {str(m.id): str(m.string) for m in read_po(fh) if m.id and m.string}
    if translations_file:
        existing.update(runpy.run_path(translations_file)["JA"])
    catalog = Catalog(locale="ja", project="altmatch", charset="utf-8")
    for message in template:
        if message.id:
            catalog.add(message.id, existing.get(str(message.id), ""))
    po_path.parent.mkdir(parents=True, exist_ok=True)
    with po_path.open("wb") as fh:
        write_po(fh, catalog, omit_header=False, no_location=True, width=100)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
