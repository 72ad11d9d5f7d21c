"""Turn stored rows and the domain's answers into what the DSFR templates show: criteria with
their methods explained, checks with their references, tables, the comparison and its chart."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.urls import reverse

from openamo.award import METHODS, CandidacyVerdict, CheckLevel, LotOutcome, OfferStatus
from openamo.award.enums import AbnormalOutcome
from openamo.award.models import CriterionInput, ScoreResult
from openamo.money import format_euros
from openamo.web.award.access import Scope
from openamo.web.award.marking import MarkSlot, decimal_label, progress
from openamo.web.award.models import Candidacy, LotAnalysis, Offer
from openamo.web.charts import Chart, Series, bar_chart
from openamo.web.operations.access import OperationAccess

LEVELS = {
    CheckLevel.ERREUR.value: ("Non conforme", "error"),
    CheckLevel.AVERTISSEMENT.value: ("À vérifier", "warning"),
    CheckLevel.INFORMATION.value: ("Information", "info"),
}
VERDICT_BADGES = {
    CandidacyVerdict.RECEVABLE.value: "success",
    CandidacyVerdict.A_REGULARISER.value: "warning",
    CandidacyVerdict.IRRECEVABLE.value: "error",
}
ELIMINATED_LABELS = {
    **{status.value: status.label for status in OfferStatus},
    "candidature_irrecevable": "Candidature irrecevable",
    "anormalement_basse": "Offre anormalement basse rejetée",
}


def euros(amount: Decimal | str | None) -> str:
    return "—" if amount in (None, "") else format_euros(Decimal(str(amount)))


def points(value: Decimal | str) -> str:
    return f"{Decimal(str(value)):.2f}".replace(".", ",")


# --- Criteria ---------------------------------------------------------------------------------


def criteria_rows(criteria: list[CriterionInput]) -> list[dict[str, Any]]:
    rows = []
    for index, criterion in enumerate(criteria):
        row: dict[str, Any] = {
            "index": index,
            "name": criterion.name,
            "kind": criterion.kind.label,
            "weight": f"{decimal_label(criterion.weight)} %",
            "description": criterion.description or "",
            "environmental": criterion.takes_environment_into_account,
            "is_price": criterion.kind.is_price,
        }
        if criterion.kind.is_price:
            info = METHODS[criterion.price_method]
            row.update(method=info.label, formula=info.formula, explanation=info.explanation)
        else:
            row["scale"] = decimal_label(criterion.scale)
            row["sub_criteria"] = [
                {
                    "name": sub.name,
                    "weight": decimal_label(sub.weight),
                    "disclosed": sub.disclosed,
                    "environmental": sub.environmental,
                    "description": sub.description or "",
                }
                for sub in criterion.sub_criteria
            ]
            row["grid"] = [
                {
                    "mark": decimal_label(level.mark),
                    "label": level.label,
                    "expected": level.expected or "",
                }
                for level in sorted(criterion.grid or [], key=lambda level: level.mark)
            ]
        rows.append(row)
    return rows


def methods_explained() -> list[dict[str, str]]:
    return [
        {"label": info.label, "formula": info.formula, "explanation": info.explanation}
        for info in METHODS.values()
    ]


def checks(items: Iterable[Any]) -> list[dict[str, Any]]:
    """Domain checks (``Check`` objects or their JSON form), errors first."""
    rows = []
    for item in items:
        data = item if isinstance(item, dict) else item.model_dump(mode="json")
        label, badge = LEVELS[data["level"]]
        rows.append({**data, "label": label, "badge": badge})
    order = list(LEVELS)
    return sorted(rows, key=lambda row: order.index(row["level"]))


def review(result: ScoreResult) -> dict[str, Any]:
    """What the criteria page shows of the domain's checks (each with its references)."""
    found = checks(result.criteria_checks)
    references = list(dict.fromkeys(ref for check in found for ref in check["references"]))
    return {
        "checks": found,
        "compliant": result.compliant,
        "warnings": result.warnings,
        "ambiguities": result.ambiguities,
        "references": references,
    }


