"""A learner's attempts replayed, as in the self-study report of 2026-12-07: every typical mistake
of an exercise gets its named diagnosis, a right value rounded by hand is called rounded, a
placeholder is not a try, junk never crashes, and the recipe comes only after a second wrong
answer to the same check. In English and in Korean.

The inputs are the book's own (chapters/*.ipynb), so each case is what a reader meets.
"""

from __future__ import annotations

import contextlib
import io
import re

import numpy as np
import pytest
import scipy.special
from _reference import said_not_yet

import lossbook as lb
from lossbook.checks._registry import forget_tries

C = lb.checks

# The exercises' inputs, as the chapters give them.
X_N, W_N, B_N = np.array([0.5, -1.0, 2.0]), np.array([0.8, 0.2, -0.5]), 0.3
Z_N = W_N @ X_N + B_N
Y_PRED_2 = np.array([[12.0], [15.5], [9.0], [20.0], [14.0]])
Y_TRUE_2 = np.array([10.0, 16.0, 10.5, 17.0, 14.5])
X_4, Y_4 = np.array([0.0, 1.0, 2.0, 3.0]), np.array([1.0, 2.5, 5.5, 7.0])
PROBS_2 = np.array([[0.6, 0.3, 0.1], [0.2, 0.2, 0.6], [0.1, 0.7, 0.2], [0.5, 0.4, 0.1]])
LABELS_2 = np.array([0, 2, 1, 1])
Z_4 = np.array([[2.0, -1.0, 0.5], [0.0, 3.0, 1.0], [1.0, 1.0, 1.0]])
Y_4C = np.array([0, 2, 1])
T_7, P_7 = np.array([0.5, 0.5]), np.array([0.8, 0.2])
LOGITS_1 = np.array([2.1, -0.6, 0.4, -1.7, 0.2, 3.0, -0.8, 0.1])
LABELS_1 = np.array([1, 0, 0, 0, 1, 1, 1, 0])
EX_PROBS = np.array([0.95, 0.9, 0.85, 0.1, 0.2, 0.05, 0.92, 0.15, 0.88, 0.01])
EX_TARGETS = np.array([1, 1, 1, 0, 0, 0, 1, 0, 1, 1])
LOGITS_W = np.array([[1.0, 2.0, 0.5], [2.2, 0.3, 0.1], [0.2, 0.4, 1.9], [1.5, 1.4, 0.2]])
TARGET_W, CLASS_W = np.array([1, 0, 2, 0]), np.array([0.5, 2.0, 4.0])
SIGMA = 0.4781  # chapter 7's printed sigma
PROBS_1, LABEL_1 = np.array([0.25, 0.6, 0.15]), np.array([0.0, 1.0, 0.0])
PHOTO_TAGS = np.array([[1, 0, 0], [0, 0, 1], [1, 1, 0], [0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 0],
                       [0, 0, 1], [1, 0, 0], [0, 0, 0], [0, 0, 1], [0, 0, 1]])
EX_W, EX_G = np.array([0.5, -1.0, 2.0]), np.array([0.1, 0.2, -0.3])
X_6, Y_6 = lb.data.noisy_line(100, rng=np.random.default_rng(0))  # chapter 6's line, seeded alike
RESIDUALS_6 = Y_6 - (2 * X_6 + 1)  # around the true line: their mean is not 0
ALWAYS_8 = np.zeros((10, 10))  # chapter 7: a model that predicts 8 for each of its 359 test digits
ALWAYS_8[:, 8] = [36, 36, 35, 37, 36, 36, 36, 36, 35, 36]
ECE_PROBS = np.array([[0.9, 0.1], [0.8, 0.2], [0.6, 0.4], [0.3, 0.7], [0.45, 0.55], [0.97, 0.03]])
ECE_LABELS = np.array([0, 1, 0, 1, 0, 0])


def _stair(w):  # an accuracy over 5 examples with jumps at w = 0.2 and w = 0.1
    x, y = np.array([-2.0, -1.0, 0.5, 1.5, 3.0]), np.array([0, 0, 1, 1, 0])
    return float(np.mean((w * x + 0.2 > 0) == y))


def _line_step(w, b, lr, *, sequential=False, step_only=False):
    e = w * X_4 + b - Y_4
    dw = 2 * np.mean(e * X_4)
    w_new = w - lr * dw
    db = 2 * np.mean((w_new if sequential else w) * X_4 + b - Y_4)
    if step_only:
        return (-lr * dw, -lr * db)
    return (w_new, b - lr * db)


