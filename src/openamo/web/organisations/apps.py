from __future__ import annotations

from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "openamo.web.organisations"
    label = "organisations"
    verbose_name = "Organisations et comptes"
