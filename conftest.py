"""Every test and every page or docstring example starts with fresh self-checks: no earlier
wrong answer moves a check's hint ladder (lossbook.checks._registry.forget_tries)."""

import pytest

from lossbook.checks._registry import forget_tries


@pytest.fixture(autouse=True)
def _fresh_hint_ladders():
    forget_tries()
    yield
    forget_tries()
