"""The site's math, typeset at build time by KaTeX in QuickJS (_ext/lossbook_math.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from docutils import nodes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))

import lossbook_math as lbm  # noqa: E402


def test_a_formula_becomes_html_with_its_mathml():
    out = lbm.render(r"\mathrm{CE}(p, y) = -\sum_i y_i \log p_i", display=False)
    assert '<span class="katex-html" aria-hidden="true">' in out  # what the eye reads
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML">' in out  # what a screen reader reads
    assert "<mo>∑</mo>" in out and "<mi>log</mi>" in out
    assert 'class="katex-display"' in lbm.render("x^2", display=True)


def test_a_formula_katex_cannot_parse_is_an_error_that_says_why():
    with pytest.raises(lbm.KatexError, match=r"KaTeX parse error: .*expected '}'"):
        lbm.render(r"\frac{1}{", display=False)
    with pytest.raises(lbm.KatexError, match=r"Undefined control sequence: \\notamacro"):
        lbm.render(r"\notamacro x", display=True)


def test_display_math_is_split_and_aligned_like_sphinx_does():
    def block(text, nowrap=False):
        return nodes.math_block(text, text, nowrap=nowrap)

    assert lbm.display_tex(block("a = b")) == "a = b"
    assert lbm.display_tex(block(r"a &= b \\ c &= d")) == r"\begin{aligned}a &= b \\ c &= d\end{aligned}"
    assert lbm.display_tex(block("a = b\n\nc = d")) == r"\begin{gathered}a = b\\c = d\end{gathered}"
    env = "\\begin{align}\na &= b\n\\end{align}"
    assert lbm.display_tex(block(env, nowrap=True)) == env
    for text in ("a = b\n\nc = d", env):  # each renders
        lbm.render(lbm.display_tex(block(text, nowrap=text == env)), display=True)


def test_the_fonts_keep_the_characters_the_math_shows(tmp_path):
    (tmp_path / "a.html").write_text(
        "<p>prose ∀ outside</p>" + lbm.render(r"\sum_i w_i", display=False), encoding="utf-8")
    used = lbm.math_characters(tmp_path)
    assert {ord("∑"), ord("w"), ord("i")} <= used
    assert ord("∀") not in used and ord("p") not in used  # prose and MathML are not math glyphs
    lbm.subset_fonts(tmp_path)
    from fontTools.ttLib import TTFont

    fonts = tmp_path / "_static" / "katex" / "fonts"
    main = TTFont(fonts / "KaTeX_Math-Italic.woff").getBestCmap()
    assert ord("w") in main and ord("x") not in main
    assert sorted(p.name for p in fonts.iterdir()) == sorted(
        p.name for p in lbm.KATEX_FONTS.glob("*.woff"))
    original = sum(p.stat().st_size for p in lbm.KATEX_FONTS.glob("*.woff"))
    assert sum(p.stat().st_size for p in fonts.iterdir()) < original / 3


@pytest.mark.site  # a Sphinx build: a slow group, `make check` leaves it out
def test_a_bad_formula_fails_the_build_and_names_it(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / '_ext')!r})\n"
        "extensions = ['myst_parser', 'lossbook_math']\n"
        "myst_enable_extensions = ['dollarmath']\n", encoding="utf-8")
    (src / "index.md").write_text("# A page\n\nGood $x^2$, bad $\\frac{1}{$.\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-E", "-b", "html", str(src),
                          str(tmp_path / "out")], capture_output=True, text=True)
    assert run.returncode != 0
    assert "index.md:3" in run.stderr and "KaTeX cannot typeset '\\\\frac{1}{'" in run.stderr
    assert "could not typeset 1 formula" in run.stderr
