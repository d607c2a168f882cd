"""The browser test uses the same running stack as the end-to-end tests (see tests/e2e/conftest.py)."""

from tests.e2e.conftest import ports, stack  # noqa: F401
