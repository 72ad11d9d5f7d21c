"""Framing of an IT project: the ten questions, a completeness / risk score, and the baseline.

``amo projet cadrage`` — input: ``project`` ({"name", "buyer"?, "framed_on"?}) and one optional
block per question: ``objective`` (1: ``statement``, ``kpis``), ``irritants`` (2: list of
``description``, ``users``?, ``source``), ``features`` (3: list of ``name``, ``priority``
indispensable|importante|souhaitable|exclue, ``estimated_cost_ht``?), ``data`` (4: ``inputs``,
``outputs``, ``migration_from``?, ``export_format``?, ``interfaces``), ``compliance`` (5:
``personal_data``, ``sensitive_data``, ``dpo_consulted``, ``impact_assessment``, ``hosting``?,
``other_constraints``), ``budget`` (6: ``maximum_ht``, ``margin_rate``? default 0.10,
``funding_confirmed``?), ``schedule`` (7: ``kickoff_on``, ``acceptance_on``, ``go_live_on``),
``resources`` (8: ``sponsor``, ``project_lead``, ``key_users``, ``days_per_month``?),
``adoption`` (9: ``training_starts_on``, ``training_plan``?, ``communication``, ``champions``),
``value_measurement`` (10: ``kpis``, ``review_after_months``, ``owner``, ``method``?).

Output: ``completeness_score`` (0–100: full weight for a complete answer, half for a partial
one, weights in ``steering/data/framing.yaml``), ``risk_level``, ``questions`` (status, missing
items, why it matters, linked pitfall), ``missing_answers``, ``baseline`` (same shape as the
``baseline`` input of ``amo projet pilotage``) and ``baseline_summary``, ``baseline_ready``,
``risks`` (the pre-filled register adjusted to the answers), ``contract_clauses``, ``warnings``,
``references``, ``explanation``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

from pydantic import Field, StrictBool, model_validator

from openamo.money import format_euros
from openamo.steering import _data
from openamo.steering._types import (
    DecimalText,
    Fraction,
    french_number,
    french_percent,
    quantize,
)
from openamo.steering.baseline import (
    Baseline,
    BaselineSummary,
    Feature,
    KpiTarget,
    Milestone,
    add_months,
    indispensable_share,
    summarise,
)
from openamo.steering.enums import (
    AnswerStatus,
    ImpactAssessment,
    IrritantSource,
    MilestoneKind,
    Priority,
    RiskLevel,
)
from openamo.steering.risks import RiskItem, prefilled_register
from openamo.validation import Amount, InputModel, OutputModel, parse_input
from openamo.wording import count

Text = str


class ProjectInfo(InputModel):
    name: str = Field(min_length=1, max_length=200)
    buyer: str | None = Field(default=None, max_length=200)
    framed_on: date | None = None


class Objective(InputModel):
    statement: str | None = Field(default=None, max_length=2000)
    kpis: list[KpiTarget] = Field(default_factory=list, max_length=50)


class Irritant(InputModel):
    description: str = Field(min_length=1, max_length=1000)
    users: str | None = Field(default=None, max_length=200)
    source: IrritantSource


class DataFlows(InputModel):
    inputs: list[Text] = Field(default_factory=list, max_length=100)
    outputs: list[Text] = Field(default_factory=list, max_length=100)
    migration_from: str | None = Field(default=None, max_length=500)
    export_format: str | None = Field(default=None, max_length=200)
    interfaces: list[Text] = Field(default_factory=list, max_length=100)


class Compliance(InputModel):
    personal_data: StrictBool | None = None
    sensitive_data: StrictBool = False
    dpo_consulted: StrictBool = False
    impact_assessment: ImpactAssessment | None = None
    hosting: str | None = Field(default=None, max_length=200)
    other_constraints: list[Text] = Field(default_factory=list, max_length=50)


class BudgetAnswer(InputModel):
    maximum_ht: Amount
    margin_rate: Fraction | None = Field(default=None, ge=0, le=1)
    funding_confirmed: StrictBool | None = None

    @model_validator(mode="after")
    def _positive(self) -> BudgetAnswer:
        if self.maximum_ht <= 0:
            raise ValueError("le budget maximal doit être strictement positif")
        return self


class ScheduleAnswer(InputModel):
    kickoff_on: date | None = None
    acceptance_on: date | None = None
    go_live_on: date | None = None


class Resources(InputModel):
    sponsor: str | None = Field(default=None, max_length=200)
    project_lead: str | None = Field(default=None, max_length=200)
    key_users: list[Text] = Field(default_factory=list, max_length=100)
    days_per_month: Fraction | None = Field(default=None, ge=0, le=31)


class AdoptionAnswer(InputModel):
    training_starts_on: date | None = None
    training_plan: str | None = Field(default=None, max_length=2000)
    communication: list[Text] = Field(default_factory=list, max_length=50)
    champions: list[Text] = Field(default_factory=list, max_length=100)


class ValueMeasurement(InputModel):
    kpis: list[KpiTarget] = Field(default_factory=list, max_length=50)
    review_after_months: int | None = Field(default=None, ge=1, le=60)
    owner: str | None = Field(default=None, max_length=200)
    method: str | None = Field(default=None, max_length=2000)


class FramingAnswers(InputModel):
    """The answers to the ten questions: the framing record a project keeps and edits."""

    objective: Objective | None = None
    irritants: list[Irritant] = Field(default_factory=list, max_length=100)
    features: list[Feature] = Field(default_factory=list, max_length=500)
    data: DataFlows | None = None
    compliance: Compliance | None = None
    budget: BudgetAnswer | None = None
    schedule: ScheduleAnswer | None = None
    resources: Resources | None = None
    adoption: AdoptionAnswer | None = None
    value_measurement: ValueMeasurement | None = None

    @model_validator(mode="after")
    def _features_unique(self) -> FramingAnswers:
        seen: set[str] = set()
        for feature in self.features:
            key = feature.id or feature.name
            if key in seen:
                raise ValueError(f"fonctionnalité « {key} » en double")
            seen.add(key)
        return self


class FramingInput(FramingAnswers):
    """The input of ``amo projet cadrage``: the project, and its answers."""

    project: ProjectInfo

    @classmethod
    def of(cls, project: ProjectInfo, answers: FramingAnswers) -> FramingInput:
        return cls(project=project, **dict(answers))


class QuestionAssessment(OutputModel):
    id: str
    number: int
    question: str
    status: AnswerStatus
    points: DecimalText
    max_points: int
    missing: list[str]
    why_it_matters: str
    pitfall: str | None


class FramingResult(OutputModel):
    project: str
    completeness_score: DecimalText
    risk_level: RiskLevel
    complete_answers: int
    partial_answers: int
    missing_answers_count: int
    questions: list[QuestionAssessment]
    missing_answers: list[str]
    baseline_ready: bool
    baseline_gaps: list[str]
    baseline: Baseline | None
    baseline_summary: BaselineSummary | None
    risks: list[RiskItem]
    contract_clauses: list[str]
    warnings: list[str]
    references: list[str]
    explanation: str


@dataclass
class _Check:
    """What one question's answer lacks; an empty ``missing`` with ``answered`` means complete."""

    answered: bool = False
    missing: list[str] = field(default_factory=list)

    @property
    def status(self) -> AnswerStatus:
        if not self.answered:
            return AnswerStatus.MANQUANTE
        return AnswerStatus.PARTIELLE if self.missing else AnswerStatus.COMPLETE


