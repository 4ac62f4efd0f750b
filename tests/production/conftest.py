"""Fixtures shared with other test folders."""

from ..admin.conftest import lookup  # noqa: F401  (the organisers' editors' row finder)
