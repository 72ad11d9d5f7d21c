"""``amo decp export``: a buyer's contracts and their modifications as DECP v2.0.3 JSON.

Only what the buyer already entered is used (no retyping). A contract is put in the file only
when it is complete: what is missing is listed per contract, with where to fill it, and the file
written is checked against the official schema before it is handed over. Contracts under the
publication threshold in force at their notification are listed apart (not subject), and each
publication deadline (notification + the delay in force) is given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import Field

from openamo import law
from openamo.errors import LawDataError
from openamo.money import format_euros
from openamo.opendata.audit import add_months, paris_today
from openamo.opendata.schemas import SchemaError, validator
from openamo.validation import Amount, InputModel, Siret, parse_input
from openamo.wording import count

DECP_THRESHOLD = "opendata.decp_seuil"
DECP_DELAY = "opendata.decp_delai_publication"

PROCEDURES = {
    "procedure_adaptee": "Procédure adaptée",
    "appel_offres_ouvert": "Appel d'offres ouvert",
    "appel_offres_restreint": "Appel d'offres restreint",
    "procedure_avec_negociation": "Procédure avec négociation",
    "sans_publicite_ni_mise_en_concurrence": "Marché passé sans publicité ni mise en concurrence préalable",
    "dialogue_competitif": "Dialogue compétitif",
}
NATURES = {
    "marche": "Marché",
    "marche_de_partenariat": "Marché de partenariat",
    "defense_securite": "Marché de défense ou de sécurité",
}
CCAG = [
    "Travaux",
    "Maitrise d'œuvre",
    "Fournitures courantes et services",
    "Marchés industriels",
    "Prestations intellectuelles",
    "Techniques de l'information et de la communication",
    "Pas de CCAG",
]

# (input key, DECP field, French label, where to fill it in OpenAMO)
REQUIRED = [
    ("reference", "id", "numéro du marché", "fiche du marché › numéro du marché"),
    ("title", "objet", "objet du marché", "fiche du marché › objet"),
    ("cpv", "codeCPV", "code CPV", "page Données essentielles du marché › code CPV"),
    (
        "procedure",
        "procedure",
        "procédure de passation (libellé DECP)",
        "page Données essentielles du marché › procédure",
    ),
    (
        "place_code",
        "lieuExecution",
        "lieu d'exécution",
        "page Données essentielles du marché › lieu d'exécution",
    ),
    ("duration_months", "dureeMois", "durée en mois", "fiche du marché › durée initiale"),
    (
        "notified_on",
        "dateNotification",
        "date de notification",
        "fiche du marché › date de notification",
    ),
    ("amount_ht", "montant", "montant HT", "fiche du marché › montant initial HT"),
    ("price_form", "formePrix", "forme du prix", "fiche du marché › forme du prix"),
    ("holder_id", "titulaires", "identifiant du titulaire", "fiche du marché › SIRET du titulaire"),
    (
        "offers_received",
        "offresRecues",
        "nombre d'offres reçues",
        "page Données essentielles du marché › offres reçues",
    ),
    ("ccag", "ccag", "CCAG de référence", "page Données essentielles du marché › CCAG"),
]


class ModificationInput(InputModel):
    number: int = Field(ge=1, le=999)
    notified_on: dt.date
    published_on: dt.date | None = None
    new_amount_ht: Amount | None = None
    new_duration_months: int | None = Field(default=None, ge=1, le=1200)


class ContractInput(InputModel):
    reference: str | None = Field(default=None, max_length=16)
    title: str | None = Field(default=None, max_length=1000)
    nature: str = "marche"
    cpv: str | None = Field(default=None, pattern=r"^\d{8}(-\d)?$")
    procedure: str | None = None
    place_code: str | None = Field(default=None, max_length=20)
    place_type: str = "Code commune"
    duration_months: int | None = Field(default=None, ge=1, le=1200)
    notified_on: dt.date | None = None
    published_on: dt.date | None = None
    amount_ht: Amount | None = None
    price_form: str | None = None
    price_types: list[str] = Field(default_factory=list)
    holder_id: str | None = None
    holder_id_type: str = "SIRET"
    offers_received: int | None = Field(default=None, ge=0, le=10000)
    ccag: str | None = None
    techniques: list[str] = Field(default_factory=list)
    execution_modes: list[str] = Field(default_factory=list)
    social_considerations: list[str] = Field(default_factory=list)
    environmental_considerations: list[str] = Field(default_factory=list)
    innovative: bool = False
    advance_granted: bool = False
    advance_rate: Decimal | None = Field(default=None, ge=0, le=1)
    grouping: str = "Pas de groupement"
    subcontracting_declared: bool = False
    framework_agreement_id: str | None = Field(default=None, max_length=16)
    modifications: list[ModificationInput] = Field(default_factory=list, max_length=200)
    where: str | None = Field(default=None, max_length=300)  # web address of the contract


class PublicationInput(InputModel):
    buyer_siret: Siret
    date: dt.date | None = None
    contracts: list[ContractInput] = Field(max_length=100_000)


@dataclass
class Missing:
    contract: str
    field: str
    label: str
    where: str

    def as_dict(self) -> dict[str, str]:
        return {
            "marche": self.contract,
            "champ": self.field,
            "libelle": self.label,
            "ou": self.where,
        }


@dataclass
class PublicationResult:
    document: dict[str, Any]
    published: list[str]
    missing: list[Missing]
    not_subject: list[dict[str, str]]
    deadlines: list[dict[str, str]]
    schema_errors: list[SchemaError]
    references: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.schema_errors

    def explanation(self) -> str:
        text = (
            f"{count(len(self.published), 'marché publiable')} au format DECP 2.0.3 "
            f"({'conforme' if self.valid else 'non conforme'} au schéma officiel). "
        )
        incomplete = sorted({m.contract for m in self.missing})
        if incomplete:
            text += (
                f"{count(len(incomplete), 'marché')} à compléter avant publication : "
                + ", ".join(incomplete)
                + ". "
            )
        if self.not_subject:
            text += f"{count(len(self.not_subject), 'marché')} sous le seuil de publication. "
        text += (
            "Les données sont publiées sur le portail national des données ouvertes dans les "
            "deux mois de la notification du marché et de chaque modification (CCP R2196-1)."
        )
        return text

    def as_dict(self, include_document: bool = True) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "marches_publies": self.published,
            "manquants": [m.as_dict() for m in self.missing],
            "non_soumis": self.not_subject,
            "echeances": self.deadlines,
            "valide_schema_officiel": self.valid,
            "explanation": self.explanation(),
            "erreurs_schema": [e.as_dict() for e in self.schema_errors],
            "references": self.references,
        }
        if include_document:
            payload["decp"] = self.document
        return payload


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _label(contract: ContractInput) -> str:
    return contract.reference or contract.title or "(marché sans numéro)"


def _missing(contract: ContractInput) -> list[Missing]:
    found: list[Missing] = []
    for key, decp_field, label, where in REQUIRED:
        value = getattr(contract, key)
        if value is None or value == "":
            found.append(Missing(_label(contract), decp_field, label, contract.where or where))
    if contract.procedure and contract.procedure not in PROCEDURES:
        found.append(
            Missing(
                _label(contract),
                "procedure",
                "procédure au libellé DECP",
                contract.where or "page Données essentielles du marché › procédure",
            )
        )
    if contract.ccag and contract.ccag not in CCAG:
        found.append(
            Missing(
                _label(contract),
                "ccag",
                "CCAG de la liste officielle",
                contract.where or "page Données essentielles du marché › CCAG",
            )
        )
    if contract.offers_received == 0:
        found.append(
            Missing(
                _label(contract),
                "offresRecues",
                "au moins une offre reçue",
                contract.where or "page Données essentielles du marché › offres reçues",
            )
        )
    return found


def _marche(contract: ContractInput, buyer: str, today: dt.date) -> dict[str, Any]:
    assert contract.amount_ht is not None and contract.notified_on is not None
    record: dict[str, Any] = {
        "id": contract.reference,
        "acheteur": {"id": buyer},
        "nature": NATURES.get(contract.nature, "Marché"),
        "objet": contract.title,
        "codeCPV": contract.cpv,
        "techniques": {"technique": contract.techniques or ["Sans objet"]},
        "modalitesExecution": {"modaliteExecution": contract.execution_modes or ["Sans objet"]},
        "marcheInnovant": contract.innovative,
        "ccag": contract.ccag,
        "offresRecues": contract.offers_received,
        "attributionAvance": contract.advance_granted,
        "tauxAvance": float(contract.advance_rate or 0),
        "typeGroupementOperateurs": contract.grouping,
        "sousTraitanceDeclaree": contract.subcontracting_declared,
        "procedure": PROCEDURES[contract.procedure or ""],
        "lieuExecution": {"code": contract.place_code, "typeCode": contract.place_type},
        "dureeMois": contract.duration_months,
        "dateNotification": contract.notified_on.isoformat(),
        "datePublicationDonnees": (contract.published_on or today).isoformat(),
        "montant": _number(contract.amount_ht),
        "typesPrix": {"typePrix": contract.price_types or ["Définitif ferme"]},
        "formePrix": contract.price_form,
        "titulaires": [
            {"titulaire": {"typeIdentifiant": contract.holder_id_type, "id": contract.holder_id}}
        ],
        "considerationsSociales": {
            "considerationSociale": contract.social_considerations
            or ["Pas de considération sociale"]
        },
        "considerationsEnvironnementales": {
            "considerationEnvironnementale": contract.environmental_considerations
            or ["Pas de considération environnementale"]
        },
    }
    if contract.framework_agreement_id:
        record["idAccordCadre"] = contract.framework_agreement_id
    modifications = []
    for modification in sorted(contract.modifications, key=lambda m: m.number):
        entry: dict[str, Any] = {
            "id": modification.number,
            "dateNotificationModification": modification.notified_on.isoformat(),
            "datePublicationDonneesModification": (modification.published_on or today).isoformat(),
        }
        if modification.new_amount_ht is not None:
            entry["montant"] = _number(modification.new_amount_ht)
        if modification.new_duration_months is not None:
            entry["dureeMois"] = modification.new_duration_months
        modifications.append({"modification": entry})
    if modifications:
        record["modifications"] = modifications
    return record


def build_publication(data: PublicationInput) -> PublicationResult:
    today = data.date or paris_today()
    document_items: list[dict[str, Any]] = []
    published: list[str] = []
    missing: list[Missing] = []
    not_subject: list[dict[str, str]] = []
    deadlines: list[dict[str, str]] = []
    references: set[str] = set()
    for contract in data.contracts:
        if contract.notified_on is not None and contract.amount_ht is not None:
            try:
                snapshot = law.at(contract.notified_on)
                threshold = Decimal(str(snapshot.value(DECP_THRESHOLD)))
                references.add(snapshot.reference(DECP_THRESHOLD))
            except LawDataError:
                threshold = None
            if threshold is not None and contract.amount_ht < threshold:
                not_subject.append(
                    {
                        "marche": _label(contract),
                        "motif": f"{format_euros(contract.amount_ht)} HT, sous le seuil de "
                        f"publication de {format_euros(threshold)} HT en vigueur le "
                        f"{contract.notified_on:%d/%m/%Y}",
                    }
                )
                continue
            _deadline(contract.notified_on, "marché", contract, deadlines, references)
            for modification in contract.modifications:
                _deadline(
                    modification.notified_on,
                    f"modification n° {modification.number}",
                    contract,
                    deadlines,
                    references,
                )
        gaps = _missing(contract)
        if gaps:
            missing.extend(gaps)
            continue
        document_items.append(_marche(contract, data.buyer_siret, today))
        published.append(_label(contract))
    document = {"marches": {"marche": document_items}}
    errors: list[SchemaError] = []
    checker = validator("2")
    for position, item in enumerate(document_items):
        for error in checker.errors(item, "marche") if not checker.is_valid(item, "marche") else []:
            errors.append(
                SchemaError(f"marches.marche[{position}].{error.path}".rstrip("."), error.message)
            )
    return PublicationResult(
        document, published, missing, not_subject, deadlines, errors, sorted(references)
    )


def _deadline(
    notified: dt.date,
    what: str,
    contract: ContractInput,
    deadlines: list[dict[str, str]],
    references: set[str],
) -> None:
    try:
        snapshot = law.at(notified)
        months = int(snapshot.value(DECP_DELAY))
        references.add(snapshot.reference(DECP_DELAY))
    except LawDataError:
        return
    deadlines.append(
        {
            "marche": _label(contract),
            "objet": what,
            "notifie_le": notified.isoformat(),
            "a_publier_au_plus_tard_le": add_months(notified, months).isoformat(),
        }
    )


def publication_from_dict(data: Any) -> PublicationResult:
    return build_publication(parse_input(PublicationInput, data))
