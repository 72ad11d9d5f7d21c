"""The award criteria of a lot, their sub-criteria and marking grids."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import TypedDict

from django import forms
from django.http import QueryDict

from openamo.award import METHODS, CriterionKind, PriceMethod, default_grid
from openamo.award.models import DEFAULT_MAX_SCORE, CriterionInput, GridLevel
from openamo.web.award.forms.errors import Routes
from openamo.web.award.forms.fields import number_field, text_area
from openamo.web.award.requests import (
    CriterionRequest,
    GridRow,
    SubCriterionRow,
    suggested_grid,
)
from openamo.web.forms import OpenAMOForm

STANDARDISED = [
    ("", "Non précisé"),
    ("oui", "Oui : fournitures ou services standardisés, de qualité égale"),
    ("non", "Non"),
]
KIND_CHOICES = [(kind.value, kind.label) for kind in CriterionKind]
METHOD_CHOICES = [("", "—"), *((m.value, METHODS[m].label) for m in PriceMethod)]


CRITERION_ROUTES: Routes = (
    ("sans sous-critère", "kind"),
    ("sous-critère", "weight"),
    ("« method »", "method"),
    ("prix ou coût", "kind"),
    ("barème", "max_score"),
    ("grille", "max_score"),
    ("poids", "weight"),
    ("nom", "name"),
)
SUB_CRITERION_ROUTES: Routes = (("poids", "weight"), ("nom", "name"))
GRID_ROUTES: Routes = (("note", "mark"), ("barème", "mark"))


class CriterionForm(OpenAMOForm):
    name = forms.CharField(
        label="Intitulé du critère",
        required=False,
        max_length=200,
        help_text="Laissez vide pour supprimer la ligne.",
    )
    kind = forms.ChoiceField(label="Nature du critère", choices=KIND_CHOICES, required=False)
    weight = number_field("Pondération (%)", help_text="Le total des critères fait 100 %.")
    method = forms.ChoiceField(
        label="Méthode de notation du prix",
        choices=METHOD_CHOICES,
        required=False,
        help_text="Pour un critère prix ou coût seulement ; proportionnelle par défaut.",
    )
    max_score = number_field("Note maximale", help_text="Critère noté : 20 si vide.")
    environmental = forms.BooleanField(
        label="Prend en compte les caractéristiques environnementales de l'offre",
        required=False,
    )
    linked_to_object = forms.BooleanField(
        label="Lié à l'objet du marché ou à ses conditions d'exécution",
        required=False,
        initial=True,
    )
    description = text_area("Ce qui est apprécié", rows=2)

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("name") or "").strip()

    def request(self, stored: CriterionInput | None) -> CriterionRequest:
        """The criterion as typed; sub-criteria and grid are kept from ``stored``."""
        data = self.cleaned_data
        kind = CriterionKind(data.get("kind") or CriterionKind.TECHNIQUE.value)
        typed = CriterionRequest(
            name=data["name"].strip(),
            kind=kind,
            weight=data.get("weight"),
            method=PriceMethod(data["method"]) if data.get("method") else None,
            max_score=data.get("max_score"),
            environmental=bool(data.get("environmental")),
            linked_to_object=bool(data.get("linked_to_object")),
            description=data.get("description") or "",
        )
        if kind.is_price:
            return typed
        # The row keeps the sub-criteria and grid of the criterion it edits; a new criterion,
        # or one whose scale changed under the suggested grid, gets the domain's grid.
        kept = CriterionRequest.from_domain(stored) if stored is not None else None
        grid = kept.grid if kept is not None and kept.grid else None
        if stored is None or stored.grid == default_grid(stored.scale):
            grid = suggested_grid(typed.max_score or DEFAULT_MAX_SCORE)
        return replace(typed, sub_criteria=kept.sub_criteria if kept else (), grid=grid)


def _json_number(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def criterion_initial(criterion: CriterionInput) -> CriterionInitial:
    return {
        "name": criterion.name,
        "kind": criterion.kind.value,
        "weight": _json_number(criterion.weight) or "",
        "method": criterion.method.value if criterion.method else "",
        "max_score": _json_number(criterion.max_score),
        "environmental": criterion.environmental,
        "linked_to_object": criterion.linked_to_object,
        "description": criterion.description or "",
    }


class CriterionInitial(TypedDict):
    """The initial values of a criterion's row (the form's field names; numbers as the stored
    text, so that a row posted back unchanged still counts as filled)."""

    name: str
    kind: str
    weight: str
    method: str
    max_score: str | None
    environmental: bool
    linked_to_object: bool
    description: str


class BlankRow(TypedDict):
    linked_to_object: bool
    kind: str


class SubCriterionInitial(TypedDict):
    name: str
    weight: str
    environmental: bool
    disclosed: bool
    description: str


class BlankSubRow(TypedDict):
    disclosed: bool


class GridInitial(TypedDict):
    mark: Decimal
    label: str
    expected: str


CriteriaFormSet = forms.formset_factory(CriterionForm, extra=0, max_num=30, validate_max=True)


def criteria_formset(
    data: QueryDict | None, criteria: list[CriterionInput]
) -> forms.BaseFormSet[CriterionForm]:
    initial: list[CriterionInitial | BlankRow] = [criterion_initial(c) for c in criteria]
    blanks = max(2, 4 - len(initial))
    initial += [{"linked_to_object": True, "kind": ""} for _ in range(blanks)]
    return CriteriaFormSet(data, initial=initial, prefix="criteres")


class CriteriaSetForm(OpenAMOForm):
    standardised_purchase = forms.ChoiceField(
        label="Achat de fournitures ou services standardisés dont la qualité ne varie pas d'un "
        "opérateur à l'autre ?",
        choices=STANDARDISED,
        required=False,
        help_text="Ne compte que pour un critère unique du prix.",
    )


class SubCriterionForm(OpenAMOForm):
    name = forms.CharField(
        label="Intitulé du sous-critère",
        required=False,
        max_length=200,
        help_text="Laissez vide pour supprimer la ligne.",
    )
    weight = number_field(
        "Poids (en points du total)",
        help_text="La somme des sous-critères est égale au poids du critère.",
    )
    environmental = forms.BooleanField(
        label="Porte sur les caractéristiques environnementales", required=False
    )
    disclosed = forms.BooleanField(
        label="Pondération publiée dans le RC", required=False, initial=True
    )
    description = text_area("Ce qui est apprécié", rows=2)


class GridLevelForm(OpenAMOForm):
    mark = number_field("Note")
    label = forms.CharField(label="Niveau", required=False, max_length=200)
    expected = text_area("Justification attendue pour cette note", rows=2)


SubCriteriaFormSet = forms.formset_factory(SubCriterionForm, extra=0, max_num=20)
GridFormSet = forms.formset_factory(GridLevelForm, extra=0, max_num=20)


def sub_criteria_formset(
    data: QueryDict | None, criterion: CriterionInput
) -> forms.BaseFormSet[SubCriterionForm]:
    initial: list[SubCriterionInitial | BlankSubRow] = [
        SubCriterionInitial(
            name=sub.name,
            weight=_json_number(sub.weight) or "",
            environmental=sub.environmental,
            disclosed=sub.disclosed,
            description=sub.description or "",
        )
        for sub in criterion.sub_criteria
    ]
    initial += [{"disclosed": True} for _ in range(max(2, 4 - len(initial)))]
    return SubCriteriaFormSet(data, initial=initial, prefix="sous")


def grid_formset(
    data: QueryDict | None, criterion: CriterionInput, suggested: list[GridLevel]
) -> forms.BaseFormSet[GridLevelForm]:
    levels = criterion.grid or suggested
    initial: list[GridInitial | dict[str, str]] = [
        {"mark": level.mark, "label": level.label, "expected": level.expected or ""}
        for level in sorted(levels, key=lambda level: level.mark)
    ]
    initial.append({})
    return GridFormSet(data, initial=initial, prefix="grille")


def filled_rows(formset: forms.BaseFormSet[SubCriterionForm]) -> list[SubCriterionForm]:
    return [form for form in formset.forms if (form.cleaned_data.get("name") or "").strip()]


def sub_criterion_row(form: SubCriterionForm) -> SubCriterionRow:
    data = form.cleaned_data
    return SubCriterionRow(
        name=data["name"].strip(),
        weight=data.get("weight"),
        environmental=bool(data.get("environmental")),
        disclosed=bool(data.get("disclosed")),
        description=data.get("description") or "",
    )


def grid_rows(
    formset: forms.BaseFormSet[GridLevelForm],
) -> list[tuple[GridLevelForm, GridRow]]:
    """The levels typed (blank rows left out), each with its form."""
    found = []
    for form in formset.forms:
        data = form.cleaned_data
        if data.get("mark") is None and not (data.get("label") or "").strip():
            continue
        level = GridRow(
            mark=data.get("mark"),
            label=(data.get("label") or "").strip(),
            expected=data.get("expected") or "",
        )
        found.append((form, level))
    return found
