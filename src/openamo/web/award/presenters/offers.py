"""The candidacies and the offers of a lot, in tables, with the marking grids' help."""

from __future__ import annotations

from dataclasses import dataclass

from openamo.award import CandidacyVerdict
from openamo.validation import siret_display
from openamo.web.award.access import Scope
from openamo.web.award.marking import GridChoice, MarkSlot, progress
from openamo.web.award.models import Candidacy, Offer
from openamo.web.award.presenters.labels import VERDICT_BADGES, euros, row_link
from openamo.web.operations.access import OperationAccess
from openamo.web.tables import Cell, Table, badge, links


def candidacies_table(candidacies: list[Candidacy], access: OperationAccess) -> Table:
    header = ["Candidat", "SIRET", "Verdict", "Pièces manquantes", "Motifs et références"]
    if access.can_edit:
        header.append("Actions")
    rows = []
    for candidacy in candidacies:
        result = candidacy.verdict()
        verdict = result.verdict if result else CandidacyVerdict.RECEVABLE
        reasons = "; ".join(result.reasons) if result else ""
        references = ", ".join(result.references) if result else ""
        row: list[Cell] = [
            {"text": candidacy.bidder},
            {"text": siret_display(candidacy.siret) or "—"},
            badge(verdict.label, VERDICT_BADGES[verdict.value]),
            {"text": "; ".join(result.missing if result else []) or "Aucune"},
            {"text": " — ".join(part for part in (reasons, references) if part) or "—"},
        ]
        if access.can_edit:
            args = [candidacy.operation_id, candidacy.pk]
            row.append(
                links(
                    row_link("Modifier", "award:candidacy_edit", args, candidacy.bidder),
                    row_link("Supprimer", "award:candidacy_delete", args, candidacy.bidder),
                )
            )
        rows.append(row)
    return {"header": header, "rows": rows}


def offers_table(offers: list[Offer], scope: Scope, slots: list[MarkSlot], editable: bool) -> Table:
    header = ["Soumissionnaire", "SIRET", "Prix HT", "Statut", "Notes saisies"]
    if editable:
        header.append("Actions")
    rows = []
    for offer in offers:
        given, expected = progress(offer.score_entries(), slots)
        row: list[Cell] = [
            {"text": offer.bidder},
            {"text": siret_display(offer.siret) or "—"},
            {"text": euros(offer.price_ht)},
            {"text": offer.get_status_display()},
            {"text": f"{given} / {expected}" if expected else "Aucune note à saisir"},
        ]
        if editable:
            args = [scope.access.operation.pk, scope.key, offer.pk]
            row.append(
                links(
                    row_link("Noter", "award:offer_marks", args, offer.bidder),
                    row_link("Modifier", "award:offer_edit", args, offer.bidder),
                    row_link("Supprimer", "award:offer_delete", args, offer.bidder),
                )
            )
        rows.append(row)
    return {"header": header, "rows": rows}


@dataclass(frozen=True)
class GridHelp:
    key: str
    where: str
    levels: list[GridChoice]


def grid_help(slots: list[MarkSlot]) -> list[GridHelp]:
    """The marking grid of each slot, with the justification expected at each level."""
    return [GridHelp(slot.key, slot.where, slot.grid) for slot in slots if slot.grid]
