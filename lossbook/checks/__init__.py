"""Exercise self-checks: each says whether an answer is right and, if not, what is likely wrong.

Every check is a function ``check_<something>(answer, ...)`` that prints one ``Correct: ...`` or
``Not yet: ...`` line (with a ``Hint: ...`` line when it can name the likely mistake) and returns
a :class:`Verdict`, true or false like a bool. The checks live in one module per topic, all on
one engine split along its seams: reading answers (``_answers.py``), judging them
(``_judge.py``), the registry of checks (``_registry.py``) and the voice (``_voice.py``). They are
re-exported here, so a notebook calls ``lb.checks.check_<something>(...)``.
"""

from ._answers import is_close
from ._voice import Verdict, get_language, report, set_language
from .accuracy import (
    check_accuracy,
    check_accuracy_slope,
    check_loss_share,
    check_smallest_nudge,
    check_soft_accuracy_grad,
)
from .cross_entropy import (
    check_cross_entropy,
    check_cross_entropy_grad,
    check_label_smoothing,
    check_softmax_floor,
    check_stable_cross_entropy,
)
from .entropy import check_kl_divergence
from .mse import (
    check_line_gradient_step,
    check_mse,
    check_mse_function,
    check_mse_gradient,
    check_rmse,
)
from .network import (
    check_first_layer_grad,
    check_layer_output,
    check_mlp_output,
    check_neuron_output,
    check_parameter_count,
)
from .practice import (
    check_gaussian_variance,
    check_ignore_index_loss,
    check_multi_label_loss,
    check_pos_weight,
    check_sum_learning_rate,
    check_weighted_cross_entropy,
)
from .training import (
    check_batch_size_for_spread,
    check_early_stopping,
    check_ece,
    check_optimizer_steps,
    check_precision_recall,
    check_weight_decay_step,
)

__all__ = [
    "Verdict",
    "is_close",
    "report",
    "set_language",
    "get_language",
    # network structure
    "check_neuron_output",
    "check_parameter_count",
    "check_layer_output",
    "check_mlp_output",
    "check_first_layer_grad",
    # mean squared error
    "check_mse",
    "check_rmse",
    "check_mse_gradient",
    "check_line_gradient_step",
    "check_mse_function",
    # cross-entropy
    "check_cross_entropy",
    "check_cross_entropy_grad",
    "check_label_smoothing",
    "check_stable_cross_entropy",
    "check_softmax_floor",
    "check_kl_divergence",
    # loss versus accuracy
    "check_accuracy",
    "check_loss_share",
    "check_accuracy_slope",
    "check_smallest_nudge",
    "check_soft_accuracy_grad",
    # losses in practice
    "check_pos_weight",
    "check_weighted_cross_entropy",
    "check_ignore_index_loss",
    "check_sum_learning_rate",
    "check_gaussian_variance",
    "check_multi_label_loss",
    # training end to end
    "check_optimizer_steps",
    "check_batch_size_for_spread",
    "check_weight_decay_step",
    "check_early_stopping",
    "check_precision_recall",
    "check_ece",
]
