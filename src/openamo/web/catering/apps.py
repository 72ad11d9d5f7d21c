from __future__ import annotations

from django.apps import AppConfig


class CateringConfig(AppConfig):
    name = "openamo.web.catering"
    label = "catering"
    verbose_name = "Restauration collective (EGAlim)"
