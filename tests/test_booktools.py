"""The book's tooling (booktools/): the figure comparison, the Binder budget and the chapter
standard catch what they are for, on small inputs made here; the browser finder refuses what
cannot start."""

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


# --- the Binder budget, in units of the reference workload ---------------------------------------

REF = nbval_plugin.REFERENCE_SECONDS
LIMIT = nbval_plugin.MAX_CPU_SECONDS


@pytest.mark.parametrize("slowdown", [1.0, 2.5, 0.4])
def test_the_verdict_is_the_same_on_a_slower_or_faster_machine(slowdown):
    """A notebook that costs 14 s on the reference machine passes and one of 16 s fails, whether
    the machine running the tests is as fast, 2.5 times slower or 2.5 times faster."""
    ref_here = REF / 2.3 * slowdown
    fits = Usage(cpu=14.0 / REF * ref_here, peak_mb=300, reference=ref_here)
    over = Usage(cpu=16.0 / REF * ref_here, peak_mb=300, reference=ref_here)
    assert fits.normalised == pytest.approx(14.0) and fits.problems() == []
    assert over.normalised == pytest.approx(16.0)
    assert "16.0 s of CPU on the reference machine" in over.problems()[0]


def test_busy_cores_slow_the_notebook_and_the_reference_alike():
    idle = Usage(cpu=5.0, peak_mb=300, reference=0.2)
    busy = Usage(cpu=5.0 * 1.6, peak_mb=300, reference=0.2 * 1.6)
    assert busy.normalised == pytest.approx(idle.normalised)


def test_a_notebook_half_as_heavy_again_fails_when_near_the_limit():
    ref_here = REF / 2.3
    now = Usage(cpu=0.7 * LIMIT / REF * ref_here, peak_mb=300, reference=ref_here)
    heavier = Usage(cpu=now.cpu * 1.5, peak_mb=300, reference=ref_here)
    assert now.problems() == [] and heavier.problems()


def test_memory_over_the_budget_is_reported():
    usage = Usage(cpu=1.0, peak_mb=nbval_plugin.MAX_MEMORY_MB + 1, reference=REF)
    assert "peaked at" in usage.problems()[0]


def test_the_reference_workload_runs_and_takes_measurable_time():
    scope: dict = {}
    exec(nbval_plugin.REFERENCE_WORKLOAD, scope)
    seconds = scope["__booktools_reference__"]()
    assert 0 < seconds < 60


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
