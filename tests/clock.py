"""One day for the tests whose data are dated relative to « today ».

Relative dates built from the real clock made a test's outcome depend on the day it ran (a
deadline crossing midnight, a year boundary, a demo dated « last year »). These tests freeze
the clock on ``TODAY`` with time-machine (the clock still ticks from there, so timeouts and
sessions behave), and build their dates from the same constant.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine

TODAY = datetime.date(2026, 11, 23)
_MORNING_IN_PARIS = datetime.datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def frozen_today() -> Iterator[None]:
    with time_machine.travel(_MORNING_IN_PARIS, tick=True):
        yield
