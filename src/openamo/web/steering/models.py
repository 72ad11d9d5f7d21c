"""Persistence of IT project steering; every rule and formula lives in ``openamo.steering``.

A framing (the ten questions, stored as the domain's framing record) produces a baseline;
once the maître d'ouvrage validates it, it is frozen and measured against: change requests,
milestone progress, risk register entries, KPI measurements and cost-of-drift simulations.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from openamo import steering
from openamo.steering.enums import (
    ChangeKind,
    ChangeValue,
    Decision,
    RiskLevel,
    RiskStatus,
    SimulationMode,
)
from openamo.web.fields import user_fk
from openamo.web.operations.models import Operation
from openamo.web.softdelete import SoftDeletable

RISK_LEVEL_CHOICES = [(level.value, level.label) for level in RiskLevel]
DECISION_CHOICES = [(decision.value, decision.label) for decision in Decision]
CHANGE_KIND_CHOICES = [
    (ChangeKind.AJOUT.value, "Ajout d'une fonctionnalité"),
    (ChangeKind.MODIFICATION.value, "Modification d'une fonctionnalité"),
    (ChangeKind.SUPPRESSION.value, "Suppression d'une fonctionnalité"),
]
CHANGE_VALUE_CHOICES = [
    (ChangeValue.FORTE.value, "Forte"),
    (ChangeValue.MOYENNE.value, "Moyenne"),
    (ChangeValue.FAIBLE.value, "Faible"),
    (ChangeValue.NULLE.value, "Nulle"),
]
RISK_STATUS_CHOICES = [
    (RiskStatus.OUVERT.value, "Ouvert"),
    (RiskStatus.EN_TRAITEMENT.value, "En traitement"),
    (RiskStatus.CLOS.value, "Clos"),
]


class Framing(models.Model):
    """The answers to the ten framing questions and the domain's assessment of them."""

    operation = models.OneToOneField(
        Operation, on_delete=models.CASCADE, related_name="framing", verbose_name="opération"
    )
    answers = models.JSONField("réponses au cadrage", default=dict, encoder=DjangoJSONEncoder)
    result = models.JSONField("évaluation du cadrage", default=dict, encoder=DjangoJSONEncoder)
    score = models.DecimalField(
        "score de complétude", max_digits=4, decimal_places=1, default=Decimal(0)
    )
    risk_level = models.CharField("niveau de risque", max_length=20, choices=RISK_LEVEL_CHOICES)
    baseline_ready = models.BooleanField("base de référence prête à valider", default=False)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    updated_by = user_fk("modifié par")

    class Meta:
        verbose_name = "cadrage du projet informatique"

    def __str__(self) -> str:
        return f"Cadrage — {self.operation}"

    def to_answers(self) -> steering.FramingAnswers:
        """The answers as the domain reads them (the stored framing record)."""
        return steering.FramingAnswers.model_validate(self.answers)

    def to_domain(self) -> steering.FramingResult:
        """The domain's assessment, as it was stored when the answers were saved."""
        return steering.FramingResult.model_validate(self.result)

    def statuses(self) -> dict[str, steering.AnswerStatus] | None:
        """Status of each framing question (lowers the pre-filled risks that were framed)."""
        if not self.result:
            return None
        return {q.id: q.status for q in self.to_domain().questions}


class BaselineStatus(models.TextChoices):
    BROUILLON = "brouillon", "À valider"
    VALIDEE = "validee", "Validée et figée"


