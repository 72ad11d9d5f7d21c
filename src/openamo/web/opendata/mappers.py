"""The buyer's contracts, as the domain reads them: the DECP publication's typed
:class:`ContractInput` and the DECP v2 records the audit reads.

Everything comes from the contract's file (contract, its avenants, its essential data): nothing
is typed twice. A value the DECP format cannot hold (a contract number longer than 16
characters) is reported as missing, never cut.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypedDict

from openamo.amendments import Stage
from openamo.opendata.publish import PROCEDURES, ContractInput, ModificationInput
from openamo.validation import french_errors
from openamo.web.amendments.models import Amendment
from openamo.web.audit.services import JSONValue
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
    data: ContractInput
    """The contract as the DECP publication reads it (the domain's input)."""
    extra_missing: list[tuple[str, str]] = field(default_factory=list)
    """(DECP field, French label) the format cannot take as entered."""


def _day(value: JSONValue) -> dt.date | None:
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def amendment_dates(amendment: Amendment) -> tuple[dt.date, dt.date | None]:
    """(notified on, essential data published on) of an avenant, from its events."""
    notified = None
    published = None
    for event in amendment.events.all():
        if event.stage_after == Stage.NOTIFIE.value and notified is None:
            notified = _day(event.details.get("date")) or event.at.date()
        if event.stage_after == Stage.PUBLIE.value and published is None:
            published = _day(event.details.get("decp")) or event.at.date()
    return notified or amendment.modification_date, published


def entry(
    contract: Contract, essential: EssentialData | None, amendments: list[Amendment]
) -> ContractEntry:
    """The contract with its essential data and avenants in force; a French
    :class:`OpenAMOError` when the domain refuses what is stored."""
    extra: list[tuple[str, str]] = []
    reference = contract.reference or None
    if reference and len(reference) > 16:
        extra.append(("id", "numéro du marché de 16 caractères au plus (format DECP)"))
        reference = None
    procedure = (essential.procedure if essential else "") or DEFAULT_PROCEDURE.get(
        contract.procedure
    )
    with french_errors():
        modifications = []
        for number, amendment in enumerate(
            sorted((a for a in amendments if a.stage in IN_FORCE), key=lambda a: a.number), 1
        ):
            notified, published = amendment_dates(amendment)
            modifications.append(
                ModificationInput(
                    number=number,
                    notified_on=notified,
                    published_on=published,
                    new_amount_ht=amendment.new_amount_ht,
                )
            )
        data = ContractInput(
            reference=reference,
            title=contract.title or None,
            cpv=(essential.cpv if essential else "") or None,
            procedure=procedure or None,
            place_code=(essential.place_code if essential else "") or None,
            place_type=essential.place_type if essential else "Code commune",
            duration_months=contract.duration_months,
            notified_on=contract.notified_on,
            amount_ht=contract.initial_amount_ht,
            price_form=(essential.price_shape if essential else "") or None,
            price_types=[PRICE_TYPES[contract.price_form]]
            if contract.price_form in PRICE_TYPES
            else [],
            holder_id=contract.holder_siret or None,
            offers_received=essential.offers_received if essential else None,
            ccag=(essential.ccag if essential else "") or None,
            techniques=["Accord-cadre"] if contract.is_framework else [],
            modifications=modifications,
        )
    return ContractEntry(contract, essential, amendments, data, extra)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


class DecpBuyer(TypedDict):
    id: str


class DecpHolder(TypedDict):
    typeIdentifiant: str
    id: str


class DecpHolderEntry(TypedDict):
    titulaire: DecpHolder


class DecpTechniques(TypedDict):
    technique: list[str]


class DecpModification(TypedDict):
    id: int
    dateNotificationModification: str
    datePublicationDonneesModification: str
    montant: int | float


class DecpModificationEntry(TypedDict):
    modification: DecpModification


class DecpRecord(TypedDict, total=False):
    """A DECP v2 record (« marché ») as the audit reads it; a field not known is absent."""

    id: str
    acheteur: DecpBuyer
    nature: str
    objet: str
    codeCPV: str
    procedure: str
    dureeMois: int
    dateNotification: str
    datePublicationDonnees: str
    montant: int | float
    offresRecues: int
    titulaires: list[DecpHolderEntry]
    techniques: DecpTechniques
    modifications: list[DecpModificationEntry]


def decp_record(item: ContractEntry, buyer_siret: str, today: dt.date) -> DecpRecord:
    """The contract as a DECP v2 record, with what is known (the audit reads incomplete ones).

    Not yet published, it is judged as if published ``today`` (late if its deadline passed)."""
    data = item.data
    record = DecpRecord(
        id=data.reference or f"OPENAMO-{item.contract.pk}",
        acheteur={"id": buyer_siret},
        nature="Marché",
    )
    if data.title is not None:
        record["objet"] = data.title
    if data.cpv is not None:
        record["codeCPV"] = data.cpv
    if (procedure := PROCEDURES.get(data.procedure or "")) is not None:
        record["procedure"] = procedure
    if data.duration_months is not None:
        record["dureeMois"] = data.duration_months
    if data.notified_on is not None:
        record["dateNotification"] = data.notified_on.isoformat()
    record["datePublicationDonnees"] = today.isoformat()
    record["montant"] = _number(item.contract.initial_amount_ht)
    if data.offers_received is not None:
        record["offresRecues"] = data.offers_received
    record["titulaires"] = (
        [{"titulaire": {"typeIdentifiant": "SIRET", "id": data.holder_id}}]
        if data.holder_id
        else []
    )
    record["techniques"] = {"technique": data.techniques or ["Sans objet"]}
    record["modifications"] = [
        {
            "modification": {
                "id": m.number,
                "dateNotificationModification": m.notified_on.isoformat(),
                "datePublicationDonneesModification": (m.published_on or m.notified_on).isoformat(),
                "montant": _number(m.new_amount_ht or Decimal(0)),
            }
        }
        for m in data.modifications
    ]
    return record
