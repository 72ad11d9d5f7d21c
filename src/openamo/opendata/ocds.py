"""``amo ocds export``: DECP records as OCDS 1.1.5 release packages.

The mapping is the official converter's (decp-rama, Etalab/Bercy): ocid prefix ``ocds-78apv2``,
ocid = prefix + ``uid`` (buyer SIRET + contract id) without the two-digit modification sequence
when it equals the number of modifications, parties ``FR-RCS-<SIRET>-buyer|supplier``, objects
``<ocid>-award-1``, ``-contract-1``, ``-item-1``, durations of ``dureeMois × 30,5`` days.
``compat="decp-rama"`` reproduces its expected outputs exactly. The default goes further: the
procedure becomes ``tender.procurementMethod`` (both French vocabularies of 2019 data), the number
of offers ``tender.numberOfTenderers``, each modification a release of its own whose contract
carries the new value, duration and an ``amendments`` entry, and concessions are converted too.
Two records of one contract (a uid republished with other data) whose releases say different
things under one id each keep their release, the second under an id of its own (``_unique_id``),
and each such conflict is reported (``Conflict``); ``decp-rama`` keeps one release per id as the
official converter does, and reports the ones it leaves out.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from openamo.opendata.reader import RawRecord
from openamo.opendata.records import Contract, Method, Modification, Nature, normalise
from openamo.opendata.versions import contracts

Compat = Literal["openamo", "decp-rama"]

OCDS_METHODS = {
    Method.OPEN: "open",
    Method.ADAPTED: "open",
    Method.RESTRICTED: "selective",
    Method.NEGOTIATED: "selective",
    Method.DIALOGUE: "selective",
    Method.WITHOUT_COMPETITION: "direct",
    Method.CONCESSION_OPEN: "open",
    Method.CONCESSION_RESTRICTED: "selective",
}
OCDS_CATEGORIES = {Nature.WORKS: "works", Nature.SUPPLIES: "goods", Nature.SERVICES: "services"}


@dataclass(frozen=True)
class PackageMeta:
    """Package-level metadata; the defaults are those of the national DECP publication."""

    ocid_prefix: str = "ocds-78apv2"
    uri: str = "https://www.data.gouv.fr/fr/datasets/r/2a84ffc7-7121-48d2-a28f-85d835ed09a4"
    published_date: str = ""
    publisher_name: str = "Secrétariat Général du Gouvernement"
    publisher_scheme: str = "FR-RCS"
    publisher_uid: str = "12000101100010"
    license: str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence"
    publication_policy: str = "https://www.data.gouv.fr/fr/datasets/5d1a216e6f4441513e89b93e"

    def published(self) -> str:
        return self.published_date or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()

    def header(self) -> dict[str, Any]:
        published = self.published()
        return {
            "version": "1.1",
            "uri": self.uri,
            "publishedDate": published,
            "publisher": {
                "name": self.publisher_name,
                "scheme": self.publisher_scheme,
                "uid": self.publisher_uid,
            },
            "license": self.license,
            "publicationPolicy": self.publication_policy,
        }


def ocds_datetime(value: Any) -> str | None:
    """``2019-04-25+02:00`` → ``2019-04-25T00:00:00+02:00``; ``2018-12-03`` → ``…T00:00:00Z``."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    day = value[:10]
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        return None
    rest = value[10:]
    if rest.startswith("T"):
        return value if len(value) > 19 else value + "Z"
    zone = rest if rest[:1] in {"+", "-"} and len(rest) == 6 else "Z"
    return f"{day}T00:00:00{zone}"


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    try:
        number = float(str(value).replace(",", ".").replace(" ", ""))
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def _days(months: Any) -> int | None:
    number = _number(months)
    if number is None or number <= 0:
        return None
    return int(number * 30.5)


