"""Risk register pre-filled with the five classic pitfalls of digital projects.

Each pre-filled risk comes from ``steering/data/risks.yaml`` with its probability and impact
(1 to 5), owner, mitigation and the clauses to put in the contract (reversibility and data
export for integrator lock-in). Its probability drops to ``probability_when_framed`` when every
framing question it depends on is answered completely. Users override any field by ``id`` and
add their own risks; criticity = probability × impact, levelled by ``thresholds.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from pydantic import Field

from openamo.errors import OpenAMOError
from openamo.steering import _data
from openamo.steering.enums import AnswerStatus, RiskLevel, RiskStatus
from openamo.validation import InputModel, OutputModel


class RiskEntry(InputModel):
    """A risk of the register: an override of a pre-filled pitfall (same ``id``) or a new one."""

    id: str = Field(min_length=1, max_length=60)
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    probability: int | None = Field(default=None, ge=1, le=5)
    impact: int | None = Field(default=None, ge=1, le=5)
    owner: str | None = Field(default=None, max_length=200)
    mitigation: list[str] | None = Field(default=None, max_length=50)
    status: RiskStatus = RiskStatus.OUVERT
    review_on: date | None = None


class RiskItem(OutputModel):
    id: str
    title: str
    description: str
    probability: int
    impact: int
    score: int
    level: RiskLevel
    owner: str
    mitigation: list[str]
    contract_clauses: list[str]
    references: list[str]
    status: RiskStatus
    review_on: date | None
    prefilled: bool
    rationale: str


def prefilled_register(framing: Mapping[str, AnswerStatus] | None = None) -> list[RiskItem]:
    """The five classic pitfalls, their probability adjusted to the framing answers if known."""
    items = []
    for template in _data.risk_catalogue().risks:
        probability, rationale = _probability(template, framing)
        items.append(_item(template, probability, rationale))
    return _sorted(items)


def build_register(
    entries: Iterable[RiskEntry], framing: Mapping[str, AnswerStatus] | None = None
) -> list[RiskItem]:
    """Pre-filled pitfalls merged with the user's entries (overrides by ``id``, then new risks)."""
    register = {item.id: item for item in prefilled_register(framing)}
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise OpenAMOError(f"Risque « {entry.id} » en double dans le registre.")
        seen.add(entry.id)
        register[entry.id] = _merge(register.get(entry.id), entry)
    return _sorted(list(register.values()))


def _probability(
    template: _data.RiskTemplate, framing: Mapping[str, AnswerStatus] | None
) -> tuple[int, str]:
    if framing is None:
        return template.probability, "Valeur de départ du registre, à ajuster en comité."
    open_questions = [
        question
        for question in template.framing_questions
        if framing.get(question) is not AnswerStatus.COMPLETE
    ]
    if open_questions:
        return template.probability, (
            "Cadrage incomplet sur : " + ", ".join(_question_label(q) for q in open_questions) + "."
        )
    return (
        template.probability_when_framed,
        "Réduit : les questions de cadrage liées sont complètes.",
    )


def _question_label(question_id: str) -> str:
    for question in _data.framing_rules().questions:
        if question.id == question_id:
            return f"question {question.number} ({question.question})"
    return question_id


def _item(template: _data.RiskTemplate, probability: int, rationale: str) -> RiskItem:
    score = probability * template.impact
    return RiskItem(
        id=template.id,
        title=template.title,
        description=template.description,
        probability=probability,
        impact=template.impact,
        score=score,
        level=_data.thresholds().risk_scale.level_for(score),
        owner=template.owner,
        mitigation=list(template.mitigation),
        contract_clauses=list(template.contract_clauses),
        references=list(template.references),
        status=RiskStatus.OUVERT,
        review_on=None,
        prefilled=True,
        rationale=rationale,
    )


def _merge(base: RiskItem | None, entry: RiskEntry) -> RiskItem:
    if base is None:
        missing = [
            name
            for name, value in (
                ("intitulé", entry.title),
                ("probabilité", entry.probability),
                ("impact", entry.impact),
            )
            if value is None
        ]
        if missing:
            raise OpenAMOError(
                f"Nouveau risque « {entry.id} » : "
                + (
                    "champ obligatoire manquant : "
                    if len(missing) == 1
                    else "champs obligatoires manquants : "
                )
                + ", ".join(missing)
                + "."
            )
    probability = entry.probability or (base.probability if base else 1)
    impact = entry.impact or (base.impact if base else 1)
    score = probability * impact
    return RiskItem(
        id=entry.id,
        title=entry.title or (base.title if base else entry.id),
        description=entry.description or (base.description if base else ""),
        probability=probability,
        impact=impact,
        score=score,
        level=_data.thresholds().risk_scale.level_for(score),
        owner=entry.owner or (base.owner if base else "à désigner"),
        mitigation=entry.mitigation
        if entry.mitigation is not None
        else (base.mitigation if base else []),
        contract_clauses=base.contract_clauses if base else [],
        references=base.references if base else [],
        status=entry.status,
        review_on=entry.review_on,
        prefilled=base is not None and base.prefilled,
        rationale="Valeurs saisies en comité de pilotage."
        if base is None or entry.probability or entry.impact
        else base.rationale,
    )


def _sorted(items: list[RiskItem]) -> list[RiskItem]:
    return sorted(items, key=lambda item: (-item.score, item.id))
