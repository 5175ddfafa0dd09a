"""Data generators are deterministic for a given seed and shaped as documented."""

import numpy as np
import pytest

import lossbook as lb


def test_noisy_line_shapes_and_determinism():
    x, y = lb.data.noisy_line(50, rng=np.random.default_rng(0))
    assert x.shape == y.shape == (50,)
    assert x.dtype == y.dtype == np.float64
    assert np.all((x >= 0.0) & (x <= 10.0))
    x2, y2 = lb.data.noisy_line(50, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    x3, _ = lb.data.noisy_line(50, rng=np.random.default_rng(1))
    assert not np.array_equal(x, x3)


def test_noisy_line_without_noise_is_the_line():
    x, y = lb.data.noisy_line(30, slope=-0.5, intercept=3.0, noise=0.0, x_range=(-2.0, 4.0),
                              rng=np.random.default_rng(2))
    assert np.all((x >= -2.0) & (x <= 4.0))
    np.testing.assert_allclose(y, -0.5 * x + 3.0, rtol=1e-14, atol=1e-14)


def test_noisy_line_noise_level():
    x, y = lb.data.noisy_line(4000, noise=2.0, rng=np.random.default_rng(3))
    residual = y - (2.0 * x + 1.0)
    assert abs(residual.mean()) < 0.2
    assert residual.std() == pytest.approx(2.0, rel=0.1)


def test_noisy_line_outliers():
    x, y = lb.data.noisy_line(40, noise=0.0, outliers=3, outlier_shift=15.0,
                              rng=np.random.default_rng(4))
    off = np.abs(y - (2.0 * x + 1.0))
    moved = off > 1e-9
    assert moved.sum() == 3
    np.testing.assert_allclose(off[moved], 15.0, rtol=1e-12)


def test_blobs_shapes_and_determinism():
    centers = [(0.0, 0.0), (4.0, 4.0), (-4.0, 4.0)]
    X, y = lb.data.blobs(100, centers=centers, spread=0.5, rng=np.random.default_rng(0))
    assert X.shape == (300, 2) and X.dtype == np.float64
    assert y.shape == (300,) and y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y), [100, 100, 100])
    for k, center in enumerate(centers):
        np.testing.assert_allclose(X[y == k].mean(axis=0), center, atol=0.2)
        assert X[y == k].std(axis=0) == pytest.approx([0.5, 0.5], rel=0.25)
    X2, y2 = lb.data.blobs(100, centers=centers, spread=0.5, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)


def test_generators_do_not_touch_global_random_state():
    # the legacy global generator is exactly what lossbook must leave alone
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    lb.data.noisy_line(10, rng=np.random.default_rng(0))
    lb.data.blobs(5, centers=[(0, 0), (1, 1)], rng=np.random.default_rng(0))
    np.testing.assert_array_equal(np.random.get_state()[1], before)  # noqa: NPY002


def test_load_iris():
    from sklearn.datasets import load_iris

    X, y, feature_names, target_names = lb.data.load_iris()
    assert X.shape == (150, 4) and X.dtype == np.float64
    assert y.shape == (150,) and y.dtype == np.int64
    assert len(feature_names) == 4 and len(target_names) == 3
    ref = load_iris()
    np.testing.assert_array_equal(X, ref.data)
    np.testing.assert_array_equal(y, ref.target)
    assert list(target_names) == list(ref.target_names)


def test_load_diabetes():
    from sklearn.datasets import load_diabetes

    X, y, feature_names = lb.data.load_diabetes()
    assert X.shape == (442, 10) and X.dtype == np.float64
    assert y.shape == (442,)
    assert len(feature_names) == 10
    ref = load_diabetes()
    np.testing.assert_array_equal(X, ref.data)
    np.testing.assert_array_equal(y, ref.target)


def test_load_digits_is_sklearns_data():
    from sklearn.datasets import load_digits

    X, y = lb.data.load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    ref = load_digits()
    np.testing.assert_array_equal(X, ref.data)
    np.testing.assert_array_equal(y, ref.target)
    np.testing.assert_array_equal(X.reshape(-1, 8, 8), ref.images)
    assert X.min() == 0.0 and X.max() == 16.0


def _digits_labels():
    return lb.data.load_digits()[1]


def test_stratified_split_partitions_every_index_once():
    y = _digits_labels()
    train, val, test = lb.data.stratified_split(y, val_size=0.2, test_size=0.2,
                                                rng=np.random.default_rng(0))
    everything = np.concatenate([train, val, test])
    np.testing.assert_array_equal(np.sort(everything), np.arange(y.size))
    for part in (train, val, test):
        assert part.dtype == np.int64
        np.testing.assert_array_equal(part, np.sort(part))
    assert abs(len(val) - 0.2 * y.size) <= 10 and abs(len(test) - 0.2 * y.size) <= 10


