"""Who does what: in-house, AMO, conducteur d'opération or mandate (MOD), and what stays the buyer's.

The maître d'ouvrage cannot hand over its function of general interest (L2411-1): feasibility,
location, programme, envelope, financing, choice of the process (L2421-1). An AMO or a
conducteur d'opération assists it; only a mandatary acts in its name and for its account, for the
attributions the mandate lists. Some roles cannot be held by the same person on the same work.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from openamo.construction.enums import Organisation
from openamo.construction.models import (
    Incompatibility,
    OrganisationInput,
    OrganisationOption,
    OrganisationResult,
)
from openamo.errors import ErrorDetail, OpenAMOError
from openamo.validation import parse_input
from openamo.wording import count

ROLES = {
    "amo": "assistant à maîtrise d'ouvrage",
    "conduite_operation": "conducteur d'opération",
    "mandataire": "mandataire du maître d'ouvrage",
    "maitrise_oeuvre": "maître d'œuvre",
    "controle_technique": "contrôleur technique",
    "entrepreneur": "entrepreneur (marché de travaux)",
}


@cache
def _data() -> dict[str, Any]:
    text = (
        resources.files("openamo.construction")
        .joinpath("data/organisation.yaml")
        .read_text(encoding="utf-8")
    )
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def _check_roles(data: OrganisationInput) -> None:
    details = [
        ErrorDetail(f"actors[{i}].roles", f"rôle inconnu « {role} » (valeurs : {', '.join(ROLES)})")
        for i, actor in enumerate(data.actors)
        for role in actor.roles
        if role not in ROLES
    ]
    if details:
        raise OpenAMOError("Entrée invalide.", details=details)


def _recommend(data: OrganisationInput) -> tuple[Organisation, str]:
    if data.wants_acts_in_its_name:
        return Organisation.MANDAT, (
            "Vous souhaitez qu'un tiers signe les marchés, paie et réceptionne en votre nom : seul "
            "un mandat de maîtrise d'ouvrage le permet."
        )
    if data.in_house_skills == "completes" and not data.complex_operation:
        return Organisation.EN_REGIE, (
            "Vos services disposent des compétences de maîtrise d'ouvrage et l'opération n'est pas "
            "complexe : elle peut être conduite en régie."
        )
    if data.in_house_skills == "aucune" or data.complex_operation:
        return Organisation.CONDUITE_OPERATION, (
            "Sans service technique (ou pour une opération complexe), une assistance générale et "
            "continue — conduite d'opération, ou AMO couvrant toute l'opération — sécurise le "
            "programme, les consultations et le suivi, sans vous dessaisir des décisions."
        )
    return Organisation.AMO, (
        "Vos services ont une partie des compétences : une AMO ciblée (programmation, "
        "consultation du maître d'œuvre, suivi financier) complète leur action."
    )


def choose_organisation(data: OrganisationInput) -> OrganisationResult:
    _check_roles(data)
    rules = _data()
    recommended, why = _recommend(data)
    options = [
        OrganisationOption(organisation=kind, label=kind.label, **rules["options"][kind.value])
        for kind in Organisation
    ]
    found = _incompatibilities(data, rules["incompatibilities"])
    references = [
        rules["non_delegable"]["reference"],
        rules["delegable"]["reference"],
        *(option.reference for option in options),
        *(item.reference for item in found),
    ]
    warnings = [f"{item.actor} : {item.reason}" for item in found]
    lines = [
        why,
        "Quel que soit le choix, vous restez maître d'ouvrage : l'AMO et le conducteur "
        "d'opération conseillent et préparent, vous décidez et signez ; le mandataire agit en "
        "votre nom, dans les limites du mandat, et vous gardez les attributions non déléguables.",
        "Ne confondez pas ces rôles avec la maîtrise d'œuvre, qui conçoit l'ouvrage et dirige les "
        "travaux pour votre compte.",
    ]
    if found:
        lines.append(
            f"{count(len(found), 'cumul de rôles incompatibles relevé', 'cumuls de rôles incompatibles relevés')} : voir les avertissements."
        )
    return OrganisationResult(
        date=data.date, recommended=recommended, options=options,
        non_delegable=rules["non_delegable"]["items"], delegable_to_mandatary=rules["delegable"]["items"],
        mandate_must_state=rules["mandate_must_state"]["items"], incompatibilities=found,
        buyer_choices=[
            "L'organisation elle-même : la loi n'impose ni AMO, ni conduite d'opération, ni mandat",
            "L'étendue des attributions confiées au mandataire (tout ou partie de la liste)",
            "Le recours à un programmiste, à un économiste ou à un AMO spécialisé (environnement, "
            "restauration collective) pour le programme",
        ],
        warnings=warnings,
        ambiguities=[
            "Numérotation du CCP (livre IV, titre II, chapitre II) reprise de la loi MOP ; les "
            "articles marqués « à vérifier » n'ont pas été relus sur Légifrance."
        ],
        references=list(dict.fromkeys(references)), explanation="\n".join(lines),
    )  # fmt: skip


def choose_organisation_from_dict(data: Any) -> OrganisationResult:
    return choose_organisation(parse_input(OrganisationInput, data))


def _incompatibilities(
    data: OrganisationInput, table: list[dict[str, Any]]
) -> list[Incompatibility]:
    found: list[Incompatibility] = []
    for actor in data.actors:
        held = set(actor.roles)
        for rule in table:
            if set(rule["roles"]) <= held:
                found.append(
                    Incompatibility(
                        actor=actor.name,
                        roles=[ROLES[role] for role in rule["roles"]],
                        reason=rule["reason"],
                        reference=rule["reference"],
                    )
                )
    return found
