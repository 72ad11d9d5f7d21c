"""The framing questionnaire: questions, their sections and the framing's summary."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from openamo.steering import FramingResult
from openamo.steering.enums import (
    AnswerStatus,
)
from openamo.web.steering.forms.framing import RowForm
from openamo.web.steering.presenters.labels import (
    RISK_BADGES,
    number,
)

ANSWER_BADGES = {
    AnswerStatus.COMPLETE: "success",
    AnswerStatus.PARTIELLE: "warning",
    AnswerStatus.MANQUANTE: "error",
}


@dataclass(frozen=True)
class Question:
    """One of the ten questions as assessed by the domain, with its status label and badge."""

    id: str
    number: int
    question: str
    status_label: str
    badge: str
    points: str
    max_points: int
    missing: list[str]
    why_it_matters: str


@dataclass(frozen=True)
class FormsetRow:
    title: str
    fields: list[tuple[forms.BoundField, int]]
    """Each field of the row with its column width (out of 12)."""


@dataclass(frozen=True)
class QuestionSection:
    """A question of the questionnaire: its text, its fields and, for a list, its rows."""

    number: int
    question: str
    why_it_matters: str
    fields: list[forms.BoundField]
    formset: forms.BaseFormSet[RowForm] | None
    rows: list[FormsetRow]
    formset_legend: str


@dataclass(frozen=True)
class FramingSummary:
    score: str
    risk: str
    risk_badge: str
    complete: int
    partial: int
    missing: int


def questions(result: FramingResult) -> list[Question]:
    """The ten questions of the domain's assessment, with status labels and badges."""
    return [
        Question(
            id=q.id,
            number=q.number,
            question=q.question,
            status_label=q.status.label,
            badge=ANSWER_BADGES[q.status],
            points=number(q.points, 1),
            max_points=q.max_points,
            missing=q.missing,
            why_it_matters=q.why_it_matters,
        )
        for q in result.questions
    ]


def framing_summary(result: FramingResult) -> FramingSummary:
    level = result.risk_level
    return FramingSummary(
        score=number(result.completeness_score, 1),
        risk=level.label,
        risk_badge=RISK_BADGES[level],
        complete=result.complete_answers,
        partial=result.partial_answers,
        missing=result.missing_answers_count,
    )
