from __future__ import annotations

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "openamo.web.operations"
    label = "operations"
    verbose_name = "Opérations et consultations"

    def ready(self) -> None:
        # Every audited write may make a validated decision stale (``web.revalidation``).
        from openamo.web import revalidation

        revalidation.connect()
