"""Fixtures shared by every test directory."""

from hypothesis import settings

from tests.clock import frozen_today

__all__ = ["frozen_today"]

# Property tests check behaviour, never speed (benchmarks/ measures it): Hypothesis's default
# 200 ms deadline per example fails them at random on a loaded two-core machine.
settings.register_profile("openamo", deadline=None)
settings.load_profile("openamo")
