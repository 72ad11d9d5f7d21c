from __future__ import annotations

from django.apps import AppConfig


class ConstructionConfig(AppConfig):
    name = "openamo.web.construction"
    label = "construction"
    verbose_name = "Opérations de travaux"
