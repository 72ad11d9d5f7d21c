from __future__ import annotations

from django.apps import AppConfig


class AwardConfig(AppConfig):
    name = "openamo.web.award"
    label = "award"
    verbose_name = "Passation : critères, offres et rapport d'analyse"