class Baseline(models.Model):
    """Scope, budget and margin, milestones and KPIs as produced by the framing."""

    operation = models.OneToOneField(
        Operation, on_delete=models.CASCADE, related_name="baseline", verbose_name="opération"
    )
    data = models.JSONField("base de référence", default=dict, encoder=DjangoJSONEncoder)
    summary = models.JSONField("synthèse", default=dict, encoder=DjangoJSONEncoder)
    gaps = models.JSONField("réserves du cadrage", default=list, encoder=DjangoJSONEncoder)
    status = models.CharField(
        "statut", max_length=20, choices=BaselineStatus.choices, default=BaselineStatus.BROUILLON
    )
    budget_ht = models.DecimalField("budget de référence HT (€)", max_digits=15, decimal_places=2)
    produced_at = models.DateTimeField("produite le")
    produced_by = user_fk("produite par")
    validated_at = models.DateTimeField("validée le", null=True, blank=True)
    validated_by = user_fk("validée par", blank=True)
    stale_changes = models.JSONField(
        "changements du cadrage depuis la validation", default=list, encoder=DjangoJSONEncoder
    )

    class Meta:
        verbose_name = "base de référence"

    def __str__(self) -> str:
        return f"Base de référence — {self.operation}"

    @property
    def is_validated(self) -> bool:
        return self.status == BaselineStatus.VALIDEE

    def to_domain(self) -> steering.Baseline:
        return steering.Baseline.model_validate(self.data)

    def summary_of(self) -> steering.BaselineSummary:
        return steering.BaselineSummary.model_validate(self.summary)


class ChangeRequest(models.Model):
    """A change request against the frozen baseline; only the maître d'ouvrage decides."""

    operation = models.ForeignKey(
        Operation,
        on_delete=models.CASCADE,
        related_name="change_requests",
        verbose_name="opération",
    )
    number = models.PositiveIntegerField("numéro")
    title = models.CharField("intitulé", max_length=300)
    kind = models.CharField("nature", max_length=20, choices=CHANGE_KIND_CHOICES)
    feature = models.CharField("fonctionnalité concernée", max_length=200, blank=True)
    requested_on = models.DateField("demandée le")
    requested_by = models.CharField("demandeur", max_length=200, blank=True)
    cost_ht = models.DecimalField("coût HT (€)", max_digits=15, decimal_places=2)
    delay_days = models.IntegerField("délai (jours)", default=0)
    value = models.CharField("valeur métier", max_length=20, choices=CHANGE_VALUE_CHOICES)
    justification = models.TextField("justification", blank=True)
    decision = models.CharField(
        "décision", max_length=20, choices=DECISION_CHOICES, default=Decision.EN_ATTENTE.value
    )
    decided_on = models.DateField("décidée le", null=True, blank=True)
    decision_note = models.TextField("motif de la décision", blank=True)
    decided_by = user_fk("décidée par", blank=True)
    created_by = user_fk("saisie par")
    created_at = models.DateTimeField("saisie le", auto_now_add=True)

    class Meta:
        verbose_name = "demande d'évolution"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "number"], name="unique_change_number")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def code(self) -> str:
        return f"DE-{self.number:02d}"

    @property
    def is_pending(self) -> bool:
        return self.decision == Decision.EN_ATTENTE.value

    def to_domain(self) -> steering.ChangeRequest:
        decider = self.decided_by
        return steering.ChangeRequest(
            id=self.code,
            title=self.title,
            requested_on=self.requested_on,
            requested_by=self.requested_by or None,
            kind=ChangeKind(self.kind),
            feature=self.feature or None,
            cost_ht=self.cost_ht,
            delay_days=self.delay_days,
            value=ChangeValue(self.value),
            decision=Decision(self.decision),
            decided_on=self.decided_on,
            decided_by=(decider.get_full_name() or decider.username) if decider else None,
            justification=self.justification or None,
        )


