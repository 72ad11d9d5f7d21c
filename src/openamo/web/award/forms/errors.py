"""The domain's French messages put next to the field they concern."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms

Routes = Sequence[tuple[str, str]]
"""(words found in the domain's message, field it concerns), first match wins."""


def attach_error(form: forms.BaseForm, message: str, routes: Routes = ()) -> None:
    """Put the domain's French ``message`` next to the field it concerns, else above the form."""
    lowered = message.lower()
    for words, name in routes:
        if words in lowered and name in form.fields:
            form.add_error(name, message)
            return
    form.add_error(None, message)
