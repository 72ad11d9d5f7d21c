from __future__ import annotations

from django.apps import AppConfig


class AmendmentsConfig(AppConfig):
    name = "openamo.web.amendments"
    label = "amendments"
    verbose_name = "Avenants"
