"""Enumerations of the pricing and payment domain; values are the French terms of the JSON contract."""

from __future__ import annotations

from enum import StrEnum

from openamo.enums import LabelledEnum


class RevisionKind(LabelledEnum):
    REVISION = "revision", "Révision de prix"
    ACTUALISATION = "actualisation", "Actualisation de prix ferme"


class Rounding(LabelledEnum):
    """How the contract rounds the coefficient (the CCAP says it; the default is no rounding)."""

    AU_PLUS_PROCHE = "au_plus_proche", "arrondi au plus proche (demi supérieur)"
    SUPERIEUR = "superieur", "arrondi par excès"
    INFERIEUR = "inferieur", "arrondi par défaut (troncature)"


class ContractNature(StrEnum):
    FOURNITURES = "fournitures"
    SERVICES = "services"
    TRAVAUX = "travaux"


class PaymentBuyer(LabelledEnum):
    """Buyer categories of CCP R2192-10 and R2192-11 (they set the maximum payment period)."""

    ETAT = "etat", "État"
    COLLECTIVITE = "collectivite", "collectivité territoriale ou établissement public local"
    ETABLISSEMENT_PUBLIC = "etablissement_public", "établissement public administratif (hors santé)"
    ETABLISSEMENT_PUBLIC_SANTE = "etablissement_public_sante", "établissement public de santé"
    SERVICE_SANTE_ARMEES = "service_sante_armees", "service de santé des armées"
    ENTREPRISE_PUBLIQUE = "entreprise_publique", "entreprise publique"

    @property
    def deadline_parameter(self) -> str:
        if self in {PaymentBuyer.ETABLISSEMENT_PUBLIC_SANTE, PaymentBuyer.SERVICE_SANTE_ARMEES}:
            return "payment.deadlines.etablissements_sante"
        if self is PaymentBuyer.ENTREPRISE_PUBLIQUE:
            return "payment.deadlines.entreprises_publiques"
        return "payment.deadlines.etat_collectivites"


class AdvanceBuyer(StrEnum):
    """Buyer categories of R2191-7 and R2191-33 (minimum advance and retention cap for SMEs)."""

    ETAT = "etat"
    ETABLISSEMENT_PUBLIC_ETAT = "etablissement_public_etat"
    COLLECTIVITE = "collectivite"
    AUTRE = "autre"


class PenaltyClause(StrEnum):
    CCAG_TRAVAUX = "ccag_travaux"
    CCAG_FCS = "ccag_fcs"
    CCAG_TIC = "ccag_tic"
    CCAG_PI = "ccag_pi"
    CCAG_MI = "ccag_mi"
    CCAG_MOE = "ccag_moe"
    FORFAIT_JOURNALIER = "forfait_journalier"
    TAUX_JOURNALIER = "taux_journalier"


class RetentionSubstitute(LabelledEnum):
    """What may replace the retention money (R2191-36)."""

    GARANTIE_PREMIERE_DEMANDE = "garantie_premiere_demande", "garantie à première demande"
    CAUTION_PERSONNELLE_ET_SOLIDAIRE = (
        "caution_personnelle_et_solidaire",
        "caution personnelle et solidaire",
    )


class DefenceSubcontractor(LabelledEnum):
    """Who the subcontractor of a defence services' contract is: it sets the share of the
    contract its subcontract must reach to be paid directly (R2193-10, 2e alinéa; R2393-33)."""

    PME = "pme", "petite ou moyenne entreprise ou artisan"
    LIE_AU_TITULAIRE = "lie_au_titulaire", "entreprise liée au titulaire"
    AUTRE = "autre", "autre sous-traitant"