def assess_framing_from_dict(data: Any) -> FramingResult:
    """Validate a JSON-like dict (CLI/API contract) and assess the framing."""
    return assess_framing(parse_input(FramingInput, data))


def assess_framing(data: FramingInput) -> FramingResult:
    rules = _data.framing_rules()
    warnings: list[str] = []
    checks: dict[str, Callable[[FramingInput, list[str]], _Check]] = {
        "objectif_metier": _objective,
        "irritants_utilisateurs": _irritants,
        "fonctionnalites_indispensables": _features,
        "donnees": _data_flows,
        "contraintes_reglementaires": _compliance,
        "budget": _budget,
        "planning": _schedule,
        "ressources_internes": _resources,
        "strategie_adoption": _adoption,
        "mesure_valeur": _value,
    }
    assessments = [_assess(q, checks[q.id](data, warnings), rules) for q in rules.questions]
    score = quantize(sum((a.points for a in assessments), Decimal(0)), 1)
    level = _risk_level(score, assessments, rules)
    statuses = {a.id: a.status for a in assessments}
    baseline, gaps = build_baseline(data, statuses)
    risks = prefilled_register(statuses)
    result = FramingResult(
        project=data.project.name,
        completeness_score=score,
        risk_level=level,
        complete_answers=sum(1 for a in assessments if a.status is AnswerStatus.COMPLETE),
        partial_answers=sum(1 for a in assessments if a.status is AnswerStatus.PARTIELLE),
        missing_answers_count=sum(1 for a in assessments if a.status is AnswerStatus.MANQUANTE),
        questions=assessments,
        missing_answers=[
            f"Q{a.number} — {a.question} : {' ; '.join(a.missing)}"
            for a in assessments
            if a.missing
        ],
        baseline_ready=not gaps,
        baseline_gaps=gaps,
        baseline=baseline,
        baseline_summary=summarise(baseline) if baseline else None,
        risks=risks,
        contract_clauses=[c for r in risks for c in r.contract_clauses],
        warnings=warnings,
        references=_references(assessments, risks),
        explanation="",
    )
    return result.model_copy(update={"explanation": _explain(result)})


