"""Which thresholds apply to a buyer, a nature and a date (law data, never figures in code)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from openamo import law as law_data
from openamo.law import LawSnapshot
from openamo.procurement.enums import Buyer, Nature

_EU_SUPPLIES = {
    Buyer.ETAT: "procurement.thresholds.eu_fournitures_services_autorites_centrales",
    Buyer.COLLECTIVITE: "procurement.thresholds.eu_fournitures_services_autres_pouvoirs_adjudicateurs",
    Buyer.ENTITE_ADJUDICATRICE: "procurement.thresholds.eu_fournitures_services_entites_adjudicatrices",
}
_EU_SOCIAL = {
    Buyer.ETAT: "procurement.thresholds.eu_services_sociaux_pouvoirs_adjudicateurs",
    Buyer.COLLECTIVITE: "procurement.thresholds.eu_services_sociaux_pouvoirs_adjudicateurs",
    Buyer.ENTITE_ADJUDICATRICE: "procurement.thresholds.eu_services_sociaux_entites_adjudicatrices",
}


@dataclass(frozen=True)
class Thresholds:
    dispense: Decimal
    dispense_path: str
    eu: Decimal
    eu_path: str
    boamp_ou_jal: Decimal
    dce_profile: Decimal
    petit_lot: Decimal
    petit_lot_path: str
    petits_lots_share: Decimal


def dispense_path(nature: Nature) -> str:
    if nature is Nature.TRAVAUX:
        return "procurement.thresholds.dispense_travaux"
    return "procurement.thresholds.dispense_fournitures_services"


def eu_path(buyer: Buyer, nature: Nature, social: bool = False) -> str:
    """Path of the EU threshold for this buyer and nature (works: one threshold for all buyers)."""
    if nature is Nature.TRAVAUX:
        return "procurement.thresholds.eu_travaux"
    if social and nature is Nature.SERVICES:
        return _EU_SOCIAL[buyer]
    return _EU_SUPPLIES[buyer]


@lru_cache(maxsize=4096)
def thresholds_for(day: date, buyer: Buyer, nature: Nature, social: bool) -> Thresholds:
    """The thresholds of one situation; cached, since the law of a given day never changes."""
    law = law_data.at(day)
    lot_path = (
        "procurement.lots.petits_lots_travaux"
        if nature is Nature.TRAVAUX
        else "procurement.lots.petits_lots_fournitures_services"
    )
    dispense = dispense_path(nature)
    eu = eu_path(buyer, nature, social)
    return Thresholds(
        dispense=_amount(law, dispense),
        dispense_path=dispense,
        eu=_amount(law, eu),
        eu_path=eu,
        boamp_ou_jal=_amount(law, "procurement.publicity.boamp_ou_jal"),
        dce_profile=_amount(law, "procurement.publicity.dce_profil_acheteur"),
        petit_lot=_amount(law, lot_path),
        petit_lot_path=lot_path,
        petits_lots_share=_amount(law, "procurement.lots.petits_lots_part_cumulee"),
    )


def _amount(law: LawSnapshot, path: str) -> Decimal:
    value = law.value(path)
    assert isinstance(value, Decimal)
    return value
