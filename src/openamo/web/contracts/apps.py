from __future__ import annotations

from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "openamo.web.contracts"
    label = "contracts"
    verbose_name = "Marchés en exécution"
