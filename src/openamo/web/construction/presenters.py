"""What the construction pages show, computed from the domain's results (no rule here)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openamo.construction.enums import EnvelopeAlert, Phase
from openamo.construction.models import DgdResult, PhasesResult, Step
from openamo.money import format_euros
from openamo.web.charts import Chart, Series, Threshold, bar_chart

ALERT_BADGES = {
    EnvelopeAlert.OK: "success",
    EnvelopeAlert.VIGILANCE: "warning",
    EnvelopeAlert.DEPASSEMENT: "error",
}
STATUS = {
    "a_venir": ("à venir", "info"),
    "respecte": ("fait dans le délai", "success"),
    "depasse": ("fait en retard", "warning"),
    "en_retard": ("en retard", "error"),
    "sans_objet": ("sans objet", "info"),
}
ORDER_STATUS = {
    "delai_ouvert": ("délai de réserves ouvert", "info"),
    "reserves_dans_le_delai": ("réserves dans le délai", "warning"),
    "reserves_tardives": ("réserves tardives : forclusion", "error"),
    "sans_reserves": ("délai expiré sans réserves", "success"),
    "sans_accuse": ("accusé de réception à obtenir", "warning"),
}
STATEMENT_STATUS = {
    "a_verifier": ("à vérifier par le maître d'œuvre", "info"),
    "a_payer": ("à payer", "warning"),
    "en_retard": ("paiement en retard", "error"),
    "payee": ("payé dans le délai", "success"),
    "payee_en_retard": ("payé en retard", "error"),
}
DGD_STATES = {
    "en_cours": "Décompte en cours d'établissement",
    "dgd": "Décompte général et définitif",
    "dgd_tacite": "Décompte général et définitif tacite",
    "reclamation": "Différend : mémoire en réclamation",
}


def euros(amount: Decimal | None) -> str:
    return "—" if amount is None else format_euros(amount)


def phases_chart(review: PhasesResult) -> Chart:
    """Each phase's estimate against the works part of the envelope (and the 95 % mark)."""
    points = [
        (Phase(row.phase).name, row.estimate_ht)
        for row in review.rows
        if row.estimate_ht is not None
    ]
    envelope = review.envelope_works_ht
    return bar_chart(
        "Estimation des travaux à chaque phase face à l'enveloppe",
        [Series("Estimation HT", [(label, value) for label, value in points])],
        thresholds=[Threshold("Part travaux de l'enveloppe", envelope)],
        unit="€",
    )


def phase_rows(review: PhasesResult | None, rows: list[Any]) -> list[dict[str, Any]]:
    by_phase = {row.phase.value: row for row in review.rows} if review else {}
    table = []
    for stored in rows:
        computed = by_phase.get(stored.phase)
        alert = computed.alert if computed else None
        table.append({
            "row": stored,
            "label": Phase(stored.phase).label,
            "estimate": euros(stored.estimate_ht),
            "share": f"{computed.share_percent} %".replace(".", ",") if computed and computed.share_percent is not None else "—",
            "alert": alert.label if alert else "",
            "badge": ALERT_BADGES[alert] if alert else "",
            "decision": stored.get_decision_display() if stored.decision else (
                "à décider" if stored.submitted_on else "pas encore remise"
            ),
            "stale": stored.stale_changes,
            "approval": f"Approbation de la phase « {Phase(stored.phase).label} »",
        })  # fmt: skip
    return table


def steps(items: list[Step]) -> list[dict[str, Any]]:
    return [
        {
            "step": item,
            "status": STATUS[item.status][0],
            "badge": STATUS[item.status][1],
            "late": item.status in {"depasse", "en_retard"},
        }
        for item in items
    ]


def dgd_summary(result: DgdResult) -> dict[str, Any]:
    return {
        "state": DGD_STATES[result.state],
        "final_on": result.final_account_on,
        "payment_due": result.balance_payment_due_on,
        "steps": steps(result.steps),
    }
