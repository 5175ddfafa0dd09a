"""Exercise self-checks: each says whether an answer is right and, if not, what is likely wrong.

Every check is a function ``check_<something>(answer, ...)`` that prints one ``Correct: ...`` or
``Not yet: ...`` line (with a ``Hint: ...`` line when it can say more) and returns a
:class:`Verdict`, true or false like a bool. The checks live in one module per topic, all on one
engine split along its seams: reading answers (``_answers.py``), judging them (``_judge.py``),
the registry of checks (``_registry.py``) and the voice (``_voice.py``); the language is the
package's (``lossbook/_i18n.py``). Every check a topic module registers is exported here by its
name, so a notebook calls ``lb.checks.check_<something>(...)``.
"""

import importlib
import pkgutil

from .._i18n import get_language, set_language
from ._answers import is_close
from ._registry import CHECKS
from ._voice import Verdict, report

for _topic in pkgutil.iter_modules(__path__):
    if not _topic.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_topic.name}")

globals().update({check.__name__: check for check in CHECKS})

__all__ = [
    "Verdict",
    "is_close",
    "report",
    "set_language",
    "get_language",
    *[check.__name__ for check in CHECKS],
]
