"""Persistence of the passation phase: criteria, candidacies, offers, the analysis of each lot
and the settings of the consultation file (DCE).

Every rule lives in ``openamo.award`` and ``openamo.documents``: these rows keep what the user
entered in the domain's JSON contract form (criteria, marks) and what the domain answered.
"""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from pydantic import TypeAdapter

from openamo.award import AbnormalOutcome, OfferStatus
from openamo.award.models import (
    CandidacyInput,
    CandidacyResult,
    CriterionInput,
    LotResult,
    MarkValue,
    OfferInput,
    ScoreEntry,
    ScoreInput,
    ScoreResult,
)
from openamo.validation import french_errors
from openamo.web.award.requests import DceRequest
from openamo.web.fields import user_fk
from openamo.web.operations.models import Lot, Operation
from openamo.web.softdelete import ALIVE, SoftDeletable

_SCORES: TypeAdapter[dict[str, ScoreEntry]] = TypeAdapter(dict[str, MarkValue])
OFFER_STATUS_CHOICES = [(status.value, status.label) for status in OfferStatus]
ABNORMAL_OUTCOME_CHOICES = [
    (AbnormalOutcome.JUSTIFIEE.value, "Justifications admises : l'offre est maintenue"),
    (
        AbnormalOutcome.REJETEE.value,
        "Justifications insuffisantes : offre rejetée par décision motivée (R2152-4)",
    ),
]


class AnalysisStatus(models.TextChoices):
    PROPOSEE = "proposee", "Classement proposé, en attente de validation"
    VALIDEE = "validee", "Classement validé par le maître d'ouvrage"


class CriteriaSet(models.Model):
    """The award criteria of an operation (the same for all its lots), as published in the RC."""

    operation = models.OneToOneField(
        Operation, on_delete=models.CASCADE, related_name="award_criteria", verbose_name="opération"
    )
    criteria = models.JSONField(
        "critères (format du domaine)", default=list, encoder=DjangoJSONEncoder
    )
    standardised_purchase = models.BooleanField(
        "fournitures ou services standardisés", null=True, blank=True
    )
    updated_at = models.DateTimeField("modifiés le", auto_now=True)
    updated_by = user_fk("modifiés par", blank=True)
    validated_at = models.DateTimeField("validés le", null=True, blank=True)
    validated_by = user_fk("validés par", blank=True)
    validated_input = models.JSONField(
        "critères validés et règles appliquées", default=dict, encoder=DjangoJSONEncoder
    )
    stale_changes = models.JSONField(
        "changements depuis la validation", default=list, encoder=DjangoJSONEncoder
    )

    class Meta:
        verbose_name = "critères de jugement"
        verbose_name_plural = "critères de jugement"

    def __str__(self) -> str:
        return f"Critères de jugement — {self.operation}"

    def to_domain(self) -> list[CriterionInput]:
        """The stored criteria as the domain reads them."""
        with french_errors():
            return [CriterionInput.model_validate(criterion) for criterion in self.criteria]

    def update_from_domain(self, criteria: list[CriterionInput]) -> None:
        self.criteria = [c.model_dump(mode="json", exclude_none=True) for c in criteria]


