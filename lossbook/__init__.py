"""lossbook: loss functions in plain numpy, exact and strict, mirroring ``torch.nn.functional``.

>>> import lossbook as lb
>>> lb.mse_loss([1.0, 2.0], [0.0, 0.0])
2.5

Nothing runs on import: no seeding, no plotting style, no downloads, and matplotlib is imported
only when a figure is drawn (``lossbook.plotting``).

The public names have one source: each module's ``__all__``. The package re-exports the names of
the modules below at the top level (``lb.cross_entropy`` is ``lb.losses.cross_entropy``), and the
API page (chapters/lossbook-api.md) documents each module from the same lists.
"""

from . import (
    activations,
    checks,
    ctc,
    data,
    gradients,
    gradients_classification,
    gradients_embedding,
    gradients_regression,
    losses,
    losses_classification,
    losses_embedding,
    losses_regression,
    metrics,
    network,
    plotting,
)
from ._i18n import set_language

__version__ = "0.1.0"

#: The modules whose public names are also top-level names of the package.
_TOP_LEVEL_MODULES = (
    losses,
    losses_regression,
    losses_classification,
    losses_embedding,
    ctc,
    activations,
    gradients,
    gradients_regression,
    gradients_classification,
    gradients_embedding,
    metrics,
    network,
)

globals().update({name: getattr(module, name) for module in _TOP_LEVEL_MODULES for name in module.__all__})

__all__ = [
    "__version__",
    *[name for module in _TOP_LEVEL_MODULES for name in module.__all__],
    "set_language",
    "checks",
    "data",
    "plotting",
]
