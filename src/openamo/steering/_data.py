"""Loads the steering data files (``steering/data/*.yaml``): published figures, framing questions,
alert thresholds and the pre-filled risk register. Figures live in data, never in code.

A malformed file fails loudly with one French :class:`OpenAMOError` (code ``steering_data``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from openamo.errors import OpenAMOError
from openamo.steering.enums import RiskLevel

DATA_DIR = Path(__file__).parent / "data"

Confidence = Literal["primaire", "secondaire", "faible", "hypothese"]
CONFIDENCE_LABELS: dict[str, str] = {
    "primaire": "source primaire lue",
    "secondaire": "sources secondaires concordantes",
    "faible": "source unique et intéressée",
    "hypothese": "hypothèse de modélisation calibrée sur les sources",
}


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Data):
    short: str = Field(min_length=1)
    citation: str = Field(min_length=1)
    url: str | None
    published_on: date | None
    checked_on: date
    confidence: Confidence
    note: str | None = None


class Figure(_Data):
    value: Decimal
    unit: Literal["/1"]
    description: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)
    confidence: Confidence
    note: str | None = None


class Benchmarks(_Data):
    description: str
    metadata: dict[str, Any]
    sources: dict[str, Source]
    figures: dict[str, Figure]
    worked_example: dict[str, str | None]

    @model_validator(mode="after")
    def _sources_exist(self) -> Benchmarks:
        for name, figure in self.figures.items():
            unknown = [s for s in figure.sources if s not in self.sources]
            if unknown:
                raise ValueError(f"chiffre {name} : sources inconnues {unknown}")
        return self

    def value(self, name: str) -> Decimal:
        return self.figure(name).value

    def figure(self, name: str) -> Figure:
        try:
            return self.figures[name]
        except KeyError:
            raise OpenAMOError(
                f"Chiffre de référence inconnu : « {name} ».", "steering_data"
            ) from None

    def reference(self, source_id: str) -> str:
        """A citation with its confidence, as it appears in a result's ``references``."""
        source = self.sources[source_id]
        return f"{source.citation} (confiance : {CONFIDENCE_LABELS[source.confidence]})"


class Question(_Data):
    id: str
    number: int = Field(ge=1, le=10)
    question: str
    weight: int = Field(ge=1, le=100)
    critical: bool
    pitfall: str | None
    why_it_matters: str
    references: tuple[str, ...] = ()


class ScoreLevel(_Data):
    min_score: int = Field(ge=0, le=100)
    level: RiskLevel


class FramingRules(_Data):
    description: str
    metadata: dict[str, Any]
    partial_credit: Decimal = Field(ge=0, le=1)
    risk_levels: tuple[ScoreLevel, ...]
    critical_missing_floor: RiskLevel
    questions: tuple[Question, ...] = Field(min_length=10, max_length=10)

    @model_validator(mode="after")
    def _weights_sum_to_100(self) -> FramingRules:
        if sum(q.weight for q in self.questions) != 100:
            raise ValueError("la somme des poids des dix questions doit valoir 100")
        if [q.number for q in self.questions] != list(range(1, 11)):
            raise ValueError("les questions doivent être numérotées de 1 à 10 dans l'ordre")
        return self

    def level_for(self, score: Decimal) -> RiskLevel:
        for step in sorted(self.risk_levels, key=lambda s: -s.min_score):
            if score >= step.min_score:
                return step.level
        return RiskLevel.CRITIQUE


class MarginAlerts(_Data):
    vigilance: Decimal = Field(gt=0)
    alerte: Decimal = Field(gt=0)
    depassement: Decimal = Field(gt=0)
    note: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> MarginAlerts:
        if not self.vigilance < self.alerte <= self.depassement:
            raise ValueError("seuils d'alerte non ordonnés (vigilance < alerte ≤ dépassement)")
        return self


class DatedValue(_Data):
    value: Decimal
    source: str | None = None
    note: str | None = None


class RiskScale(_Data):
    probability: dict[int, str]
    impact: dict[int, str]
    levels: tuple[ScoreLevel, ...]

    def level_for(self, score: int) -> RiskLevel:
        for step in sorted(self.levels, key=lambda s: -s.min_score):
            if score >= step.min_score:
                return step.level
        return RiskLevel.FAIBLE


class Thresholds(_Data):
    description: str
    metadata: dict[str, Any]
    default_margin_rate: DatedValue
    margin_alerts: MarginAlerts
    schedule_tolerance: DatedValue
    adoption_review_months: int = Field(ge=1, le=24)
    kpi_on_track_ratio: Decimal = Field(gt=0, le=1)
    risk_scale: RiskScale


class RiskTemplate(_Data):
    id: str
    title: str
    description: str
    probability: int = Field(ge=1, le=5)
    probability_when_framed: int = Field(ge=1, le=5)
    impact: int = Field(ge=1, le=5)
    owner: str
    framing_questions: tuple[str, ...]
    mitigation: tuple[str, ...]
    contract_clauses: tuple[str, ...]
    references: tuple[str, ...] = ()


class RiskCatalogue(_Data):
    description: str
    metadata: dict[str, Any]
    risks: tuple[RiskTemplate, ...] = Field(min_length=5)


M = TypeVar("M", bound=BaseModel)


def _load(name: str, model: type[M]) -> M:
    file = DATA_DIR / name
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
        return model.model_validate(raw)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise OpenAMOError(
            f"Fichier de données du pilotage illisible ou invalide ({name}) : {exc}",
            code="steering_data",
        ) from None


@cache
def benchmarks() -> Benchmarks:
    return _load("benchmarks.yaml", Benchmarks)


@cache
def framing_rules() -> FramingRules:
    rules = _load("framing.yaml", FramingRules)
    pitfalls = {risk.id for risk in risk_catalogue().risks}
    for question in rules.questions:
        if question.pitfall is not None and question.pitfall not in pitfalls:
            raise OpenAMOError(
                f"framing.yaml : piège inconnu « {question.pitfall} ».", code="steering_data"
            )
    return rules


@cache
def thresholds() -> Thresholds:
    return _load("thresholds.yaml", Thresholds)


@cache
def risk_catalogue() -> RiskCatalogue:
    return _load("risks.yaml", RiskCatalogue)
