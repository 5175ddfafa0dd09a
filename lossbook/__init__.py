"""lossbook: loss functions in plain numpy, exact and strict, mirroring ``torch.nn.functional``.

>>> import lossbook as lb
>>> lb.mse_loss([1.0, 2.0], [0.0, 0.0])
2.5

Nothing runs on import: no seeding, no plotting style, no downloads.
"""

from . import checks, data, plotting
from .activations import (
    log_softmax,
    log_softmax_jacobian,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    softmax,
    softmax_jacobian,
    step,
    step_derivative,
    tanh,
    tanh_derivative,
)
from .checks import set_language
from .gradients import (
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits_grad,
    cross_entropy_from_probs_grad,
    cross_entropy_grad,
    huber_loss_grad,
    kl_div_grad,
    l1_loss_grad,
    mse_loss_grad,
    nll_loss_grad,
    numerical_gradient,
)
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    cross_entropy_from_probs,
    huber_loss,
    kl_div,
    l1_loss,
    mse_loss,
    nll_loss,
)
from .metrics import (
    CalibrationBins,
    accuracy,
    calibration_bins,
    confusion_matrix,
    expected_calibration_error,
    precision_recall,
)
from .network import MLP, Dense

__version__ = "0.1.0"

__all__ = [
    "__version__",
    # losses
    "mse_loss",
    "l1_loss",
    "huber_loss",
    "cross_entropy",
    "nll_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy_from_probs",
    "kl_div",
    # activations
    "step",
    "sigmoid",
    "tanh",
    "relu",
    "softmax",
    "log_softmax",
    "step_derivative",
    "sigmoid_derivative",
    "tanh_derivative",
    "relu_derivative",
    "softmax_jacobian",
    "log_softmax_jacobian",
    # gradients
    "mse_loss_grad",
    "l1_loss_grad",
    "huber_loss_grad",
    "cross_entropy_grad",
    "nll_loss_grad",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits_grad",
    "cross_entropy_from_probs_grad",
    "kl_div_grad",
    "numerical_gradient",
    # metrics, network, submodules
    "accuracy",
    "confusion_matrix",
    "precision_recall",
    "calibration_bins",
    "CalibrationBins",
    "expected_calibration_error",
    "Dense",
    "MLP",
    "set_language",
    "checks",
    "data",
    "plotting",
]
