"""The buyer's contracts, as the domain reads them: DECP publication input and DECP records.

Everything comes from the contract's file (contract, its avenants, its essential data): nothing
is typed twice. A value the DECP format cannot hold (a contract number longer than 16
characters) is reported as missing, never cut.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openamo.amendments import Stage
from openamo.opendata.publish import PROCEDURES
from openamo.web.amendments.models import Amendment
from openamo.web.contracts.models import Contract
from openamo.web.opendata.models import EssentialData

IN_FORCE = (Stage.SIGNE.value, Stage.NOTIFIE.value, Stage.PUBLIE.value)
DEFAULT_PROCEDURE = {
    "mapa": "procedure_adaptee",
    "dispense": "sans_publicite_ni_mise_en_concurrence",
}
"""The contract's procedure family, when it names one DECP label alone."""
PRICE_TYPES = {
    "ferme": "Définitif ferme",
    "actualisable": "Définitif actualisable",
    "revisable": "Définitif révisable",
}
ESSENTIAL_FIELDS = {"codeCPV", "procedure", "lieuExecution", "offresRecues", "ccag", "formePrix"}
"""DECP fields filled on the essential-data page; the others come from the contract's file."""


@dataclass
class ContractEntry:
    contract: Contract
    essential: EssentialData | None
    amendments: list[Amendment]
    data: dict[str, Any]
    extra_missing: list[tuple[str, str]] = field(default_factory=list)
    """(DECP field, French label) the format cannot take as entered."""


def _day(value: Any) -> str | None:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return None
    return None


def amendment_dates(amendment: Amendment) -> tuple[str, str | None]:
    """(notified on, essential data published on) of an avenant, from its events."""
    notified = None
    published = None
    for event in amendment.events.all():
        if event.stage_after == Stage.NOTIFIE.value and notified is None:
            notified = _day(event.details.get("date")) or event.at.date().isoformat()
        if event.stage_after == Stage.PUBLIE.value and published is None:
            published = _day(event.details.get("decp")) or event.at.date().isoformat()
    return notified or amendment.modification_date.isoformat(), published


def entry(
    contract: Contract, essential: EssentialData | None, amendments: list[Amendment]
) -> ContractEntry:
    extra: list[tuple[str, str]] = []
    reference = contract.reference or None
    if reference and len(reference) > 16:
        extra.append(("id", "numéro du marché de 16 caractères au plus (format DECP)"))
        reference = None
    procedure = (essential.procedure if essential else "") or DEFAULT_PROCEDURE.get(
        contract.procedure
    )
    modifications = []
    for number, amendment in enumerate(
        sorted((a for a in amendments if a.stage in IN_FORCE), key=lambda a: a.number), 1
    ):
        notified, published = amendment_dates(amendment)
        modifications.append(
            {
                "number": number,
                "notified_on": notified,
                "published_on": published,
                "new_amount_ht": str(amendment.new_amount_ht),
            }
        )
    data: dict[str, Any] = {
        "reference": reference,
        "title": contract.title or None,
        "cpv": (essential.cpv if essential else "") or None,
        "procedure": procedure or None,
        "place_code": (essential.place_code if essential else "") or None,
        "place_type": essential.place_type if essential else "Code commune",
        "duration_months": contract.duration_months,
        "notified_on": contract.notified_on.isoformat(),
        "amount_ht": str(contract.initial_amount_ht),
        "price_form": (essential.price_shape if essential else "") or None,
        "price_types": [PRICE_TYPES[contract.price_form]]
        if contract.price_form in PRICE_TYPES
        else [],
        "holder_id": contract.holder_siret or None,
        "offers_received": essential.offers_received if essential else None,
        "ccag": (essential.ccag if essential else "") or None,
        "techniques": ["Accord-cadre"] if contract.is_framework else [],
        "modifications": modifications,
    }
    return ContractEntry(contract, essential, amendments, data, extra)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def decp_record(item: ContractEntry, buyer_siret: str, today: dt.date) -> dict[str, Any]:
    """The contract as a DECP v2 record, with what is known (the audit reads incomplete ones).

    Not yet published, it is judged as if published ``today`` (late if its deadline passed)."""
    data = item.data
    record: dict[str, Any] = {
        "id": data["reference"] or f"OPENAMO-{item.contract.pk}",
        "acheteur": {"id": buyer_siret},
        "nature": "Marché",
        "objet": data["title"],
        "codeCPV": data["cpv"],
        "procedure": PROCEDURES.get(data["procedure"] or ""),
        "dureeMois": data["duration_months"],
        "dateNotification": data["notified_on"],
        "datePublicationDonnees": today.isoformat(),
        "montant": _number(item.contract.initial_amount_ht),
        "offresRecues": data["offers_received"],
        "titulaires": [{"titulaire": {"typeIdentifiant": "SIRET", "id": data["holder_id"]}}]
        if data["holder_id"]
        else [],
        "techniques": {"technique": data["techniques"] or ["Sans objet"]},
        "modifications": [
            {
                "modification": {
                    "id": m["number"],
                    "dateNotificationModification": m["notified_on"],
                    "datePublicationDonneesModification": m["published_on"] or m["notified_on"],
                    "montant": _number(Decimal(m["new_amount_ht"])),
                }
            }
            for m in data["modifications"]
        ],
    }
    return {key: value for key, value in record.items() if value is not None}
