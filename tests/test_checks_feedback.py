"""The self-check engine (_answers, _judge, _registry, _voice) and its one voice."""

import inspect
import math
import warnings

import numpy as np
import pytest
import torch

import lossbook as lb
import lossbook.checks._registry
from lossbook.checks._answers import as_array, fmt, is_close, read_answer
from lossbook.checks._judge import Feedback, Mistake, Problem, judge
from lossbook.checks._registry import call, check, example
from lossbook.checks._voice import report


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
        (math.nan, math.nan, True),  # the engine's one rule: a nan loss is answered by nan
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


# ----------------------------------------------------------------------------- the engine



@pytest.mark.parametrize("answer,expected", [
    (0.5, np.array(0.5)),
    ([1, 2], np.array([1.0, 2.0])),
    (np.float32(0.25), np.array(0.25)),
    (True, np.array(1.0)),
    (torch.tensor([1.0, 2.0], requires_grad=True), np.array([1.0, 2.0])),
    (torch.tensor(3.0, requires_grad=True) * 2, np.array(6.0)),
    (torch.tensor([1.5], dtype=torch.bfloat16, requires_grad=True), np.array([1.5])),
    ([torch.tensor(1.0, requires_grad=True), torch.tensor(2.0)], np.array([1.0, 2.0])),
])
def test_read_answer_reads_numbers_arrays_and_tensors(answer, expected):
    arr, reason = read_answer(answer)
    assert reason is None and arr.dtype == np.float64
    np.testing.assert_array_equal(arr, expected)


@pytest.mark.parametrize("answer,reason", [
    (None, "got None"),
    ("0.5", "got the text '0.5'"),
    ({"a": 1}, "got a dict"),
    (1j, "got complex numbers"),
    ([[1.0, 2.0], [3.0]], "got a list that is not one array of numbers"),
    (print, "got a function (print)"),
    (np.array(["a"]), "got a numpy array of text; numbers are needed (.astype(float) converts "
                      "them)"),
    (np.array([None, 1.0]), "got a numpy array with None in it; every entry needs a number, 0 included"),
    ((None, 1.02), "got a tuple with None in it; every entry needs a number, 0 included"),
    (np.array([object(), 1.0]), "got a numpy array that is not made of numbers"),
    (5, None),
    ((v for v in [0.5]), "got a generator or iterator; make it a list first: list(...)"),
    ([[0.5, "a"]], "got a list of text; numbers are needed"),
    (np.int64(2) + 0j, "got complex numbers"),
])
def test_read_answer_says_why_it_cannot_read(answer, reason):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        arr, said = read_answer(answer)
    assert said == reason and (arr is None) is (reason is not None)


def test_read_answer_reads_fractions_and_decimals_as_numbers():
    from decimal import Decimal
    from fractions import Fraction

    arr, reason = read_answer([Fraction(1, 4), Decimal("0.5"), 2])
    assert reason is None and arr.dtype == np.float64
    np.testing.assert_array_equal(arr, [0.25, 0.5, 2.0])


def test_a_value_check_given_a_function_says_to_call_it():
    said = Problem(right=1.0, what="the MSE", idea="i", recipe="r").assess(lambda y_pred, y: 1.0)
    assert said == Feedback(False, "got a function (<lambda>); the answer must be numbers.",
                            "call your function and pass what it returns: check(f(...)), not "
                            "check(f).")


def test_as_array_names_the_input():
    with pytest.raises(ValueError, match="probs must be numbers; got the text 'x'"):
        as_array("x", "probs")


def test_fmt_is_short_and_stable():
    assert fmt(0.30102999566) == "0.30103"
    assert fmt([0.5, 2.0]) == "[0.5, 2. ]"
    assert fmt(np.zeros((4, 4))) == "an array of shape (4, 4)"
    assert fmt(object()).startswith("<object object")