def ocid_for(uid: str, modifications: int, prefix: str) -> str:
    """The official rule: drop the two-digit sequence when it counts the modifications.

    As in decp-rama's expected outputs, an unmodified contract keeps its ``00``; the first
    release of every process is ``<ocid>-00`` and modification n is ``<ocid>-<nn>``.
    """
    if modifications > 0 and uid.endswith(f"{modifications:02d}"):
        return f"{prefix}-{uid[:-2]}"
    return f"{prefix}-{uid}"


def _party(scheme: str, identifier: str, name: str | None, role: str) -> dict[str, Any]:
    ocds_scheme = "FR-RCS" if scheme.upper() == "SIRET" else f"FR-{scheme.upper()}"
    party: dict[str, Any] = {
        "id": f"{ocds_scheme}-{identifier}-{role}",
        "roles": [role],
        "identifier": {"scheme": ocds_scheme, "id": identifier},
    }
    if name:
        party["name"] = name
        party["identifier"]["legalName"] = name
    return party


def _short(party: dict[str, Any]) -> dict[str, Any]:
    short = {"id": party["id"]}
    if "name" in party:
        short = {"name": party["name"], "id": party["id"]}
    return short


def releases(
    raw: RawRecord,
    meta: PackageMeta,
    compat: Compat = "openamo",
    contract: Contract | None = None,
) -> list[dict[str, Any]]:
    """The releases of one DECP record (one, plus one per modification unless ``decp-rama``);
    ``contract``: the record's contract when already built (the rows of a tabular contract
    folded, ``raw`` being the row of its initial state)."""
    contract = contract or normalise(raw)
    if contract.kind == "concession" and compat == "decp-rama":
        return []  # the official converter leaves concessions out
    data = raw.data
    uid = contract.uid_published or contract.uid
    modifications = contract.modifications
    if compat == "decp-rama" and modifications:
        return []  # never implemented there: its expected outputs are empty packages
    ocid = ocid_for(uid, len(modifications), meta.ocid_prefix)
    concession = contract.kind == "concession"
    buyer = _party("SIRET", contract.buyer_id, contract.buyer_name, "buyer")
    parties = [buyer]
    suppliers: list[dict[str, Any]] = []
    for supplier in contract.suppliers:
        party = _party(supplier.scheme, supplier.id, supplier.name, "supplier")
        if all(p["id"] != party["id"] for p in suppliers):
            suppliers.append(party)
    parties.extend(suppliers)
    amount = _number(data.get("valeurGlobale" if concession else "montant"))
    value = {"amount": amount, "currency": "EUR"} if amount is not None else None
    item: dict[str, Any] = {"id": f"{ocid}-item-1"}
    if contract.object:
        item["description"] = contract.object
    cpv_raw = data.get("codeCPV")
    if isinstance(cpv_raw, str) and cpv_raw.strip():
        item["classification"] = {"scheme": "CPV", "id": cpv_raw.strip()}
    award: dict[str, Any] = {"id": f"{ocid}-award-1"}
    if contract.object:
        award["description"] = contract.object
    award["status"] = "active"
    award_date = ocds_datetime(data.get("dateSignature" if concession else "dateNotification"))
    if award_date:
        award["date"] = award_date
    if value:
        award["value"] = dict(value)
    award["suppliers"] = [_short(p) for p in suppliers]
    award["items"] = [item]
    days = _days(data.get("dureeMois"))
    if days:
        award["contractPeriod"] = {"durationInDays": days}
    contract_object: dict[str, Any] = {"id": f"{ocid}-contract-1", "awardID": award["id"]}
    if value:
        contract_object["value"] = dict(value)
    if contract.object:
        contract_object["description"] = contract.object
    if days:
        contract_object["period"] = {"durationInDays": days}
    contract_object["status"] = "pending"
    contract_object["items"] = [item]
    release: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-00",
        "decpUID": uid,
    }
    # OCDS requires a release date; without any DECP date, the package's own date stands in.
    release["date"] = (
        ocds_datetime(data.get("datePublicationDonnees")) or award_date or meta.published()
    )
    release.update(
        {
            "language": "fr",
            "tag": ["award", "contract"],
            "initiationType": "tender",
            "parties": parties,
            "buyer": _short(buyer),
            "awards": [award],
            "contracts": [contract_object],
        }
    )
    if compat == "openamo":
        release["tender"] = _tender(contract, ocid, data)
    found = [release]
    if compat == "openamo":
        found.extend(_amendment_releases(contract, ocid, release, data))
    return found


