"""Plain-text rendering of a procedure verdict for people (the CLI's default output)."""

from __future__ import annotations

from typing import Any

from openamo.money import format_euros
from openamo.procurement.enums import ALLOWED_PROCEDURE_LABELS
from openamo.procurement.models import ProcedureResult


def render_text(result: Any) -> str:
    assert isinstance(result, ProcedureResult)
    lines = [
        f"Procédure : {result.procedure.label}",
        f"Valeur estimée du besoin : {format_euros(result.estimated_value_ht)} HT "
        f"(règles en vigueur le {result.date:%d/%m/%Y})",
        f"Publicité : {result.publicity.label}",
        f"DCE sur le profil d'acheteur : {'obligatoire' if result.dce_on_buyer_profile else 'non obligatoire'}",
        "Délai minimal de réponse : "
        + (
            f"{result.min_response_days} jours"
            if result.min_response_days
            else "aucun minimum chiffré"
        ),
        "Procédures possibles : "
        + ", ".join(ALLOWED_PROCEDURE_LABELS.get(p, p) for p in result.allowed_procedures),
    ]
    conditions = result.execution_conditions
    lines.append(
        "Conditions d'exécution obligatoires : "
        + _required(conditions.environmental_required, conditions.social_required)
    )
    for conditional in result.conditional_procedures:
        label = ALLOWED_PROCEDURE_LABELS.get(conditional["procedure"], conditional["procedure"])
        lines.append(f"  sous conditions : {label} ({conditional['reference']})")
    if result.lots:
        lines.append("Lots :")
        for lot in result.lots:
            tag = " (petit lot)" if lot.petit_lot else ""
            lines.append(
                f"  - {lot.name} : {format_euros(lot.estimated_amount_ht)} HT → "
                f"{lot.procedure.label}{tag}"
            )
    if result.warnings:
        lines.append("Avertissements :")
        lines.extend(f"  ! {warning}" for warning in result.warnings)
    if result.ambiguities:
        lines.append("Points d'interprétation :")
        lines.extend(f"  ? {item}" for item in result.ambiguities)
    lines.append("Explication :")
    lines.extend(f"  {line}" for line in result.explanation.splitlines())
    lines.append("Références : " + " ; ".join(result.references))
    return "\n".join(lines)


def _required(environmental: bool, social: bool) -> str:
    kinds = [
        name for name, due in (("environnementale", environmental), ("sociale", social)) if due
    ]
    return " et ".join(kinds) if kinds else "aucune"
