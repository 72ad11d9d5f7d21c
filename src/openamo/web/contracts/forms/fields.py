"""Building blocks of the contract forms: long forms in fieldsets, durations, decision dates."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from openamo.web.forms import (
    OpenAMOForm,
    date_field,
)

BLANK = [("", "— Choisir —")]


def months_field(label: str, *, help_text: str = "", maximum: int = 600) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, min_value=0, max_value=maximum, help_text=help_text
    )


@dataclass(frozen=True)
class Fieldset:
    """A DSFR fieldset of ``partials/_form.html``: its legend and the fields the form has."""

    legend: str
    fields: list[forms.BoundField]


class SectionedForm(OpenAMOForm):
    """A long form shown in DSFR fieldsets: ``sections`` = (legend, field names)."""

    sections: list[tuple[str, list[str]]] = []

    def fieldsets(self) -> list[Fieldset]:
        return [
            Fieldset(legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.sections
        ]


class DecisionDateMixin(forms.Form):
    """The date of a decision taken (often on paper before it is recorded here)."""

    decided_on = date_field(
        "Décision prise le",
        required=False,
        help_text="Date de la décision signée ; vide, aujourd'hui. Format : JJ/MM/AAAA",
        not_after_today=True,
    )
