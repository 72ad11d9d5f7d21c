"""Fields shared by the steering forms: decimals typed the French way, lists one per line."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from openamo.web.forms import NumberField

HUNDRED = Decimal(100)


def decimal_input(
    label: str,
    *,
    required: bool = False,
    min_value: Decimal | None = None,
    max_value: Decimal | None = None,
    places: int = 4,
    help_text: str = "",
) -> NumberField:
    return NumberField(
        label=label,
        required=required,
        min_value=min_value,
        max_value=max_value,
        max_digits=16,
        decimal_places=places,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class LinesField(forms.CharField):
    """A list typed one item per line."""

    def __init__(self, label: str, help_text: str = "") -> None:
        super().__init__(
            label=label,
            required=False,
            help_text=help_text or "Un élément par ligne.",
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def clean(self, value: object) -> list[str]:
        text = super().clean(value) or ""
        return [line.strip() for line in str(text).splitlines() if line.strip()]


def text(label: str, *, max_length: int = 200, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length, help_text=help_text)


def area(label: str, *, max_length: int = 2000, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def normal(value: Decimal | None) -> Decimal | None:
    """A typed decimal in its shortest form (« 6,50 » → 6.5), as the domain records it."""
    return None if value is None else value.normalize()


def fraction(percent: Decimal | None) -> Decimal | None:
    """The fraction the domain reads, from a percentage typed by the user (10 → 0.1)."""
    return None if percent is None else (percent / HUNDRED).normalize()


def percent(fraction: Decimal | None) -> Decimal | None:
    """The percentage shown for a fraction of the domain (0.1 → 10)."""
    return None if fraction is None else fraction * HUNDRED