# --- Candidacies and offers -------------------------------------------------------------------


def candidacies_table(candidacies: list[Candidacy], access: OperationAccess) -> dict[str, Any]:
    header = ["Candidat", "SIRET", "Verdict", "Pièces manquantes", "Motifs et références"]
    if access.can_edit:
        header.append("Actions")
    rows = []
    for candidacy in candidacies:
        result = candidacy.result
        verdict = CandidacyVerdict(result.get("verdict", CandidacyVerdict.RECEVABLE.value))
        reasons = "; ".join(result.get("reasons", []))
        references = ", ".join(result.get("references", []))
        row: list[dict[str, Any]] = [
            {"text": candidacy.bidder},
            {"text": candidacy.siret or "—"},
            {"badge": VERDICT_BADGES[verdict.value], "text": verdict.label},
            {"text": "; ".join(result.get("missing", [])) or "Aucune"},
            {"text": " — ".join(part for part in (reasons, references) if part) or "—"},
        ]
        if access.can_edit:
            args = [candidacy.operation_id, candidacy.pk]
            row.append(
                {
                    "links": [
                        _link("Modifier", "award:candidacy_edit", args, candidacy.bidder),
                        _link("Supprimer", "award:candidacy_delete", args, candidacy.bidder),
                    ]
                }
            )
        rows.append(row)
    return {"header": header, "rows": rows}


def _link(text: str, name: str, args: list[int], subject: str) -> dict[str, str]:
    return {"text": text, "url": reverse(name, args=args), "label": subject}


def offers_table(
    offers: list[Offer], scope: Scope, slots: list[MarkSlot], editable: bool
) -> dict[str, Any]:
    header = ["Soumissionnaire", "SIRET", "Prix HT", "Statut", "Notes saisies"]
    if editable:
        header.append("Actions")
    rows = []
    for offer in offers:
        given, expected = progress(offer.marks, slots)
        row: list[dict[str, Any]] = [
            {"text": offer.bidder},
            {"text": offer.siret or "—"},
            {"text": euros(offer.price_ht)},
            {"text": offer.get_status_display()},
            {"text": f"{given} / {expected}" if expected else "Aucune note à saisir"},
        ]
        if editable:
            args = [scope.access.operation.pk, scope.key, offer.pk]
            row.append(
                {
                    "links": [
                        _link("Noter", "award:offer_marks", args, offer.bidder),
                        _link("Modifier", "award:offer_edit", args, offer.bidder),
                        _link("Supprimer", "award:offer_delete", args, offer.bidder),
                    ]
                }
            )
        rows.append(row)
    return {"header": header, "rows": rows}


def grid_help(slots: list[MarkSlot]) -> list[dict[str, Any]]:
    """The marking grid of each slot, with the justification expected at each level."""
    return [
        {"key": slot.key, "where": slot.where, "levels": slot.grid} for slot in slots if slot.grid
    ]


# --- Overview ---------------------------------------------------------------------------------


def lots_overview(
    scopes: list[Scope],
    analyses: dict[int, LotAnalysis],
    offer_counts: dict[int, int],
) -> dict[str, Any]:
    header = ["Lot", "Offres", "Analyse", "Attributaire(s) proposé(s) ou retenu(s)", "Pages"]
    rows = []
    for scope in scopes:
        analysis = analyses.get(scope.key)
        args = [scope.access.operation.pk, scope.key]
        awarded = ", ".join(_lot_result(analysis).get("awarded", [])) if analysis else ""
        rows.append(
            [
                {"text": scope.label},
                {"text": str(offer_counts.get(scope.key, 0))},
                {"text": analysis.get_status_display() if analysis else "Pas encore analysé"},
                {"text": awarded or "—"},
                {
                    "links": [
                        _link("Offres", "award:offers", args, scope.label),
                        _link("Analyse", "award:analysis", args, scope.label),
                    ]
                },
            ]
        )
    return {"header": header, "rows": rows}