class MilestoneProgress(models.Model):
    """Where a baseline milestone stands: a new forecast, or the day it was reached."""

    operation = models.ForeignKey(
        Operation,
        on_delete=models.CASCADE,
        related_name="milestone_progress",
        verbose_name="opération",
    )
    milestone = models.CharField("jalon", max_length=60)
    name = models.CharField("intitulé du jalon", max_length=200)
    forecast_on = models.DateField("nouvelle date prévue", null=True, blank=True)
    actual_on = models.DateField("date atteinte", null=True, blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    updated_by = user_fk("modifié par")

    class Meta:
        verbose_name = "avancement d'un jalon"
        constraints = [
            models.UniqueConstraint(fields=["operation", "milestone"], name="unique_milestone")
        ]

    def __str__(self) -> str:
        return f"Jalon « {self.name} »"

    def to_domain(self) -> steering.MilestoneProgress:
        return steering.MilestoneProgress(
            id=self.milestone, forecast_on=self.forecast_on, actual_on=self.actual_on
        )


class Risk(models.Model):
    """An entry of the risk register: a pre-filled pitfall as adjusted, or a new risk."""

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="risks", verbose_name="opération"
    )
    key = models.CharField("identifiant", max_length=60)
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("description", blank=True)
    probability = models.PositiveSmallIntegerField("probabilité (1 à 5)")
    impact = models.PositiveSmallIntegerField("impact (1 à 5)")
    owner = models.CharField("responsable", max_length=200, blank=True)
    mitigation = models.TextField("mesures de maîtrise", blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=RISK_STATUS_CHOICES, default=RiskStatus.OUVERT.value
    )
    review_on = models.DateField("prochaine revue", null=True, blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    updated_by = user_fk("modifié par")

    class Meta:
        verbose_name = "risque"
        constraints = [models.UniqueConstraint(fields=["operation", "key"], name="unique_risk")]

    def __str__(self) -> str:
        return f"Risque « {self.title} »"

    def to_domain(self) -> steering.RiskEntry:
        return steering.RiskEntry(
            id=self.key,
            title=self.title,
            description=self.description or None,
            probability=self.probability,
            impact=self.impact,
            owner=self.owner or None,
            mitigation=lines(self.mitigation),
            status=RiskStatus(self.status),
            review_on=self.review_on,
        )


class KpiMeasurement(SoftDeletable):
    operation = models.ForeignKey(
        Operation,
        on_delete=models.CASCADE,
        related_name="kpi_measurements",
        verbose_name="opération",
    )
    kpi = models.CharField("indicateur", max_length=200)
    kpi_name = models.CharField("nom de l'indicateur", max_length=200)
    measured_on = models.DateField("mesuré le")
    value = models.DecimalField("valeur", max_digits=20, decimal_places=4)
    comment = models.CharField("commentaire", max_length=300, blank=True)
    created_by = user_fk("saisie par")
    created_at = models.DateTimeField("saisie le", auto_now_add=True)

    class Meta:
        verbose_name = "mesure d'indicateur"
        ordering = ["kpi", "measured_on", "id"]
        indexes = [models.Index(fields=["operation", "deleted_at"], name="kpi_measure_live")]

    def __str__(self) -> str:
        return f"Mesure « {self.kpi_name} » du {self.measured_on:%d/%m/%Y}"

    def to_domain(self) -> steering.Measurement:
        return steering.Measurement(kpi=self.kpi, measured_on=self.measured_on, value=self.value)


class RoiSimulation(models.Model):
    """One run of the cost-of-drift model: the input as sent to the domain and its result."""

    operation = models.ForeignKey(
        Operation,
        on_delete=models.CASCADE,
        related_name="roi_simulations",
        verbose_name="opération",
    )
    input = models.JSONField("données simulées", default=dict, encoder=DjangoJSONEncoder)
    result = models.JSONField("résultat", default=dict, encoder=DjangoJSONEncoder)
    mode = models.CharField(
        "mode",
        max_length=20,
        choices=[
            (SimulationMode.DETERMINISTE.value, "calcul déterministe"),
            (SimulationMode.MONTE_CARLO.value, "Monte-Carlo"),
        ],
    )
    savings_ht = models.DecimalField("économie attendue HT (€)", max_digits=18, decimal_places=2)
    drift_prevented_per_euro = models.DecimalField(
        "dérive évitée par euro d'AMO", max_digits=22, decimal_places=2
    )
    created_at = models.DateTimeField("simulée le", auto_now_add=True)
    created_by = user_fk("simulée par")

    class Meta:
        verbose_name = "simulation du coût de la dérive"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Simulation du coût de la dérive du {self.created_at:%d/%m/%Y}"

    def to_domain(self) -> steering.RoiResult:
        return steering.RoiResult.model_validate(self.result)

    def roi_input(self) -> steering.RoiInput:
        """What was simulated, as sent to the domain."""
        return steering.RoiInput.model_validate(self.input)


def lines(text: str) -> list[str]:
    """One item per non-empty line (mitigation measures, lists of the framing)."""
    return [line.strip() for line in text.splitlines() if line.strip()]
