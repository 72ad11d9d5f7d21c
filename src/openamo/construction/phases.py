"""Programme, financial envelope and the MOE's phases: each estimate against the envelope.

The maître d'ouvrage sets the programme (L2421-2) and the envelope before the MOE starts the
preliminary design (avant-projet), may refine them until the project studies (PRO) start, and —
for a rehabilitation or a complex new building announced as such — may go on refining them during
the avant-projet; the consequences for the MOE are settled by an amendment of its contract
(L2421-3 and following). Each phase is admitted, adjourned or rejected by the maître d'ouvrage;
ordering the next element is a tacit admission of the previous one (CCAG-MOE 2021, art. 21).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Any

from openamo import law
from openamo.construction.enums import EnvelopeAlert, Phase, WorkKind
from openamo.construction.models import (
    EnvelopeStep,
    PhaseEntry,
    PhaseRow,
    PhasesInput,
    PhasesResult,
)
from openamo.money import format_euros, format_percent, format_share
from openamo.validation import parse_input
from openamo.wording import count

VIGILANCE = "construction.advice.vigilance_enveloppe"
PROGRAMME = (
    "CCP L2421-2 (contenu du programme : objectifs, besoins, contraintes et exigences de qualité "
    "sociale, urbanistique, architecturale, fonctionnelle, technique, économique, d'insertion "
    "dans le paysage et de protection de l'environnement)"
)
TIMING = (
    "CCP L2421-3 et L2421-4 (programme et enveloppe arrêtés avant les études d'avant-projet, "
    "précisés au plus tard avant les études de projet ; poursuite pendant l'avant-projet pour une "
    "réhabilitation ou un ouvrage complexe ; conséquences par modification du marché de maîtrise "
    "d'œuvre) — numérotation à vérifier"
)
ADMISSION = (
    "CCAG-MOE 2021, art. 21 (admission, ajournement ou rejet des éléments de mission ; "
    "l'ordre de démarrer l'élément suivant vaut admission tacite du précédent)"
)
BASE_MISSION = (
    "CCP R2431-1 et suivants (mission de base des ouvrages de bâtiment) ; loi n° 85-704 du "
    "12 juillet 1985, art. 7"
)
PROGRAMME_PARTS = {
    "objectives": "les objectifs de l'opération",
    "needs": "les besoins à satisfaire",
    "constraints": "les contraintes (site, réglementation, exploitation)",
    "functional_requirements": "les exigences fonctionnelles",
    "technical_requirements": "les exigences techniques",
    "environmental_targets": "les objectifs environnementaux",
    "spaces": "les surfaces par espace",
}
MISSION_BASE = [
    ({Phase.ESQ, Phase.DIAG}, "esquisse ou diagnostic"),
    ({Phase.APS}, Phase.APS.label),
    ({Phase.APD}, Phase.APD.label),
    ({Phase.PRO}, Phase.PRO.label),
    ({Phase.ACT}, Phase.ACT.label),
    ({Phase.VISA, Phase.EXE}, "visa ou études d'exécution"),
    ({Phase.DET}, Phase.DET.label),
    ({Phase.AOR}, Phase.AOR.label),
]


def review_phases(data: PhasesInput) -> PhasesResult:
    rules = law.at(data.date)
    vigilance = Decimal(str(rules.value(VIGILANCE)))
    entries = sorted(data.phases, key=lambda entry: entry.phase.order)
    warnings: list[str] = []
    history = _history(data, entries, warnings)
    rows = [_row(data, entry, vigilance) for entry in entries]
    estimated = [row for row in rows if row.estimate_ht is not None]
    latest = estimated[-1] if estimated else None
    alert = latest.alert if latest and latest.alert else EnvelopeAlert.OK
    _admissions(entries, warnings)
    gaps = _programme_gaps(data)
    missing = _missing(data, entries)
    if latest is not None and alert is not EnvelopeAlert.OK:
        warnings.append(
            f"{latest.label} : estimation de {format_euros(latest.estimate_ht or Decimal(0))} HT, "
            f"{format_percent(latest.share_percent or Decimal(0))} de la part travaux de "
            f"l'enveloppe ({format_euros(latest.envelope_works_ht)} HT) — {alert.label}. Décidez "
            "avant la phase suivante : économies demandées au maître d'œuvre, programme réduit ou "
            "enveloppe révisée (décision motivée et tracée)."
        )
    surface = (
        sum((s.area_m2 for s in data.programme.spaces), Decimal(0)) if data.programme else None
    )
    references = [PROGRAMME, TIMING, ADMISSION, rules.reference(VIGILANCE)]
    if data.work_kind.is_building:
        references.append(BASE_MISSION)
    return PhasesResult(
        date=data.date, envelope_works_ht=history[-1].works_ht if history else data.envelope_works_ht,
        envelope_history=history, programme_gaps=gaps, surface_total_m2=surface or None, rows=rows,
        latest_estimate_ht=latest.estimate_ht if latest else None, alert=alert,
        missing_mission_elements=[p for group, _ in missing for p in sorted(group, key=lambda x: x.order)[:1]],
        buyer_choices=[
            "Réviser l'enveloppe, réduire le programme ou demander des économies quand une "
            "estimation l'approche : la décision est celle du maître d'ouvrage",
            "Approuver, approuver avec observations, ajourner ou rejeter chaque phase",
            "Confier les éléments complémentaires (OPC, SYN, EXE) au maître d'œuvre ou à d'autres",
        ],
        warnings=warnings + [f"Mission de base incomplète : {label} manquant." for _, label in missing],
        ambiguities=[
            f"Le repère de vigilance ({format_share(vigilance)} de la part travaux) est une "
            "pratique d'OpenAMO, pas une règle de droit ; les numéros L2421-3 et L2421-4 n'ont "
            "pas été relus sur Légifrance."
        ],
        references=references, explanation=_explain(data, history, latest, alert, gaps),
    )  # fmt: skip


def review_phases_from_dict(data: Any) -> PhasesResult:
    return review_phases(parse_input(PhasesInput, data))


def _started(entries: list[PhaseEntry], phases: set[Phase]) -> date | None:
    days = [e.started_on or e.submitted_on for e in entries if e.phase in phases]
    known = [d for d in days if d is not None]
    return min(known) if known else None


def _history(
    data: PhasesInput, entries: list[PhaseEntry], warnings: list[str]
) -> list[EnvelopeStep]:
    avant_projet = _started(entries, {Phase.APS, Phase.APD})
    projet = _started(entries, {Phase.PRO})
    may_continue = data.work_kind is WorkKind.REHABILITATION or data.complex_operation
    steps: list[EnvelopeStep] = []
    previous = data.envelope_works_ht
    for change in data.envelope_changes:
        during = _phase_on(entries, change.date)
        late_pro = projet is not None and change.date >= projet
        late_avp = avant_projet is not None and change.date >= avant_projet
        if late_pro or (late_avp and not may_continue):
            rule = (
                "après le début des études de projet, le programme et l'enveloppe ne peuvent plus "
                "être précisés"
                if late_pro
                else "pendant l'avant-projet d'un bâtiment neuf, le maître d'ouvrage ne peut que "
                "préciser le programme et l'enveloppe (une évolution substantielle dépasse une "
                "précision)"
            )
            warnings.append(
                f"Enveloppe modifiée le {change.date:%d/%m/%Y} : {rule} ; ses conséquences sur le "
                "marché de maîtrise d'œuvre (rémunération, délais) passent par un avenant."
            )
        steps.append(EnvelopeStep(
            date=change.date, works_ht=change.works_ht, change_ht=change.works_ht - previous,
            decided_by=change.decided_by, reason=change.reason, during=during,
            moe_amendment_needed=late_avp,
        ))  # fmt: skip
        previous = change.works_ht
    return steps


def _phase_on(entries: list[PhaseEntry], day: date) -> Phase | None:
    current = None
    for entry in entries:
        start = entry.started_on or entry.submitted_on
        if start is not None and start <= day:
            current = entry.phase
    return current


def _envelope_at(data: PhasesInput, day: date | None) -> Decimal:
    amount = data.envelope_works_ht
    for change in data.envelope_changes:
        if day is None or change.date <= day:
            amount = change.works_ht
    return amount


def _row(data: PhasesInput, entry: PhaseEntry, vigilance: Decimal) -> PhaseRow:
    envelope = _envelope_at(data, entry.submitted_on)
    share = gap = alert = None
    if entry.estimate_ht is not None:
        share = (entry.estimate_ht * 100 / envelope).quantize(Decimal("0.01"), ROUND_HALF_UP)
        gap = entry.estimate_ht - envelope
        if entry.estimate_ht > envelope:
            alert = EnvelopeAlert.DEPASSEMENT
        elif entry.estimate_ht >= envelope * vigilance:
            alert = EnvelopeAlert.VIGILANCE
        else:
            alert = EnvelopeAlert.OK
    return PhaseRow(
        phase=entry.phase, label=entry.phase.label, estimate_ht=entry.estimate_ht,
        envelope_works_ht=envelope, share_percent=share, gap_ht=gap, alert=alert,
        decision=entry.decision, decided_on=entry.decided_on, decided_by=entry.decided_by,
    )  # fmt: skip


def _admissions(entries: list[PhaseEntry], warnings: list[str]) -> None:
    for before, after in pairwise(entries):
        if before.decision is None and (after.started_on or after.decision):
            warnings.append(
                f"{after.phase.label} démarrée sans décision sur {before.phase.label} : l'ordre de "
                "démarrer l'élément suivant vaut admission tacite du précédent (CCAG-MOE 2021, "
                "art. 21) ; décidez expressément."
            )


def _programme_gaps(data: PhasesInput) -> list[str]:
    if data.programme is None:
        return ["programme non renseigné"]
    return [label for key, label in PROGRAMME_PARTS.items() if not getattr(data.programme, key)]


def _missing(data: PhasesInput, entries: list[PhaseEntry]) -> list[tuple[set[Phase], str]]:
    if not data.work_kind.is_building or not entries:
        return []
    present = {entry.phase for entry in entries}
    return [(group, label) for group, label in MISSION_BASE if not group & present]


def _explain(
    data: PhasesInput,
    history: list[EnvelopeStep],
    latest: PhaseRow | None,
    alert: EnvelopeAlert,
    gaps: list[str],
) -> str:
    current = history[-1].works_ht if history else data.envelope_works_ht
    lines = [
        f"Part travaux de l'enveloppe fixée le {data.envelope_set_on:%d/%m/%Y} : "
        f"{format_euros(data.envelope_works_ht)} HT ; en vigueur : {format_euros(current)} HT "
        f"après {count(len(history), 'évolution décidée et motivée', 'évolutions décidées et motivées')}."
    ]
    if latest is not None and latest.estimate_ht is not None:
        lines.append(
            f"Dernière estimation ({latest.label}) : {format_euros(latest.estimate_ht)} HT, soit "
            f"{format_percent(latest.share_percent or Decimal(0))} de l'enveloppe — {alert.label}."
        )
    if gaps:
        lines.append("Programme à compléter : " + ", ".join(gaps) + " (L2421-2).")
    lines.append(
        "L'estimation de l'APD est le coût prévisionnel sur lequel le maître d'œuvre s'engage et "
        "qui rend sa rémunération définitive (R2432-3)."
    )
    return "\n".join(lines)