def _lot_result(analysis: LotAnalysis | None) -> dict[str, Any]:
    if analysis is None:
        return {}
    lots: list[dict[str, Any]] = analysis.result.get("lots") or [{}]
    return lots[0]


# --- Analysis ---------------------------------------------------------------------------------


def analysis_view(analysis: LotAnalysis, scope: Scope, offers: list[Offer]) -> dict[str, Any]:
    result = analysis.result
    lot = _lot_result(analysis)
    criteria = [c["name"] for c in analysis.input.get("criteria", [])]
    weights = {c["name"]: decimal_label(Decimal(c["weight"])) for c in analysis.input["criteria"]}
    return {
        "outcome": LotOutcome(lot["outcome"]).label,
        "attributable": lot["outcome"] == LotOutcome.ATTRIBUABLE.value,
        "compliant": result.get("compliant", True),
        "comparison": comparison(lot, criteria, weights),
        "chart": score_chart(lot, criteria, scope),
        "details": offer_details(lot),
        "suspicions": suspicions(lot, scope, offers),
        "eliminated": [
            {**e, "label": ELIMINATED_LABELS.get(e["status"], e["status"])}
            for e in lot.get("eliminated", [])
        ],
        "methods": lot.get("methods", []),
        "checks": checks([*result.get("criteria_checks", []), *lot.get("criteria_checks", [])]),
        "candidacies": [
            {
                **c,
                "label": CandidacyVerdict(c["verdict"]).label,
                "badge": VERDICT_BADGES[c["verdict"]],
            }
            for c in result.get("candidacies", [])
        ],
        "notes": lot.get("notes", []),
        "warnings": result.get("warnings", []),
        "ambiguities": result.get("ambiguities", []),
        "explanation": [
            # The domain's text names the JSON field; the page names its own section.
            line.replace("« criteria_checks »", "« Points d'attention »")
            for line in result.get("explanation", "").splitlines()
        ],
        "references": result.get("references", []),
        "awarded": lot.get("awarded", []),
    }


def comparison(lot: dict[str, Any], criteria: list[str], weights: dict[str, str]) -> dict[str, Any]:
    prices = {offer["bidder"]: offer["price_ht"] for offer in lot.get("offers", [])}
    ranks = [entry["rank"] for entry in lot.get("ranking", [])]
    rows = []
    for entry in lot.get("ranking", []):
        tied = ranks.count(entry["rank"]) > 1
        rows.append(
            {
                "rank": f"{entry['rank']}{' ex æquo' if tied else ''}",
                "bidder": entry["bidder"],
                "price": euros(prices.get(entry["bidder"])),
                "scores": [points(entry["by_criterion"].get(name, "0")) for name in criteria],
                "total": points(entry["total"]),
                "awarded": entry["bidder"] in lot.get("awarded", []),
                "tied": tied,
            }
        )
    header = [f"{name} (sur {weights[name]})" for name in criteria]
    return {"header": header, "rows": rows, "ties": any(row["tied"] for row in rows)}


def score_chart(lot: dict[str, Any], criteria: list[str], scope: Scope) -> Chart:
    ranking = lot.get("ranking", [])
    series = [
        Series(
            name,
            [(entry["bidder"], Decimal(entry["by_criterion"].get(name, "0"))) for entry in ranking],
        )
        for name in criteria
    ]
    series.append(Series("Total", [(e["bidder"], Decimal(e["total"])) for e in ranking]))
    return bar_chart(
        f"Notes des offres classées — {scope.label} (points sur 100)",
        series,
        unit="pts",
        y_max=Decimal(100),
    )


