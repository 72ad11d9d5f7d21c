"""One row per change of a business object or decision; rows are never updated or deleted."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from openamo.web.fields import user_fk


class Action(models.TextChoices):
    CREATE = "create", "Création"
    UPDATE = "update", "Modification"
    DELETE = "delete", "Suppression"
    ANALYSE = "analyse", "Analyse de la procédure"
    VALIDATE = "validate", "Validation"
    SHARE = "share", "Partage"
    UNSHARE = "unshare", "Fin du partage"
    DECIDE = "decide", "Décision"
    TRANSITION = "transition", "Changement d'étape"
    IMPORT = "import", "Import de données"
    GENERATE = "generate", "Production d'un document"


# What an « analyse » is, by the kind of object analysed (the action's own label says the
# procedure's): an offers' ranking or a DQE forecast is not an « Analyse de la procédure ».
ANALYSE_LABELS = {
    "lotanalysis": "Analyse des offres",
    "forecast": "Prévision EGAlim",
}


class AuditEvent(models.Model):
    created_at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    actor = user_fk("auteur")
    actor_label = models.CharField("auteur (au moment de l'action)", max_length=300)
    operation = models.ForeignKey(
        "operations.Operation",
        on_delete=models.PROTECT,
        null=True,
        related_name="audit_events",
        verbose_name="opération",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name="marché",
    )
    action = models.CharField("action", max_length=20, choices=Action.choices)
    object_type = models.CharField("type d'objet", max_length=40)
    object_id = models.CharField("identifiant", max_length=40)
    object_label = models.CharField("objet", max_length=300)
    before = models.JSONField("avant", null=True, encoder=DjangoJSONEncoder)
    after = models.JSONField("après", null=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = "événement du journal"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["operation", "-created_at"], name="audit_op_date"),
            models.Index(fields=["contract", "-created_at"], name="audit_contract_date"),
        ]

    def __str__(self) -> str:
        return f"{self.action_label} — {self.object_label}"

    @property
    def action_label(self) -> str:
        """The action in French, named after what was analysed for an « analyse »."""
        if self.action == Action.ANALYSE:
            return ANALYSE_LABELS.get(self.object_type, self.get_action_display())
        return self.get_action_display()
