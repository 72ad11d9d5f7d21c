"""Execution quality: service orders, receptions and their reserves, penalties, evaluations."""

from __future__ import annotations

from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from openamo.web.contracts.models.contract import ContractPart, amount_field, required_amount_field
from openamo.web.fields import user_fk
from openamo.web.softdelete import SoftDeletable


class ServiceOrderKind(models.TextChoices):
    DEMARRAGE = "demarrage", "Démarrage des prestations"
    PRESTATIONS = "prestations", "Prescriptions d'exécution"
    ARRET = "arret", "Arrêt ou ajournement"
    REPRISE = "reprise", "Reprise des prestations"
    AUTRE = "autre", "Autre"


class ServiceOrder(ContractPart):
    """An ordre de service: prepared (draft), then issued by the buyer's maître d'ouvrage."""

    number = models.PositiveIntegerField("ordre de service n°")
    kind = models.CharField("nature", max_length=20, choices=ServiceOrderKind.choices)
    subject = models.CharField("objet", max_length=300)
    description = models.TextField("prescriptions", blank=True)
    effective_on = models.DateField("date d'effet", null=True, blank=True)
    issued_on = models.DateField("émis le", null=True, blank=True)
    issued_by = user_fk("émis par", blank=True)
    acknowledged_on = models.DateField("reçu par le titulaire le", null=True, blank=True)

    class Meta:
        verbose_name = "ordre de service"
        ordering = ["number"]
        default_related_name = "service_orders"

    def __str__(self) -> str:
        return f"Ordre de service n° {self.number} — {self.subject}"


class ReceptionDecision(models.TextChoices):
    A_DECIDER = "a_decider", "Décision à prendre"
    SANS_RESERVE = "sans_reserve", "Prononcée sans réserve"
    AVEC_RESERVES = "avec_reserves", "Prononcée avec réserves"
    AJOURNEE = "ajournee", "Ajournée"
    REFUSEE = "refusee", "Refusée"


class Reception(ContractPart):
    """Reception (travaux) or admission (fournitures, services) of all or part of the contract."""

    label = models.CharField("objet de la réception", max_length=200)
    inspected_on = models.DateField("opérations de vérification le")
    decision = models.CharField(
        "décision",
        max_length=20,
        choices=ReceptionDecision.choices,
        default=ReceptionDecision.A_DECIDER,
    )
    effective_on = models.DateField("date d'effet", null=True, blank=True)
    decided_on = models.DateField("décidée le", null=True, blank=True)
    decided_by = user_fk("décidée par", blank=True)
    note = models.TextField("observations", blank=True)

    class Meta:
        verbose_name = "réception"
        ordering = ["-inspected_on", "-pk"]
        default_related_name = "receptions"

    def __str__(self) -> str:
        return f"Réception — {self.label}"


class Reserve(SoftDeletable):
    reception = models.ForeignKey(
        Reception, on_delete=models.PROTECT, related_name="reserves", verbose_name="réception"
    )
    description = models.CharField("réserve", max_length=300)
    due_on = models.DateField("à lever avant le", null=True, blank=True)
    lifted_on = models.DateField("levée le", null=True, blank=True)
    lifted_by = user_fk("levée par", blank=True)
    lifting_note = models.CharField("constat de levée", max_length=300, blank=True)
    created_by = user_fk("créée par", blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "réserve"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Réserve — {self.description}"


class PenaltyStatus(models.TextChoices):
    PROPOSEE = "proposee", "Proposée"
    VALIDEE = "validee", "Appliquée"
    ABANDONNEE = "abandonnee", "Abandonnée"


class Penalty(ContractPart):
    """A late-performance penalty computed by ``openamo.pricing.penalties`` from the clause."""

    reason = models.CharField("manquement constaté", max_length=300)
    due_on = models.DateField("date contractuelle")
    delivered_on = models.DateField("date d'exécution effective")
    late_value_ht = amount_field("valeur des prestations en retard HT (€)")
    days_late = models.PositiveIntegerField("jours de retard", default=0)
    penalty_ht = required_amount_field("pénalité HT (€)", default=Decimal(0))
    status = models.CharField(
        "statut", max_length=20, choices=PenaltyStatus.choices, default=PenaltyStatus.PROPOSEE
    )
    decided_on = models.DateField("décidée le", null=True, blank=True)
    decided_by = user_fk("décidée par", blank=True)
    input = models.JSONField("données", default=dict, encoder=DjangoJSONEncoder)
    result = models.JSONField("résultat", default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = "pénalité"
        ordering = ["-due_on", "-pk"]
        default_related_name = "penalties"

    def __str__(self) -> str:
        return f"Pénalité — {self.reason}"


class EvaluationStage(models.TextChoices):
    JALON = "jalon", "Évaluation d'étape"
    FINALE = "finale", "Évaluation finale"


class Evaluation(ContractPart):
    """The buyer's evaluation of the holder, kept for its future consultations."""

    stage = models.CharField("moment", max_length=10, choices=EvaluationStage.choices)
    milestone = models.CharField("jalon", max_length=200)
    evaluated_on = models.DateField("évaluée le")
    marks = models.JSONField("notes par critère", default=dict, encoder=DjangoJSONEncoder)
    average = models.DecimalField("moyenne sur 5", max_digits=4, decimal_places=2)
    comments = models.TextField("appréciation générale", blank=True)

    class Meta:
        verbose_name = "évaluation du titulaire"
        ordering = ["-evaluated_on", "-pk"]
        default_related_name = "evaluations"

    def __str__(self) -> str:
        return f"Évaluation — {self.milestone}"
