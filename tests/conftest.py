"""Shared set-up for the lossbook unit tests.

Hypothesis runs derandomized with a modest number of examples, so CI is deterministic and the
whole unit suite stays fast on two cores. torch (the reference) runs on one thread.
"""

from booktools import single_thread_env

single_thread_env()  # before torch and numpy start their thread pools

import pytest  # noqa: E402
import torch  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

torch.set_num_threads(1)

settings.register_profile(
    "lossbook",
    derandomize=True,
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
# A deeper, randomized search for local bug hunting:
#   pytest tests -p no:nbval --ignore=tests/browser --hypothesis-profile thorough
settings.register_profile(
    "thorough", parent=settings.get_profile("lossbook"), derandomize=False, max_examples=600
)
settings.load_profile("lossbook")


@pytest.fixture(params=["en", "ko"])
def language(request):
    """Run a test once in each language the self-checks speak, each with a fresh hint ladder."""
    import lossbook
    from lossbook.checks._registry import forget_tries

    lossbook.set_language(request.param)
    forget_tries()
    yield request.param
    lossbook.set_language("en")
