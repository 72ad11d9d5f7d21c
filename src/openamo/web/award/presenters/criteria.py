"""The award criteria with their methods explained, the DCE's verdict and the criteria's review."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from openamo.award import METHODS
from openamo.award.dossier import ConsultationFile
from openamo.award.models import CriterionInput, ScoreResult
from openamo.documents.dce import missing_information
from openamo.web.award.marking import decimal_label
from openamo.web.award.presenters.labels import CheckRow, checks


@dataclass(frozen=True)
class SubCriterionRow:
    name: str
    weight: str
    disclosed: bool
    environmental: bool
    description: str


@dataclass(frozen=True)
class GridRow:
    mark: str
    label: str
    expected: str


@dataclass(frozen=True)
class CriterionRow:
    """One criterion of the criteria page: its weight, and its formula or its scale and grid."""

    index: int
    name: str
    kind: str
    weight: str
    description: str
    environmental: bool
    is_price: bool
    method: str = ""
    formula: str = ""
    explanation: str = ""
    scale: str = ""
    sub_criteria: list[SubCriterionRow] = field(default_factory=list)
    grid: list[GridRow] = field(default_factory=list)


def criteria_rows(criteria: list[CriterionInput]) -> list[CriterionRow]:
    rows = []
    for index, criterion in enumerate(criteria):
        row = CriterionRow(
            index=index,
            name=criterion.name,
            kind=criterion.kind.label,
            weight=f"{decimal_label(criterion.weight)} %",
            description=criterion.description or "",
            environmental=criterion.takes_environment_into_account,
            is_price=criterion.kind.is_price,
        )
        if criterion.kind.is_price:
            info = METHODS[criterion.price_method]
            row = replace(
                row, method=info.label, formula=info.formula, explanation=info.explanation
            )
        else:
            row = replace(
                row,
                scale=decimal_label(criterion.scale),
                sub_criteria=[
                    SubCriterionRow(
                        name=sub.name,
                        weight=decimal_label(sub.weight),
                        disclosed=sub.disclosed,
                        environmental=sub.environmental,
                        description=sub.description or "",
                    )
                    for sub in criterion.sub_criteria
                ],
                grid=[
                    GridRow(
                        mark=decimal_label(level.mark),
                        label=level.label,
                        expected=level.expected or "",
                    )
                    for level in sorted(criterion.grid or [], key=lambda level: level.mark)
                ],
            )
        rows.append(row)
    return rows


@dataclass(frozen=True)
class MethodRow:
    label: str
    formula: str
    explanation: str


def methods_explained() -> list[MethodRow]:
    return [MethodRow(info.label, info.formula, info.explanation) for info in METHODS.values()]


@dataclass(frozen=True)
class DceVerdict:
    """The domain's verdict on a consultation file that can be produced."""

    procedure: str
    response_days: int
    min_response_days: int | None
    checks: list[CheckRow]
    warnings: list[str]
    ambiguities: list[str]
    references: list[str]
    missing: list[str]
    """What the buyer has not given: highlighted « À compléter » in the pieces, listed before
    the download so that it is filled in first."""


def dce_verdict(file: ConsultationFile) -> DceVerdict:
    findings = file.findings
    return DceVerdict(
        procedure=file.procedure_type.label,
        response_days=file.response_days,
        min_response_days=file.procedure.min_response_days,
        checks=checks(findings.checks),
        warnings=findings.warnings,
        ambiguities=findings.ambiguities,
        references=findings.references,
        missing=missing_information(file),
    )


@dataclass(frozen=True)
class Review:
    """What the criteria page shows of the domain's checks (each with its references)."""

    checks: list[CheckRow]
    compliant: bool
    warnings: list[str]
    ambiguities: list[str]
    references: list[str]


def review(result: ScoreResult) -> Review:
    found = checks(result.criteria_checks)
    return Review(
        checks=found,
        compliant=result.compliant,
        warnings=result.warnings,
        ambiguities=result.ambiguities,
        references=list(dict.fromkeys(ref for check in found for ref in check.references)),
    )