def _problem():
    return Problem(right=[1.0, 2.5], what="the gradient", idea="revisit it.", recipe="do this.", mistakes=[
        Mistake([2.0, 5.0], "twice too big.", "halve it."),
        Mistake(3.5, "that is the sum.", "keep one entry per element."),
        Mistake(None, "cannot happen here.", None),
        Mistake([0.0, 0.0], "a placeholder, so never said.", None),
        Mistake([1.0, 2.5], "the same as the right answer, so never said.", None),
    ])


@pytest.mark.parametrize("answer,feedback", [
    ([1.0, 2.5], (True, "[1. , 2.5] is the gradient.", None)),
    (None, (False, "put your answer in place of None, then run the cell.", None, False)),  # a nudge
    (0, (False, "0 reads as a placeholder, not an answer: put the value your code computes in its "
                "place.", None, False)),
    ([0.0, 0.0], (False, "[0., 0.] reads as a placeholder, not an answer: put the value your code "
                         "computes in its place.", None, False)),
    ("x", (False, "got the text 'x'; the answer must be numbers.",
           "answer with a number or an array of numbers (a numpy array or a tensor is fine).")),
    ([[1.0], [2.5]], (False, "your answer has the right numbers but shape (2, 1); the answer "
                      "has shape (2,).", "drop the extra axis of size 1 (.reshape(2,) or "
                      ".squeeze()); a (N, 1) column meeting an (N,) row broadcasts, so check "
                      "the shapes where you computed it.")),
    ([2.0, 5.0], (False, "twice too big.", "halve it.")),
    (3.5, (False, "that is the sum.", "keep one entry per element.")),
    ([1.0, 2.0, 3.0], (False, "your answer has shape (3,); the answer has shape (2,).",
                       "print the shape after each step of your computation to see where it "
                       "stops being (2,).")),
    ([1.0, np.inf], (False, "your answer contains nan or inf.", "revisit it.")),
    ([1.0005, 2.5], (False, "[1.0005, 2.5   ] is close to the gradient, but not within a "
                     "relative 1e-05.", "pass the full value: assign what your code computed "
                     "(answer = ...) instead of typing the printed digits.", False)),
    ([-1.0, -2.5], (False, "your answer has the right size but the wrong sign.", "revisit it.")),
    ([3.0, 7.5], (False, "your answer is 3 times the right value.", "revisit it.")),
    ([5.0, 6.0], (False, "[5., 6.] is not the gradient.", "revisit it.")),
])
def test_problem_assess_in_order(answer, feedback):
    assert _problem().assess(answer) == Feedback(*feedback)


@pytest.mark.parametrize("answer,figures", [(1.77, 3), (1.8, 2), (1.7748, 5), (1.775, 4)])
def test_a_right_value_rounded_to_2_to_5_figures_is_told_so(answer, figures):
    problem = Problem(right=1.7748239349298849, what="the RMSE", idea="i", recipe="r")
    said = problem.assess(answer)
    assert said == Feedback(False, f"{answer:g} is the RMSE, rounded to {figures} significant figures.",
                            "pass the full value: assign what your code computed (answer = ...) "
                            "instead of typing the printed digits.", False)
    assert problem.assess(1.7).message == "1.7 is not the RMSE."  # not a rounding of 1.77482
    counts = Problem(right=139.0, what="the count", idea="i", recipe="r")
    assert counts.assess(140).message == "140 is not the count."  # a count is never rounded


def test_the_hint_ladder_gives_the_idea_first_and_the_recipe_from_the_second_try(capsys):
    @check(examples=[example(3)])
    def check_triple(answer, x) -> Problem:
        """Check 3 * x."""
        return Problem(right=3 * float(x), what="three times x", idea="revisit what triple means.",
                       recipe="multiply x by 3.", mistakes=[Mistake(float(x), "that is x.", "multiply.")])

    try:
        hints = []
        for answer in (None, 0, [0.0], 5.0, 3.0, 7.0, 8.0):
            check_triple(answer, 3)
            hints.append([ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("Hint")])
        assert hints[:3] == [[], [], []]  # a placeholder is no try: no hint at all
        assert hints[3] == ["Hint: revisit what triple means."]  # the first wrong try: the idea
        assert hints[4] == ["Hint: multiply."]  # a named mistake has its own hint
        assert hints[5] == hints[6] == ["Hint: multiply x by 3."]  # then the recipe
        lossbook.checks._registry.forget_tries()
        check_triple(5.0, 3)
        assert "Hint: revisit what triple means." in capsys.readouterr().out
    finally:
        lossbook.checks._registry.CHECKS.remove(check_triple)


