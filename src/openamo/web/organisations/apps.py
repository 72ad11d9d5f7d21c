from __future__ import annotations

from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "openamo.web.organisations"
    label = "organisations"
    verbose_name = "Organisations et comptes"

    def ready(self) -> None:
        # Connects the sign-in receiver that flags a provisional password.
        from openamo.web.organisations import passwords  # noqa: F401
