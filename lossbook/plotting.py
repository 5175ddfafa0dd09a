"""Plotting helpers. Nothing changes matplotlib's settings until you call ``use_book_style()``.

Figure helpers take ``ax=None`` (a new figure when omitted) and return the axes they drew on.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt

__all__ = ["use_book_style", "BOOK_COLORS"]

#: A colour-blind-safe cycle (Okabe and Ito) that reads on white.
BOOK_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]


def use_book_style():
    """Set the book's figure style: white faces (readable on light and dark pages), sizes, colours.

    Call it once in a notebook's set-up cell.
    """
    mpl.rcParams.update({
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
    import numpy as np
    from matplotlib.patches import Circle, FancyBboxPatch

    sizes = [int(n) for n in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(
            f"draw_network: layer_sizes={list(layer_sizes)!r} needs at least two positive sizes."
        )
    n_links = len(sizes) - 1
    for name, labels, inner in (("weight_labels", weight_labels, True),
                                ("bias_labels", bias_labels, False)):
        if labels is None:
            continue
        if len(labels) != n_links:
            raise ValueError(f"draw_network: {name} needs {n_links} entries, one per pair of "
                             f"layers, got {len(labels)}.")
        for k, lab in enumerate(labels):
            want = (sizes[k + 1], sizes[k]) if inner else (sizes[k + 1],)
            got = np.shape(lab)
            if got != want:
                raise ValueError(f"draw_network: {name}[{k}] has shape {got}; layers of "
                                 f"{sizes[k]} and {sizes[k + 1]} neurons need shape {want}.")
    if layer_names is None:
        hidden = ["hidden layer"] if len(sizes) == 3 else [
            f"hidden layer {k}" for k in range(1, len(sizes) - 1)]
        layer_names = ["input layer", *hidden, "output layer"]
    if ax is None:
        _, ax = plt.subplots(figsize=(2.4 * len(sizes) + 1.0, 1.0 + 0.9 * max(sizes)))

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


__all__.append("draw_network")
