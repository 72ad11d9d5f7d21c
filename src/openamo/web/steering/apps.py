from __future__ import annotations

from django.apps import AppConfig


class SteeringConfig(AppConfig):
    name = "openamo.web.steering"
    label = "steering"
    verbose_name = "Pilotage des projets informatiques"