def _assess(
    question: _data.Question, check: _Check, rules: _data.FramingRules
) -> QuestionAssessment:
    status = check.status
    credit = {
        AnswerStatus.COMPLETE: Decimal(1),
        AnswerStatus.PARTIELLE: rules.partial_credit,
        AnswerStatus.MANQUANTE: Decimal(0),
    }[status]
    missing = check.missing if check.answered else check.missing or ["aucune réponse"]
    return QuestionAssessment(
        id=question.id,
        number=question.number,
        question=question.question,
        status=status,
        points=quantize(question.weight * credit, 1),
        max_points=question.weight,
        missing=missing,
        why_it_matters=question.why_it_matters,
        pitfall=question.pitfall,
    )


def _risk_level(
    score: Decimal, assessments: list[QuestionAssessment], rules: _data.FramingRules
) -> RiskLevel:
    level = rules.level_for(score)
    critical = {q.id for q in rules.questions if q.critical}
    if any(a.id in critical and a.status is AnswerStatus.MANQUANTE for a in assessments):
        floor = rules.critical_missing_floor
        if floor.rank > level.rank:
            return floor
    return level


# ---------------------------------------------------------------------------------------------
# The ten checks: each says what is missing from one answer


def _objective(data: FramingInput, warnings: list[str]) -> _Check:
    answer = data.objective
    check = _Check(answered=answer is not None and bool(answer.statement or answer.kpis))
    if answer is None or not answer.statement:
        check.missing.append("énoncé de l'objectif métier")
    if answer is None or not answer.kpis:
        check.missing.append("au moins un indicateur chiffré (KPI) avec sa cible")
    return check


def _irritants(data: FramingInput, warnings: list[str]) -> _Check:
    check = _Check(answered=bool(data.irritants))
    if not data.irritants:
        check.missing.append("irritants majeurs des utilisateurs")
    elif not any(i.source.from_end_users for i in data.irritants):
        check.missing.append(
            "irritants recueillis auprès des utilisateurs finaux eux-mêmes (entretien, atelier, "
            "enquête ou observation), pas seulement de l'encadrement"
        )
    return check


