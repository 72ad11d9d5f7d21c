"""The marks given to an offer, one per non-price criterion or sub-criterion."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Unpack

from django import forms

from openamo.web.award.forms.fields import number_field
from openamo.web.award.marking import MarkEntry, MarkSlot
from openamo.web.forms import Files, FormOptions, OpenAMOForm, Posted


class MarksForm(OpenAMOForm):
    """One mark and one written justification per non-price criterion or sub-criterion."""

    def __init__(
        self,
        data: Posted | None = None,
        files: Files | None = None,
        *,
        slots: Iterable[MarkSlot],
        **options: Unpack[FormOptions],
    ) -> None:
        super().__init__(data, files, **options)
        self.slots = list(slots)
        for slot in self.slots:
            self.fields[f"note_{slot.key}"] = _mark_field(slot)
            self.fields[f"justification_{slot.key}"] = forms.CharField(
                label=f"Justification écrite — {slot.where}",
                required=False,
                max_length=10_000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Obligatoire pour enregistrer la note : ce qui, dans l'offre, la fonde.",
            )

    def request(self) -> list[MarkEntry]:
        """The mark and the justification typed for each slot."""
        data = self.cleaned_data
        return [
            MarkEntry.typed(slot, data[f"note_{slot.key}"], data[f"justification_{slot.key}"])
            for slot in self.slots
        ]


def _mark_field(slot: MarkSlot) -> forms.Field:
    label = f"Note — {slot.where} (sur {slot.scale_label})"
    if slot.grid:
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=[("", "— non noté —")]
            + [(level.value, f"{level.mark_label} — {level.label}") for level in slot.grid],
        )
    return number_field(label)
