from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "openamo.web.audit"
    label = "audit"
    verbose_name = "Journal des modifications"