def test_judge_prints_one_verdict(capsys):
    assert not judge(3.5, _problem())
    assert capsys.readouterr().out == "Not yet: that is the sum.\nHint: keep one entry per element.\n"
    assert judge([1.0, 2.0], right=[1.0, 2.0], what="the gradient", idea="i", recipe="r", correct="yes.")
    assert capsys.readouterr().out == "Correct: yes.\n"


def test_report_wraps_long_lines_under_their_label(capsys):
    report(False, "word " * 30, "hint\nwith  a newline")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Not yet: word") and len(lines[0]) <= 88
    assert all(line.startswith(" " * 9 + "word") for line in lines[1:-1])
    assert lines[-1] == "Hint: hint with a newline"


def test_check_decorator_keeps_the_signature_and_exposes_the_problem(capsys):
    @check(examples=[example(3)])
    def check_double(answer, x) -> Problem:
        """Check 2 * x."""
        return Problem(right=2 * float(x), what="twice x", idea="i", recipe="r",
                       mistakes=[Mistake(float(x), "that is x itself.", "double it.")])

    assert list(inspect.signature(check_double).parameters) == ["answer", "x"]
    assert check_double.__doc__ == "Check 2 * x." and check_double.__name__ == "check_double"
    assert check_double.problem(3).right == 6.0
    assert check_double(6.0, 3) and not check_double(3.0, 3) and not check_double(1.0, "x")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Correct: 6 is twice x."
    assert out[1:3] == ["Not yet: that is x itself.", "Hint: double it."]
    assert out[3].startswith("Not yet: check_double could not use the exercise's inputs")
    lossbook.checks._registry.CHECKS.remove(check_double)  # only the book's checks stay registered


def test_call_runs_a_learner_function_quietly():
    def noisy(x):
        warnings.warn("careful", RuntimeWarning, stacklevel=2)
        x[0] = 99.0  # must not change the caller's array
        return np.exp(np.array(1000.0))

    x = np.array([1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = call(noisy, x)
    assert out.error is None and out.value == np.inf and x[0] == 1.0

    nested = [[1.0, 2.0], [3.0]]
    call(lambda rows: rows[0].append(99.0) or rows.clear(), nested)
    assert nested == [[1.0, 2.0], [3.0]]  # lists are deep-copied too
    graph = torch.tensor([1.0], requires_grad=True) * 2  # cannot be deep-copied: passed as is
    assert call(lambda t: float(t.sum()), graph).value == 2.0


def test_a_function_that_changes_its_list_inputs_cannot_pass_a_check(capsys):
    def mse_that_zeroes_lists(y_pred, y):
        if isinstance(y_pred, list):
            y_pred[:], y[:] = [0.0] * len(y_pred), [0.0] * len(y)
            return 0.0
        y_pred, y = np.asarray(y_pred, dtype=float), np.asarray(y, dtype=float)
        if y_pred.shape != y.shape:
            raise ValueError(f"shapes {y_pred.shape} and {y.shape} differ")
        return float(np.mean((y_pred - y) ** 2))

    for _ in range(2):  # the second run sees the same test cases as the first
        assert not lb.checks.check_mse_function(mse_that_zeroes_lists)
        assert "on Python lists: 0 is not the MSE. (y_pred = [3.0, -1.0], y = [1.0, 1.0])" in " ".join(
            capsys.readouterr().out.split())
    assert call(lambda: 1 / 0).says() == "raised ZeroDivisionError: division by zero"