def _features(data: FramingInput, warnings: list[str]) -> _Check:
    in_scope = [f for f in data.features if f.priority is not Priority.EXCLUE]
    check = _Check(answered=bool(in_scope))
    if not in_scope:
        check.missing.append("liste des fonctionnalités avec leur priorité")
        return check
    if not any(f.priority is Priority.INDISPENSABLE for f in in_scope):
        check.missing.append("au moins une fonctionnalité classée « indispensable »")
        return check
    share = indispensable_share(in_scope)
    limit = _data.benchmarks().value("must_have_max_share")
    if share is not None and share > limit:
        check.missing.append(
            f"priorisation : {french_percent(share, 0)} du périmètre est indispensable "
            f"(au plus {french_percent(limit, 0)} selon DSDM, sinon aucune marge de manœuvre)"
        )
    return check


def _data_flows(data: FramingInput, warnings: list[str]) -> _Check:
    answer = data.data
    check = _Check(
        answered=answer is not None
        and bool(answer.inputs or answer.outputs or answer.export_format or answer.interfaces)
    )
    if answer is None or not answer.inputs:
        check.missing.append("données en entrée (reprise de l'existant, sources)")
    if answer is None or not answer.outputs:
        check.missing.append("données en sortie (états, exports, interfaces)")
    if answer is None or not answer.export_format:
        check.missing.append("format d'export complet des données (réversibilité)")
    return check


def _compliance(data: FramingInput, warnings: list[str]) -> _Check:
    answer = data.compliance
    check = _Check(answered=answer is not None and answer.personal_data is not None)
    if answer is None or answer.personal_data is None:
        check.missing.append("présence ou non de données personnelles")
        return check
    if not answer.personal_data:
        return check
    if not answer.dpo_consulted:
        check.missing.append("avis du délégué à la protection des données (DPO)")
    if answer.impact_assessment in (None, ImpactAssessment.A_DETERMINER):
        check.missing.append("décision sur l'analyse d'impact (AIPD, RGPD art. 35)")
    if answer.sensitive_data and answer.impact_assessment is ImpactAssessment.NON_REQUISE:
        warnings.append(
            "Données sensibles sans analyse d'impact : faites confirmer par le DPO qu'une AIPD "
            "n'est pas requise (RGPD art. 9 et 35)."
        )
    return check


def _budget(data: FramingInput, warnings: list[str]) -> _Check:
    answer = data.budget
    check = _Check(answered=answer is not None)
    if answer is None:
        check.missing.append("budget maximal HT")
        return check
    if answer.funding_confirmed is False:
        check.missing.append("confirmation du financement (inscription budgétaire)")
    margin = answer.margin_rate
    if margin is not None and margin < _data.thresholds().default_margin_rate.value:
        warnings.append(
            f"Marge de {french_percent(margin)} : inférieure aux 10 % recommandés au cadrage, "
            "elle sera consommée par la première demande d'évolution."
        )
    costs = [f.estimated_cost_ht for f in data.features if f.priority is not Priority.EXCLUE]
    known = sum((c for c in costs if c is not None), Decimal(0))
    if known > answer.maximum_ht:
        warnings.append(
            f"Le chiffrage des fonctionnalités ({format_euros(known)} HT) dépasse le budget "
            f"maximal ({format_euros(answer.maximum_ht)} HT) : réduire le périmètre avant de "
            "lancer la consultation."
        )
    return check


def _schedule(data: FramingInput, warnings: list[str]) -> _Check:
    answer = data.schedule
    dates = {
        "date de lancement (kick-off)": answer.kickoff_on if answer else None,
        "date de recette": answer.acceptance_on if answer else None,
        "date de mise en service (go-live)": answer.go_live_on if answer else None,
    }
    check = _Check(answered=any(d is not None for d in dates.values()))
    check.missing.extend(label for label, day in dates.items() if day is None)
    known = [(label, day) for label, day in dates.items() if day is not None]
    for (first, before), (second, after) in pairwise(known):
        if after <= before:
            check.missing.append(
                f"dates incohérentes : la {second} ({after:%d/%m/%Y}) doit suivre la {first} "
                f"({before:%d/%m/%Y})"
            )
    return check


