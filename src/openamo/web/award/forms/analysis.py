"""The settings of a lot's analysis: winners, tie-break, budget."""

from __future__ import annotations

from typing import Unpack

from django import forms

from openamo.web.award.mappers import RankingSettings
from openamo.web.forms import Files, FormOptions, OpenAMOForm, Posted, amount_field


class AnalysisForm(OpenAMOForm):
    winners = forms.IntegerField(
        label="Nombre d'attributaires",
        min_value=1,
        max_value=50,
        initial=1,
        help_text="Plus d'un en cas de multi-attribution annoncée dans le RC (accord-cadre).",
    )
    tie_break = forms.ChoiceField(
        label="Critère de départage en cas d'égalité",
        required=False,
        help_text="Celui annoncé dans le RC ; sans départage, les ex æquo partagent le rang.",
    )
    budget_ht = amount_field(
        "Crédits budgétaires alloués au lot HT (€)",
        required=False,
        help_text=(
            "Facultatif. Déterminés avant le lancement : une offre qui les dépasse est "
            "inacceptable (L2152-3)."
        ),
    )

    def __init__(
        self,
        data: Posted | None = None,
        files: Files | None = None,
        *,
        criteria_names: list[str],
        **options: Unpack[FormOptions],
    ) -> None:
        super().__init__(data, files, **options)
        field = self.fields["tie_break"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Aucun")] + [(name, name) for name in criteria_names]

    def settings(self) -> RankingSettings:
        data = self.cleaned_data
        return RankingSettings(
            winners=data.get("winners") or 1,
            tie_break=data.get("tie_break") or "",
            budget_ht=data.get("budget_ht"),
        )
