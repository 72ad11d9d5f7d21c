"""Settings for the test suite."""

from openamo.web.config.settings.base import *  # noqa: F403