def _softmax_rows(z, axis):
    e = np.exp(z - z.max())
    return e / e.sum(axis=axis, keepdims=True)


def _shifted_then_log(z, y):
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return float(-np.log(p[np.arange(len(y)), y]).mean())


def _smoothed_over_the_others(z, y, eps):  # ch4 ex-ce-5's buggy function
    c = z.shape[1]
    onehot = np.eye(c)[y]
    target = (1 - eps) * onehot + eps / (c - 1) * (1 - onehot)
    return float(-(target * lb.log_softmax(z)).sum(axis=1).mean())


Z_5, Y_5 = np.array([[3.0, 0.0, -1.0, 0.5], [0.2, 0.1, 2.2, -0.4]]), np.array([0, 2])


def _naive(z, y):
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return float(-np.log(p[np.arange(len(y)), y]).mean())


def _flat_mse(p, t):
    return float(np.mean((np.ravel(p) - np.ravel(t)) ** 2))


def _typo_mse(p, t):
    return float(np.meen((np.asarray(p) - np.asarray(t)) ** 2))  # the learner's typo


def _named_but_vague_mse(p, t):
    p, t = np.asarray(p, dtype=float), np.asarray(t, dtype=float)
    if p.shape != t.shape:
        raise ValueError("shapes differ")
    return float(np.mean((p - t) ** 2))


