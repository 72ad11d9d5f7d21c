from __future__ import annotations

from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "openamo.web.organisations"
    label = "organisations"
    verbose_name = "Organisations et comptes"

    def ready(self) -> None:
        # Connects the sign-in receivers: provisional password, failed sign-in counts.
        from openamo.web.organisations import passwords, throttle  # noqa: F401
