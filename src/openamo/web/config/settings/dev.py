"""Development (``amo serve --debug``): the local settings with Django's debug pages."""

from __future__ import annotations

from openamo.web.config.settings.local import *  # noqa: F403

DEBUG = True
WHITENOISE_AUTOREFRESH = True
