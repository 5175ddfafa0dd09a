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