def _tender(contract: Contract, ocid: str, data: dict[str, Any]) -> dict[str, Any]:
    tender: dict[str, Any] = {"id": f"{ocid}-tender"}
    method = OCDS_METHODS.get(contract.method)
    if method:
        tender["procurementMethod"] = method
    if contract.procedure:
        tender["procurementMethodDetails"] = contract.procedure
    category = OCDS_CATEGORIES.get(contract.nature) if contract.nature else None
    if category:
        tender["mainProcurementCategory"] = category
    if contract.offers is not None:
        tender["numberOfTenderers"] = contract.offers
    if contract.framework:
        tender["techniques"] = {"hasFrameworkAgreement": True}
    return tender


def _amendment_releases(
    contract: Contract, ocid: str, base: dict[str, Any], data: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    """Each modification: a ``contractAmendment`` release with the contract as it then stood."""
    value = base["contracts"][0].get("value", {}).get("amount")
    days = base["contracts"][0].get("period", {}).get("durationInDays")
    amendments: list[dict[str, Any]] = []
    listed = data.get("modifications")
    raw_items: list[Any] = listed if isinstance(listed, list) else []
    for modification in contract.modifications:
        raw = raw_items[modification.position] if modification.position < len(raw_items) else {}
        if isinstance(raw, dict) and set(raw) == {"modification"}:
            raw = raw["modification"]
        if not isinstance(raw, dict):
            raw = {}
        if contract.form == "tabulaire":
            raw = _tabular_modification(modification)
        number = modification.position + 1
        amendment: dict[str, Any] = {"id": f"{ocid}-amendment-{number}"}
        date = ocds_datetime(
            raw.get("dateNotificationModification") or raw.get("dateSignatureModification")
        )
        if date:
            amendment["date"] = date
        if modification.object:
            amendment["description"] = modification.object
        changes = []
        new_amount = _number(
            raw.get("valeurGlobale" if contract.kind == "concession" else "montant")
        )
        if new_amount is not None:
            changes.append(f"montant porté à {new_amount} € HT")
            value = new_amount
        new_days = _days(raw.get("dureeMois"))
        if new_days:
            changes.append(f"durée portée à {raw.get('dureeMois')} mois")
            days = new_days
        if modification.suppliers:
            changes.append("titulaires modifiés")
        if changes:
            amendment["rationale"] = " ; ".join(changes)
        amendments.append(amendment)
        contract_object: dict[str, Any] = {
            "id": base["contracts"][0]["id"],
            "awardID": base["contracts"][0]["awardID"],
            "status": "active",
            "amendments": [dict(a) for a in amendments],
        }
        if value is not None:
            contract_object["value"] = {"amount": value, "currency": "EUR"}
        if days:
            contract_object["period"] = {"durationInDays": days}
        release: dict[str, Any] = {
            "ocid": ocid,
            "id": f"{ocid}-{number:02d}",
            "decpUID": base["decpUID"],
            "language": "fr",
            "tag": ["contractAmendment"],
            "initiationType": "tender",
            "parties": base["parties"],
            "buyer": base["buyer"],
            "contracts": [contract_object],
        }
        published = ocds_datetime(raw.get("datePublicationDonneesModification")) or date
        release["date"] = published or base["date"]
        if modification.suppliers:
            for supplier in modification.suppliers:
                party = _party(supplier.scheme, supplier.id, supplier.name, "supplier")
                if all(p["id"] != party["id"] for p in release["parties"]):
                    release["parties"] = [*release["parties"], party]
        yield release


def _tabular_modification(modification: Modification) -> dict[str, Any]:
    """A modification of tabular rows (a later version) in the words of the JSON forms."""
    found: dict[str, Any] = {}
    if modification.notified_on:
        found["dateNotificationModification"] = modification.notified_on.isoformat()
    if modification.published_on:
        found["datePublicationDonneesModification"] = modification.published_on.isoformat()
    if modification.amount is not None:
        found["montant"] = str(modification.amount)
    if modification.duration_months is not None:
        found["dureeMois"] = modification.duration_months
    return found


@dataclass(frozen=True)
class Conflict:
    """A release that says something else than the one kept under the same official id."""

    ocid: str
    official_id: str
    release_id: str | None  # the id it was given; None: left out (``decp-rama``)
    file: str
    location: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "ocid": self.ocid,
            "identifiant_officiel": self.official_id,
            "identifiant_attribue": self.release_id,
            "fichier": self.file,
            "position": self.location,
        }


