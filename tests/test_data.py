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
