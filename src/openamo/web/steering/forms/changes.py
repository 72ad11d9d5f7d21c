"""Change requests against the frozen baseline, and the maître d'ouvrage's decision on them."""

from __future__ import annotations

from decimal import Decimal
from typing import Unpack

from django import forms
from django.utils import timezone

from openamo.money import format_euros
from openamo.steering.changes import MAX_DELAY_DAYS, SAVING_ONLY, TIME_SAVING_ONLY
from openamo.steering.enums import ChangeKind, ChangeValue, Decision
from openamo.web.forms import Files, FormOptions, OpenAMOForm, Posted, amount_field, date_field
from openamo.web.steering.inputs import ChangeEntry, DecisionEntry
from openamo.web.steering.models import CHANGE_KIND_CHOICES, CHANGE_VALUE_CHOICES, ChangeRequest


class ChangeRequestForm(OpenAMOForm):
    title = forms.CharField(label="Intitulé de la demande", max_length=300)
    kind = forms.ChoiceField(label="Nature", choices=CHANGE_KIND_CHOICES)
    feature = forms.CharField(
        label="Fonctionnalité concernée",
        required=False,
        max_length=200,
        help_text="Pour une modification ou une suppression : la fonctionnalité de la base.",
    )
    requested_on = date_field("Date de la demande", not_after_today=True)
    requested_by = forms.CharField(
        label="Demandeur", required=False, max_length=200, help_text="Service ou personne."
    )
    cost_ht = amount_field(
        "Coût HT (€)",
        minimum=None,
        help_text="Négatif pour une économie (suppression ou simplification d'une "
        "fonctionnalité), dans la limite du budget. Exemple : 2 400,00",
    )
    delay_days = forms.IntegerField(
        label="Délai supplémentaire (jours)",
        min_value=-MAX_DELAY_DAYS,
        max_value=MAX_DELAY_DAYS,
        initial=0,
        help_text="Glissement de la mise en service si la demande est acceptée (0 si aucun ; "
        "négatif si une suppression l'avance).",
    )
    value = forms.ChoiceField(label="Valeur métier", choices=CHANGE_VALUE_CHOICES)
    justification = forms.CharField(
        label="Justification",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Pourquoi cette évolution, et ce qui se passe si elle est refusée.",
    )

    def __init__(
        self,
        data: Posted | None = None,
        files: Files | None = None,
        *,
        budget_ht: Decimal | None = None,
        **options: Unpack[FormOptions],
    ) -> None:
        super().__init__(data, files, **options)
        self.budget_ht = budget_ht
        self.fields["requested_on"].initial = timezone.localdate()

    @classmethod
    def of(cls, request: ChangeRequest) -> dict[str, object]:
        """The initial values (Django's ``initial``) for editing a stored request."""
        return {
            "title": request.title,
            "kind": request.kind,
            "feature": request.feature,
            "requested_on": request.requested_on,
            "requested_by": request.requested_by,
            "cost_ht": request.cost_ht,
            "delay_days": request.delay_days,
            "value": request.value,
            "justification": request.justification,
        }

    def clean(self) -> None:
        super().clean()
        data = self.cleaned_data
        delay = data.get("delay_days")
        if delay is not None and delay < 0 and data.get("kind") == ChangeKind.AJOUT.value:
            self.add_error("delay_days", TIME_SAVING_ONLY)
        cost = data.get("cost_ht")
        if cost is None or cost >= 0:
            return
        if data.get("kind") == ChangeKind.AJOUT.value:
            self.add_error("cost_ht", SAVING_ONLY)
        elif self.budget_ht is not None and -cost > self.budget_ht:
            self.add_error(
                "cost_ht",
                f"Une économie de {format_euros(-cost)} dépasse le budget du projet "
                f"({format_euros(self.budget_ht)} HT) : vérifiez le montant.",
            )

    def entry(self) -> ChangeEntry:
        d = self.cleaned_data
        return ChangeEntry(
            title=d["title"],
            kind=ChangeKind(d["kind"]),
            requested_on=d["requested_on"],
            cost_ht=d["cost_ht"],
            delay_days=d["delay_days"],
            value=ChangeValue(d["value"]),
            justification=d["justification"],
            feature=d["feature"],
            requested_by=d["requested_by"],
        )


DECISIONS = [
    (Decision.ACCEPTEE.value, "Accepter la demande"),
    (Decision.REFUSEE.value, "Refuser la demande"),
    (Decision.REPORTEE.value, "Reporter à une version ultérieure"),
]


class DecisionForm(OpenAMOForm):
    decision = forms.ChoiceField(
        label="Décision du maître d'ouvrage", choices=DECISIONS, widget=forms.RadioSelect
    )
    decided_on = date_field("Date de la décision", not_after_today=True)
    decision_note = forms.CharField(
        label="Motif de la décision",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, data: Posted | None = None, files: Files | None = None, **options: Unpack[FormOptions]
    ) -> None:
        super().__init__(data, files, **options)
        self.fields["decided_on"].initial = timezone.localdate()

    def entry(self) -> DecisionEntry:
        d = self.cleaned_data
        return DecisionEntry(
            decision=Decision(d["decision"]),
            decided_on=d["decided_on"],
            decision_note=d["decision_note"],
        )
