"""Minimum time limits for receiving tenders (R2161-1 …); none is fixed for a MAPA."""

from __future__ import annotations

from dataclasses import dataclass

from openamo.law import LawSnapshot
from openamo.procurement._findings import Findings
from openamo.procurement.enums import Buyer, ProcedureKind
from openamo.procurement.models import ProcedureInput

_PREFIX = "procurement.deadlines."


@dataclass(frozen=True)
class Deadlines:
    minimum: int | None
    detail: dict[str, int]


def minimum_deadlines(
    law: LawSnapshot, kind: ProcedureKind, data: ProcedureInput, findings: Findings
) -> Deadlines:
    if kind is not ProcedureKind.FORMALISEE:
        if kind is ProcedureKind.MAPA:
            findings.explain(
                "Procédure adaptée : aucun délai minimal chiffré, mais un délai suffisant compte "
                "tenu de la complexité du marché et du temps nécessaire pour préparer les offres "
                "(R2151-1, R2143-1), compté à partir de la publication de l'avis.",
                "CCP R2151-1",
                "CCP R2143-1",
            )
        return Deadlines(minimum=None, detail={})
    open_key = _open_procedure_key(data)
    detail = {"appel_offres_ouvert_offres": _days(law, open_key, findings)}
    if data.buyer is not Buyer.ENTITE_ADJUDICATRICE:
        detail.update(_restricted(law, data, findings))
    else:
        findings.flag_ambiguity(
            "Les délais de l'appel d'offres restreint et de la procédure avec négociation d'une "
            "entité adjudicatrice peuvent être fixés d'un commun accord avec les candidats "
            "sélectionnés : seuls les délais de l'appel d'offres ouvert sont calculés ici.",
            "CCP R2161-2",
        )
    findings.explain(
        f"Appel d'offres ouvert : au moins {detail['appel_offres_ouvert_offres']} jours entre "
        f"l'envoi de l'avis et la date limite de réception des offres ({_why(data)}).",
    )
    return Deadlines(minimum=detail["appel_offres_ouvert_offres"], detail=detail)


def _open_procedure_key(data: ProcedureInput) -> str:
    if data.urgency:
        return "appel_offres_ouvert_urgence"
    if data.prior_information_notice:
        return "appel_offres_ouvert_preinformation"
    if data.electronic_submission:
        return "appel_offres_ouvert_electronique"
    return "appel_offres_ouvert"


def _restricted(law: LawSnapshot, data: ProcedureInput, findings: Findings) -> dict[str, int]:
    if data.urgency:
        candidatures, offres = "candidatures_urgence", "offres_urgence"
    elif data.prior_information_notice:
        candidatures, offres = "candidatures", "offres_preinformation"
    elif data.electronic_submission:
        candidatures, offres = "candidatures", "offres_electronique"
    else:
        candidatures, offres = "candidatures", "offres"
    return {
        "appel_offres_restreint_candidatures": _days(
            law, f"appel_offres_restreint_{candidatures}", findings
        ),
        "appel_offres_restreint_offres": _days(law, f"appel_offres_restreint_{offres}", findings),
        "procedure_avec_negociation_candidatures": _days(
            law, "procedure_negociation_candidatures", findings
        ),
    }


def _days(law: LawSnapshot, key: str, findings: Findings) -> int:
    path = _PREFIX + key
    findings.cite(law.reference(path))
    value = law.value(path)
    assert isinstance(value, int)
    return value


def _why(data: ProcedureInput) -> str:
    if data.urgency:
        return "urgence dûment justifiée, à motiver dans le dossier"
    if data.prior_information_notice:
        return "avis de préinformation publié 35 jours à 12 mois avant"
    if data.electronic_submission:
        return "réduit de 35 à 30 jours car les offres sont transmises par voie électronique"
    return "sans transmission électronique"
