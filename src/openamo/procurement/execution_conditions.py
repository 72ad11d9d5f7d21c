"""Execution conditions the law requires, judged at the consultation's launch date.

L2112-2 (loi n° 2021-1104, art. 35): from 21 August 2026, every contract's execution conditions
take environmental considerations into account. L2112-2-1 (same article): from the same date, a
contract whose estimated value is at least the EU threshold also takes social or employment
considerations into account, unless one of its three exceptions applies — the buyer says which,
and keeps the justification in the file (rapport de présentation or note for a MAPA).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openamo import law as law_data
from openamo.findings import Findings
from openamo.money import format_euros
from openamo.procurement.enums import SocialConditionException
from openamo.validation import OutputModel

ENVIRONMENTAL = "award.conditions_execution.condition_environnementale_obligatoire"
SOCIAL = "award.conditions_execution.condition_sociale_obligatoire"


class ExecutionConditions(OutputModel):
    environmental_required: bool
    social_required: bool
    social_exception: SocialConditionException | None
    references: list[str]
    explanation: str


def _flag(day: date, path: str) -> tuple[bool, str]:
    rules = law_data.at(day)
    value = rules.value(path)
    return bool(value), rules.reference(path)


def execution_conditions(
    day: date,
    estimated_value_ht: Decimal,
    eu_threshold_ht: Decimal,
    exception: SocialConditionException | None,
    findings: Findings,
) -> ExecutionConditions:
    """Which execution conditions are required on ``day``; reasons go to ``findings`` too."""
    environmental, env_reference = _flag(day, ENVIRONMENTAL)
    social_in_force, social_reference = _flag(day, SOCIAL)
    reaches = estimated_value_ht >= eu_threshold_ht
    lines: list[str] = []
    if environmental:
        lines.append(
            f"Consultation lancée le {day:%d/%m/%Y} : ses conditions d'exécution prennent en "
            "compte des considérations relatives à l'environnement (L2112-2)."
        )
    else:
        lines.append(
            f"Consultation lancée le {day:%d/%m/%Y}, avant l'entrée en vigueur de l'article 35 "
            "de la loi Climat et résilience : conditions d'exécution environnementales et "
            "sociales facultatives (L2112-2)."
        )
    social_required = False
    if social_in_force and not reaches:
        lines.append(
            f"Valeur estimée de {format_euros(estimated_value_ht)} HT, inférieure au seuil "
            f"européen de {format_euros(eu_threshold_ht)} HT : une condition d'exécution sociale "
            "reste facultative (L2112-2-1 ne vise que les marchés qui atteignent ce seuil)."
        )
    elif social_in_force and exception is not None:
        lines.append(
            f"Valeur estimée de {format_euros(estimated_value_ht)} HT, au moins égale au seuil "
            f"européen de {format_euros(eu_threshold_ht)} HT, mais exception invoquée : "
            f"{exception.label}. Justifiez-la au dossier de la procédure."
        )
    elif social_in_force:
        social_required = True
        lines.append(
            f"Valeur estimée de {format_euros(estimated_value_ht)} HT, au moins égale au seuil "
            f"européen de {format_euros(eu_threshold_ht)} HT : les conditions d'exécution "
            "prennent en compte des considérations relatives au domaine social ou à l'emploi, "
            "notamment en faveur des personnes défavorisées (L2112-2-1), sauf solution "
            "immédiatement disponible, absence de lien suffisant avec l'objet ou restriction de "
            "la concurrence (exceptions du même article, à justifier)."
        )
    if exception is not None and not (social_in_force and reaches):
        findings.warn(
            "Exception de l'article L2112-2-1 indiquée alors que l'obligation de condition "
            "sociale ne s'applique pas à cette consultation : elle est sans effet.",
            social_reference,
        )
    references = [env_reference, social_reference]
    for line in lines:
        findings.explain(line)
    findings.cite(*references)
    if social_in_force and reaches:
        findings.flag_ambiguity(
            "L2112-2-1 : le texte et ses trois exceptions sont relevés sur des sources "
            "secondaires (la version en vigueur n'a pas été relue sur Légifrance) ; la date du "
            "21/08/2026 est celle du décret n° 2022-767, la loi disant « au plus tard cinq ans "
            "après la promulgation » (22/08/2026).",
            social_reference,
        )
    return ExecutionConditions(
        environmental_required=environmental,
        social_required=social_required,
        social_exception=exception if social_in_force and reaches else None,
        references=references,
        explanation=" ".join(lines),
    )
