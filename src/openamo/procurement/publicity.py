"""Publicity by procedure and value (R2131-12, R2131-16); DCE on the buyer profile (R2132-2)."""

from __future__ import annotations

from decimal import Decimal

from openamo.law import LawSnapshot
from openamo.money import format_euros
from openamo.procurement._findings import Findings
from openamo.procurement.enums import Buyer, ProcedureKind, Publicity
from openamo.procurement.thresholds import Thresholds


def publicity_tier(
    kind: ProcedureKind, value: Decimal, social: bool, limits: Thresholds
) -> Publicity:
    if kind is ProcedureKind.DISPENSE:
        return Publicity.AUCUNE
    if kind is ProcedureKind.FORMALISEE or (social and value >= limits.eu):
        return Publicity.BOAMP_ET_JOUE
    if value < limits.boamp_ou_jal:
        return Publicity.LIBRE
    return Publicity.BOAMP_OU_JAL


def dce_required(kind: ProcedureKind, value: Decimal, limits: Thresholds) -> bool:
    return kind is not ProcedureKind.DISPENSE and value >= limits.dce_profile


def explain_publicity(
    law: LawSnapshot,
    tier: Publicity,
    buyer: Buyer,
    social: bool,
    limits: Thresholds,
    findings: Findings,
) -> None:
    if tier is Publicity.AUCUNE:
        findings.explain(
            "Aucune publicité n'est obligatoire ; il faut néanmoins choisir une offre pertinente, "
            "faire une bonne utilisation des deniers publics et ne pas contracter "
            "systématiquement avec le même opérateur (R2122-8). Demander plusieurs devis reste "
            "une bonne pratique.",
            law.reference(limits.dispense_path),
        )
    elif tier is Publicity.BOAMP_ET_JOUE:
        _explain_european(buyer, social, limits, findings)
    else:
        _explain_adapted(law, tier, buyer, limits, findings)


def _explain_european(buyer: Buyer, social: bool, limits: Thresholds, findings: Findings) -> None:
    if social:
        findings.explain(
            "Services sociaux et autres services spécifiques d'une valeur égale ou supérieure "
            "au seuil européen : avis de marché (ou de préinformation) au JOUE, en plus de la "
            "publicité nationale.",
            "CCP R2123-1 3°",
        )
        findings.flag_ambiguity(
            "L'article exact organisant la publicité européenne des services sociaux au-delà "
            f"du seuil de {format_euros(limits.eu)} HT n'a pas été vérifié sur Légifrance : "
            "confirmez le support "
            "(avis de marché ou avis de préinformation au JOUE).",
            "CCP R2123-1 3°",
        )
    else:
        findings.explain(
            "Procédure formalisée : avis de marché au BOAMP et au Journal officiel de l'Union "
            "européenne (formulaires eForms), publicité complémentaire possible.",
            "CCP R2131-16",
        )
    if buyer is Buyer.ENTITE_ADJUDICATRICE:
        findings.flag_ambiguity(
            "Une entité adjudicatrice qui n'est ni l'État, ni une collectivité, ni un de leurs "
            "établissements publics publie au seul JOUE : le BOAMP n'est obligatoire que pour "
            "les acheteurs publics.",
            "CCP R2131-16",
        )


def _explain_adapted(
    law: LawSnapshot, tier: Publicity, buyer: Buyer, limits: Thresholds, findings: Findings
) -> None:
    reference = law.reference("procurement.publicity.boamp_ou_jal")
    if tier is Publicity.LIBRE:
        findings.explain(
            f"MAPA de moins de {format_euros(limits.boamp_ou_jal)} HT : publicité adaptée, "
            "librement définie selon le montant et l'objet (site de l'acheteur, profil "
            "d'acheteur, presse locale…) (R2131-12 1°).",
            reference,
        )
        return
    findings.explain(
        f"MAPA d'au moins {format_euros(limits.boamp_ou_jal)} HT : avis selon le modèle "
        "national au BOAMP ou dans un journal habilité à recevoir des annonces légales, complété "
        "si nécessaire par une publication spécialisée ou au JOUE (R2131-12 2°).",
        reference,
    )
    if buyer is Buyer.ENTITE_ADJUDICATRICE:
        findings.flag_ambiguity(
            "Pour une entité adjudicatrice qui n'est pas un acheteur public (entreprise "
            "publique, organisme de droit privé), la publicité d'un MAPA est librement "
            "adaptée : l'obligation BOAMP/JAL vise l'État, les collectivités et leurs "
            "établissements publics.",
            reference,
        )


def explain_dce(
    law: LawSnapshot, kind: ProcedureKind, required: bool, limits: Thresholds, findings: Findings
) -> None:
    if kind is ProcedureKind.DISPENSE:
        return
    reference = law.reference("procurement.publicity.dce_profil_acheteur")
    if required:
        findings.explain(
            f"Valeur d'au moins {format_euros(limits.dce_profile)} HT avec avis d'appel à la "
            "concurrence : les documents de la consultation sont mis à disposition gratuitement, "
            "directement et complètement sur le profil d'acheteur dès la publication de l'avis.",
            reference,
        )
    else:
        findings.explain(
            f"Valeur inférieure à {format_euros(limits.dce_profile)} HT : la mise en ligne du "
            "DCE sur le profil d'acheteur n'est pas obligatoire (mais recommandée).",
            reference,
        )
