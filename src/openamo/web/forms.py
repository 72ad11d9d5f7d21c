"""The project's form base: django-dsfr rendering, French messages, no transitional warnings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from dsfr.forms import DsfrBaseForm


class OpenAMOForm(DsfrBaseForm):
    """DSFR form (required fields carry the DSFR marker); render with ``{{ form }}``."""

    def get_context(self) -> dict[str, Any]:
        # DsfrBaseForm.get_context only adds a transitional flag and a deprecation warning.
        context: dict[str, Any] = forms.Form.get_context(self)
        context.setdefault("DSFR_MARK_OPTIONAL_FIELDS", False)
        return context


class AmountField(forms.DecimalField):
    """Euros as people type them: « 120 000,00 », « 120000.00 » or « 120 000 € »."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            for char in (" ", "\u00a0", "\u202f", "€"):
                value = value.replace(char, "")
            value = value.replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        return value


def amount_field(label: str, *, required: bool = True, help_text: str = "") -> AmountField:
    return AmountField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_digits=15,
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
