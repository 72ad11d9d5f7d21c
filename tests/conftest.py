"""Fixtures shared by every test directory."""

from tests.clock import frozen_today

__all__ = ["frozen_today"]
