"""WSGI entry point (gunicorn ``openamo.web.config.wsgi``); production settings by default."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openamo.web.config.settings.prod")

application = get_wsgi_application()
