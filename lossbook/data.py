"""Data for the chapters: seeded generators (pass an ``rng``) and real data that a package ships.

Nothing here downloads anything. The real data sets come with scikit-learn's installation.
"""

from __future__ import annotations

import numpy as np

__all__ = ["noisy_line", "blobs", "load_iris", "load_diabetes"]


def _check_rng(rng, func):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{func}: rng must be a numpy Generator, e.g. rng=np.random.default_rng(0), "
            f"got {type(rng).__name__}."
        )


def noisy_line(n, *, slope=2.0, intercept=1.0, noise=1.0, x_range=(0.0, 10.0), outliers=0,
               outlier_shift=15.0, rng):
    """Points around the line y = slope * x + intercept with Gaussian noise.

    Parameters
    ----------
    n : int
        Number of points.
    slope, intercept : float
        The true line.
    noise : float
        Standard deviation of the Gaussian noise added to y.
    x_range : (float, float)
        x is drawn uniformly from this interval, then sorted.
    outliers : int
        How many of the points (chosen at random) get ``outlier_shift`` added to y.
    rng : numpy.random.Generator

    Returns
    -------
    x, y : numpy.ndarray of shape (n,), float64

    Examples
    --------
    >>> x, y = noisy_line(5, rng=np.random.default_rng(0))
    >>> x.shape, y.dtype
    ((5,), dtype('float64'))
    """
    _check_rng(rng, "noisy_line")
    if not 0 <= outliers <= n:
        raise ValueError(f"noisy_line: outliers must be between 0 and n={n}, got {outliers}.")
    x = np.sort(rng.uniform(*x_range, size=n))
    y = slope * x + intercept + rng.normal(0.0, noise, size=n)
    if outliers:
        idx = rng.choice(n, size=outliers, replace=False)
        y[idx] += outlier_shift
    return x, y


def blobs(n_per_class, *, centers, spread=1.0, rng):
    """Gaussian clouds of 2-D points, one per centre, labelled 0, 1, 2, ...

    Parameters
    ----------
    n_per_class : int
    centers : array-like of shape (C, 2)
    spread : float
        Standard deviation of each cloud.
    rng : numpy.random.Generator

    Returns
    -------
    X : numpy.ndarray of shape (C * n_per_class, 2), float64
    y : numpy.ndarray of shape (C * n_per_class,), int64

    Examples
    --------
    >>> X, y = blobs(3, centers=[[0, 0], [5, 5]], rng=np.random.default_rng(0))
    >>> X.shape, y.tolist()
    ((6, 2), [0, 0, 0, 1, 1, 1])
    """
    _check_rng(rng, "blobs")
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2 or centers.shape[1] != 2:
        raise ValueError(f"blobs: centers must have shape (C, 2), got {centers.shape}.")
    X = np.concatenate([c + spread * rng.normal(size=(n_per_class, 2)) for c in centers])
    y = np.repeat(np.arange(len(centers), dtype=np.int64), n_per_class)
    return X, y


def _sklearn_datasets(func):
    try:
        from sklearn import datasets
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            f"{func} needs scikit-learn, which ships the data: pip install scikit-learn"
        ) from None
    return datasets


def load_iris():
    """Fisher's iris flowers (shipped with scikit-learn): 150 flowers, 4 measurements, 3 species.

    Returns
    -------
    X : numpy.ndarray of shape (150, 4), float64
    y : numpy.ndarray of shape (150,), int64, species 0, 1, 2
    feature_names, target_names : list of str
    """
    bunch = _sklearn_datasets("load_iris").load_iris()
    return (bunch.data.astype(np.float64), bunch.target.astype(np.int64),
            list(bunch.feature_names), list(bunch.target_names))


def load_diabetes():
    """The diabetes regression data (shipped with scikit-learn): 442 patients, 10 features.

    The features come standardised by scikit-learn; ``y`` is a disease-progression score.

    Returns
    -------
    X : numpy.ndarray of shape (442, 10), float64
    y : numpy.ndarray of shape (442,), float64
    feature_names : list of str
    """
    bunch = _sklearn_datasets("load_diabetes").load_diabetes()
    return bunch.data.astype(np.float64), bunch.target.astype(np.float64), list(bunch.feature_names)
