"""The book's tooling (booktools/): the figure comparison, the memory budget and the chapter
standard catch what they are for, on small inputs made here; the browser finder refuses what
cannot start. The CPU budget is measured on real notebooks in tests/test_binder_budget.py."""

from __future__ import annotations

import base64
import io

import nbformat
import numpy as np
import pytest
from PIL import Image

from booktools import browser, nbval_plugin, standard
from booktools.nbval_plugin import Usage


def _png_output(pixels: np.ndarray) -> dict:
    buf = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8)).save(buf, format="PNG")
    return nbformat.v4.new_output("display_data",
                                  data={"image/png": base64.b64encode(buf.getvalue()).decode()})


def _figure(line_at: int) -> np.ndarray:
    img = np.full((60, 80, 3), 255)
    img[:, line_at] = 0  # one vertical line
    img[line_at % 60, :] = 0  # and one horizontal line
    return img


def test_the_same_figure_matches_even_with_antialiasing_noise():
    a = _figure(20)
    noisy = a.copy()
    noisy[::7, ::9] = np.clip(noisy[::7, ::9] - 30, 0, 255)  # small differences everywhere
    assert nbval_plugin.compare_figures([_png_output(a)], [_png_output(noisy)]) == []


def test_a_moved_line_is_a_stale_figure():
    problems = nbval_plugin.compare_figures([_png_output(_figure(20))], [_png_output(_figure(50))])
    assert len(problems) == 1 and "of the pixels differ" in problems[0]


def test_a_missing_or_resized_figure_is_reported():
    one = [_png_output(_figure(20))]
    assert nbval_plugin.compare_figures(one, []) == ["1 stored figures but 0 after re-execution"]
    bigger = [_png_output(np.full((70, 80, 3), 255))]
    assert "size 80x60 stored, 80x70 now" in nbval_plugin.compare_figures(one, bigger)[0]


def test_hygiene_finds_an_unexecuted_notebook_without_colab_cell(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# No label"),
                nbformat.v4.new_code_cell("import numpy as np\nprint(np.pi)")]
    path = tmp_path / "bad.ipynb"
    nbformat.write(nb, path)
    problems = "\n".join(standard.hygiene_problems(path))
    assert "no Colab install cell" in problems
    assert "execution counts are [None]" in problems
    assert "has no stored output" in problems
    assert "chapter's label" in problems
    assert standard.main([str(path)]) == 1
    assert standard.main(["nonsense"]) == 2


def test_a_colab_cell_that_differs_from_the_standard_is_reported(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("!pip install lossbook")
    cell.metadata["tags"] = sorted(standard.COLAB_TAGS)
    nb.cells = [nbformat.v4.new_markdown_cell("(ch-x)=\n# X"), cell]
    path = tmp_path / "colab.ipynb"
    nbformat.write(nb, path)
    assert "differs from booktools.standard.COLAB_CELL" in "\n".join(standard.hygiene_problems(path))


# --- the Binder budget (measured on real notebooks in tests/test_binder_budget.py) ---------------

def test_memory_over_the_budget_is_reported():
    within = Usage(cpu=1.0, peak_mb=nbval_plugin.MAX_MEMORY_MB, reference=nbval_plugin.REFERENCE_SECONDS)
    over = Usage(cpu=1.0, peak_mb=nbval_plugin.MAX_MEMORY_MB + 1, reference=nbval_plugin.REFERENCE_SECONDS)
    assert within.problems() == []
    assert over.problems() == [f"peaked at {nbval_plugin.MAX_MEMORY_MB + 1:.0f} MB "
                               f"(budget {nbval_plugin.MAX_MEMORY_MB:.0f} MB)"]


# --- the browser ---------------------------------------------------------------------------------

def test_a_chromium_that_does_not_start_is_refused_with_the_fix(monkeypatch, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("LOSSBOOK_CHROMIUM", str(fake))
    with pytest.raises(browser.NoBrowser, match="does not start"):
        browser.installed_chromium()


def test_without_a_browser_the_message_gives_the_one_command():
    assert "python -m playwright install chromium" in browser.no_browser_message()
