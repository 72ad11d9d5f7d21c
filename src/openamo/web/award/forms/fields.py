"""Fields shared by the passation forms: decimals typed the French way, free text, tri-states."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from openamo.web.forms import NumberField


def tri_state(value: bool | None) -> str:
    return "" if value is None else ("oui" if value else "non")


def from_tri_state(value: str) -> bool | None:
    return None if not value else value == "oui"


def number_field(label: str, *, required: bool = False, help_text: str = "") -> NumberField:
    return NumberField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_digits=9,
        decimal_places=4,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def text_area(
    label: str, *, help_text: str = "", rows: int = 3, max_length: int = 5000
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )
