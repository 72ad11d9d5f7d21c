"""Plain-text rendering of an amendment check for people (the CLI's default output)."""

from __future__ import annotations

from typing import Any

from openamo.amendments.models import AmendmentCheckResult
from openamo.money import format_euros, format_percent


def _yes(flag: bool) -> str:
    return "requis" if flag else "non requis"


def render_text(result: Any) -> str:
    assert isinstance(result, AmendmentCheckResult)
    basis = f" au titre de {result.basis.value} ({result.basis.label})" if result.basis else ""
    lines = [
        f"Modification {result.verdict.label}{basis}",
        f"Montant : {format_percent(result.modification_percent)} du montant initial ; cumul : "
        f"{format_percent(result.cumulative_percent)} ; nouveau montant : "
        f"{format_euros(result.new_amount_ht)} HT",
        "Nouvelle procédure de mise en concurrence : "
        + ("oui" if result.new_procedure_required else "non"),
        f"Avis de la commission d'appel d'offres : {_yes(result.cao_opinion_required)}",
        f"Avis de modification au JOUE : {_yes(result.modification_notice_required)}",
        "Données essentielles : "
        + (
            "à mettre à jour"
            + (
                f" au plus tard le {result.decp_deadline_on:%d/%m/%Y}"
                if result.decp_deadline_on
                else ""
            )
            if result.decp_update_required
            else "pas de mise à jour obligatoire"
        ),
    ]
    if result.price_drift is not None:
        lines.append(f"Variation de prix : {result.price_drift.route.label}")
    sections = [
        ("Pourquoi une nouvelle procédure", result.new_procedure_reasons),
        ("Motifs", result.reasons),
        ("Alertes", result.warnings),
        ("Points juridiques incertains", result.ambiguities),
        ("Références", result.references),
    ]
    for title, items in sections:
        if items:
            lines.append(f"\n{title} :")
            lines.extend(f"  - {item}" for item in items)
    lines.append(f"\n{result.explanation}")
    return "\n".join(lines)
