"""The notebook tooling (booktools/notebooks.py): the figure comparison and the hygiene rules catch what
they are for, on small notebooks made here."""

from __future__ import annotations

import base64
import io

import nbformat
import numpy as np
from PIL import Image

from booktools import notebooks as booktools


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
    assert booktools.compare_figures([_png_output(a)], [_png_output(noisy)]) == []


def test_a_moved_line_is_a_stale_figure():
    problems = booktools.compare_figures([_png_output(_figure(20))], [_png_output(_figure(50))])
    assert len(problems) == 1 and "of the pixels differ" in problems[0]


def test_a_missing_or_resized_figure_is_reported():
    one = [_png_output(_figure(20))]
    assert booktools.compare_figures(one, []) == ["1 stored figures but 0 after re-execution"]
    bigger = [_png_output(np.full((70, 80, 3), 255))]
    assert "size 80x60 stored, 80x70 now" in booktools.compare_figures(one, bigger)[0]


def test_hygiene_finds_an_unexecuted_notebook_without_colab_cell(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# No label"),
                nbformat.v4.new_code_cell("import numpy as np\nprint(np.pi)")]
    path = tmp_path / "bad.ipynb"
    nbformat.write(nb, path)
    problems = "\n".join(booktools.hygiene_problems(path))
    assert "no Colab install cell" in problems
    assert "execution counts are [None]" in problems
    assert "has no stored output" in problems
    assert "chapter's label" in problems
    assert booktools.main(["hygiene", str(path)]) == 1
    assert booktools.main(["nonsense"]) == 2