def package(
    records: Iterable[RawRecord],
    meta: PackageMeta,
    compat: Compat = "openamo",
    *,
    grouped: bool = False,
    conflicts: list[Conflict] | None = None,
) -> dict[str, Any]:
    """One release package. A release repeating one already kept (the same record read twice) is
    kept once; one that says something else under the same id keeps its own (``_unique_id``) and
    is added to ``conflicts``, or is left out and added there with ``decp-rama`` (the official
    converter keeps one release per id). The rows of a tabular contract are folded into it first
    (``versions.contracts``; ``grouped``: they come together)."""
    found: list[dict[str, Any]] = []
    kept: dict[str, dict[str, Any]] = {}  # id given -> the release (decp-rama: or left out)
    for raw, contract in contracts(records, grouped=grouped):
        for release in releases(raw, meta, compat, contract):
            official = str(release["id"])
            if release["tag"] == ["contractAmendment"]:
                day = release["contracts"][0]["amendments"][-1].get("date") or release["date"]
            else:
                day = release["date"]
            identifier = _unique_id(release, str(day), kept)
            if identifier is None:
                continue
            if identifier != official:
                left_out = compat == "decp-rama"
                if conflicts is not None:
                    conflicts.append(
                        Conflict(
                            release["ocid"],
                            official,
                            None if left_out else identifier,
                            raw.file,
                            raw.location,
                        )
                    )
                if left_out:
                    continue
                release["id"] = identifier
            found.append(release)
    body = meta.header()
    if found:
        body["releases"] = found
    return body


def _unique_id(release: dict[str, Any], day: str, kept: dict[str, dict[str, Any]]) -> str | None:
    """A unique id for a release, or None when the same release is already kept.

    Two records of one contract (the same ``uid`` republished with other data, or test records
    of production files sharing a dummy id) may each carry its initial state, or a modification
    n: under the single id ``<ocid>-00`` (``<ocid>-<nn>``) the second one was dropped although it
    says something else. Its id is then derived from its own date (that of the modification, or
    the publication of the initial state: ``<ocid>-00-<AAAAMMJJ>``), then a rank (``-2``,
    ``-3``…) when that date is shared: deterministic for a given input, and the first release
    keeps the official id. A release saying exactly the same thing as one kept (the same record
    read twice) is still kept once. What a release says is serialised only on a collision: for
    most releases the official id is free.
    """
    day = day[:10].replace("-", "")
    base = str(release["id"])
    ranked = (f"{base}-{day}-{rank}" for rank in itertools.count(2))
    content: str | None = None
    for candidate in itertools.chain([base, f"{base}-{day}"], ranked):
        other = kept.get(candidate)
        if other is None:
            kept[candidate] = release
            return candidate
        content = content or _says(release)
        if _says(other) == content:
            return None
    raise AssertionError("itertools.count never ends")  # pragma: no cover


def _says(release: dict[str, Any]) -> str:
    """What a release says, whatever id it was given."""
    return json.dumps({k: v for k, v in release.items() if k != "id"}, sort_keys=True)
