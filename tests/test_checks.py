"""Every self-check, table by table: each known mistake gets its message, the right answer in
any form gets "Correct", and nothing a learner types makes a check raise.

The checks and their example inputs are found through the registry (``CHECKS`` in the engine
and each topic module's ``EXAMPLES``), so a check added later is covered without editing this
file; a check without examples fails ``test_every_check_has_examples``.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import math
import pkgutil

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

import lossbook.checks
import lossbook.checks._registry
from lossbook.checks._answers import read_answer
from lossbook.checks._judge import Problem
from lossbook.checks._registry import CHECKS
from lossbook.checks._voice import report

TOPICS = [importlib.import_module(f"lossbook.checks.{m.name}")
          for m in pkgutil.iter_modules(lossbook.checks.__path__) if not m.name.startswith("_")]
EXAMPLES = [(check, ex) for check in CHECKS for ex in check.examples]
VALUE_CASES = [(c, ex) for c, ex in EXAMPLES if hasattr(c, "problem")]
FUNCTION_CHECKS = [c for c in CHECKS if hasattr(c, "test")]


def _id(case):
    check, ex = case
    same = [e for c, e in EXAMPLES if c is check]
    return f"{check.__name__}-{next(i for i, e in enumerate(same) if e is ex)}"


def _problem(check, ex) -> Problem:
    return check.problem(*ex.args, **ex.kwargs)


def _one_verdict(text: str, verdict, ok: bool | None = None) -> None:
    """``text`` ends with one verdict line (continued lines indented), then at most one hint.

    Lines before the verdict can only be what a learner's own function printed.
    """
    lines = text.splitlines()
    at = [i for i, line in enumerate(lines) if line.startswith(("Correct: ", "Not yet: "))]
    assert len(at) == 1, text
    rest = [line for line in lines[at[0] + 1:] if not line.startswith(" ")]
    assert rest == [] or (len(rest) == 1 and rest[0].startswith("Hint: ")), text
    assert isinstance(verdict, lossbook.checks.Verdict)
    assert bool(verdict) is lines[at[0]].startswith("Correct: "), text
    if ok is not None:
        assert bool(verdict) is ok, text


def _printed(capsys, fn, *args, **kwargs):
    """What ``fn`` prints and returns; the output must be exactly one verdict."""
    capsys.readouterr()
    result = fn(*args, **kwargs)
    out = capsys.readouterr()
    assert out.err == ""
    assert not out.out.startswith(" ")
    _one_verdict(out.out, result)
    return out.out, result


def _said(capsys, ok, message, hint):
    capsys.readouterr()
    report(ok, message, hint)
    return capsys.readouterr().out


def _same(a, b, rtol, atol) -> bool:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if b.shape == () and a.size == 1:
        a = a.reshape(())
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


# ----------------------------------------------------------------------------- the registry


def test_every_check_has_examples():
    covered = {c for c, _ in EXAMPLES}
    assert set(CHECKS) == covered, [c.__name__ for c in set(CHECKS) ^ covered]
    assert len(CHECKS) == len({c.__name__ for c in CHECKS})
    assert {c.__module__ for c in CHECKS} == {t.__name__ for t in TOPICS}


def test_a_check_is_registered_once_with_its_examples():
    with pytest.raises(TypeError, match=r"examples=\[example\(...\), ...\]"):
        lossbook.checks._registry.check(examples=[])
    with pytest.raises(TypeError, match="examples"):
        lossbook.checks._registry.check_function(reference=abs, examples=[(1,)], idea="", recipe="")
    for topic in TOPICS:  # no second list of the checks or their examples
        assert not hasattr(topic, "EXAMPLES"), topic.__name__


def test_every_public_check_is_on_the_engine_and_exported():
    names = [n for n in lossbook.checks.__all__ if n.startswith("check_")]
    assert sorted(names) == sorted(c.__name__ for c in CHECKS)
    for name in names:
        assert getattr(lossbook.checks, name) in CHECKS
    assert "check_label_smoothing_loss" not in names  # merged into check_label_smoothing


def test_function_checks_have_a_reference_answer():
    for check in FUNCTION_CHECKS:
        assert callable(check.reference), check.__name__


# ----------------------------------------------------------------------------- the tables


@pytest.mark.parametrize("case", VALUE_CASES, ids=_id)
def test_no_mistake_equals_the_right_answer(case):
    problem = _problem(*case)
    assert np.all(np.isfinite(problem.right_array)), problem.right
    for m in problem.mistakes:
        if m.value is None:  # a mistake that cannot happen for these inputs
            continue
        assert not np.isnan(np.asarray(m.value, dtype=np.float64)).any(), m.message
        assert not _same(m.value, problem.right, problem.rtol, problem.atol), m.message
    live = [m for m in problem.mistakes if m.value is not None and np.any(m.value)]  # 0 is a placeholder
    assert len(problem.live_mistakes()) == len(live)


@pytest.mark.parametrize("case", VALUE_CASES, ids=_id)
def test_each_mistake_gets_its_message(case, capsys):
    check, ex = case
    problem = _problem(check, ex)
    seen = 0
    for _value, m in problem.live_mistakes():
        assert problem.assess(m.value)[:3] == (False, m.message, m.hint)
        out, verdict = _printed(capsys, check, np.asarray(m.value), *ex.args, **ex.kwargs)
        assert out == _said(capsys, False, m.message, m.hint) and not verdict
        seen += 1
    assert seen >= 2, f"{check.__name__} knows fewer than two mistakes for these inputs"


def _forms(right):
    right = np.asarray(right, dtype=np.float64)
    yield right.tolist()  # a float, or nested lists
    yield right
    yield torch.tensor(right, requires_grad=True)
    yield torch.tensor(right, dtype=torch.float32, requires_grad=True) * 1.0  # a graph output


@pytest.mark.parametrize("case", VALUE_CASES, ids=_id)
def test_the_right_answer_in_any_form_is_correct(case, capsys):
    check, ex = case
    problem = _problem(check, ex)
    for answer in _forms(problem.right):
        out, verdict = _printed(capsys, check, answer, *ex.args, **ex.kwargs)
        assert verdict and out.startswith("Correct: "), (type(answer), out)
    out, verdict = _printed(capsys, check, None, *ex.args, **ex.kwargs)
    assert not verdict and out == "Not yet: put your answer in place of None, then run the cell.\n"


@pytest.mark.parametrize("check", FUNCTION_CHECKS, ids=lambda c: c.__name__)
def test_the_reference_function_is_correct(check, capsys):
    out, verdict = _printed(capsys, check, check.reference)
    assert verdict, out


@pytest.mark.parametrize("case", VALUE_CASES, ids=_id)
def test_right_numbers_in_a_wrong_shape_get_a_shape_hint(case, capsys):
    check, ex = case
    problem = _problem(check, ex)
    right = problem.right_array
    if right.size < 2:
        assert right.shape == ()  # a one-number answer has no wrong shape with the right numbers
        return
    for shape in [(right.size, 1), (1, right.size), (right.size,)]:
        if shape == right.shape:
            continue
        out, verdict = _printed(capsys, check, right.reshape(shape), *ex.args, **ex.kwargs)
        assert not verdict and "the right numbers but shape" in out and "Hint: " in out, out


def test_mse_gradient_refuses_a_column_where_a_row_is_asked(capsys):
    y_pred, y = np.array([2.5, 0.0, 2.0, 8.0, 4.5]), np.array([3.0, -0.5, 2.0, 7.0, 6.5])
    column = (2 * (y_pred - y) / 5).reshape(5, 1)
    out, verdict = _printed(capsys, lossbook.checks.check_mse_gradient, column, y_pred, y)
    assert not verdict
    assert "shape (5, 1)" in out and "(5,)" in out and "Hint: drop the extra axis" in out


# ----------------------------------------------------------------------------- anything typed


def _raises(*args):
    raise RuntimeError("the learner's bug")


class _Weird:
    """An object whose every conversion fails."""

    def __array__(self, *args, **kwargs):
        raise RuntimeError("no array here")

    def __float__(self):
        raise RuntimeError("no float here")


finite = st.floats(allow_nan=False, allow_infinity=False, width=64, min_value=-1e6, max_value=1e6)
anything_float = st.floats(allow_nan=True, allow_infinity=True, width=64)
junk = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.just("0.5"),
    st.dictionaries(st.text(max_size=3), finite, max_size=2),
    st.lists(st.one_of(finite, st.text(max_size=2), st.none()), max_size=4),
    st.lists(st.lists(finite, max_size=3), min_size=2, max_size=3),  # ragged lists too
    anything_float,
    st.sampled_from([math.nan, math.inf, -math.inf, 1j, (), [], set(), object(), _Weird()]),
    arrays(np.float64, array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
           elements=anything_float),
    arrays(np.float64, array_shapes(min_dims=1, max_dims=2, max_side=3), elements=finite).map(
        lambda a: torch.tensor(a, requires_grad=True)),
    st.sampled_from([_raises, lambda *a: None, lambda *a: "junk", lambda *a: [1, 2, 3],
                     lambda *a: _Weird(), lambda *a: math.nan, lambda *a: {"a": 1}, print]),
)


def _not_right(answer, check, ex) -> bool:
    """Whether ``answer`` is surely not the right answer (junk may hit it, e.g. 0.0)."""
    if not hasattr(check, "problem"):
        return True
    problem = _problem(check, ex)
    arr, _ = read_answer(answer)
    return arr is None or not _same(arr, problem.right, problem.rtol, problem.atol)


@pytest.mark.parametrize("case", EXAMPLES, ids=_id)
@given(answer=junk)
def test_nothing_a_learner_types_makes_a_check_raise(case, answer):
    check, ex = case
    assume(_not_right(answer, check, ex))
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        verdict = check(answer, *ex.args, **ex.kwargs)
    _one_verdict(buffer.getvalue(), verdict, ok=False)


@pytest.mark.parametrize("case", EXAMPLES, ids=_id)
@settings(max_examples=15)  # a lighter search: the inputs are the exercise's, rarely changed
@given(junk_input=junk, position=st.integers(0, 5))
def test_changed_exercise_inputs_never_make_a_check_raise(case, junk_input, position):
    check, ex = case
    args = list(ex.args)
    kwargs = dict(ex.kwargs)
    if args and position < len(args):
        args[position] = junk_input
    elif kwargs:
        kwargs[sorted(kwargs)[position % len(kwargs)]] = junk_input
    else:
        args = [junk_input]
    answer = check.reference if hasattr(check, "test") else _problem(check, ex).right
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        verdict = check(answer, *args, **kwargs)
    _one_verdict(buffer.getvalue(), verdict)


# ----------------------------------------------------------------------------- special cases


def test_a_check_says_why_it_cannot_use_changed_inputs(capsys):
    out, verdict = _printed(capsys, lossbook.checks.check_neuron_output, 0.5, [1.0], [1.0], 0.0,
                            activation="softmax")
    assert not verdict and "check_neuron_output could not use the exercise's inputs" in out
    assert "activation='softmax'" in out


def test_ignore_index_with_every_position_ignored_is_nan_as_in_torch(capsys):
    z, t = [[1.0, 2.0], [0.5, 0.0]], [-100, -100]
    expected = torch.nn.functional.cross_entropy(torch.tensor(z), torch.tensor(t)).item()
    assert math.isnan(expected)
    out, verdict = _printed(capsys, lossbook.checks.check_ignore_index_loss, math.nan, z, t)
    assert verdict and "0/0 = nan" in out
    out, verdict = _printed(capsys, lossbook.checks.check_ignore_index_loss, 0.0, z, t)
    assert not verdict


def test_label_smoothing_serves_both_call_sites(capsys):
    z, y = [[2.0, 0.5, 0.1, -1.0], [0.0, 3.0, 0.2, 0.1]], [0, 3]
    right = torch.nn.functional.cross_entropy(torch.tensor(z), torch.tensor(y),
                                              label_smoothing=0.2).item()
    check = lossbook.checks.check_label_smoothing
    assert _printed(capsys, check, right, z, y, 0.2)[1]
    assert _printed(capsys, check, right, z, y, epsilon=0.2)[1]
    assert _printed(capsys, check, answer=right, logits=z, target=y, epsilon=0.2)[1]


def _mse_no_shape_check(y_pred, y):
    return float(np.mean((np.asarray(y_pred) - np.asarray(y)) ** 2))


def _mse_sum(y_pred, y):
    return float(np.sum((np.asarray(y_pred, dtype=float) - np.asarray(y, dtype=float)) ** 2))


def _mse_arrays_only(y_pred, y):
    if y_pred.shape != y.shape:
        raise ValueError("shapes differ")
    return float(np.mean((y_pred - y) ** 2))


def _mse_silent_refusal(y_pred, y):
    y_pred, y = np.asarray(y_pred, dtype=float), np.asarray(y, dtype=float)
    if y_pred.shape != y.shape:
        raise ValueError()
    return float(np.mean((y_pred - y) ** 2))


def _mse_vague_refusal(y_pred, y):
    y_pred, y = np.asarray(y_pred, dtype=float), np.asarray(y, dtype=float)
    if y_pred.shape != y.shape:
        raise ValueError("shapes differ")
    return float(np.mean((y_pred - y) ** 2))


def _reference_mse(y_pred, y):
    return lossbook.checks.check_mse_function.reference(y_pred, y)


def _mse_type_error(y_pred, y):
    y_pred, y = np.asarray(y_pred, dtype=float), np.asarray(y, dtype=float)
    if y_pred.shape != y.shape:
        raise TypeError("shapes differ")
    return float(np.mean((y_pred - y) ** 2))


@pytest.mark.parametrize("fn,said", [
    (_mse_no_shape_check, "broadcasting compared every prediction"),
    (lambda p, t: float(np.mean((np.ravel(p) - np.ravel(t)) ** 2)), "flattens or reshapes"),
    (lambda p, t: [_reference_mse(p, t)], "not a Python float"),
    (_mse_vague_refusal, "does not name both shapes"),
    (lambda p, t: float(np.meen((np.asarray(p) - t) ** 2)), "np.mean, not np.meen"),
    (_mse_sum, "is the sum of the squared errors (SSE)"),
    (_mse_arrays_only, "on Python lists, your function raised AttributeError"),
    (_mse_silent_refusal, "does not name both shapes"),
    (_mse_type_error, "raised TypeError: shapes differ, not ValueError"),
    (lambda y_pred, y: None, "returned nothing (None)"),
])
def test_mse_function_names_the_mistake(fn, said, capsys):
    out, verdict = _printed(capsys, lossbook.checks.check_mse_function, fn)
    assert not verdict and said in " ".join(out.split()), out


def _naive_ce(z, y):
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return float(-np.log(p[np.arange(len(y)), y]).mean())


def _shifted_then_log_ce(z, y):
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return float(-np.log(p[np.arange(len(y)), y]).mean())


def _clipped_ce(z, y):
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return float(-np.log(np.clip(p[np.arange(len(y)), y], 1e-7, 1)).mean())


def _summed_ce(z, y):
    return float(-lossbook.log_softmax(z)[np.arange(len(y)), y].sum())


@pytest.mark.parametrize("fn,said", [
    (_naive_ce, "overflows to inf"),
    (_shifted_then_log_ce, "underflows to 0"),
    (lambda z, y: str(_summed_ce(z, y) / len(y)), "it returned the text '0.41703"),
    (_clipped_ce, "a clipped log"),
    (_summed_ce, "the sum over the batch"),
    (lambda z, y: [1.0, 2.0], "not one number"),
    (lambda z, y: 1 / 0, "raised ZeroDivisionError: division by zero"),
])
def test_stable_cross_entropy_names_the_mistake(fn, said, capsys):
    out, verdict = _printed(capsys, lossbook.checks.check_stable_cross_entropy, fn)
    assert not verdict and said in " ".join(out.split()), out
