"""Plotting helpers. Nothing changes matplotlib's settings until you call ``use_book_style()``.

Figure helpers take ``ax=None`` (a new figure when omitted) and return the axes they drew on.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from . import _params
from ._i18n import _
from ._validation import as_float_array, check_finite, read_labels
from .metrics import CalibrationBins

__all__ = ["use_book_style", "BOOK_COLORS", "KOREAN_FONT", "draw_network",
           "draw_digits", "draw_curves", "draw_confusion_matrix", "draw_reliability_diagram"]

#: A colour-blind-safe cycle (Okabe and Ito) that reads on white.
BOOK_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

#: Hangul in figures is set in NanumGothic (Naver, SIL Open Font License 1.1), as shipped by the
#: PyPI package ``koreanize-matplotlib`` (pinned in requirements.txt and binder/requirements.txt;
#: the notebooks' Colab cell installs it). lossbook only reads its font files, because importing
#: that package changes matplotlib's settings (and fails on Python 3.12+, which has no distutils).
KOREAN_FONT = "NanumGothic"
_KOREAN_FONT_PACKAGE = "koreanize_matplotlib"
_KOREAN_FONT_FILES = ("NanumGothic.ttf", "NanumGothicBold.ttf")


def _korean_font_files() -> list[Path]:
    """The Korean font files installed with ``koreanize-matplotlib``; empty when it is missing."""
    spec = importlib.util.find_spec(_KOREAN_FONT_PACKAGE)  # locates the package, does not run it
    folders = [Path(f) / "fonts" for f in (spec.submodule_search_locations or [])] if spec else []
    return [folder / name for folder in folders for name in _KOREAN_FONT_FILES
            if (folder / name).is_file()]


def _register_korean_font() -> bool:
    """Make the Korean font known to matplotlib (once); False when it is not installed."""
    import dataclasses

    from matplotlib import font_manager

    files = _korean_font_files()
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for path in files:
        if str(path) not in known:
            font_manager.fontManager.addfont(str(path))
    # matplotlib reads NanumGothicBold as weight 600; as 700 ("bold") it is found for bold text,
    # instead of a "findfont: Failed to find font weight bold" message on every bold label.
    font_manager.fontManager.ttflist = [
        dataclasses.replace(e, weight=700) if e.fname.endswith("NanumGothicBold.ttf") else e
        for e in font_manager.fontManager.ttflist]
    font_manager.fontManager._findfont_cached.cache_clear()
    return bool(files)


def use_book_style():
    """Set the book's figure style: white faces (readable on light and dark pages), sizes, colours.

    Call it once in a notebook's set-up cell. Text is set in matplotlib's sans-serif (DejaVu
    Sans); a character it lacks, such as Hangul, falls back to :data:`KOREAN_FONT` when
    ``koreanize-matplotlib`` is installed. English text is drawn exactly as without it.
    """
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    family = ["sans-serif", KOREAN_FONT] if _register_korean_font() else ["sans-serif"]
    mpl.rcParams.update({
        "font.family": family,
        "figure.figsize": (6.0, 3.6),
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "figure.facecolor": "white",
        "axes.facecolor": "white",
        "savefig.facecolor": "white",
        "axes.edgecolor": "#333333",
        "axes.labelcolor": "#222222",
        "xtick.color": "#222222",
        "ytick.color": "#222222",
        "text.color": "#222222",
        "axes.grid": True,
        "grid.color": "#dddddd",
        "grid.linewidth": 0.8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": mpl.cycler(color=BOOK_COLORS),
        "font.size": 11,
        "legend.frameon": False,
        "lines.linewidth": 2.0,
        "image.cmap": "viridis",
        "svg.hashsalt": "lossbook",
        "figure.constrained_layout.use": True,
    })
    plt.close("all")


def _sequence(value, name, func, length=None):
    """A sequence (list, tuple, range, array; not text) as a list (of ``length`` entries when given)."""
    if (not isinstance(value, (Sequence, np.ndarray)) or isinstance(value, (str, bytes))
            or getattr(value, "ndim", 1) == 0):
        raise TypeError(f"{func}: {name} must be a list, got {type(value).__name__}.")
    value = list(value)
    if length is not None and len(value) != length:
        raise ValueError(f"{func}: {name} needs {length} entries, got {len(value)}.")
    return value


def _text(value, name, func, *, optional=False):
    if (value is None and optional) or isinstance(value, str):
        return value
    raise TypeError(f"{func}: {name} must be text (a str), got {type(value).__name__}.")


def _new_ax(ax, figsize):
    if ax is None:
        import matplotlib.pyplot as plt  # on first use: `import lossbook` stays free of pyplot

        _, ax = plt.subplots(figsize=figsize)
    return ax


def draw_network(layer_sizes, *, ax=None, weight_labels=None, bias_labels=None, show_bias=True,
                 node_labels=None, layer_names=None, fmt="{:g}"):
    """Draw a fully connected network: neurons as circles, weights as lines, biases as "1" nodes.

    Parameters
    ----------
    layer_sizes : sequence of int
        Neurons per layer, input layer first, e.g. ``[2, 3, 1]``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.
    weight_labels : sequence of array-like, optional
        One per connection between layers: shape (out_features, in_features), like the
        ``weight`` of ``Dense`` or ``torch.nn.Linear``. Entry ``[j, i]`` labels the line from
        neuron ``i`` to neuron ``j`` of the next layer. Numbers are formatted with ``fmt``;
        strings (mathtext such as ``"$w_{11}$"``) are drawn as given.
    bias_labels : sequence of array-like, optional
        One per connection between layers, shape (out_features,): labels the line from the bias
        node to each neuron of the next layer.
    show_bias : bool
        Draw a bias node ("1") above every layer but the last, with dashed lines to the next layer.
    node_labels : sequence of sequence of str, optional
        Text inside the neurons, one list per layer (e.g. ``[["$x_1$", "$x_2$"], ...]``).
    layer_names : sequence of str, optional
        Text under each layer; by default "input layer", "hidden layer" (numbered when there are
        several) and "output layer". Pass ``[]`` to draw none.
    fmt : str
        Format for numeric labels.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = draw_network([2, 3, 1], weight_labels=[[[1, 2], [3, 4], [5, 6]], [[7, 8, 9]]])
    >>> len(ax.texts) > 9
    True
    """
    func = "draw_network"
    sizes = [_params.integer(n, "layer_sizes", func, low=1)
             for n in _sequence(layer_sizes, "layer_sizes", func)]
    if len(sizes) < 2:
        raise ValueError(f"{func}: layer_sizes={sizes!r} needs at least two positive sizes.")
    show_bias = _params.flag(show_bias, "show_bias", func)
    fmt = _text(fmt, "fmt", func)
    n_links = len(sizes) - 1
    for name, labels, inner in (("weight_labels", weight_labels, True),
                                ("bias_labels", bias_labels, False)):
        if labels is None:
            continue
        for k, lab in enumerate(_sequence(labels, name, func, n_links)):
            want = (sizes[k + 1], sizes[k]) if inner else (sizes[k + 1],)
            try:
                got = np.shape(np.asarray(lab, dtype=object))
            except ValueError:  # ragged
                got = "ragged"
            if got != want:
                raise ValueError(f"{func}: {name}[{k}] has shape {got}; layers of "
                                 f"{sizes[k]} and {sizes[k + 1]} neurons need shape {want}.")
    if node_labels is not None:
        node_labels = [None if names is None else _sequence(names, f"node_labels[{k}]", func, n)
                       for k, (names, n) in enumerate(zip(_sequence(node_labels, "node_labels", func,
                                                                    len(sizes)), sizes, strict=True))]
    if layer_names is None:
        hidden = [_("hidden layer")] if len(sizes) == 3 else [
            _("hidden layer {0}").format(k) for k in range(1, len(sizes) - 1)]
        layer_names = [_("input layer"), *hidden, _("output layer")]
    layer_names = [_text(n, "layer_names", func)
                   for n in _sequence(layer_names, "layer_names", func, len(sizes))]
    from matplotlib.patches import Circle, FancyBboxPatch

    ax = _new_ax(ax, (2.4 * len(sizes) + 1.0, 1.0 + 0.9 * max(sizes)))

    dx, radius = 3.0, 0.26
    top = (max(sizes) - 1) / 2
    pos = [[(k * dx, (n - 1) / 2 - j) for j in range(n)] for k, n in enumerate(sizes)]
    bias_pos = [(k * dx, top + 1.0) for k in range(n_links)]
    fills = ["#dcebf7", "#fde4cf", "#d8f0e4"]
    edges = [BOOK_COLORS[0], BOOK_COLORS[1], BOOK_COLORS[2]]

    def label(value):
        # a typographic minus, so "-1" cannot be read as a line running into "1"
        return value if isinstance(value, str) else fmt.format(value).replace("-", "\u2212")

    def link(p, q, value, t, color, **kw):
        ax.plot([p[0], q[0]], [p[1], q[1]], zorder=1, color=color, **kw)
        if value is not None:
            x, y = p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])
            ax.text(x, y, label(value), ha="center", va="center", fontsize=9, zorder=4,
                    color=color,
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none"})

    for k in range(n_links):
        w = None if weight_labels is None else np.asarray(weight_labels[k], dtype=object)
        for j, q in enumerate(pos[k + 1]):
            for i, p in enumerate(pos[k]):
                # labels sit nearer the target, staggered by source so they do not overlap
                t = 0.68 if i % 2 == 0 else 0.3
                link(p, q, None if w is None else w[j, i], t, color="#555555", lw=1.1)
        if show_bias:
            b = None if bias_labels is None else np.asarray(bias_labels[k], dtype=object)
            for j, q in enumerate(pos[k + 1]):
                link(bias_pos[k], q, None if b is None else b[j], 0.8, color="#7a7a7a",
                     lw=1.0, ls="--")
            ax.add_patch(FancyBboxPatch((bias_pos[k][0] - 0.2, bias_pos[k][1] - 0.2), 0.4, 0.4,
                                        boxstyle="round,pad=0.02", fc="#eeeeee", ec="#666666",
                                        lw=1.2, zorder=2))
            ax.text(*bias_pos[k], "1", ha="center", va="center", fontsize=10, zorder=3)
    for k, layer in enumerate(pos):
        style = 0 if k == 0 else (2 if k == len(sizes) - 1 else 1)
        for j, (x, y) in enumerate(layer):
            ax.add_patch(Circle((x, y), radius, fc=fills[style], ec=edges[style], lw=1.6,
                                zorder=2))
            if node_labels is not None and node_labels[k] is not None:
                ax.text(x, y, node_labels[k][j], ha="center", va="center", fontsize=10, zorder=3)
        if k < len(layer_names):
            ax.text(layer[0][0], -top - 0.55, layer_names[k], ha="center", va="top", fontsize=10)
    ax.set_xlim(-0.6, (len(sizes) - 1) * dx + 0.6)
    ax.set_ylim(-top - 1.0, top + (1.45 if show_bias else 0.6))
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def draw_digits(images, labels=None, *, ncols=10, ax=None):
    """Draw small grey-scale images in a grid, dark ink on white, with an optional label above each.

    Parameters
    ----------
    images : array-like of shape (n, side, side) or (n, side * side)
        Pixel intensities (any range; 0 is blank paper). Flattened rows such as those of
        ``lossbook.data.load_digits`` are reshaped to squares.
    labels : sequence, optional
        One label per image, written above it.
    ncols : int
        Images per row.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = draw_digits(np.zeros((12, 64)), labels=range(12), ncols=6)
    >>> ax.images[0].get_array().shape, len(ax.texts)
    ((24, 53), 12)
    """
    func = "draw_digits"
    imgs = as_float_array(images, "images", func).astype(np.float64, copy=False)
    check_finite(imgs, "images", func)
    if imgs.ndim == 2:
        side = int(round(np.sqrt(imgs.shape[1])))
        if side * side != imgs.shape[1]:
            raise ValueError(f"draw_digits: rows of {imgs.shape[1]} pixels are not square images; "
                             "pass images of shape (n, side, side).")
        imgs = imgs.reshape(-1, side, side)
    if imgs.ndim != 3 or imgs.shape[0] == 0 or imgs.shape[1] != imgs.shape[2]:
        raise ValueError(f"draw_digits: images must have shape (n, side, side) or (n, side * side) "
                         f"with n >= 1, got {np.shape(images)}.")
    n, side = imgs.shape[0], imgs.shape[1]
    if labels is not None:
        labels = _sequence(labels, "labels", func)
        if len(labels) != n:
            raise ValueError(f"{func}: {n} images but {len(labels)} labels; give one per image.")
    ncols = min(_params.integer(ncols, "ncols", func, low=1), n)
    nrows = -(-n // ncols)
    step = side + 1                                    # one blank pixel between images
    top = max(3, side // 2) if labels is not None else 1   # room above each image for its label
    rstep = side + top
    sheet = np.zeros((nrows * rstep, ncols * step - 1))
    for k, img in enumerate(imgs):
        r, c = divmod(k, ncols)
        sheet[r * rstep + top:(r + 1) * rstep, c * step:c * step + side] = img
    ax = _new_ax(ax, (0.62 * ncols + 0.3, 0.62 * nrows * rstep / side + 0.1))
    ax.imshow(sheet, cmap="gray_r", vmin=0.0, vmax=max(float(imgs.max()), 1e-12),
              interpolation="nearest")
    if labels is not None:
        for k, lab in enumerate(labels):
            r, c = divmod(k, ncols)
            ax.text(c * step + (side - 1) / 2, r * rstep + top - 0.8, str(lab), ha="center",
                    va="bottom", fontsize=9, color=BOOK_COLORS[0])
    ax.set_xlim(-0.5, ncols * step - 1.5)
    ax.set_ylim(nrows * rstep - 0.5, -0.5)
    ax.axis("off")
    return ax


def draw_curves(curves, *, ylabel, ax=None, start=1, mark=None, mark_label=None):
    """Draw one quantity per epoch for several data sets, e.g. training and validation loss.

    Parameters
    ----------
    curves : mapping of str to sequence of float
        Label to values, one value per epoch, e.g. ``{"training": [...], "validation": [...]}``.
        Drawn in the book's colours, in the mapping's order.
    ylabel : str
        What the values are ("loss", "accuracy").
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.
    start : int
        The epoch number of the first value (0 when the first value is before any training).
    mark : int, optional
        An epoch to mark with a dotted vertical line (e.g. the epoch early stopping keeps).
    mark_label : str, optional
        Legend text for the mark.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = draw_curves({"training": [1.0, 0.5, 0.3], "validation": [1.1, 0.7, 0.8]},
    ...                  ylabel="loss", mark=2)
    >>> len(ax.lines), ax.get_xlabel()
    (3, 'epoch')
    """
    func = "draw_curves"
    if not isinstance(curves, dict):
        raise TypeError(f"{func}: curves must be a dict of name -> values, e.g. "
                        f"{{'training': losses}}, got {type(curves).__name__}.")
    if not curves:
        raise ValueError(f"{func}: curves is empty; pass e.g. {{'training': losses}}.")
    ylabel = _text(ylabel, "ylabel", func)
    mark_label = _text(mark_label, "mark_label", func, optional=True)
    start = _params.integer(start, "start", func)
    mark = None if mark is None else _params.real(mark, "mark", func)
    lines = {}
    for label, values in curves.items():
        values = as_float_array(values, f"curve {label!r}", func, allow_empty=True)
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"{func}: curve {label!r} must be a non-empty 1-D sequence, "
                             f"got shape {values.shape}.")
        lines[str(label)] = values.astype(np.float64, copy=False)
    ax = _new_ax(ax, (6.0, 3.6))
    for label, values in lines.items():
        ax.plot(np.arange(start, start + values.size), values, label=label)
    if mark is not None:
        ax.axvline(mark, color="0.35", linestyle=":", linewidth=1.5, label=mark_label)
    ax.set_xlabel(_("epoch"))
    ax.set_ylabel(ylabel)
    ax.legend()
    return ax


def draw_confusion_matrix(cm, *, ax=None, class_names=None):
    """Draw a confusion matrix as a grid of counts: true class down, predicted class across.

    Parameters
    ----------
    cm : array-like of int, shape (C, C)
        Counts, rows true classes and columns predictions, as returned by
        :func:`lossbook.metrics.confusion_matrix`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.
    class_names : sequence of str, optional
        Tick labels; 0, 1, ..., C - 1 by default.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    The colour scale is logarithmic (``log(1 + count)``) so that a few confusions stay visible
    next to a diagonal of large counts; every non-zero count is also written in its cell.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = draw_confusion_matrix([[5, 1], [0, 4]])
    >>> sorted(t.get_text() for t in ax.texts)
    ['1', '4', '5']
    """
    func = "draw_confusion_matrix"
    counts = read_labels(cm, "cm", func)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1] or counts.size == 0:
        raise ValueError(f"{func}: cm must be a square (C, C) array, got shape {counts.shape}.")
    if counts.min() < 0:
        raise ValueError(f"{func}: cm holds the negative count {int(counts.min())}; counts are >= 0.")
    c = counts.shape[0]
    names = ([str(k) for k in range(c)] if class_names is None else
             [str(n) for n in _sequence(class_names, "class_names", func, c)])
    ax = _new_ax(ax, (0.45 * c + 1.6, 0.45 * c + 1.2))
    shade = np.log1p(counts.astype(np.float64))
    top = max(float(shade.max()), 1e-12)
    ax.imshow(shade, cmap="Blues", vmin=0.0, vmax=top)
    for i in range(c):
        for j in range(c):
            if counts[i, j]:
                dark = shade[i, j] > 0.6 * top
                ax.text(j, i, str(int(counts[i, j])), ha="center", va="center", fontsize=9,
                        color="white" if dark else "#222222")
    ax.set_xticks(range(c), names)
    ax.set_yticks(range(c), names)
    ax.set_xlabel(_("predicted class"))
    ax.set_ylabel(_("true class"))
    ax.grid(False)
    return ax


def draw_reliability_diagram(bins, *, ax=None):
    """Draw a reliability diagram: accuracy against confidence, bin by bin.

    Each non-empty bin is a bar from 0 to its accuracy, as wide as the bin, with the number of
    examples in it written at its foot; a dot marks the bin's mean confidence and a shaded band
    the gap between the two (drawn over the bar, and so darker, where the accuracy exceeds the
    confidence; the legend then names it too). A calibrated model has its bars
    on the diagonal; bars below it mean overconfidence, above it underconfidence.

    Parameters
    ----------
    bins : lossbook.metrics.CalibrationBins
        The result of :func:`lossbook.metrics.calibration_bins`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from lossbook.metrics import calibration_bins
    >>> ax = draw_reliability_diagram(calibration_bins([[0.9, 0.1], [0.3, 0.7]], [0, 0]))
    >>> len(ax.patches) >= 2
    True
    """
    if not isinstance(bins, CalibrationBins):
        raise TypeError("draw_reliability_diagram: bins must be the result of "
                        f"lb.calibration_bins(probs, y_true), got {type(bins).__name__}.")
    edges, counts, acc, conf = bins
    full = counts > 0
    left, width = edges[:-1], np.diff(edges)
    ax = _new_ax(ax, (4.2, 4.0))
    ax.plot([0, 1], [0, 1], color="0.45", linestyle="--", linewidth=1.2, label=_("calibrated"))
    ax.bar(left[full], acc[full], width=width[full], align="edge", color=BOOK_COLORS[0],
           edgecolor="white", linewidth=1.0, label=_("accuracy"))
    ax.bar(left[full], conf[full] - acc[full], bottom=acc[full], width=width[full],
           align="edge", color=BOOK_COLORS[1], alpha=0.35, edgecolor=BOOK_COLORS[1],
           linewidth=0.8, label=_("gap to confidence"))
    ax.plot(left[full] + width[full] / 2, conf[full], "o", color=BOOK_COLORS[1], markersize=4,
            label=_("mean confidence"))
    for x, w, a, n in zip(left[full], width[full], acc[full], counts[full], strict=True):
        ax.text(x + w / 2, 0.012, str(int(n)), ha="center", va="bottom", fontsize=7,
                color="white" if a > 0.08 else "#222222")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel(_("confidence (top-class probability)"))
    ax.set_ylabel(_("accuracy"))
    ax.set_aspect("equal")
    handles, names = ax.get_legend_handles_labels()
    if np.any(acc[full] > conf[full]):
        # Where accuracy exceeds confidence, the gap is drawn over the bar and looks darker.
        from matplotlib.colors import to_rgba
        from matplotlib.patches import Rectangle

        handles.append((Rectangle((0, 0), 1, 1, fc=BOOK_COLORS[0]),
                        Rectangle((0, 0), 1, 1, fc=to_rgba(BOOK_COLORS[1], 0.35))))
        names.append(_("gap, accuracy above confidence"))
    ax.legend(handles, names, loc="upper left", fontsize=9)
    return ax
