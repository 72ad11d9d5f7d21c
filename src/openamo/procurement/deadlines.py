"""Minimum time limits for receiving tenders (R2161-1 …); none is fixed for a MAPA."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from openamo import law as law_data
from openamo.procurement._findings import Findings
from openamo.procurement.enums import Buyer, ProcedureKind
from openamo.procurement.models import ProcedureInput


@dataclass(frozen=True, slots=True)
class Deadlines:
    minimum: int | None
    detail: tuple[tuple[str, int], ...]
    references: tuple[str, ...]


NO_DEADLINE = Deadlines(minimum=None, detail=(), references=())

# French names of the keys of ``ProcedureResult.deadlines``, for display.
DEADLINE_LABELS = {
    "appel_offres_ouvert_offres": "Appel d'offres ouvert — réception des offres",
    "appel_offres_restreint_candidatures": "Appel d'offres restreint — réception des candidatures",
    "appel_offres_restreint_offres": "Appel d'offres restreint — réception des offres",
    "procedure_avec_negociation_candidatures": (
        "Procédure avec négociation — réception des candidatures"
    ),
    "procedure_avec_negociation_offres": (
        "Procédure avec négociation — réception des offres (à défaut d'accord avec les candidats)"
    ),
}


def minimum_deadlines(kind: ProcedureKind, data: ProcedureInput) -> Deadlines:
    if kind is not ProcedureKind.FORMALISEE:
        return NO_DEADLINE
    return _formal_deadlines(
        data.date,
        data.buyer,
        data.urgency,
        data.prior_information_notice,
        data.electronic_submission,
    )


@lru_cache(maxsize=4096)
def _formal_deadlines(
    day: date, buyer: Buyer, urgency: bool, notice: bool, electronic: bool
) -> Deadlines:
    # Whole parameter paths, so that a test can list the parameters no code reads.
    if urgency:
        keys = (
            "procurement.deadlines.appel_offres_ouvert_urgence",
            "procurement.deadlines.appel_offres_restreint_candidatures_urgence",
            "procurement.deadlines.appel_offres_restreint_offres_urgence",
        )
    elif notice:
        keys = (
            "procurement.deadlines.appel_offres_ouvert_preinformation",
            "procurement.deadlines.appel_offres_restreint_candidatures",
            "procurement.deadlines.appel_offres_restreint_offres_preinformation",
        )
    elif electronic:
        keys = (
            "procurement.deadlines.appel_offres_ouvert_electronique",
            "procurement.deadlines.appel_offres_restreint_candidatures",
            "procurement.deadlines.appel_offres_restreint_offres_electronique",
        )
    else:
        keys = (
            "procurement.deadlines.appel_offres_ouvert",
            "procurement.deadlines.appel_offres_restreint_candidatures",
            "procurement.deadlines.appel_offres_restreint_offres",
        )
    names = [("appel_offres_ouvert_offres", keys[0])]
    if buyer is Buyer.ENTITE_ADJUDICATRICE:
        names += [
            (
                "procedure_avec_negociation_candidatures",
                "procurement.deadlines.procedure_negociation_candidatures_entites_adjudicatrices",
            ),
            (
                "procedure_avec_negociation_offres",
                "procurement.deadlines.procedure_negociation_offres_entites_adjudicatrices",
            ),
        ]
    else:
        negotiated = (
            "procurement.deadlines.procedure_negociation_candidatures_urgence"
            if urgency
            else "procurement.deadlines.procedure_negociation_candidatures"
        )
        names += [
            ("appel_offres_restreint_candidatures", keys[1]),
            ("appel_offres_restreint_offres", keys[2]),
            ("procedure_avec_negociation_candidatures", negotiated),
        ]
    law = law_data.at(day)
    detail, references = [], []
    for name, key in names:
        found = law.get(key)
        assert isinstance(found.value, int)
        detail.append((name, found.value))
        references.append(found.reference)
    return Deadlines(minimum=detail[0][1], detail=tuple(detail), references=tuple(references))


def explain_deadlines(
    kind: ProcedureKind, data: ProcedureInput, deadlines: Deadlines, findings: Findings
) -> None:
    if kind is ProcedureKind.MAPA:
        findings.explain(
            "Procédure adaptée : aucun délai minimal chiffré, mais un délai suffisant compte "
            "tenu de la complexité du marché et du temps nécessaire pour préparer les offres "
            "(R2151-1, R2143-1), compté à partir de la publication de l'avis.",
            "CCP R2151-1",
            "CCP R2143-1",
        )
    if kind is not ProcedureKind.FORMALISEE:
        return
    findings.cite(*deadlines.references)
    detail = dict(deadlines.detail)
    if data.buyer is Buyer.ENTITE_ADJUDICATRICE:
        findings.explain(
            "Procédure avec négociation d'une entité adjudicatrice : au moins "
            f"{detail['procedure_avec_negociation_candidatures']} jours pour les candidatures "
            "(R2161-21) ; la date limite des offres peut être fixée d'un commun accord avec les "
            "candidats sélectionnés, la même pour tous, sinon au moins "
            f"{detail['procedure_avec_negociation_offres']} jours après l'invitation à "
            "soumissionner (R2161-22)."
        )
        findings.flag_ambiguity(
            "Les délais de l'appel d'offres restreint d'une entité adjudicatrice (candidatures, "
            "offres fixées d'un commun accord) ne sont pas calculés ici : seuls ceux de l'appel "
            "d'offres ouvert et de la procédure avec négociation le sont.",
            "CCP R2161-2",
        )
    elif data.urgency:
        findings.explain(
            "Procédure avec négociation : en urgence dûment justifiée, au moins "
            f"{detail['procedure_avec_negociation_candidatures']} jours pour les candidatures au "
            f"lieu de {law_data.at(data.date).value('procurement.deadlines.procedure_negociation_candidatures')} "
            "(R2161-12, 2e alinéa) ; motivez l'urgence dans le dossier."
        )
    findings.explain(
        f"Appel d'offres ouvert : au moins {deadlines.minimum} jours entre l'envoi de l'avis et "
        f"la date limite de réception des offres ({_why(data)}).",
    )


def _why(data: ProcedureInput) -> str:
    law = law_data.at(data.date)
    if data.urgency:
        return "urgence dûment justifiée, à motiver dans le dossier"
    if data.prior_information_notice:
        earliest = law.value("procurement.deadlines.preinformation_anteriorite_minimale")
        latest = law.value("procurement.deadlines.preinformation_anteriorite_maximale")
        return f"avis de préinformation publié {earliest} jours à {latest} mois avant"
    if data.electronic_submission:
        usual = law.value("procurement.deadlines.appel_offres_ouvert")
        reduced = law.value("procurement.deadlines.appel_offres_ouvert_electronique")
        return (
            f"réduit de {usual} à {reduced} jours car les offres sont transmises par voie "
            "électronique"
        )
    return "sans transmission électronique"