def test_stratified_split_matches_sklearn_class_counts():
    from sklearn.model_selection import train_test_split

    y = _digits_labels()
    train, val, test = lb.data.stratified_split(y, val_size=0.15, test_size=0.25,
                                                rng=np.random.default_rng(3))
    idx = np.arange(y.size)
    rest, ref_test = train_test_split(idx, test_size=0.25, stratify=y, random_state=0)
    # per class, our counts and scikit-learn's stratified counts differ only by rounding
    np.testing.assert_allclose(np.bincount(y[test], minlength=10),
                               np.bincount(y[ref_test], minlength=10), atol=1)
    np.testing.assert_allclose(np.bincount(y[val], minlength=10),
                               np.round(0.15 * np.bincount(y)), atol=0)
    np.testing.assert_array_equal(np.bincount(y[train]) + np.bincount(y[val])
                                  + np.bincount(y[test]), np.bincount(y))
    assert len(rest) + len(ref_test) == y.size


def test_stratified_split_is_seeded():
    y = _digits_labels()
    a = lb.data.stratified_split(y, rng=np.random.default_rng(7))
    b = lb.data.stratified_split(y, rng=np.random.default_rng(7))
    c = lb.data.stratified_split(y, rng=np.random.default_rng(8))
    for p, q in zip(a, b, strict=True):
        np.testing.assert_array_equal(p, q)
    assert not np.array_equal(a[2], c[2])


@pytest.mark.parametrize(
    ("y", "kwargs", "error", "match"),
    [
        ([0.0, 1.0], {}, TypeError, "(?s)y holds float64.*astype"),
        ([[0, 1]], {}, ValueError, r"1-D.*\(1, 2\)"),
        ([-1, 0], {}, ValueError, "negative label -1"),
        ([0, 1], {"val_size": 0.0}, ValueError, r"val_size must be a finite number in \(0, 1\), got 0.0"),
        ([0, 1], {"test_size": 1.5}, ValueError, "test_size.*1.5"),
        ([0, 1], {"val_size": 0.5, "test_size": 0.5}, ValueError, "nothing for training"),
        ([0, 1], {"val_size": "0.2"}, TypeError, "val_size must be a real number"),
        ([0, 1], {"rng": 0}, TypeError, "default_rng"),
    ],
)
def test_stratified_split_refuses_bad_input(y, kwargs, error, match):
    kwargs = {"rng": np.random.default_rng(0), **kwargs}
    with pytest.raises(error, match=match):
        lb.data.stratified_split(y, **kwargs)


def test_minibatches_unshuffled_match_sklearn_gen_batches():
    from sklearn.utils import gen_batches

    for n, b in ((10, 3), (12, 4), (5, 8), (1, 1)):
        ours = [idx.tolist() for idx in lb.data.minibatches(n, batch_size=b, shuffle=False)]
        ref = [list(range(n))[s] for s in gen_batches(n, b)]
        assert ours == ref


def test_minibatches_match_torch_batch_sampler_sizes():
    from torch.utils.data import BatchSampler, SequentialSampler

    for drop_last in (False, True):
        ours = [idx.tolist() for idx in lb.data.minibatches(
            23, batch_size=5, shuffle=False, drop_last=drop_last)]
        ref = list(BatchSampler(SequentialSampler(range(23)), batch_size=5, drop_last=drop_last))
        assert ours == ref


def test_minibatches_shuffled_cover_each_index_once_and_use_rng():
    batches = list(lb.data.minibatches(103, batch_size=10, rng=np.random.default_rng(0)))
    assert [len(b) for b in batches] == [10] * 10 + [3]
    flat = np.concatenate(batches)
    np.testing.assert_array_equal(np.sort(flat), np.arange(103))
    assert not np.array_equal(flat, np.arange(103))
    np.testing.assert_array_equal(flat, np.random.default_rng(0).permutation(103))
    dropped = list(lb.data.minibatches(103, batch_size=10, drop_last=True,
                                       rng=np.random.default_rng(0)))
    assert [len(b) for b in dropped] == [10] * 10
    # each call is a new epoch: a new order from the same generator
    rng = np.random.default_rng(1)
    first = np.concatenate(list(lb.data.minibatches(20, batch_size=4, rng=rng)))
    second = np.concatenate(list(lb.data.minibatches(20, batch_size=4, rng=rng)))
    assert not np.array_equal(first, second)


@pytest.mark.parametrize(
    ("n", "kwargs", "error", "match"),
    [
        (10, {"batch_size": 0, "shuffle": False}, ValueError, "batch_size must be at least 1"),
        (10, {"batch_size": 2.5, "shuffle": False}, TypeError, "batch_size must be an int"),
        (0, {"batch_size": 2, "shuffle": False}, ValueError, "n must be at least 1"),
        (10, {"batch_size": 2}, TypeError, "(?s)shuffle=True needs.*default_rng"),
        (10, {"batch_size": 2, "rng": 3}, TypeError, "rng must be a numpy Generator"),
    ],
)
def test_minibatches_refuse_bad_input(n, kwargs, error, match):
    with pytest.raises(error, match=match):
        next(lb.data.minibatches(n, **kwargs))