class Candidacy(SoftDeletable):
    """Admissibility checklist of one candidate (``openamo.award.CandidacyInput``)."""

    operation = models.ForeignKey(
        Operation,
        on_delete=models.CASCADE,
        related_name="award_candidacies",
        verbose_name="opération",
    )
    bidder = models.CharField("candidat", max_length=200)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    postal_address = models.TextField("adresse postale", blank=True)
    application_form = models.BooleanField("lettre de candidature (DC1) ou DUME", default=False)
    declaration_form = models.BooleanField("déclaration du candidat (DC2) ou DUME", default=False)
    sworn_statement = models.BooleanField("déclaration sur l'honneur", default=False)
    powers_of_signatory = models.BooleanField("pouvoir du signataire", null=True, blank=True)
    economic_capacity = models.BooleanField(
        "capacité économique et financière", null=True, blank=True
    )
    technical_capacity = models.BooleanField(
        "capacités techniques et professionnelles", null=True, blank=True
    )
    capacities_sufficient = models.BooleanField("capacités suffisantes", default=True)
    exclusion_ground = models.BooleanField("motif d'exclusion établi", default=False)
    regularisation_requested = models.BooleanField("régularisation demandée", default=False)
    regularisation_requested_on = models.DateField("compléments demandés le", null=True, blank=True)
    regularisation_due_on = models.DateField("compléments attendus le", null=True, blank=True)
    regularised = models.BooleanField("dossier régularisé", default=False)
    comment = models.TextField("commentaire", blank=True)
    result = models.JSONField("verdict", default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "candidature"
        ordering = ["bidder", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "bidder"],
                condition=ALIVE,
                name="award_unique_live_candidacy",
            )
        ]
        indexes = [models.Index(fields=["operation", "deleted_at"], name="award_cand_op_live")]

    def __str__(self) -> str:
        return f"Candidature — {self.bidder}"

    def verdict(self) -> CandidacyResult | None:
        """The domain's verdict, as it answered (``None`` before the first check)."""
        return CandidacyResult.model_validate(self.result) if self.result else None

    def to_domain(self) -> CandidacyInput:
        """The checklist as the domain checks it (``amo candidatures`` form)."""
        with french_errors():
            return CandidacyInput(
                bidder=self.bidder,
                application_form=self.application_form,
                declaration_form=self.declaration_form,
                sworn_statement=self.sworn_statement,
                powers_of_signatory=self.powers_of_signatory,
                economic_capacity=self.economic_capacity,
                technical_capacity=self.technical_capacity,
                capacities_sufficient=self.capacities_sufficient,
                exclusion_ground=self.exclusion_ground,
                regularisation_requested=self.regularisation_requested,
                regularised=self.regularised,
                comment=self.comment or None,
            )


