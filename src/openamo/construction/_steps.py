"""Status of a dated step, shared by the reception and final-account calendars."""

from __future__ import annotations

from datetime import date

from openamo.construction.models import Step


def status(due: date | None, done: date | None, as_of: date | None) -> str:
    if due is None:
        return "sans_objet" if done is None else "respecte"
    if done is not None:
        return "respecte" if done <= due else "depasse"
    if as_of is not None and as_of > due:
        return "en_retard"
    return "a_venir"


def step(
    key: str,
    label: str,
    by: str,
    due: date | None,
    done: date | None,
    as_of: date | None,
    consequence: str,
    reference: str,
) -> Step:
    return Step(
        key=key, label=label, by=by, due_on=due, done_on=done,
        status=status(due, done, as_of), consequence=consequence, reference=reference,
    )  # fmt: skip
