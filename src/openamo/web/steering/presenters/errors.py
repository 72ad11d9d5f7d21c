"""The domain's French messages put next to the fields they concern."""

from __future__ import annotations

from django import forms

from openamo.errors import OpenAMOError


def attach_domain_errors(form: forms.Form, exc: OpenAMOError) -> None:
    """The domain's French messages next to the fields they concern, else above the form."""
    if not exc.details:
        form.add_error(None, exc.message)
        return
    for detail in exc.details:
        name = detail.location.rsplit(".", 1)[-1].split("[")[0]
        if name in form.fields:
            form.add_error(name, detail.message)
        else:
            form.add_error(None, f"{detail.location} : {detail.message}")
