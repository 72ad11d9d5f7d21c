"""Execution follow-up: service orders, issues, receptions and reserves, penalties, evaluations."""

from __future__ import annotations

from typing import Unpack

from django import forms

from openamo.web.contracts.forms.fields import DecisionDateMixin, SectionedForm
from openamo.web.contracts.models import (
    EvaluationStage,
    ServiceOrderKind,
)
from openamo.web.contracts.quality import CRITERIA, MARKS
from openamo.web.contracts.requests import (
    DecisionOnReception,
    EvaluationEntry,
    Issue,
    Lifting,
    PenaltyRequest,
    ReceptionDraft,
    ReserveEntry,
    ServiceOrderDraft,
)
from openamo.web.forms import (
    Files,
    FormOptions,
    OpenAMOForm,
    Posted,
    amount_field,
    date_field,
)


class ServiceOrderForm(OpenAMOForm):
    kind = forms.ChoiceField(label="Nature de l'ordre de service", choices=ServiceOrderKind.choices)
    subject = forms.CharField(label="Objet", max_length=300)
    description = forms.CharField(
        label="Prescriptions", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    effective_on = date_field("Date d'effet", required=False)

    def request(self) -> ServiceOrderDraft:
        d = self.cleaned_data
        return ServiceOrderDraft(d["kind"], d["subject"], d["description"], d["effective_on"])


class IssueForm(OpenAMOForm):
    issued_on = date_field("Signé et émis le", not_after_today=True)
    acknowledged_on = date_field("Reçu par le titulaire le", required=False, not_after_today=True)

    def clean(self) -> None:
        super().clean()
        data = self.cleaned_data
        issued, received = data.get("issued_on"), data.get("acknowledged_on")
        if issued and received and received < issued:
            self.add_error("acknowledged_on", "L'accusé de réception précède l'émission.")

    def request(self) -> Issue:
        return Issue(self.cleaned_data["issued_on"], self.cleaned_data["acknowledged_on"])


class ReceptionForm(OpenAMOForm):
    label = forms.CharField(
        label="Objet de la réception",
        max_length=200,
        help_text="Exemple : Admission des livraisons du premier trimestre",
    )
    inspected_on = date_field("Opérations de vérification le")
    note = forms.CharField(
        label="Observations", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def request(self) -> ReceptionDraft:
        d = self.cleaned_data
        return ReceptionDraft(d["label"], d["inspected_on"], d["note"])


class ReceptionDecisionForm(DecisionDateMixin, OpenAMOForm):
    decision = forms.ChoiceField(
        label="Décision",
        widget=forms.RadioSelect,
        choices=[
            ("sans_reserve", "Prononcer la réception sans réserve"),
            ("avec_reserves", "Prononcer la réception avec réserves"),
            ("ajournee", "Ajourner la réception"),
            ("refusee", "Refuser la réception"),
        ],
    )
    effective_on = date_field("Date d'effet", required=False)
    note = forms.CharField(
        label="Observations", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def request(self) -> DecisionOnReception:
        d = self.cleaned_data
        return DecisionOnReception(d["decision"], d["decided_on"], d["effective_on"], d["note"])


class ReserveForm(OpenAMOForm):
    description = forms.CharField(label="Réserve", max_length=300)
    due_on = date_field("À lever avant le", required=False)

    def request(self) -> ReserveEntry:
        return ReserveEntry(self.cleaned_data["description"], self.cleaned_data["due_on"])


class LiftForm(OpenAMOForm):
    lifted_on = date_field("Levée constatée le", not_after_today=True)
    lifting_note = forms.CharField(label="Constat", max_length=300, required=False)

    def request(self) -> Lifting:
        return Lifting(self.cleaned_data["lifted_on"], self.cleaned_data["lifting_note"])


class PenaltyForm(OpenAMOForm):
    reason = forms.CharField(
        label="Manquement constaté",
        max_length=300,
        help_text="Exemple : Livraison du 14/10 arrivée avec deux jours de retard",
    )
    due_on = date_field("Date contractuelle d'exécution")
    delivered_on = date_field("Date d'exécution effective", not_after_today=True)
    late_value_ht = amount_field(
        "Valeur des prestations en retard HT (€)",
        required=False,
        help_text="Pour les CCAG FCS, TIC, PI, MI et MOE ; par défaut le montant du marché.",
    )

    def clean(self) -> None:
        super().clean()
        data = self.cleaned_data
        due, done = data.get("due_on"), data.get("delivered_on")
        if due and done and done <= due:
            self.add_error(
                "delivered_on", "L'exécution est intervenue dans le délai : pas de retard."
            )

    def request(self) -> PenaltyRequest:
        d = self.cleaned_data
        return PenaltyRequest(
            reason=d["reason"],
            due_on=d["due_on"],
            delivered_on=d["delivered_on"],
            late_value_ht=d["late_value_ht"],
        )


class PenaltyDecisionForm(OpenAMOForm):
    decision = forms.ChoiceField(
        label="Décision",
        widget=forms.RadioSelect,
        choices=[
            ("validee", "Appliquer la pénalité (après les observations du titulaire)"),
            ("abandonnee", "Abandonner la pénalité"),
        ],
    )


class EvaluationForm(SectionedForm):
    stage = forms.ChoiceField(label="Moment de l'évaluation", choices=EvaluationStage.choices)
    milestone = forms.CharField(
        label="Jalon", max_length=200, help_text="Exemple : Fin de la première année d'exécution"
    )
    evaluated_on = date_field("Évaluée le")
    comments = forms.CharField(
        label="Appréciation générale",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Points forts, points à améliorer, à retenir pour la prochaine consultation.",
    )

    def __init__(
        self, data: Posted | None = None, files: Files | None = None, **options: Unpack[FormOptions]
    ) -> None:
        super().__init__(data, files, **options)
        for code, label in CRITERIA:
            self.fields[code] = forms.TypedChoiceField(
                label=label,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "Non évalué"), *MARKS],
            )
        self.sections = [
            ("L'évaluation", ["stage", "milestone", "evaluated_on"]),
            ("Notes de 1 à 5", [code for code, _ in CRITERIA]),
            ("Appréciation", ["comments"]),
        ]

    def request(self) -> EvaluationEntry:
        d = self.cleaned_data
        return EvaluationEntry(
            stage=d["stage"],
            milestone=d["milestone"],
            marks={code: d[code] for code, _ in CRITERIA if d.get(code) is not None},
            evaluated_on=d["evaluated_on"],
            comments=d["comments"],
        )