def _resources(data: FramingInput, warnings: list[str]) -> _Check:
    answer = data.resources
    check = _Check(
        answered=answer is not None
        and bool(answer.sponsor or answer.project_lead or answer.key_users)
    )
    if answer is None or not answer.sponsor:
        check.missing.append("sponsor métier nommé")
    if answer is None or not answer.project_lead:
        check.missing.append("chef de projet côté maître d'ouvrage")
    if answer is None or not answer.key_users:
        check.missing.append("référents métier (utilisateurs clés) disponibles")
    return check


def _adoption(data: FramingInput, warnings: list[str]) -> _Check:
    answer = data.adoption
    check = _Check(
        answered=answer is not None
        and bool(answer.training_starts_on or answer.training_plan or answer.communication)
    )
    if answer is None or answer.training_starts_on is None:
        check.missing.append("date de début de la formation des utilisateurs")
    if answer is None or not answer.communication:
        check.missing.append("actions de communication")
    go_live = data.schedule.go_live_on if data.schedule else None
    if answer and answer.training_starts_on and go_live and answer.training_starts_on >= go_live:
        check.missing.append(
            f"formation avant la mise en service (elle commence le "
            f"{answer.training_starts_on:%d/%m/%Y}, mise en service le {go_live:%d/%m/%Y})"
        )
    return check


def _value(data: FramingInput, warnings: list[str]) -> _Check:
    answer = data.value_measurement
    kpis = [*(data.objective.kpis if data.objective else []), *(answer.kpis if answer else [])]
    check = _Check(answered=answer is not None)
    if not kpis:
        check.missing.append("indicateurs de valeur avec leurs cibles")
    if answer is None or answer.review_after_months is None:
        check.missing.append("échéance de la mesure (par exemple adoption à M+3)")
    if answer is None or not answer.owner:
        check.missing.append("responsable de la mesure")
    if kpis and not any(k.is_adoption for k in kpis):
        warnings.append(
            "Aucun indicateur d'adoption : ajoutez le taux d'utilisation à M+3 (part des agents "
            "concernés qui utilisent l'outil)."
        )
    return check


# ---------------------------------------------------------------------------------------------
# Baseline


def build_baseline(
    data: FramingInput, statuses: dict[str, AnswerStatus]
) -> tuple[Baseline | None, list[str]]:
    """The baseline the framing supports, and what keeps it from being signed off."""
    rules = _data.framing_rules()
    gaps = [
        f"question {q.number} ({q.question}) {statuses[q.id].label}"
        for q in rules.questions
        if q.critical and statuses[q.id] is not AnswerStatus.COMPLETE
    ]
    if data.budget is None:
        return None, gaps
    milestones = _milestones(data)
    go_live = next(
        (m.planned_on for m in milestones if m.kind is MilestoneKind.MISE_EN_SERVICE), None
    )
    values: dict[str, Any] = {
        "budget_ht": data.budget.maximum_ht,
        "features": data.features,
        "milestones": milestones,
        "kpis": _kpis(data, go_live),
    }
    if data.budget.margin_rate is not None:
        values["margin_rate"] = data.budget.margin_rate
    return parse_input(Baseline, values), gaps


