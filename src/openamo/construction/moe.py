"""Choosing the maître d'œuvre: design contest when mandatory, formal procedure or MAPA below.

R2172-2: a design contest is mandatory for the MOE contract of a new building when its estimated
value reaches the EU services threshold, unless the operation reuses or rehabilitates an existing
work, is an urban or landscape project, an infrastructure, a research or experimental work, or the
contract entrusts no design. Prime: at least the estimated price of the studies asked, less at
most 20 % (R2172-4). Jury: independent, one third qualified (R2162-22); for local authorities the
elected members of the CAO sit on it (R2162-24). The contract is then negotiated without notice
with the winner(s) (R2122-6).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from openamo import law
from openamo.construction.enums import Buyer, MoeProcedure, WorkKind
from openamo.construction.models import Jury, MoeInput, MoeResult
from openamo.money import format_euros, format_share, to_cents
from openamo.procurement.enums import Buyer as ProcurementBuyer
from openamo.procurement.enums import Nature
from openamo.procurement.thresholds import thresholds_for
from openamo.validation import parse_input

CONTEST = (
    "CCP R2172-2 (concours obligatoire pour la maîtrise d'œuvre d'un ouvrage de bâtiment neuf "
    "au-delà du seuil européen ; exceptions 1° à 4°)"
)
EXCEPTIONS = {
    WorkKind.REHABILITATION: "réutilisation ou réhabilitation d'un ouvrage existant",
    WorkKind.PROJET_URBAIN_PAYSAGER: "projet urbain ou paysager",
    WorkKind.INFRASTRUCTURE: "ouvrage d'infrastructure",
    WorkKind.RECHERCHE_EXPERIMENTATION: "ouvrage réalisé à titre de recherche, d'essai ou "
    "d'expérimentation",
}
STEPS = [
    "Programme et enveloppe financière arrêtés par le maître d'ouvrage avant le lancement "
    "(L2421-1, L2421-3)",
    "Avis de concours publié ; candidatures remises (concours restreint, R2162-15 et suivants)",
    "Le jury examine les candidatures et formule un avis motivé ; l'acheteur arrête la liste des "
    "candidats admis à concourir (R2162-16, R2162-17)",
    "Les candidats admis remettent leurs prestations (esquisse, ou davantage) de manière anonyme",
    "Le jury examine les prestations de manière anonyme, les classe et consigne son avis motivé "
    "dans un procès-verbal ; l'anonymat n'est levé qu'après cet avis (R2162-18 à R2162-21)",
    "Dialogue éventuel : le jury peut inviter les candidats à répondre à ses questions, "
    "consignées au procès-verbal",
    "L'acheteur désigne le ou les lauréats au vu du procès-verbal et de l'avis du jury",
    "Marché négocié sans publicité ni mise en concurrence préalables avec le ou les lauréats "
    "(R2122-6) ; primes versées aux candidats sur proposition du jury (R2172-4, R2172-5)",
]


def _procurement_buyer(buyer: Buyer) -> ProcurementBuyer:
    return ProcurementBuyer.ETAT if buyer is Buyer.ETAT else ProcurementBuyer.COLLECTIVITE


def choose_moe_procedure(data: MoeInput) -> MoeResult:
    limits = thresholds_for(data.date, _procurement_buyer(data.buyer), Nature.SERVICES, False)
    rules = law.at(data.date)
    references = [rules.reference(limits.eu_path), rules.reference(limits.dispense_path)]
    warnings: list[str] = []
    ambiguities: list[str] = []
    fee = data.estimated_fee_ht
    exception = _exception(data)
    if fee < limits.dispense:
        procedure = MoeProcedure.DISPENSE
        allowed = ["dispense", "mapa", "concours"]
        references.append("CCP R2122-8 (besoin de faible montant)")
    elif fee < limits.eu:
        procedure = MoeProcedure.MAPA
        allowed = ["mapa", "concours", "appel_offres", "procedure_avec_negociation"]
        references.append("CCP R2123-1 1° (procédure adaptée sous le seuil européen)")
    elif data.work_kind is WorkKind.BATIMENT_NEUF and data.design_mission:
        procedure = MoeProcedure.CONCOURS
        allowed = ["concours"]
        references.append(CONTEST)
    else:
        procedure = MoeProcedure.FORMALISEE
        allowed = ["concours", "appel_offres", "procedure_avec_negociation"]
        references += [
            CONTEST,
            "CCP R2124-3 3° (procédure avec négociation : prestations de conception)",
        ]
    near = Decimal(str(rules.value("procurement.advice.proximite_seuil")))
    if limits.eu * near <= fee < limits.eu:
        warnings.append(
            f"Valeur estimée ({format_euros(fee)}) proche du seuil européen "
            f"({format_euros(limits.eu)}) : comptez toutes les missions de l'opération, "
            "complémentaires (OPC, diagnostic, SSI…) et options comprises, ainsi que les primes "
            "(R2121-1) ; un concours sécurise la procédure."
        )
    if procedure is MoeProcedure.CONCOURS or "concours" in allowed:
        references += [
            "CCP R2162-15 à R2162-26 (concours)",
            "CCP R2122-6 (marché négocié sans publicité avec le ou les lauréats d'un concours)",
        ]
    prime, primes = _primes(data, rules, references)
    jury = _jury(data, rules, references) if "concours" in allowed else None
    if data.work_kind.is_building:
        warnings.append(
            "Pour un ouvrage de bâtiment, le marché confie au moins la mission de base (esquisse "
            "ou diagnostic, APS, APD, PRO, ACT, VISA ou EXE, DET, AOR) ; le projet soumis à permis "
            "de construire est établi par un architecte (loi n° 77-2 du 3 janvier 1977, art. 3)."
        )
        references.append("Loi n° 77-2 du 3 janvier 1977 sur l'architecture, art. 3")
    if procedure is MoeProcedure.FORMALISEE and exception:
        ambiguities.append(
            f"Exception au concours retenue : {exception}. Elle s'apprécie sur la nature réelle de "
            "l'opération : une extension neuve importante d'un bâtiment existant peut relever du "
            "bâtiment neuf ; documentez le motif."
        )
    return MoeResult(
        date=data.date, estimated_fee_ht=fee, eu_threshold_ht=limits.eu,
        dispense_threshold_ht=limits.dispense, procedure=procedure,
        contest_mandatory=procedure is MoeProcedure.CONCOURS, contest_exception=exception,
        allowed_procedures=allowed, prime_minimum_ht=prime, primes_total_minimum_ht=primes,
        jury=jury, steps=STEPS if "concours" in allowed else [],
        buyer_choices=_choices(procedure, rules), warnings=warnings, ambiguities=ambiguities,
        references=list(dict.fromkeys(references)),
        explanation=_explain(data, procedure, limits.eu, limits.dispense, exception, prime),
    )  # fmt: skip


def choose_moe_procedure_from_dict(data: Any) -> MoeResult:
    return choose_moe_procedure(parse_input(MoeInput, data))


def _exception(data: MoeInput) -> str | None:
    if not data.design_mission:
        return "marché ne confiant aucune mission de conception (par exemple OPC)"
    return EXCEPTIONS.get(data.work_kind)


def _primes(
    data: MoeInput, rules: law.LawSnapshot, references: list[str]
) -> tuple[Decimal | None, Decimal | None]:
    if data.studies_estimate_ht is None:
        return None, None
    path = PRIME_REBATE
    rebate = Decimal(str(rules.value(path)))
    references.append(rules.reference(path))
    prime = to_cents(data.studies_estimate_ht * (1 - rebate))
    return prime, prime * data.candidates


def _jury(data: MoeInput, rules: law.LawSnapshot, references: list[str]) -> Jury:
    path = "construction.concours.jury_tiers_qualifie"
    denominator = int(rules.value(path))
    references.append(rules.reference(path))
    composition = [
        "Personnes indépendantes des participants au concours (R2162-22)",
        f"Au moins 1 membre sur {denominator} possédant la qualification exigée des candidats "
        "(architecte ou qualification équivalente) (R2162-22)",
    ]
    if data.buyer is Buyer.COLLECTIVITE:
        composition.append(
            "Les membres élus de la commission d'appel d'offres font partie du jury ; le "
            "président peut y adjoindre des personnalités compétentes (R2162-24)"
        )
        references.append("CCP R2162-24 (jury des concours des collectivités territoriales)")
    else:
        composition.append("Membres désignés par le ministre ou le préfet (R2162-23)")
        references.append("CCP R2162-23 (jury des concours de l'État)")
    composition.append("Examen des prestations de manière anonyme jusqu'à l'avis du jury")
    qualified = math.ceil(data.jury_members / denominator) if data.jury_members else None
    return Jury(
        members=data.jury_members, qualified_members_minimum=qualified, composition=composition
    )


PRIME_REBATE = "construction.concours.prime_abattement_maximal"


def _rebate(rules: law.LawSnapshot) -> str:
    return format_share(Decimal(str(rules.value(PRIME_REBATE))))


def _choices(procedure: MoeProcedure, rules: law.LawSnapshot) -> list[str]:
    choices = [
        "Le niveau de rendu demandé aux candidats (esquisse, esquisse +, APS) et donc le prix "
        f"estimé des études et la prime, dans la limite d'un abattement de {_rebate(rules)}",
        "Le nombre de candidats admis à concourir et les critères de sélection des candidatures",
        "Les éléments de mission complémentaires (OPC, SYN, EXE, diagnostic, mission "
        "environnementale) confiés au maître d'œuvre ou à d'autres",
    ]
    if procedure in {MoeProcedure.MAPA, MoeProcedure.DISPENSE, MoeProcedure.FORMALISEE}:
        choices.insert(0, "Organiser un concours bien qu'il ne soit pas obligatoire")
    else:
        choices.append(
            "Le calendrier du concours : dates de remise des candidatures et des prestations, "
            "réunions du jury et désignation du lauréat, fixées par l'avis et le règlement du "
            "concours"
        )
    return choices


def _explain(
    data: MoeInput,
    procedure: MoeProcedure,
    eu: Decimal,
    dispense: Decimal,
    exception: str | None,
    prime: Decimal | None,
) -> str:
    fee = format_euros(data.estimated_fee_ht)
    head = (
        f"Marché de maîtrise d'œuvre estimé à {fee} HT ({data.work_kind.label}), acheteur : "
        f"{data.buyer.label}, règles du {data.date:%d/%m/%Y}."
    )
    if procedure is MoeProcedure.DISPENSE:
        body = (
            f"Sous le seuil de {format_euros(dispense)} HT, le marché peut être conclu sans "
            "publicité ni mise en concurrence préalables ; demandez néanmoins plusieurs "
            "propositions et gardez la trace du choix."
        )
    elif procedure is MoeProcedure.MAPA:
        body = (
            f"Sous le seuil européen de {format_euros(eu)} HT : procédure adaptée, avec négociation "
            "possible sur les compétences, les références, la méthode et les honoraires ; le "
            "concours reste possible."
        )
    elif procedure is MoeProcedure.CONCOURS:
        body = (
            f"Au moins {format_euros(eu)} HT pour un bâtiment neuf avec mission de conception : "
            "le concours est obligatoire (R2172-2). Le jury classe les projets remis de manière "
            "anonyme, puis le marché est négocié sans publicité avec le ou les lauréats (R2122-6)."
        )
    else:
        body = (
            f"Au moins {format_euros(eu)} HT, mais le concours n'est pas obligatoire ({exception}) : "
            "procédure formalisée (appel d'offres, ou procédure avec négociation car le marché "
            "comporte des prestations de conception, R2124-3 3°), ou concours volontaire."
        )
    if prime is not None:
        body += (
            f" Prime minimale par candidat ayant remis des prestations conformes : "
            f"{format_euros(prime)} HT (prix estimé des études de "
            f"{format_euros(data.studies_estimate_ht or Decimal(0))} HT moins "
            f"{_rebate(law.at(data.date))} au plus)."
        )
    return f"{head}\n{body}"
