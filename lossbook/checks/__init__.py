"""Exercise self-checks: each says whether an answer is right and, if not, what is likely wrong.

Every check is a function ``check_<something>(answer, ...)`` that prints ``Correct: ...`` or
``Not yet: ...`` with a hint, and returns a bool. The checks live in one module per topic and are
all re-exported here, so a notebook calls ``lb.checks.check_<something>(...)``.
"""

from importlib import import_module

from ._feedback import Verdict, is_close, report

# One module per topic. A module lists its checks in its own ``__all__``.
_TOPICS = ("network", "mse", "cross_entropy", "accuracy", "practice")

__all__ = ["report", "is_close", "Verdict"]
for _topic in _TOPICS:
    _module = import_module(f"{__name__}.{_topic}")
    for _name in _module.__all__:
        if _name in globals():
            raise ImportError(f"lossbook.checks: {_name} is defined in two topic modules")
        globals()[_name] = getattr(_module, _name)
        __all__.append(_name)
del _topic