def _milestones(data: FramingInput) -> list[Milestone]:
    schedule = data.schedule
    if schedule is None:
        return []
    planned = [
        ("lancement", "Lancement (kick-off)", MilestoneKind.LANCEMENT, schedule.kickoff_on),
        ("recette", "Recette", MilestoneKind.RECETTE, schedule.acceptance_on),
        (
            "mise_en_service",
            "Mise en service (go-live)",
            MilestoneKind.MISE_EN_SERVICE,
            schedule.go_live_on,
        ),
    ]
    milestones = [
        Milestone(id=ident, name=name, kind=kind, planned_on=day)
        for ident, name, kind, day in planned
        if day is not None
    ]
    if schedule.go_live_on is not None:
        months = _review_months(data)
        milestones.append(
            Milestone(
                id="revue_m3" if months == 3 else f"revue_m{months}",
                name=f"Revue de la valeur à M+{months} (adoption)",
                kind=MilestoneKind.REVUE_M3,
                planned_on=add_months(schedule.go_live_on, months),
            )
        )
    return milestones


def _review_months(data: FramingInput) -> int:
    answer = data.value_measurement
    if answer is not None and answer.review_after_months is not None:
        return answer.review_after_months
    return _data.thresholds().adoption_review_months


def _kpis(data: FramingInput, go_live: date | None) -> list[KpiTarget]:
    kpis: dict[str, KpiTarget] = {}
    sources = [
        *(data.objective.kpis if data.objective else []),
        *(data.value_measurement.kpis if data.value_measurement else []),
    ]
    for kpi in sources:
        if kpi.key in kpis:
            continue
        if kpi.due_on is None and go_live is not None:
            months = kpi.due_months_after_go_live
            if months is None:
                months = _review_months(data)
            kpi = kpi.model_copy(update={"due_on": add_months(go_live, months)})
        kpis[kpi.key] = kpi
    return list(kpis.values())


# ---------------------------------------------------------------------------------------------
# References and explanation


def _references(assessments: list[QuestionAssessment], risks: list[RiskItem]) -> list[str]:
    bench = _data.benchmarks()
    references = [
        bench.reference("digital_corpus_amo_it") + " — 10 questions clés et 5 pièges",
        bench.reference("standish_chaos_2020"),
    ]
    for question in _data.framing_rules().questions:
        references.extend(r for r in question.references if r not in references)
    for risk in risks:
        references.extend(r for r in risk.references if r not in references)
    return references


def _explain(result: FramingResult) -> str:
    chaos = _data.benchmarks()
    failed = french_percent(chaos.value("chaos_2020_failed"), 0)
    lines = [
        f"Cadrage « {result.project} » : score de complétude {french_number(result.completeness_score, 1)}"
        f"/100 ({count(result.complete_answers, 'réponse complète')}, "
        f"{count(result.partial_answers, 'partielle')}, {count(result.missing_answers_count, 'manquante')}) — risque "
        f"{result.risk_level.label}.",
        "Chaque question complète apporte son poids, une réponse partielle la moitié ; une question "
        "critique sans réponse (objectif, fonctionnalités, budget, planning) classe au moins le "
        "risque en « élevé ».",
        f"Repère : {failed} des projets informatiques échouent (Standish CHAOS 2020) ; l'article "
        "source estime qu'un cadrage complet divise presque par deux le risque d'échec majeur "
        "(ordre de grandeur non démontré).",
    ]
    if result.baseline_summary is not None:
        s = result.baseline_summary
        lines.append(
            f"Base de référence : budget {format_euros(s.budget_ht)} HT + marge "
            f"{french_percent(s.margin_rate)} = {format_euros(s.budget_with_margin_ht)} HT, "
            f"{s.features_in_scope} fonctionnalités dans le périmètre."
        )
    if result.baseline_ready:
        lines.append("La base de référence peut être validée par le maître d'ouvrage.")
    else:
        lines.append(
            "Base de référence à compléter avant validation : "
            + " ; ".join(result.baseline_gaps)
            + "."
        )
    top = [r for r in result.risks if r.level in (RiskLevel.ELEVE, RiskLevel.CRITIQUE)]
    if top:
        lines.append("Risques à traiter en priorité : " + ", ".join(r.title for r in top) + ".")
    return "\n".join(lines)
