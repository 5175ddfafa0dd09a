"""`make book` again and again leaves the same site (issue 27).

A small book with the site's real configuration and extensions (the theme, the trimming hook,
KaTeX, a figure) is built three times into one output folder: from nothing, again with nothing
changed (Sphinx then copies no static file, and the hook meets an output it already trimmed),
and after its page changed (Sphinx copies the theme's and the figures' originals again). All
three must succeed and leave byte-identical sites. One page keeps it to a few seconds a build.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.site  # a slow group: `make check` leaves it out

PAGE = """# One page

Inline $\\mathrm{{CE}}(p, y) = -\\sum_i y_i \\log p_i$, and a display:

$$
\\frac{{1}}{{n}}\\sum_{{i=1}}^n (\\hat y_i - y_i)^2
$$

![A figure of the book](fig.png)

{note}
"""


def _figure() -> bytes:
    """The first PNG a chapter notebook stores (a real matplotlib figure)."""
    for notebook in sorted((ROOT / "chapters").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                if "image/png" in output.get("data", {}):
                    return base64.b64decode(output["data"]["image/png"])
    raise AssertionError("no notebook stores a PNG figure")


def _book(tmp_path: Path) -> Path:
    book = tmp_path / "book"
    book.mkdir()
    for name in ("_config.yml", "references.bib"):
        shutil.copy(ROOT / name, book / name)
    os.symlink(ROOT / "_ext", book / "_ext")
    (book / "_toc.yml").write_text("format: jb-book\nroot: index\n", encoding="utf-8")
    (book / "fig.png").write_bytes(_figure())
    (book / "index.md").write_text(PAGE.format(note="First version."), encoding="utf-8")
    return book


def _build(book: Path) -> dict[str, str]:
    run = subprocess.run([str(Path(sys.executable).parent / "jupyter-book"), "build", str(book),
                          "-W", "-n", "--keep-going"], capture_output=True, text=True)
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]
    html = book / "_build" / "html"
    return {p.relative_to(html).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(html.rglob("*")) if p.is_file()}


def _differences(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


def test_building_again_leaves_the_same_site(tmp_path):
    book = _book(tmp_path)
    first = _build(book)
    # The build really trimmed and re-encoded: otherwise "the same" would prove nothing.
    assert "_static/vendor/fontawesome/webfonts/fa-solid-900.woff" in first
    assert not any(name.endswith((".ttf", ".woff2")) and "fontawesome" in name for name in first)
    figure = next(name for name in first if name.startswith("_images/"))
    assert (book / "_build" / "html" / figure).stat().st_size < len(_figure())
    second = _build(book)  # nothing changed
    assert not _differences(first, second)
    (book / "index.md").write_text(PAGE.format(note="First version."), encoding="utf-8")
    os.utime(book / "index.md")  # the page is out of date: Sphinx copies the originals again
    third = _build(book)
    assert not _differences(first, third)
