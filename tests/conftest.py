"""Fixtures shared by every test directory."""

import os

from hypothesis import settings

from tests.clock import frozen_today

__all__ = ["frozen_today"]

# Property tests check behaviour, never speed (benchmarks/ measures it): Hypothesis's default
# 200 ms deadline per example fails them at random on a loaded two-core machine.
settings.register_profile("openamo", deadline=None)
settings.load_profile("openamo")

# The page numbers of the tables of contents need a LibreOffice print of each RC and CCAP
# (openamo.documents.pagination): the integration tests of tests/integration/documents turn it on
# and check the pages; elsewhere a DCE is generated without printing it.
os.environ.setdefault("OPENAMO_TOC_PAGES", "0")
