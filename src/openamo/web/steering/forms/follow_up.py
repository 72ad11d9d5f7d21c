"""Following the validated baseline: milestone progress, the risk register, KPI measurements."""

from __future__ import annotations

from typing import Unpack

from django import forms
from django.utils import timezone

from openamo.steering import RiskItem
from openamo.steering.enums import RiskStatus
from openamo.web.forms import Files, FormOptions, OpenAMOForm, Posted, date_field
from openamo.web.steering.forms.fields import decimal_input
from openamo.web.steering.inputs import MeasurementEntry, MilestoneEntry, RiskFields
from openamo.web.steering.models import RISK_STATUS_CHOICES, MilestoneProgress

SCALE = [(n, str(n)) for n in range(1, 6)]


class MilestoneForm(OpenAMOForm):
    forecast_on = date_field(
        "Nouvelle date prévue",
        required=False,
        help_text="Laissez vide pour reporter les délais des évolutions acceptées. "
        "Format : JJ/MM/AAAA",
    )
    actual_on = date_field("Date à laquelle le jalon a été atteint", required=False)

    @classmethod
    def of(cls, progress: MilestoneProgress | None) -> dict[str, object]:
        """The initial values (Django's ``initial``) from the stored progress, if any."""
        if progress is None:
            return {}
        return {"forecast_on": progress.forecast_on, "actual_on": progress.actual_on}

    def clean(self) -> None:
        super().clean()
        actual = self.cleaned_data.get("actual_on")
        if actual is not None and actual > timezone.localdate():
            self.add_error(
                "actual_on",
                "Un jalon ne peut pas être atteint dans le futur : indiquez plutôt une nouvelle "
                "date prévue.",
            )

    def entry(self) -> MilestoneEntry:
        d = self.cleaned_data
        return MilestoneEntry(forecast_on=d["forecast_on"], actual_on=d["actual_on"])


class RiskForm(OpenAMOForm):
    title = forms.CharField(label="Intitulé du risque", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    probability = forms.TypedChoiceField(
        label="Probabilité", choices=SCALE, coerce=int, help_text="De 1 (rare) à 5 (quasi certain)."
    )
    impact = forms.TypedChoiceField(
        label="Impact", choices=SCALE, coerce=int, help_text="De 1 (négligeable) à 5 (majeur)."
    )
    owner = forms.CharField(label="Responsable", required=False, max_length=200)
    mitigation = forms.CharField(
        label="Mesures de maîtrise",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Une mesure par ligne.",
    )
    status = forms.ChoiceField(label="Statut", choices=RISK_STATUS_CHOICES)
    review_on = date_field("Prochaine revue", required=False)

    @classmethod
    def of(cls, item: RiskItem) -> dict[str, object]:
        """The initial values (Django's ``initial``) from an item of the register."""
        return {
            "title": item.title,
            "description": item.description,
            "probability": item.probability,
            "impact": item.impact,
            "owner": item.owner,
            "mitigation": "\n".join(item.mitigation),
            "status": item.status.value,
            "review_on": item.review_on,
        }

    def entry(self) -> RiskFields:
        d = self.cleaned_data
        return RiskFields(
            title=d["title"],
            probability=d["probability"],
            impact=d["impact"],
            status=RiskStatus(d["status"]),
            description=d["description"],
            owner=d["owner"],
            mitigation=d["mitigation"],
            review_on=d["review_on"],
        )


class MeasurementForm(OpenAMOForm):
    kpi = forms.ChoiceField(label="Indicateur", choices=[])
    measured_on = date_field("Date de la mesure", not_after_today=True)
    value = decimal_input("Valeur mesurée", required=True, help_text="Exemple : 66,5")
    comment = forms.CharField(label="Commentaire", required=False, max_length=300)

    def __init__(
        self,
        data: Posted | None = None,
        files: Files | None = None,
        *,
        kpis: list[tuple[str, str]],
        **options: Unpack[FormOptions],
    ) -> None:
        super().__init__(data, files, **options)
        field = self.fields["kpi"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = kpis
        self.fields["measured_on"].initial = timezone.localdate()

    def entry(self) -> MeasurementEntry:
        d = self.cleaned_data
        return MeasurementEntry(
            kpi=d["kpi"], measured_on=d["measured_on"], value=d["value"], comment=d["comment"]
        )
