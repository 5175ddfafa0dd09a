"""The printed book's settings and the site's link to it (_ext/lossbook_latex.py), without TeX.

The PDFs themselves are checked by tests/pdf (``make pdf-test``); these run with the unit tests.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))

import lossbook_latex  # noqa: E402

from booktools import editions  # noqa: E402


def _app(language: str, outdir: Path | None = None):
    config = SimpleNamespace(language=language, latex_elements={}, latex_engine="pdflatex",
                             latex_theme="jupyterBook")
    builder = SimpleNamespace(format="html")
    return SimpleNamespace(config=config, builder=builder, outdir=str(outdir or ""))


def _download_menu():
    return [{"type": "group", "icon": "fas fa-download", "buttons": []}]


@pytest.mark.parametrize("language, name", [(e.code, e.pdf) for e in editions.editions()])
def test_the_site_links_its_editions_pdf_only_when_it_is_built(tmp_path, monkeypatch, language, name):
    monkeypatch.setattr(lossbook_latex, "PDF_DIR", tmp_path / "pdf")
    monkeypatch.delenv("LOSSBOOK_PDF", raising=False)
    app = _app(language, tmp_path / "html")
    context = {"header_buttons": _download_menu()}
    lossbook_latex._pdf_button(app, "chapters/04-cross-entropy", "page.html", context, None)
    assert context["header_buttons"][0]["buttons"] == [], "a link to a PDF that was not built"
    # `make test` builds the site beside the PDFs (LOSSBOOK_PDF=coming): the link is there at once
    monkeypatch.setenv("LOSSBOOK_PDF", "coming")
    coming = {"header_buttons": _download_menu()}
    lossbook_latex._pdf_button(app, "chapters/04-cross-entropy", "page.html", coming, None)
    assert [b["url"] for b in coming["header_buttons"][0]["buttons"]] == [f"../{name}"]
    monkeypatch.delenv("LOSSBOOK_PDF")

    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / name).write_bytes(b"%PDF-1.5 test")
    lossbook_latex._pdf_button(app, "chapters/04-cross-entropy", "page.html", context, None)
    (button,) = context["header_buttons"][0]["buttons"]
    assert button["url"] == f"../{name}"  # from chapters/ up to the edition's root
    root = {"header_buttons": _download_menu()}
    lossbook_latex._pdf_button(app, "intro", "page.html", root, None)
    assert root["header_buttons"][0]["buttons"][0]["url"] == name

    (tmp_path / "html").mkdir()
    lossbook_latex._copy_pdf(app, None)
    assert (tmp_path / "html" / name).read_bytes() == b"%PDF-1.5 test"


def test_latex_settings_need_no_bbm_and_name_korean_things_in_korean():
    english, korean = _app("en"), _app("ko")
    for app in (english, korean):
        lossbook_latex._latex_config(app, app.config)
        assert app.config.latex_engine == "xelatex"
        # Jupyter Book's class loads bbm.sty (Debian's 1.4 GB texlive-fonts-extra).
        assert app.config.latex_theme == "manual"
        assert "Noto Serif CJK KR" in app.config.latex_elements["fontpkg"]
    assert "{Contents}" in english.config.latex_elements["preamble"]
    preamble = korean.config.latex_elements["preamble"]
    assert "{차례}" in preamble and r'\XeTeXlinebreaklocale "ko"' in preamble
    assert r"\thechapter{}장" in preamble
    assert "찾아보기" in korean.config.latex_elements["printindex"]


def test_make_test_builds_the_pdfs_before_the_site_it_publishes():
    """The workflow runs .ci/run (make test); make test's steps check the site's links after every
    edition's PDF is built (the site links them and site-links puts them next to the pages), and
    check the PDFs."""
    import subprocess

    from booktools import steps

    printed = subprocess.run(["make", "-s", "--no-print-directory", "--eval",
                              "print-steps: ; @echo $(TEST_STEPS)", "print-steps"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
    _, test_steps = steps.parse(printed.split())
    after = {s.name: s.after for s in test_steps}
    pdfs = {f"pdf-{e.code}" for e in editions.editions()}  # one step per edition's PDF
    assert pdfs <= set(after), after
    assert pdfs | {"book-strict"} <= set(after["site-links"]), after  # LinkChecker follows them
    assert "book-strict" in after["site-pages"], after
    assert pdfs <= set(after["pdf-test"]), after
    wf = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text("utf-8"))
    runs = [s.get("run", "") for s in wf["jobs"]["test"]["steps"]]
    assert "bash .ci/run" in runs
