"""Compiling the translation catalogs for the tests.

The .mo files are git-ignored and built by `make translations`; a bare
`pytest` after a fresh clone (or after a .po changed) compiles them here.
Each is written beside its target and renamed, so a parallel worker never
reads half a file.
"""
import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "app" / "translations"


def compile_catalogs() -> None:
    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as f:
            catalog = read_po(f)
        fd, tmp = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                write_mo(f, catalog)
            os.replace(tmp, mo)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
