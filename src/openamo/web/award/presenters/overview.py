"""The lots of an operation, their offers and their analysis, in one table."""

from __future__ import annotations

from openamo.web.award.access import Scope
from openamo.web.award.models import LotAnalysis
from openamo.web.award.presenters.labels import row_link
from openamo.web.tables import Cell, Table, links


def lots_overview(
    scopes: list[Scope],
    analyses: dict[int, LotAnalysis],
    offer_counts: dict[int, int],
) -> Table:
    header = ["Lot", "Offres", "Analyse", "Attributaire(s) proposé(s) ou retenu(s)", "Pages"]
    rows: list[list[Cell]] = []
    for scope in scopes:
        analysis = analyses.get(scope.key)
        args = [scope.access.operation.pk, scope.key]
        lot = analysis.lot_outcome() if analysis else None
        awarded = ", ".join(lot.awarded) if lot else ""
        rows.append(
            [
                {"text": scope.label},
                {"text": str(offer_counts.get(scope.key, 0))},
                {"text": analysis.get_status_display() if analysis else "Pas encore analysé"},
                {"text": awarded or "—"},
                links(
                    row_link("Offres", "award:offers", args, scope.label),
                    row_link("Analyse", "award:analysis", args, scope.label),
                ),
            ]
        )
    return {"header": header, "rows": rows}
