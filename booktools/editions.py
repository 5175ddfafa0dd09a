"""The book's editions, as the one table of its languages says (``locale/editions.toml``).

    python -m booktools.editions codes              every edition's code, the source first
    python -m booktools.editions translations       the translated editions' codes
    python -m booktools.editions field CODE FIELD   one field of one edition (the Makefile's reads)
    python -m booktools.editions place-pdfs         each built PDF next to its edition's built pages

Standard library only: the Makefile reads the table with the system's python3 before .venv
exists, and the site extensions (``_ext/``) import this module too.
"""

from __future__ import annotations

import os
import shutil
import sys
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "locale" / "editions.toml"
LOCALE_DIR = "locale"  # Sphinx's locale_dirs: the catalogues are LOCALE_DIR/<code>/LC_MESSAGES
SITE = ROOT / "_build" / "html"  # the source edition's site; the others in its folders
PDF_DIR = ROOT / "_build" / "pdf"


@dataclass(frozen=True)
class Edition:
    """One row of the table (its comments say what each field holds)."""

    code: str
    name: str
    switch_title: str
    site: str
    build: str
    catalogues: str
    notebooks: str
    pdf: str
    pdf_build: str
    search: str
    stylesheet: str
    fonts: dict
    latex: dict
    exercise_labels: dict

    @property
    def source(self) -> bool:
        """The edition whose pages are the sources (no catalogues)."""
        return not self.catalogues

    @property
    def catalogue_dir(self) -> Path:
        return ROOT / self.catalogues

    @property
    def notebook_dir(self) -> Path:
        """The folder that mirrors chapters/ with this edition's notebooks (ROOT for the source)."""
        return ROOT / self.notebooks

    @property
    def overrides(self) -> Path:
        """The edition's own build settings over _config.yml (title, search text)."""
        return ROOT / LOCALE_DIR / self.code / "config.yml"

    def notebook(self, english: Path) -> Path:
        """This edition's copy of an English notebook (the notebook itself for the source)."""
        return self.notebook_dir / english.resolve().relative_to(ROOT)


@cache
def editions() -> tuple[Edition, ...]:
    """Every edition, the source first, as the table lists them; refuses a malformed table."""
    rows = tomllib.loads(TABLE.read_text(encoding="utf-8"))["edition"]
    found = tuple(Edition(**row) for row in rows)
    problems = []
    for i, e in enumerate(found):
        if e.source != (i == 0):
            problems.append(f"{e.code}: only the first edition, the source, has no catalogues")
        if not e.source and e.catalogues != f"{LOCALE_DIR}/{e.code}/LC_MESSAGES":
            problems.append(f"{e.code}: Sphinx reads its catalogues from "
                            f"{LOCALE_DIR}/{e.code}/LC_MESSAGES, not {e.catalogues}")
        if not e.source and (not e.site.endswith("/") or not e.notebooks or e.build in ("", ".")):
            problems.append(f"{e.code}: a translation needs a site folder ending in '/', a notebook "
                            "folder and a build folder of its own")
    codes = [e.code for e in found]
    if len(set(codes)) != len(codes):
        problems.append(f"codes repeat: {codes}")
    if problems:
        raise ValueError(f"{TABLE.name}: " + "; ".join(problems))
    return found


def source() -> Edition:
    return editions()[0]


def translated() -> tuple[Edition, ...]:
    """The translated editions, in the table's order."""
    return editions()[1:]


def get(code: str) -> Edition:
    for e in editions():
        if e.code == code:
            return e
    raise KeyError(f"no edition {code!r} in {TABLE.name}: "
                   f"{[e.code for e in editions()]}")


def of(language: str | None) -> Edition:
    """The edition a Sphinx ``language`` setting builds (``None``, or an unknown one: the source)."""
    code = (language or "").replace("-", "_").split("_")[0]
    return next((e for e in editions() if e.code == code), source())


def place_pdfs() -> list[Path]:
    """Copy each built PDF next to its edition's built pages; the copies made."""
    placed = []
    for e in editions():
        pdf, site = PDF_DIR / e.pdf, SITE / e.site
        if pdf.exists() and site.is_dir():
            # whole or not at all: a test may be reading the copy that is there (make test's steps)
            partial = site / f".{e.pdf}.partial"
            shutil.copyfile(pdf, partial)
            os.replace(partial, site / e.pdf)
            placed.append(site / e.pdf)
    return placed


def main(argv: list[str]) -> int:
    if argv == ["codes"]:
        print(" ".join(e.code for e in editions()))
    elif argv == ["translations"]:
        print(" ".join(e.code for e in translated()))
    elif len(argv) == 3 and argv[0] == "field":
        value = getattr(get(argv[1]), argv[2])
        if not isinstance(value, str):
            print(f"booktools.editions: {argv[2]} is not a text field", file=sys.stderr)
            return 2
        print(value)
    elif argv == ["place-pdfs"]:
        for path in place_pdfs():
            print(f"placed {path.relative_to(ROOT)}")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
