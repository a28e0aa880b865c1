"""The browser fixtures shared by every browser test (``login``, ``axe_violations``)."""

from tests.browser.conftest import axe_violations, login  # noqa: F401 - fixtures, found by name