def offer_details(lot: dict[str, Any]) -> list[dict[str, Any]]:
    details = []
    for offer in lot.get("offers", []):
        rows = []
        for score in offer["criteria"]:
            if score["sub_marks"]:
                for sub in score["sub_marks"]:
                    rows.append(
                        {
                            "criterion": f"{score['criterion']} / {sub['sub_criterion']}",
                            "mark": f"{points(sub['mark'])} / {decimal_label(Decimal(sub['max_score']))}",
                            "points": points(sub["points"]),
                            "justification": sub["justification"] or "",
                        }
                    )
                continue
            mark = (
                f"{points(Decimal(score['normalised']) * 100)} % de la note"
                if score["mark"] is None
                else f"{points(score['mark'])} / {decimal_label(Decimal(score['max_score']))}"
            )
            rows.append(
                {
                    "criterion": score["criterion"],
                    "mark": mark,
                    "points": points(score["points"]),
                    "justification": score["justification"]
                    or ("Calculée selon la méthode annoncée." if score["mark"] is None else ""),
                }
            )
        details.append(
            {
                "bidder": offer["bidder"],
                "rank": offer["rank"],
                "total": points(offer["total"]),
                "price": euros(offer["price_ht"]),
                "rows": rows,
            }
        )
    return details


def suspicions(lot: dict[str, Any], scope: Scope, offers: list[Offer]) -> list[dict[str, Any]]:
    """Offers that seem abnormally low, each with where its R2152-3 procedure stands: the
    heading says the outcome (request to send, answer awaited, examination to conclude, offer
    kept or rejected); the link leads to where the exchange and the decision are recorded."""
    by_bidder = {offer.bidder: offer for offer in offers}
    found = []
    for entry in lot.get("abnormally_low", []):
        offer = by_bidder.get(entry["bidder"])
        url = ""
        if offer is not None:
            args = [scope.access.operation.pk, scope.key, offer.pk]
            url = reverse("award:offer_edit", args=args) + "#id_abnormally_low_requested_on"
        found.append(
            {
                "bidder": entry["bidder"],
                "reason": entry["reason"],
                "heading": abnormal_heading(offer),
                "exchange": abnormal_exchange(offer),
                "examined": bool(offer and offer.abnormally_low_outcome),
                "outcome": offer.get_abnormally_low_outcome_display() if offer else "",
                "note": offer.abnormally_low_note if offer else "",
                "url": url,
            }
        )
    return found


def abnormal_heading(offer: Offer | None) -> str:
    """Where the R2152-3 procedure of the offer stands, in a few words."""
    if offer is None or not offer.abnormally_low_requested_on:
        return "demande de justification à adresser (CCP R2152-3)"
    if offer.abnormally_low_outcome == AbnormalOutcome.REJETEE.value:
        return "offre rejetée par décision motivée (CCP R2152-4)"
    if offer.abnormally_low_outcome == AbnormalOutcome.JUSTIFIEE.value:
        return "justifications admises, l'offre est maintenue (CCP R2152-3)"
    if offer.abnormally_low_answered_on:
        return f"justifications reçues le {offer.abnormally_low_answered_on:%d/%m/%Y}, à examiner"
    due = offer.abnormally_low_due_on
    awaited = f", réponse attendue le {due:%d/%m/%Y}" if due else ""
    return f"justifications demandées le {offer.abnormally_low_requested_on:%d/%m/%Y}{awaited}"


def abnormal_exchange(offer: Offer | None) -> list[str]:
    """The exchange kept in the file, one French sentence per step."""
    if offer is None or not offer.abnormally_low_requested_on:
        return []
    lines = [f"Demande de justifications adressée le {offer.abnormally_low_requested_on:%d/%m/%Y}"]
    if offer.abnormally_low_due_on:
        lines[0] += f", réponse attendue au plus tard le {offer.abnormally_low_due_on:%d/%m/%Y}"
    if offer.abnormally_low_answered_on:
        answer = f"Réponse reçue le {offer.abnormally_low_answered_on:%d/%m/%Y}"
        if offer.abnormally_low_answer:
            answer += f" : {offer.abnormally_low_answer}"
        lines.append(answer)
    elif offer.abnormally_low_outcome:
        lines.append("Aucune réponse du soumissionnaire.")
    if offer.abnormally_low_outcome:
        decision = f"Décision : {offer.get_abnormally_low_outcome_display()}"
        if offer.abnormally_low_note:
            decision += f". Motifs : {offer.abnormally_low_note}"
        lines.append(decision)
    return lines
