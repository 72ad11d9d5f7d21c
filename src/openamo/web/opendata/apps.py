from __future__ import annotations

from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "openamo.web.opendata"
    label = "opendata"
    verbose_name = "Données essentielles et audit du portefeuille"
