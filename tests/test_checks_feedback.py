"""lb.checks._feedback: the one voice of every self-check."""

import math
import warnings

import numpy as np
import pytest

import lossbook as lb
from lossbook.checks._feedback import is_close, report


def test_report_correct(capsys):
    assert bool(report(True, "0.6931 nats.", hint="never shown")) is True
    assert capsys.readouterr().out == "Correct: 0.6931 nats.\n"


def test_report_not_yet_with_and_without_hint(capsys):
    assert bool(report(False, "you returned 0.30103.", hint="that is log base 10.")) is False
    assert capsys.readouterr().out == "Not yet: you returned 0.30103.\nHint: that is log base 10.\n"
    assert bool(report(False, "no answer.")) is False
    assert capsys.readouterr().out == "Not yet: no answer.\n"


def test_report_returns_a_real_bool():
    assert bool(report(np.bool_(True), "ok")) is True


def test_report_and_is_close_are_reexported():
    assert lb.checks.report is report and lb.checks.is_close is is_close


@pytest.mark.parametrize(
    "answer,expected,ok",
    [
        (0.693147, math.log(2), True),  # 6 digits are within the default rtol 1e-6
        (0.6931, math.log(2), False),
        (math.log(2), math.log(2), True),
        (math.log(2) * (1 + 1e-7), math.log(2), True),
        (math.log(2) * (1 + 1e-5), math.log(2), False),
        (1e-10, 0.0, True),  # atol 1e-9
        (1e-8, 0.0, False),
        ([1.0, 2.0], np.array([1.0, 2.0]), True),
        ([1.0, 2.0], [1.0, 2.0, 3.0], False),
        ([[1.0, 2.0]], [1.0, 2.0], False),  # a broadcast shape is not the answer
        (np.float32(0.5), 0.5, True),
        (None, 1.0, False),
        ("abc", 0.5, False),
        (object(), 0.5, False),
        ({"a": 1}, 0.5, False),
        (1j, 1.0, False),
        (math.nan, 1.0, False),
        (math.nan, math.nan, False),
        (math.inf, 1.0, False),
        (1.0, math.inf, False),
        (math.inf, math.inf, True),
        (-math.inf, math.inf, False),
        ([math.inf, 1.0], [math.inf, 1.0], True),
    ],
)
def test_is_close(answer, expected, ok):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # never raises, never warns
        assert is_close(answer, expected) is ok


def test_is_close_tolerances():
    assert is_close(0.693147, math.log(2), rtol=1e-5)
    assert not is_close(0.69, math.log(2), rtol=1e-5)
    assert is_close(1.05, 1.0, rtol=0.1)
    assert is_close(0.5, 0.0, atol=1.0)


def test_verdict_is_silent_in_jupyter_but_a_bool_elsewhere():
    from lossbook.checks import Verdict

    v = report(False, "no answer.")
    assert isinstance(v, Verdict) and not v and v == False  # noqa: E712
    assert repr(v) == "False"
    # IPython calls _ipython_display_ instead of echoing the value; ours displays nothing.
    assert v._ipython_display_() is None
