"""Data for the chapters: seeded generators (pass an ``rng``) and real data that a package ships.

Nothing here downloads anything. The real data sets come with scikit-learn's installation.
"""

from __future__ import annotations

import numpy as np

from . import _params
from ._validation import as_float_array, check_finite, read_labels

__all__ = ["noisy_line", "blobs", "load_iris", "load_diabetes", "load_digits", "stratified_split",
           "minibatches"]


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
    func = "noisy_line"
    rng = _params.generator(rng, func)
    n = _params.integer(n, "n", func, low=1)
    slope, intercept, noise, outlier_shift = (
        _params.real(slope, "slope", func), _params.real(intercept, "intercept", func),
        _params.real(noise, "noise", func, low=0.0), _params.real(outlier_shift, "outlier_shift", func))
    outliers = _params.integer(outliers, "outliers", func, low=0, high=n)
    if not isinstance(x_range, (tuple, list)) or len(x_range) != 2:
        raise TypeError(f"{func}: x_range must be a pair (low, high), got {x_range!r}.")
    low, high = (_params.real(v, "x_range", func) for v in x_range)
    if not low < high:
        raise ValueError(f"{func}: x_range must be (low, high) with low < high, got {x_range!r}.")
    x = np.sort(rng.uniform(low, high, size=n))
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
    func = "blobs"
    rng = _params.generator(rng, func)
    n_per_class = _params.integer(n_per_class, "n_per_class", func, low=1)
    spread = _params.real(spread, "spread", func, low=0.0)
    centers = as_float_array(centers, "centers", func).astype(np.float64, copy=False)
    if centers.ndim != 2 or centers.shape[1] != 2:
        raise ValueError(f"{func}: centers must have shape (C, 2), got {centers.shape}.")
    check_finite(centers, "centers", func)
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


def _shipped_file(name, func):
    """The path of a data file scikit-learn ships, found without importing scikit-learn.

    Importing ``sklearn.datasets`` costs about a second of CPU (it pulls in scipy); the iris and
    digits files are plain CSV that numpy reads directly, to the same float64 values.
    """
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{func} needs scikit-learn, which ships the data: pip install scikit-learn")
    return Path(spec.submodule_search_locations[0]) / "datasets" / "data" / name


def load_iris():
    """Fisher's iris flowers (shipped with scikit-learn): 150 flowers, 4 measurements, 3 species.

    Returns
    -------
    X : numpy.ndarray of shape (150, 4), float64
    y : numpy.ndarray of shape (150,), int64, species 0, 1, 2
    feature_names, target_names : list of str
    """
    path = _shipped_file("iris.csv", "load_iris")
    with path.open(encoding="utf-8") as f:
        target_names = f.readline().strip().split(",")[2:]  # "150,4,setosa,versicolor,virginica"
    table = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
    feature_names = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]
    return table[:, :4].copy(), table[:, 4].astype(np.int64), feature_names, target_names


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


def load_digits():
    """The 8x8 handwritten digits (shipped with scikit-learn): 1,797 images of the digits 0 to 9.

    Each image is 8 by 8 pixels of ink intensity 0 (blank) to 16 (full), flattened row by row
    into 64 features. Divide by 16 to get values in [0, 1]; ``X.reshape(-1, 8, 8)`` gives the
    images back.

    Returns
    -------
    X : numpy.ndarray of shape (1797, 64), float64, values 0 to 16
    y : numpy.ndarray of shape (1797,), int64, the digit 0 to 9

    Examples
    --------
    >>> X, y = load_digits()
    >>> X.shape, y.shape, float(X.max()), np.bincount(y).tolist()[:3]
    ((1797, 64), (1797,), 16.0, [178, 182, 177])
    """
    table = np.loadtxt(_shipped_file("digits.csv.gz", "load_digits"), delimiter=",", dtype=np.float64)
    return table[:, :64].copy(), table[:, 64].astype(np.int64)


def _check_labels(y, func):
    """``y`` as a 1-D int64 array of non-negative class labels, or a clear error."""
    arr = read_labels(y, "y", func)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{func}: y must be a non-empty 1-D array of labels, got shape {arr.shape}.")
    if arr.min() < 0:
        raise ValueError(f"{func}: y contains the negative label {int(arr.min())}; labels are 0, 1, 2, ...")
    return arr.astype(np.int64, copy=False)