# (check, inputs, answer, what the check must say): the report's mistakes, each named.
MISTAKES = [
    (C.check_neuron_output, (X_N, W_N, B_N), {"activation": "sigmoid"}, 1 / (1 + np.exp(Z_N)),
     "the sign in the exponent is flipped"),
    (C.check_rmse, (Y_PRED_2, Y_TRUE_2), {}, 1.77, "rounded to 3 significant figures"),
    (C.check_line_gradient_step, (X_4, Y_4), {"w": 0.5, "b": 0.0, "lr": 0.05},
     _line_step(0.5, 0.0, 0.05, step_only=True), "you returned the step"),
    (C.check_line_gradient_step, (X_4, Y_4), {"w": 0.5, "b": 0.0, "lr": 0.05},
     _line_step(0.5, 0.0, 0.05, sequential=True), "b's gradient used the updated w"),
    (C.check_cross_entropy, (PROBS_2, LABELS_2), {}, -np.log(PROBS_2[:, LABELS_2]).mean(), "p[:, y]"),
    (C.check_cross_entropy, (PROBS_2, LABELS_2), {}, 0.57, "rounded to 2 significant figures"),
    (C.check_cross_entropy_grad, (Z_4, Y_4C), {}, (_softmax_rows(Z_4, 0) - np.eye(3)[Y_4C]) / 3,
     "runs down the columns"),
    (C.check_cross_entropy_grad, (Z_4, Y_4C), {}, (scipy.special.softmax(Z_4) - np.eye(3)[Y_4C]) / 3,
     "scipy.special.softmax does by default"),
    (C.check_cross_entropy_grad, (Z_4, Y_4C), {},
     (np.exp(Z_4 - Z_4.max(axis=1)) / np.exp(Z_4 - Z_4.max(axis=1)).sum(axis=1, keepdims=True)
      - np.eye(3)[Y_4C]) / 3, "without keepdims"),
    (C.check_cross_entropy_grad, (Z_4, Y_4C), {}, (lb.softmax(Z_4) - Y_4C[:, None]) / 3,
     "index labels themselves"),
    (C.check_kl_divergence, (P_7, T_7), {}, np.sum(T_7 * (np.log(T_7) - P_7)), "fed the probabilities"),
    (C.check_accuracy, (LOGITS_1, LABELS_1), {}, np.mean(np.round(LOGITS_1) == LABELS_1), "rounded logits"),
    (C.check_accuracy, (LOGITS_1, LABELS_1), {}, 3 / 8, "error rate"),
    (C.check_loss_share, (EX_PROBS, EX_TARGETS), {}, 0.81, "rounded to 2 significant figures"),
    (C.check_weighted_cross_entropy, (LOGITS_W, TARGET_W, CLASS_W), {},
     -float((CLASS_W[TARGET_W] * -lb.log_softmax(LOGITS_W)[np.arange(4), TARGET_W]).sum()
            / CLASS_W[TARGET_W].sum()), "wrong sign"),
    (C.check_optimizer_steps, (1079, 128, 20), {}, 20 * round(1079 / 128), "round()"),
    (C.check_batch_size_for_spread, (SIGMA, 0.05), {}, round((SIGMA / 0.05) ** 2), "round() below one half"),
    (C.check_sum_learning_rate, (0.1, (64, 3)), {}, 0.00052, "rounded to 2 significant figures"),
    (C.check_sum_learning_rate, (0.1, (64, 3)), {}, 1 / 192, "the learning rate itself is missing"),
    (C.check_line_gradient_step, (X_4, Y_4), {"w": 0.5, "b": 0.0, "lr": 0.05},
     _line_step(0.5, 0.0, 1.0), "no learning rate"),
    (C.check_cross_entropy, (PROBS_1, LABEL_1), {},
     -np.sum(LABEL_1 * np.log(PROBS_1) + (1 - LABEL_1) * np.log(1 - PROBS_1)), "one against the rest"),
    (C.check_sigmoid_floor, (10,), {}, np.log(1 + 9 / np.e), "softmax output fed to cross_entropy"),
    (C.check_sigmoid_floor, (10,), {}, np.log(1 + 1 / np.e), "positive label's loss alone"),
    (C.check_label_smoothing, (Z_5, Y_5, 0.2), {}, _smoothed_over_the_others(Z_5, Y_5, 0.2),
     "C - 1 = 3 other classes"),
    (C.check_best_constants, ([1.0, 2.0, 3.0, 4.0, 1000.0],), {"earlier": [1.0, 2.0, 3.0, 4.0, 100.0]},
     [22.0, 3.0], "earlier sample's mean"),
    (C.check_best_constants, ([1.0, 2.0, 3.0, 4.0, 1000.0],), {}, [3.0, 202.0], "swapped"),
    (C.check_centred_lr_limit, ([0.0, 2.0, 4.0, 6.0],), {}, 0.4, "forgets the 2"),
    (C.check_centred_lr_limit, ([0.0, 2.0, 4.0, 6.0],), {}, 1.0, "flattest direction"),
    (C.check_parameter_count, ([4, 16, 16, 3],), {}, 278, "half as wide"),
    (C.check_mlp_output, (np.zeros(3), [np.array([[0.2, -0.4, 0.6], [-0.3, 0.8, 0.1], [0.5, 0.5, -0.5]]),
                                        np.array([[1.0, -1.0, 0.5], [0.3, 0.7, -0.2]])],
                          [np.array([0.0, 0.1, -0.1]), np.array([0.05, -0.05])]), {"activation": "tanh"},
     [0.05, -0.05], "output layer's bias alone"),
    (C.check_loss_of_probabilities, (), {}, 2, "minus the probabilities"),
    (C.check_loss_of_probabilities, (), {}, 4, "not one of the options"),
    (C.check_equal_logits_grad, (3, 1, 3), {}, [1 / 3, -2 / 3, 1 / 3], "SUM over the batch"),
    (C.check_pos_weight, (PHOTO_TAGS,), {},
     (len(PHOTO_TAGS) - PHOTO_TAGS.sum(axis=0)) // PHOTO_TAGS.sum(axis=0), "integer division"),
    (C.check_weight_decay_step, (EX_W, EX_G, 0.1, 0.01), {}, EX_W - 0.1 * (EX_G - 0.01 * EX_W), "wrong sign"),
    (C.check_jump_difference, (_stair, 0.3, (0.15, 0.25), 5), {}, (1 / 5 / 0.3, 1 / 5 / 0.5),
     "one jump for every step"),
    (C.check_jump_difference, (_stair, 0.0, (0.05, 0.15), 5), {}, (0.0, 3 / 5 / 0.3), "counts every jump"),
    (C.check_weight_scale, (LOGITS_W, TARGET_W, CLASS_W, 10), {}, (10, 10), "'mean' does not grow"),
    (C.check_sum_learning_rate, (0.1, (64,)), {"classes": 3}, 0.1 / 192, "divides by all 192 logits"),
    (C.check_gaussian_variance, (RESIDUALS_6,), {}, np.var(RESIDUALS_6), "np.var of the residuals"),
    (C.check_saved_weights_epoch, (14, 24, 100), {}, 14, "without clone() the saved dictionary"),
    (C.check_saved_weights_epoch, (14, 24, 100), {}, 100, "still stops after epoch 24"),
    (C.check_precision_recall, (ALWAYS_8, 8), {}, (1.0, 35 / 359), "swapped"),
    (C.check_ece, (ECE_PROBS, ECE_LABELS), {"n_bins": 1},
     lb.expected_calibration_error(ECE_PROBS, ECE_LABELS), "the ECE with 10 bins"),
]

def _decay_without_lr(weight, grad, lr, weight_decay):  # chapter 7's buggy sgd_step
    weight = weight * (1 - weight_decay)
    return weight - lr * grad


def _masked_mean_over_all(logits, target):  # chapter 6's buggy masked_cross_entropy
    keep = target != -100
    picked = np.where(keep, target, 0)
    losses = -lb.log_softmax(logits)[np.arange(len(target)), picked]
    return float(np.mean(losses * keep))


FUNCTIONS = [
    (C.check_masked_loss_function, _masked_mean_over_all, "divides by all 6 positions"),
    (C.check_weight_decay_function, _decay_without_lr, "decay without the learning rate"),
    (C.check_weight_decay_function, lambda w, g, lr, wd: w * (1 - lr * wd / 2) - lr * g, "weight_decay / 2"),
    (C.check_stable_cross_entropy, _naive, "overflows to inf"),
    (C.check_stable_cross_entropy, _shifted_then_log, "underflows to 0"),
    (C.check_stable_cross_entropy, lambda z, y: f"{_shifted_then_log(z, y):.5f}", "the text '0.41703'"),
    (C.check_mse_function, _flat_mse, "flattens or reshapes the inputs"),
    (C.check_mse_function, lambda p, t: float(np.mean((np.asarray(p) - np.asarray(t)) ** 2)),
     "should refuse them with ValueError"),  # ch3 ex-mse-5's buggy my_mse
    (C.check_mse_function, _typo_mse, "np.mean, not np.meen"),
    (C.check_mse_function, _named_but_vague_mse, "does not name both shapes"),
    (C.check_mse_function, lambda p, t: [_flat_mse(p, t)], "not a Python float"),
]


@pytest.mark.parametrize("check,args,kwargs,answer,says", MISTAKES,
                         ids=[f"{m[0].__name__}-{m[4][:20]}" for m in MISTAKES])
def test_a_typical_mistake_gets_its_named_diagnosis(check, args, kwargs, answer, says):
    said = said_not_yet(check, answer, *args, **kwargs)
    assert says in said, said
    assert "revisit" not in said  # a named mistake, not the ladder's generic hint


@pytest.mark.parametrize("check,fn,says", FUNCTIONS, ids=[f"{c.__name__}-{s[:20]}" for c, _, s in FUNCTIONS])
def test_a_typical_function_mistake_gets_its_named_diagnosis(check, fn, says):
    said = said_not_yet(check, fn)
    assert says in said, said
    assert "np.asarray first" not in said or "TypeError" in said


def test_no_mistake_reaches_the_right_number_by_a_coincidence_of_the_data():
    """Chapter 7's exercises 1 and 2 and chapter 5's exercise 4 have data where the wrong method
    gives another number (round for ceil; only the misclassified examples)."""
    assert 20 * round(1079 / 128) != 20 * -(-1079 // 128)
    assert round((SIGMA / 0.05) ** 2) != int(np.ceil((SIGMA / 0.05) ** 2))
    assert np.mean(np.round(LOGITS_1) == LABELS_1) != 1 - np.mean((LOGITS_1 > 0) == LABELS_1)
    # a first flip that is a correctly classified example: the misclassified-only shortcut misses it
    X = np.array([[1.0, 0.0], [3.0, 0.0]])
    y, w, b = np.array([0, 1]), np.array([-1.0, 0.0]), 0.5
    # the wrong example flips at 5/6, the right one at 0.5
    said = said_not_yet(C.check_smallest_nudge, 2.5 / 3, X, y, w, b, index=0)
    assert "first flip among the misclassified examples only" in said, said


@pytest.mark.parametrize("answer", [None, 0, 0.0, [0.0, 0.0], np.zeros(2), ...])
def test_a_placeholder_is_not_a_try(answer, language):
    for _ in range(3):
        said = said_not_yet(C.check_line_gradient_step, answer, X_4, Y_4, w=0.5, b=0.0, lr=0.05)
        assert ("Hint" not in said) and ("힌트" not in said), said
    said = said_not_yet(C.check_line_gradient_step, (9.0, 9.0), X_4, Y_4, w=0.5, b=0.0, lr=0.05)
    problem = C.check_line_gradient_step.problem(X_4, Y_4, w=0.5, b=0.0, lr=0.05)
    assert " ".join(problem.idea.split()) in said and problem.recipe not in said, said


def test_the_recipe_comes_after_the_second_wrong_answer(language):
    args = (X_4, Y_4)
    kwargs = {"w": 0.5, "b": 0.0, "lr": 0.05}
    problem = C.check_line_gradient_step.problem(*args, **kwargs)
    first = said_not_yet(C.check_line_gradient_step, (9.0, 9.0), *args, **kwargs)
    assert " ".join(problem.idea.split()) in first and " ".join(problem.recipe.split()) not in first
    second = said_not_yet(C.check_line_gradient_step, (8.0, 7.0), *args, **kwargs)
    assert " ".join(problem.recipe.split()) in second, second
    other = said_not_yet(C.check_rmse, 9.0, Y_PRED_2, Y_TRUE_2)  # another check has its own ladder
    assert " ".join(C.check_rmse.problem(Y_PRED_2, Y_TRUE_2).idea.split()) in other


def test_the_hard_exercise_gives_no_solution_to_a_placeholder(language):
    """ex-network-5: zeros and None give no hint; the first wrong try gives the idea only."""
    x5, y5 = np.array([2.0, -1.0]), np.array([1.0])
    ex = C.check_first_layer_grad.examples[0]
    args = (x5, y5, *ex.args[2:]) if len(ex.args) >= 4 else ex.args
    for answer in (None, np.zeros((3, 2)), 0):
        said = said_not_yet(C.check_first_layer_grad, answer, *args)
        assert "outer" not in said and "relu'" not in said, said
    said = said_not_yet(C.check_first_layer_grad, np.full((3, 2), 7.0), *args)
    assert "np.outer" not in said and "@" not in said, said


JUNK = ["0.5", "abc", {"a": 1}, [1, "x"], [[1.0], [2.0, 3.0]], object(), lambda: 1, np.nan, np.inf,
        (np.nan, 1.0), 1j, b"1", set(), (), [], True, -0.0]


@pytest.mark.parametrize("answer", JUNK, ids=range(len(JUNK)))
def test_junk_never_crashes_and_is_shown_as_it_is(answer, language):
    for check, args, kwargs, _answer, _says in MISTAKES:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            verdict = check(answer, *args, **kwargs)
        assert not verdict
        text = out.getvalue()
        assert "-0.0000" not in text and "Traceback" not in text
        assert re.match(r"(Not yet|아직 아닙니다): ", text), text


def test_korean_messages_read_as_korean():
    lb.set_language("ko")
    try:
        forget_tries()
        said = said_not_yet(C.check_rmse, 1.77, Y_PRED_2, Y_TRUE_2)
        assert said.startswith("아직 아닙니다: 답(1.77)은 RMSE을") or "유효숫자 3자리" in said, said
        said = said_not_yet(C.check_mse, None, [1.0], [0.0])
        assert said == "아직 아닙니다: None 자리에 답을 넣고 셀을 실행하세요.", said
        said = said_not_yet(C.check_line_gradient_step, _line_step(0.5, 0.0, 0.05, step_only=True), X_4, Y_4,
                     w=0.5, b=0.0, lr=0.05)
        assert "이동량" in said and "(을)" not in said, said
    finally:
        lb.set_language("en")


def test_a_function_check_has_the_same_ladder(language):
    def wrong(z, y):  # the log of the mean probability: no named mistake
        p = lb.softmax(z)
        return float(-np.log(p[np.arange(len(y)), y].mean()) + 0.25)

    check = C.check_stable_cross_entropy
    first, second = said_not_yet(check, wrong), said_not_yet(check, wrong)  # re-running the cell is a try
    english = lb.checks.get_language() == "en"
    idea = "row maximum, and where the log is taken" if english else "로그를 어디에서"
    recipe = "loss_i = lse(z_i) - z_i[y_i]"
    assert idea in first and recipe not in first, first
    assert recipe in second, second