class Offer(SoftDeletable):
    """One bidder's offer for one lot (or for the whole contract when there are no lots)."""

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="award_offers", verbose_name="opération"
    )
    lot = models.ForeignKey(
        Lot,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="award_offers",
        verbose_name="lot",
    )
    bidder = models.CharField("soumissionnaire", max_length=200)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    postal_address = models.TextField("adresse postale", blank=True)
    price_ht = models.DecimalField("prix HT (€)", max_digits=15, decimal_places=2)
    dqe = models.JSONField("lignes du DQE", default=list, encoder=DjangoJSONEncoder)
    status = models.CharField(
        "statut", max_length=20, choices=OFFER_STATUS_CHOICES, default=OfferStatus.REGULIERE.value
    )
    status_reason = models.TextField("motif du statut", blank=True)
    regularised = models.BooleanField("régularisée", default=False)
    abnormally_low_outcome = models.CharField(
        "examen des justifications (offre anormalement basse)",
        max_length=20,
        choices=ABNORMAL_OUTCOME_CHOICES,
        blank=True,
    )
    abnormally_low_note = models.TextField("analyse des justifications", blank=True)
    # The R2152-3 exchange, kept in the file: the request, the deadline given, the answer.
    abnormally_low_requested_on = models.DateField(
        "justifications demandées le", null=True, blank=True
    )
    abnormally_low_due_on = models.DateField("réponse attendue le", null=True, blank=True)
    abnormally_low_answered_on = models.DateField("réponse reçue le", null=True, blank=True)
    abnormally_low_answer = models.TextField(
        "justifications apportées par le soumissionnaire", blank=True
    )
    marks = models.JSONField("notes (format du domaine)", default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "offre"
        ordering = ["bidder", "id"]
        indexes = [
            models.Index(fields=["operation", "lot", "deleted_at"], name="award_offer_lot_live")
        ]

    def __str__(self) -> str:
        return f"Offre — {self.bidder}"

    def score_entries(self) -> dict[str, ScoreEntry]:
        """The marks as the domain reads them."""
        return _SCORES.validate_python(self.marks)

    def update_scores(self, scores: dict[str, ScoreEntry]) -> None:
        self.marks = _SCORES.dump_python(scores, mode="json", exclude_none=True)

    def to_domain(self) -> OfferInput:
        """The offer as the domain scores it (``amo offres score`` form)."""
        with french_errors():
            return OfferInput(
                bidder=self.bidder,
                price_ht=self.price_ht,
                scores=self.marks,
                status=OfferStatus(self.status),
                status_reason=self.status_reason or None,
                regularised=self.regularised,
                abnormally_low_outcome=AbnormalOutcome(self.abnormally_low_outcome)
                if self.abnormally_low_outcome
                else None,
                abnormally_low_note=self.abnormally_low_note or None,
                dqe=self.dqe or None,
            )


class LotAnalysis(models.Model):
    """The analysis of the offers of one lot: the proposal, then the maître d'ouvrage's decision."""

    operation = models.ForeignKey(
        Operation,
        on_delete=models.CASCADE,
        related_name="award_analyses",
        verbose_name="opération",
    )
    lot = models.ForeignKey(
        Lot,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="award_analyses",
        verbose_name="lot",
    )
    winners = models.PositiveSmallIntegerField("nombre d'attributaires", default=1)
    tie_break = models.CharField("critère de départage", max_length=200, blank=True)
    budget_ht = models.DecimalField(
        "crédits budgétaires HT (€)", max_digits=15, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        "statut", max_length=20, choices=AnalysisStatus.choices, default=AnalysisStatus.PROPOSEE
    )
    input = models.JSONField("données analysées", default=dict, encoder=DjangoJSONEncoder)
    result = models.JSONField("résultat de l'analyse", default=dict, encoder=DjangoJSONEncoder)
    analysed_at = models.DateTimeField("analysée le", null=True, blank=True)
    analysed_by = user_fk("analysée par", blank=True)
    validated_at = models.DateTimeField("validée le", null=True, blank=True)
    validated_by = user_fk("validée par", blank=True)
    stale_changes = models.JSONField(
        "changements depuis la validation", default=list, encoder=DjangoJSONEncoder
    )

    class Meta:
        verbose_name = "analyse des offres"
        verbose_name_plural = "analyses des offres"
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "lot"],
                condition=models.Q(lot__isnull=False),
                name="award_unique_lot_analysis",
            ),
            models.UniqueConstraint(
                fields=["operation"],
                condition=models.Q(lot__isnull=True),
                name="award_unique_global_analysis",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="award_analysis_status")]

    def __str__(self) -> str:
        where = str(self.lot) if self.lot_id else "marché global"
        return f"Analyse des offres — {where}"

    def analysed_input(self) -> ScoreInput | None:
        """What the analysis was run on (``None`` before the first run)."""
        return ScoreInput.model_validate(self.input) if self.input else None

    def update_from_domain(self, data: ScoreInput, result: ScoreResult) -> None:
        self.input = data.model_dump(mode="json", exclude_none=True)
        self.result = result.model_dump(mode="json")

    def outcome(self) -> ScoreResult | None:
        """The domain's answer, as it answered (``None`` before the first run)."""
        return ScoreResult.model_validate(self.result) if self.result else None

    def lot_outcome(self) -> LotResult | None:
        """The answer for the analysed lot (the analysis has one)."""
        result = self.outcome()
        return result.lots[0] if result is not None and result.lots else None


class DceSettings(models.Model):
    """What the consultation file needs beyond the operation's data (clauses, buyer details)."""

    operation = models.OneToOneField(
        Operation, on_delete=models.CASCADE, related_name="award_dce", verbose_name="opération"
    )
    data = models.JSONField("paramètres", default=dict, encoder=DjangoJSONEncoder)
    updated_at = models.DateTimeField("modifiés le", auto_now=True)
    updated_by = user_fk("modifiés par", blank=True)

    class Meta:
        verbose_name = "paramètres du DCE"
        verbose_name_plural = "paramètres du DCE"

    def __str__(self) -> str:
        return f"Paramètres du DCE — {self.operation}"

    def request(self) -> DceRequest:
        """The settings as typed on their form."""
        return DceRequest.from_stored(self.data)


class TocPages(models.Model):
    """The pages of a generated document's table of contents, kept by the hash of its content
    (:func:`openamo.documents.pagination.content_key`): the LibreOffice print that finds them
    takes seconds, the same DCE downloaded again is numbered from here."""

    key = models.CharField("empreinte du document", max_length=100, primary_key=True)
    pages = models.JSONField("pages du sommaire", default=list)
    created_at = models.DateTimeField("calculées le", auto_now_add=True)

    class Meta:
        verbose_name = "pages d'un sommaire"
        verbose_name_plural = "pages des sommaires"

    def __str__(self) -> str:
        return f"Sommaire {self.key[:12]}… ({len(self.pages)} entrées)"
