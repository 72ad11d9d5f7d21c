"""What the audit trail keeps of the passation objects, readable on the operation's history page:
criteria and marks as sentences (justifications included), settings under their French labels.

Keys that are not model fields are French labels themselves: the history page shows them as is.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from openamo.award import METHODS, PriceMethod
from openamo.award.models import CriterionInput, ScoreEntry
from openamo.web.audit.services import JSONValue, snapshot
from openamo.web.award.marking import decimal_label
from openamo.web.award.models import Candidacy, CriteriaSet, LotAnalysis, Offer

OFFER_FIELDS = [
    "bidder",
    "siret",
    "postal_address",
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
CANDIDACY_FIELDS = [
    "bidder",
    "siret",
    "application_form",
    "declaration_form",
    "sworn_statement",
    "powers_of_signatory",
    "economic_capacity",
    "technical_capacity",
    "capacities_sufficient",
    "exclusion_ground",
    "regularisation_requested",
    "regularisation_requested_on",
    "regularisation_due_on",
    "regularised",
    "comment",
]


def _number(value: Decimal | int) -> str:
    return decimal_label(Decimal(value))


def criterion_line(criterion: CriterionInput) -> str:
    kind = criterion.kind
    line = f"{criterion.name} — {_number(criterion.weight)} % ({kind.label.lower()}"
    if kind.is_price:
        method = criterion.method or PriceMethod.PROPORTIONNELLE
        line += f", {METHODS[method].label.lower()}"
    else:
        line += f", noté sur {_number(criterion.max_score or 20)}"
    if criterion.sub_criteria:
        line += ", sous-critères : " + ", ".join(
            f"{s.name} {_number(s.weight)} pts" + ("" if s.disclosed else " (non publié)")
            for s in criterion.sub_criteria
        )
    if criterion.grid:
        line += ", grille : " + " / ".join(_number(level.mark) for level in criterion.grid)
    return line + ")"


def criteria_set(stored: CriteriaSet) -> dict[str, JSONValue]:
    return {
        "critères": [criterion_line(c) for c in stored.to_domain()],
        **snapshot(stored, ["standardised_purchase"]),
    }


def marks_lines(marks: dict[str, ScoreEntry]) -> list[str]:
    lines = []
    for criterion, entry in marks.items():
        if entry.sub_marks is None:
            lines.append(f"{criterion} : {_number(entry.mark or 0)} — {entry.justification}")
            continue
        for name, detail in entry.sub_marks.items():
            lines.append(f"{criterion} / {name} : {_number(detail.mark)} — {detail.justification}")
    return lines


def offer(instance: Offer) -> dict[str, JSONValue]:
    return {
        "lot": str(instance.lot) if instance.lot else "marché global",
        **snapshot(instance, OFFER_FIELDS),
        "lignes du DQE": len(instance.dqe),
        "notes": marks_lines(instance.score_entries()),
    }


def candidacy(instance: Candidacy) -> dict[str, JSONValue]:
    return {**snapshot(instance, CANDIDACY_FIELDS), "verdict": instance.result.get("verdict")}


def analysis(instance: LotAnalysis) -> dict[str, JSONValue]:
    state = snapshot(instance)
    lot = instance.lot_outcome()
    if lot is not None:
        state["classement"] = [
            f"{e.rank}. {e.bidder} ({_points(e.total)} / 100)" for e in lot.ranking
        ]
        state["attributaires proposés"] = list(lot.awarded)
    return state


def _points(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def labelled(
    data: Mapping[str, JSONValue],
    labels: dict[str, str],
    choices: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, JSONValue]:
    """Settings typed in a form, under the form's French labels, a choice under its label
    (« Accord-cadre à bons de commande », not its stored code)."""
    choices = choices or {}
    return {
        labels.get(key, key): choices.get(key, {}).get(str(value), value)
        if isinstance(value, str)
        else value
        for key, value in data.items()
        if value not in ("", None)
    }
