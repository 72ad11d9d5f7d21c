"""What the audit trail keeps of the passation objects, readable on the operation's history page:
criteria and marks as sentences (justifications included), settings under their French labels.

Keys that are not model fields are French labels themselves: the history page shows them as is.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openamo.award import METHODS, CriterionKind, PriceMethod
from openamo.web.audit.services import JSONValue, snapshot
from openamo.web.award import mappers
from openamo.web.award.marking import decimal_label
from openamo.web.award.models import Candidacy, CriteriaSet, LotAnalysis, Offer

OFFER_FIELDS = [
    "bidder",
    "siret",
    "price_ht",
    "status",
    "status_reason",
    "regularised",
    "abnormally_low_requested_on",
    "abnormally_low_due_on",
    "abnormally_low_answered_on",
    "abnormally_low_answer",
    "abnormally_low_outcome",
    "abnormally_low_note",
]
CANDIDACY_FIELDS = ["bidder", "siret", *mappers.CANDIDACY_FIELDS, "comment"]
ANALYSIS_FIELDS = ["winners", "tie_break", "budget_ht", "status", "analysed_at", "validated_at"]


def _number(value: Any) -> str:
    return decimal_label(Decimal(str(value)))


def criterion_line(criterion: dict[str, Any]) -> str:
    kind = CriterionKind(criterion["kind"])
    line = f"{criterion['name']} — {_number(criterion['weight'])} % ({kind.label.lower()}"
    if kind.is_price:
        method = PriceMethod(criterion.get("method") or PriceMethod.PROPORTIONNELLE.value)
        line += f", {METHODS[method].label.lower()}"
    else:
        line += f", noté sur {_number(criterion.get('max_score') or 20)}"
    subs = criterion.get("sub_criteria") or []
    if subs:
        line += ", sous-critères : " + ", ".join(
            f"{s['name']} {_number(s['weight'])} pts"
            + ("" if s.get("disclosed", True) else " (non publié)")
            for s in subs
        )
    if criterion.get("grid"):
        line += ", grille : " + " / ".join(_number(level["mark"]) for level in criterion["grid"])
    return line + ")"


def criteria_set(stored: CriteriaSet) -> dict[str, JSONValue]:
    return {
        "critères": [criterion_line(c) for c in stored.criteria],
        **snapshot(stored, ["standardised_purchase"]),
    }


def marks_lines(marks: dict[str, Any]) -> list[str]:
    lines = []
    for criterion, entry in marks.items():
        subs = {criterion: entry} if "mark" in entry else entry
        for name, detail in subs.items():
            where = criterion if name == criterion else f"{criterion} / {name}"
            lines.append(f"{where} : {_number(detail['mark'])} — {detail['justification']}")
    return lines


def offer(instance: Offer) -> dict[str, JSONValue]:
    return {
        "lot": str(instance.lot) if instance.lot else "marché global",
        **snapshot(instance, OFFER_FIELDS),
        "lignes du DQE": len(instance.dqe),
        "notes": marks_lines(instance.marks),
    }


def candidacy(instance: Candidacy) -> dict[str, JSONValue]:
    return {**snapshot(instance, CANDIDACY_FIELDS), "verdict": instance.result.get("verdict")}


def analysis(instance: LotAnalysis) -> dict[str, JSONValue]:
    state = snapshot(instance, ANALYSIS_FIELDS)
    lots: list[dict[str, Any]] = instance.result.get("lots") or []
    if lots:
        lot = lots[0]
        state["classement"] = [
            f"{e['rank']}. {e['bidder']} ({e['total'].replace('.', ',')} / 100)"
            for e in lot.get("ranking", [])
        ]
        state["attributaires proposés"] = lot.get("awarded", [])
    return state


def labelled(data: dict[str, Any], labels: dict[str, str]) -> dict[str, JSONValue]:
    """Settings typed in a form, under the form's French labels."""
    return {labels.get(key, key): value for key, value in data.items() if value not in ("", None)}
