"""Persistence of a construction operation; every rule lives in ``openamo.construction``.

One ``Project`` per operation of kind « travaux »: the programme (the domain's shape, as JSON),
the financial envelope and each of its changes (who decided, when, why), the organisation the
maître d'ouvrage chose, the inputs of the MOE consultation, the MOE's phases with their
estimates and decisions, and, per works contract, the dates of its final account.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from openamo.construction.enums import (
    Organisation,
    Phase,
    PhaseDecision,
    ReceptionDecision,
    WorkKind,
)
from openamo.pricing.enums import RetentionSubstitute
from openamo.web.contracts.models import Contract, Reception, ServiceOrder
from openamo.web.fields import OptionalAmount, user_fk
from openamo.web.operations.models import Operation

WORK_KIND_CHOICES = [(kind.value, kind.label[0].upper() + kind.label[1:]) for kind in WorkKind]
ORGANISATION_CHOICES = [(kind.value, kind.label) for kind in Organisation]
PHASE_CHOICES = [(phase.value, phase.label) for phase in Phase]
DECISION_CHOICES = [(d.value, d.label[0].upper() + d.label[1:]) for d in PhaseDecision]
RECEPTION_CHOICES = [
    (d.value, d.label[0].upper() + d.label[1:])
    for d in ReceptionDecision
    if d != ReceptionDecision.REFUS
]


PROGRAMME_LABELS = {
    "objectives": "Objectifs",
    "needs": "Besoins",
    "constraints": "Contraintes",
    "functional_requirements": "Exigences fonctionnelles",
    "technical_requirements": "Exigences techniques",
    "environmental_targets": "Objectifs environnementaux",
    "performance_targets": "Objectifs de performance",
}
"""The headings of the programme, as the programme page and the history name them."""
SKILL_LABELS = {"aucune": "aucune", "partielles": "partielles", "completes": "complètes"}


def _money(label: str) -> OptionalAmount:
    return models.DecimalField(label, max_digits=15, decimal_places=2, null=True, blank=True)


def programme_text(project: Project) -> str:
    """The programme as the history shows it: one labelled line per heading, never a dict."""
    programme = project.programme or {}
    lines = [
        f"{label} : {' ; '.join(programme[key])}"
        for key, label in PROGRAMME_LABELS.items()
        if programme.get(key)
    ]
    spaces = programme.get("spaces") or []
    if spaces:
        lines.append("Surfaces : " + " ; ".join(f"{s['name']} {s['area_m2']} m²" for s in spaces))
    return "\n".join(lines)


def answers_text(project: Project) -> str:
    """The answers on the organisation as the history shows them."""
    answers = project.organisation_answers or {}
    if not answers:
        return ""
    yes_no = {True: "oui", False: "non"}
    return (
        f"Compétences internes : {SKILL_LABELS.get(answers.get('in_house_skills', ''), '—')} ; "
        f"actes en son nom par un mandataire : {yes_no[bool(answers.get('wants_acts_in_its_name'))]}"
        f" ; opération complexe : {yes_no[bool(answers.get('complex_operation'))]}"
    )


class Project(models.Model):
    operation = models.OneToOneField(
        Operation, on_delete=models.CASCADE, related_name="construction", verbose_name="opération"
    )
    work_kind = models.CharField("nature de l'ouvrage", max_length=30, choices=WORK_KIND_CHOICES)
    complex_operation = models.BooleanField("ouvrage complexe", default=False)
    programme = models.JSONField("programme", default=dict, encoder=DjangoJSONEncoder)
    envelope_works_ht = _money("part travaux de l'enveloppe HT (€)")
    envelope_total_ht = _money("enveloppe financière prévisionnelle HT (€)")
    envelope_set_on = models.DateField("enveloppe fixée le", null=True, blank=True)
    envelope_set_by = user_fk("enveloppe fixée par", blank=True)
    moe_fee_estimate_ht = _money("honoraires de maîtrise d'œuvre estimés HT (€)")
    studies_estimate_ht = _money("prix estimé des études demandées à chaque candidat HT (€)")
    jury_members = models.PositiveIntegerField("membres du jury", null=True, blank=True)
    organisation_answers = models.JSONField("réponses sur l'organisation", default=dict)
    organisation_choice = models.CharField(
        "organisation retenue", max_length=30, choices=ORGANISATION_CHOICES, blank=True
    )
    organisation_decided_on = models.DateField("organisation décidée le", null=True, blank=True)
    organisation_decided_by = user_fk("organisation décidée par", blank=True)
    moe_contract = models.OneToOneField(
        Contract,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moe_project",
        verbose_name="marché de maîtrise d'œuvre",
        help_text="Les membres de l'organisation titulaire de ce marché proposent les phases et "
        "les acomptes de l'opération.",
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    updated_by = user_fk("modifié par", blank=True)

    audit_text: ClassVar[dict[str, Callable[[Project], str]]] = {
        "programme": programme_text,
        "organisation_answers": answers_text,
    }
    """The history shows the programme and the answers as sentences (``openamo.web.audit``)."""

    class Meta:
        verbose_name = "opération de travaux"

    def __str__(self) -> str:
        return f"Travaux — {self.operation}"


class EnvelopeChange(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="envelope_changes", verbose_name="opération"
    )
    date = models.DateField("décidée le")
    works_ht = models.DecimalField("nouvelle part travaux HT (€)", max_digits=15, decimal_places=2)
    reason = models.TextField("motif")
    decided_by = user_fk("décidée par")
    decided_by_label = models.CharField("décidée par (nom ou instance)", max_length=200)
    created_at = models.DateTimeField("enregistrée le", auto_now_add=True)

    class Meta:
        verbose_name = "évolution de l'enveloppe"
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"Évolution de l'enveloppe du {self.date:%d/%m/%Y}"


class PhaseReview(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="phases", verbose_name="opération"
    )
    phase = models.CharField("élément de mission", max_length=10, choices=PHASE_CHOICES)
    started_on = models.DateField("démarré le", null=True, blank=True)
    submitted_on = models.DateField("remis le", null=True, blank=True)
    estimate_ht = _money("estimation des travaux HT (€)")
    proposed_by = user_fk("proposé par", blank=True)
    decision = models.CharField("décision", max_length=30, choices=DECISION_CHOICES, blank=True)
    decided_on = models.DateField("décidé le", null=True, blank=True)
    decided_by = user_fk("décidé par", blank=True)
    note = models.TextField("observations du maître d'ouvrage", blank=True)
    decided_input = models.JSONField(
        "ce sur quoi la phase a été approuvée", default=dict, blank=True
    )
    stale_changes = models.JSONField("changements depuis l'approbation", default=list, blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "phase de la maîtrise d'œuvre"
        constraints = [
            models.UniqueConstraint(fields=["project", "phase"], name="construction_phase_once")
        ]

    def __str__(self) -> str:
        return Phase(self.phase).label


class FinalAccount(models.Model):
    """The dates of the final account of one works contract (CCAG-Travaux 2021, art. 12)."""

    contract = models.OneToOneField(
        Contract, on_delete=models.CASCADE, related_name="final_account", verbose_name="marché"
    )
    reception_notified_on = models.DateField("décision de réception notifiée le")
    reception_decision = models.CharField(
        "décision de réception", max_length=20, choices=RECEPTION_CHOICES
    )
    reserves_lifted_on = models.DateField("réserves levées le", null=True, blank=True)
    final_draft_received_by_moe_on = models.DateField(
        "projet de décompte final reçu par le maître d'œuvre le", null=True, blank=True
    )
    final_draft_received_by_buyer_on = models.DateField(
        "projet de décompte final reçu par le maître d'ouvrage le", null=True, blank=True
    )
    general_account_notified_on = models.DateField(
        "décompte général notifié le", null=True, blank=True
    )
    contractor_returned_on = models.DateField(
        "décompte général renvoyé par le titulaire le", null=True, blank=True
    )
    contractor_reserves = models.BooleanField("renvoyé avec réserves", default=False)
    claim_received_on = models.DateField(
        "mémoire en réclamation reçu par le maître d'ouvrage le", null=True, blank=True
    )
    tacit_draft_notified_on = models.DateField(
        "projet de décompte général du titulaire notifié le", null=True, blank=True
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    updated_by = user_fk("modifié par", blank=True)

    class Meta:
        verbose_name = "décompte général"

    def __str__(self) -> str:
        return f"Décompte général — {self.contract}"


class OrderReserves(models.Model):
    """The holder's reserves on one ordre de service (CCAG-Travaux 2021, art. 3.8.2) and the
    answer given to them; the order itself is the contracts app's ``ServiceOrder``."""

    service_order = models.OneToOneField(
        ServiceOrder,
        on_delete=models.CASCADE,
        related_name="construction_reserves",
        verbose_name="ordre de service",
    )
    received_on = models.DateField("réserves reçues le")
    text = models.TextField("réserves du titulaire")
    answer = models.TextField("réponse du maître d'ouvrage", blank=True)
    answered_on = models.DateField("réponse notifiée le", null=True, blank=True)
    recorded_by = user_fk("enregistrées par", blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "réserves sur un ordre de service"

    def __str__(self) -> str:
        return f"Réserves sur l'ordre de service n° {self.service_order.number}"


class MonthlyStatement(models.Model):
    """One monthly payment request of a works contract: the holder's projet de décompte, the
    état d'acompte the maître d'œuvre drew from it, the maître d'ouvrage's go and the payment.
    The amounts due, the retention and the deadline are computed by the domain, never stored."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="monthly_statements", verbose_name="marché"
    )
    number = models.PositiveIntegerField("acompte n°")
    month = models.DateField("mois des travaux")
    received_by_moe_on = models.DateField("projet de décompte reçu par le maître d'œuvre le")
    claimed_cumulative_ht = models.DecimalField(
        "cumul demandé par le titulaire HT (€)", max_digits=15, decimal_places=2
    )
    accepted_cumulative_ht = _money("cumul accepté par le maître d'œuvre HT (€)")
    proposed_by = user_fk("proposé par", blank=True)
    decided_on = models.DateField("paiement ordonné le", null=True, blank=True)
    decided_by = user_fk("ordonné par", blank=True)
    paid_on = models.DateField("payé le", null=True, blank=True)
    note = models.TextField("observations", blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "acompte mensuel"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"], name="construction_statement_once"
            )
        ]

    def __str__(self) -> str:
        return f"Acompte n° {self.number}"


SUBSTITUTE_CHOICES = [(s.value, s.label[0].upper() + s.label[1:]) for s in RetentionSubstitute]


class RetentionGuarantee(models.Model):
    """What replaces the retention money on one works contract (CCP R2191-36 to R2191-38): a
    first-demand guarantee at the holder's choice, or a personal surety if the buyer accepts."""

    contract = models.OneToOneField(
        Contract,
        on_delete=models.CASCADE,
        related_name="retention_guarantee",
        verbose_name="marché",
    )
    kind = models.CharField("garantie", max_length=40, choices=SUBSTITUTE_CHOICES)
    guarantor = models.CharField("établissement garant ou caution", max_length=200)
    provided_on = models.DateField("constituée le")
    recorded_by = user_fk("enregistrée par", blank=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "garantie remplaçant la retenue"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.guarantor}"


class CompletionNotice(models.Model):
    """The holder's notice that the works are complete (CCAG-Travaux 2021, art. 41.1), which
    starts the window of the pre-acceptance inspection; the reception is the contracts app's."""

    reception = models.OneToOneField(
        Reception,
        on_delete=models.CASCADE,
        related_name="completion_notice",
        verbose_name="réception",
    )
    notice_on = models.DateField("avis d'achèvement reçu le")
    announced_completion_on = models.DateField("achèvement annoncé pour le", null=True, blank=True)
    recorded_by = user_fk("enregistré par", blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "avis d'achèvement des travaux"

    def __str__(self) -> str:
        return f"Avis d'achèvement du {self.notice_on:%d/%m/%Y}"


class WorksPossession(models.Model):
    """The buyer taking possession of the works of one reception. It follows the reception; before
    it, only in an emergency and after a contradictory condition survey (CCAG-Travaux 2021, art.
    41.8), and for some works before the whole is complete, after a partial reception (art. 42.2).
    The reception is the contracts app's."""

    reception = models.OneToOneField(
        Reception,
        on_delete=models.CASCADE,
        related_name="possession",
        verbose_name="réception",
    )
    possession_on = models.DateField("prise de possession le")
    condition_survey_on = models.DateField(
        "état des lieux contradictoire dressé le", null=True, blank=True
    )
    urgency = models.CharField("motif de l'urgence", max_length=500, blank=True)
    recorded_by = user_fk("enregistré par", blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "prise de possession des ouvrages"

    def __str__(self) -> str:
        return f"Prise de possession du {self.possession_on:%d/%m/%Y}"