def stratified_split(y, *, val_size=0.2, test_size=0.2, rng):
    """Split example indices into training, validation and test sets, class by class.

    Stratified: each class is shuffled with ``rng`` and contributes
    ``round(val_size * n_c)`` examples to the validation set and ``round(test_size * n_c)`` to
    the test set (``n_c`` is the number of examples of that class); the rest go to training.
    So every set has (up to rounding) the class proportions of ``y``, and the same ``rng`` seed
    gives the same split.

    Parameters
    ----------
    y : array-like of int, shape (N,)
        Class labels 0, 1, 2, ...
    val_size, test_size : float
        Fractions of each class for the validation and test sets, each in (0, 1), summing to
        less than 1.
    rng : numpy.random.Generator
        The only source of randomness, e.g. ``np.random.default_rng(0)``.

    Returns
    -------
    train, val, test : numpy.ndarray of int64
        Indices into ``y`` (and into the rows of ``X``), each sorted in increasing order; together
        they hold every index exactly once. Use ``X[train]``, ``y[train]``.

    Examples
    --------
    >>> y = np.array([0] * 10 + [1] * 5)
    >>> train, val, test = stratified_split(y, val_size=0.2, test_size=0.2,
    ...                                     rng=np.random.default_rng(0))
    >>> len(train), len(val), len(test), np.bincount(y[test]).tolist()
    (9, 3, 3, [2, 1])
    """
    func = "stratified_split"
    rng = _params.generator(rng, func)
    labels = _check_labels(y, func)
    val_size = _params.real(val_size, "val_size", func, low=0.0, high=1.0, open_low=True, open_high=True)
    test_size = _params.real(test_size, "test_size", func, low=0.0, high=1.0, open_low=True,
                             open_high=True)
    if val_size + test_size >= 1.0:
        raise ValueError(
            f"{func}: val_size + test_size = {val_size + test_size:.6g} leaves nothing for "
            "training; make their sum less than 1 (e.g. 0.2 and 0.2)."
        )
    parts = ([], [], [])
    for c in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == c))
        n_test = int(round(test_size * idx.size))
        n_val = int(round(val_size * idx.size))
        parts[2].append(idx[:n_test])
        parts[1].append(idx[n_test:n_test + n_val])
        parts[0].append(idx[n_test + n_val:])
    return tuple(np.sort(np.concatenate(p)).astype(np.int64) for p in parts)


def minibatches(n, *, batch_size, shuffle=True, drop_last=False, rng=None):
    """Yield the indices of one epoch's mini-batches, like a PyTorch ``DataLoader``'s sampler.

    An epoch visits every one of the ``n`` examples once. With ``shuffle=True`` the order is a
    fresh permutation drawn from ``rng`` at every call (so call it once per epoch); with
    ``shuffle=False`` it is 0, 1, ..., n - 1. Consecutive runs of ``batch_size`` indices form the
    batches; the last one is smaller when ``batch_size`` does not divide ``n``, unless
    ``drop_last=True`` leaves it out.

    Parameters
    ----------
    n : int
        Number of examples.
    batch_size : int
        Examples per batch, at least 1.
    shuffle : bool
        Draw a new random order (needs ``rng``) or keep the data's order.
    drop_last : bool
        Leave out a last, incomplete batch.
    rng : numpy.random.Generator, optional
        Required when ``shuffle=True``.

    Yields
    ------
    numpy.ndarray of int64
        The indices of one batch: use ``X[idx]``, ``y[idx]``.

    Examples
    --------
    >>> [b.tolist() for b in minibatches(5, batch_size=2, shuffle=False)]
    [[0, 1], [2, 3], [4]]
    >>> [b.tolist() for b in minibatches(5, batch_size=2, shuffle=False, drop_last=True)]
    [[0, 1], [2, 3]]
    >>> np.sort(np.concatenate(list(minibatches(5, batch_size=2, rng=np.random.default_rng(0))))).tolist()
    [0, 1, 2, 3, 4]
    """
    func = "minibatches"
    n = _params.integer(n, "n", func, low=1)
    batch_size = _params.integer(batch_size, "batch_size", func, low=1)
    shuffle = _params.flag(shuffle, "shuffle", func)
    drop_last = _params.flag(drop_last, "drop_last", func)
    if shuffle:
        if rng is None:
            raise TypeError(
                f"{func}: shuffle=True needs a generator: pass rng=np.random.default_rng(seed), "
                "or shuffle=False to keep the data's order."
            )
        rng = _params.generator(rng, func)
        order = rng.permutation(int(n)).astype(np.int64)
    else:
        order = np.arange(int(n), dtype=np.int64)
    stop = (n // batch_size) * batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        yield order[start:start + batch_size]
