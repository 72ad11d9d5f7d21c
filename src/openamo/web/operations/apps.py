from __future__ import annotations

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "openamo.web.operations"
    label = "operations"
    verbose_name = "Opérations et consultations"
