"""One DECP record, whatever its form (v1.5, v2, tabular), as a normalised contract.

Normalising tolerates what real publishers emit and says what it had to forgive (``issues``):
dates with a time-zone suffix (``2018-12-17+01:00``), CPV with its check digit, amounts written as
strings, ``"NC"`` durations, wrapped or unwrapped titulaires, modification titulaires as lists of
lists, replacement characters (U+FFFD) from a broken encoding, dummy or malformed SIRETs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from pathlib import PurePath
from typing import Any

from openamo.opendata.reader import RawRecord

# Amounts at or above this are placeholders, not contracts (decp-processing finds 99 999 999 999).
_PLACEHOLDER_AMOUNT = Decimal("10000000000")
_CPV = re.compile(r"^(\d{8})(?:-\d)?$")
_MOJIBAKE = re.compile("\ufffd|Ã[\u00a0-\u00bf]|Â[\u00a0-\u00bf]")
# Texts cut by the platform that published them (measured on the real 2019 files): objets of
# exactly 255 characters (marches-publics.info, PES: a VARCHAR(255) column) or 256 (the 2019
# schema's maximum, e-marchespublics), 1 000 (the 2022 schema's maximum); names cut at 100
# characters with an ellipsis (AIFE: « … de la recherche et d... »).
CUT_WIDTHS = frozenset({255, 256, 1000})
ELLIPSIS_WIDTHS = frozenset({100})
# The PES flow (« PES Marché », the DGFiP's feed of local authorities' contracts from their
# Hélios accounting) cuts names at 38 characters: in its real 2019 republication no buyer or
# titulaire name is longer, and 38 of its 1 148 buyer names (14 titulaire names) stop exactly
# there, most mid-word (« COMMUNAUTE D AGGLOMERATION TERRE DE PR »). Other sources publish names
# of 38 characters that are whole, so the width counts only for records of that flow.
PES_NAME_WIDTH = 38
_PES_SOURCE = re.compile(r"(?:^|[^a-z0-9])pes(?:$|[^a-z0-9])")


class Method(StrEnum):
    """Family of the award procedure, from the French label of either vocabulary."""

    ADAPTED = "procedure_adaptee"
    OPEN = "appel_offres_ouvert"
    RESTRICTED = "appel_offres_restreint"
    NEGOTIATED = "procedure_avec_negociation"
    DIALOGUE = "dialogue_competitif"
    WITHOUT_COMPETITION = "sans_publicite_ni_mise_en_concurrence"
    CONCESSION_OPEN = "concession_ouverte"
    CONCESSION_RESTRICTED = "concession_restreinte"
    UNKNOWN = "inconnue"


METHOD_LABELS = {
    Method.ADAPTED: "procédure adaptée",
    Method.OPEN: "appel d'offres ouvert",
    Method.RESTRICTED: "appel d'offres restreint",
    Method.NEGOTIATED: "procédure avec négociation",
    Method.DIALOGUE: "dialogue compétitif",
    Method.WITHOUT_COMPETITION: "marché sans publicité ni mise en concurrence préalables",
    Method.CONCESSION_OPEN: "procédure de concession ouverte",
    Method.CONCESSION_RESTRICTED: "procédure de concession restreinte",
    Method.UNKNOWN: "procédure non renseignée",
}
FORMALISED = frozenset({Method.OPEN, Method.RESTRICTED, Method.NEGOTIATED, Method.DIALOGUE})

# Labels of the v1.5 / v2 schemas, then those of v1.4 (arrêté du 14 avril 2017) still found in
# 2019 and even 2024 data; the value says whether the label is the obsolete vocabulary.
PROCEDURES: dict[str, tuple[Method, bool]] = {
    "procédure adaptée": (Method.ADAPTED, False),
    "appel d'offres ouvert": (Method.OPEN, False),
    "appel d'offres restreint": (Method.RESTRICTED, False),
    "procédure avec négociation": (Method.NEGOTIATED, False),
    "dialogue compétitif": (Method.DIALOGUE, False),
    "marché passé sans publicité ni mise en concurrence préalable": (
        Method.WITHOUT_COMPETITION,
        False,
    ),
    "procédure négociée ouverte": (Method.CONCESSION_OPEN, False),
    "procédure non négociée ouverte": (Method.CONCESSION_OPEN, False),
    "procédure négociée restreinte": (Method.CONCESSION_RESTRICTED, False),
    "procédure non négociée restreinte": (Method.CONCESSION_RESTRICTED, False),
    "procédure concurrentielle avec négociation": (Method.NEGOTIATED, True),
    "procédure négociée avec mise en concurrence préalable": (Method.NEGOTIATED, True),
    "marché négocié sans publicité ni mise en concurrence préalable": (
        Method.WITHOUT_COMPETITION,
        True,
    ),
    "marché public négocié sans publicité ni mise en concurrence préalable": (
        Method.WITHOUT_COMPETITION,
        True,
    ),
}


class Nature(StrEnum):
    """Works, supplies or services — DECP v1.5 does not say it: it comes from the CPV division."""

    WORKS = "travaux"
    SUPPLIES = "fournitures"
    SERVICES = "services"


@dataclass(frozen=True, slots=True)
class Party:
    scheme: str
    id: str
    name: str | None = None


@dataclass(slots=True)
class Modification:
    position: int
    notified_on: dt.date | None
    published_on: dt.date | None
    amount: Decimal | None  # the NEW total amount of the contract (both schemas say so)
    duration_months: int | None
    suppliers: tuple[Party, ...]
    object: str | None


@dataclass(frozen=True, slots=True)
class Issue:
    """Something the record got wrong, named in French with the field at fault."""

    code: str
    path: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "champ": self.path, "message": self.message}


@dataclass(slots=True)
class Contract:
    file: str
    location: str
    form: str
    kind: str  # "marche" | "concession"
    id: str
    buyer_id: str
    buyer_name: str | None
    nature_label: str | None
    object: str | None
    cpv: str | None
    procedure: str | None
    method: Method
    amount: Decimal | None
    duration_months: int | None
    notified_on: dt.date | None
    published_on: dt.date | None
    suppliers: tuple[Party, ...]
    modifications: list[Modification]
    offers: int | None
    framework: bool
    uid_published: str | None = None
    issues: list[Issue] = field(default_factory=list)

    @property
    def uid(self) -> str:
        """National key of decp-rama: SIRET of the buyer followed by its own contract id."""
        return f"{self.buyer_id}{self.id}"

    @property
    def nature(self) -> Nature | None:
        if not self.cpv:
            return None
        division = int(self.cpv[:2])
        if division == 45:
            return Nature.WORKS
        return Nature.SUPPLIES if division < 45 or division == 48 else Nature.SERVICES

    @property
    def state_buyer(self) -> bool:
        """SIREN starting with 1: the State and its national public bodies (INSEE numbering)."""
        return self.buyer_id[:1] == "1"

    def amounts(self) -> list[Decimal]:
        """Initial amount then each new total, in the order the modifications were published."""
        values = [self.amount] if self.amount is not None else []
        values.extend(m.amount for m in self.modifications if m.amount is not None)
        return values

    def final_amount(self) -> Decimal | None:
        found = self.amounts()
        return found[-1] if found else None

    def ref(self) -> dict[str, Any]:
        return {
            "fichier": self.file,
            "position": self.location,
            "uid": self.uid,
            "acheteur": self.buyer_id,
            "objet": (self.object or "")[:120],
        }


def normalise(raw: RawRecord) -> Contract:
    if raw.form == "tabulaire":
        return _tabular(raw)
    data = raw.data
    issues: list[Issue] = []
    concession = raw.kind == "concession"
    buyer = data.get("autoriteConcedante" if concession else "acheteur")
    buyer = buyer if isinstance(buyer, dict) else {}
    buyer_id = _text(buyer.get("id")) or ""
    _check_siret(buyer_id, "autoriteConcedante.id" if concession else "acheteur.id", issues, True)
    procedure = _text(data.get("procedure"))
    method = _method(procedure, issues)
    suppliers = _parties(data.get("concessionnaires" if concession else "titulaires"), issues)
    techniques = data.get("techniques")
    technique_list = techniques.get("technique") if isinstance(techniques, dict) else None
    nature_label = _text(data.get("nature"))
    framework = (nature_label or "").lower().startswith("accord-cadre") or (
        isinstance(technique_list, list) and "Accord-cadre" in technique_list
    )
    contract = Contract(
        file=raw.file,
        location=raw.location,
        form=raw.form,
        kind=raw.kind,
        id=_text(data.get("id")) or "",
        buyer_id=buyer_id,
        buyer_name=_text(buyer.get("nom")),
        nature_label=nature_label,
        object=_text(data.get("objet")),
        cpv=_cpv(data.get("codeCPV"), issues, required=not concession),
        procedure=procedure,
        method=method,
        amount=_amount(data.get("valeurGlobale" if concession else "montant"), "montant", issues),
        duration_months=_months(data.get("dureeMois"), "dureeMois", issues),
        notified_on=_date(
            data.get("dateSignature" if concession else "dateNotification"),
            "dateSignature" if concession else "dateNotification",
            issues,
        ),
        published_on=_date(data.get("datePublicationDonnees"), "datePublicationDonnees", issues),
        suppliers=suppliers,
        modifications=_modifications(data.get("modifications"), concession, issues),
        offers=_offers(data.get("offresRecues"), issues),
        framework=framework,
        uid_published=_text(data.get("uid")),
        issues=issues,
    )
    if not contract.id:
        issues.append(Issue("champ_absent", "id", "identifiant du marché absent"))
    if not suppliers:
        issues.append(Issue("champ_absent", "titulaires", "aucun titulaire renseigné"))
    if from_pes(data.get("source"), raw.file):
        _check_pes_names(data, concession, issues)
    _check_text(contract, issues)
    return contract


def _tabular(raw: RawRecord) -> Contract:
    data = raw.data
    issues: list[Issue] = []
    buyer_id = (data.get("acheteur_id") or "").strip()
    _check_siret(buyer_id, "acheteur_id", issues, True)
    procedure = (data.get("procedure") or "").strip() or None
    supplier_id = (data.get("titulaire_id") or "").strip()
    suppliers: tuple[Party, ...] = ()
    if supplier_id:
        scheme = (data.get("titulaire_typeIdentifiant") or "SIRET").strip() or "SIRET"
        if scheme == "SIRET":
            _check_siret(supplier_id, "titulaire_id", issues, False)
        suppliers = (Party(scheme, supplier_id, (data.get("titulaire_nom") or "").strip() or None),)
    kind_label = (data.get("type") or "").strip()
    contract = Contract(
        file=raw.file,
        location=raw.location,
        form=raw.form,
        kind="marche",
        id=(data.get("id") or "").strip(),
        buyer_id=buyer_id,
        buyer_name=(data.get("acheteur_nom") or "").strip() or None,
        nature_label=(data.get("nature") or "").strip() or None,
        object=(data.get("objet") or "").strip() or None,
        cpv=_cpv(data.get("codeCPV"), issues, required=True),
        procedure=procedure,
        method=_method(procedure, issues),
        amount=_amount(data.get("montant"), "montant", issues, text_is_native=True),
        duration_months=_months(data.get("dureeMois"), "dureeMois", issues),
        notified_on=_date(data.get("dateNotification"), "dateNotification", issues),
        published_on=_date(
            data.get("datePublicationDonnees"), "datePublicationDonnees", issues, required=False
        ),
        suppliers=suppliers,
        modifications=[],
        offers=_offers(data.get("offresRecues"), issues),
        framework=(data.get("nature") or "").lower().startswith("accord-cadre")
        or "accord-cadre" in (data.get("techniques") or "").lower(),
        uid_published=(data.get("uid") or "").strip() or None,
        issues=issues,
    )
    _check_truncated("acheteur_nom", contract.buyer_name, issues)
    _check_truncated("objet", contract.object, issues)
    if kind_label and contract.cpv and kind_label.lower() == "travaux" and contract.cpv[:2] != "45":
        issues.append(
            Issue("incoherence", "type", "type « Travaux » mais code CPV hors de la division 45")
        )
    return contract


# -- field parsers ----------------------------------------------------------------------------
def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float):
        return str(value)
    return None


def _method(label: str | None, issues: list[Issue]) -> Method:
    if not label:
        issues.append(Issue("champ_absent", "procedure", "procédure de passation absente"))
        return Method.UNKNOWN
    found = PROCEDURES.get(label.lower().replace("’", "'"))
    if found is None:
        issues.append(
            Issue("valeur_inconnue", "procedure", f"procédure « {label} » hors des vocabulaires")
        )
        return Method.UNKNOWN
    method, obsolete = found
    if obsolete:
        issues.append(
            Issue(
                "ancien_vocabulaire",
                "procedure",
                f"libellé « {label} » de l'arrêté du 14 avril 2017, remplacé en 2019",
            )
        )
    return method


def _cpv(value: Any, issues: list[Issue], required: bool) -> str | None:
    text = _text(value)
    if text is None:
        if required:
            issues.append(Issue("champ_absent", "codeCPV", "code CPV absent"))
        return None
    match = _CPV.match(text.replace(" ", ""))
    if match is None:
        issues.append(Issue("format", "codeCPV", f"code CPV « {text} » illisible (8 chiffres)"))
        return None
    return match.group(1)


def _amount(
    value: Any, path: str, issues: list[Issue], *, text_is_native: bool = False
) -> Decimal | None:
    """``text_is_native``: in a CSV every value is text, so a text amount is no defect there."""
    if value is None or value == "":
        issues.append(Issue("champ_absent", path, "montant absent"))
        return None
    if isinstance(value, bool):
        issues.append(Issue("format", path, "montant booléen"))
        return None
    if isinstance(value, str):
        cleaned = value.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            issues.append(Issue("format", path, f"montant « {value} » illisible"))
            return None
        if not text_is_native:
            issues.append(Issue("montant_texte", path, f"montant écrit en texte (« {value} »)"))
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    else:
        issues.append(Issue("format", path, "montant illisible"))
        return None
    if not amount.is_finite():
        issues.append(Issue("montant_impossible", path, "montant non fini"))
        return None
    if amount <= 0:
        issues.append(Issue("montant_impossible", path, f"montant nul ou négatif ({amount})"))
    elif amount >= _PLACEHOLDER_AMOUNT:
        issues.append(
            Issue("montant_impossible", path, f"montant de {amount} € : valeur de remplissage")
        )
    return amount


def _months(value: Any, path: str, issues: list[Issue]) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        months = value
    elif isinstance(value, float) and value.is_integer():
        months = int(value)
    else:
        try:
            months = int(str(value).strip())
        except ValueError:
            issues.append(Issue("format", path, f"durée « {value} » non numérique"))
            return None
    if months <= 0 or months > 1200:
        issues.append(Issue("duree_impossible", path, f"durée de {months} mois impossible"))
        return None
    return months


def _date(value: Any, path: str, issues: list[Issue], required: bool = True) -> dt.date | None:
    text = _text(value)
    if text is None:
        if required:
            issues.append(Issue("champ_absent", path, "date absente"))
        return None
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        issues.append(Issue("format", path, f"date « {text} » illisible (AAAA-MM-JJ)"))
        return None
    if day.year < 1990 or day.year > 2100:
        issues.append(Issue("date_impossible", path, f"date du {day:%d/%m/%Y} impossible"))
        return None
    return day


def _offers(value: Any, issues: list[Issue]) -> int | None:
    if value is None or value == "":
        return None
    try:
        offers = int(value)
    except (TypeError, ValueError):
        issues.append(Issue("format", "offresRecues", f"nombre d'offres « {value} » illisible"))
        return None
    if offers < 1:
        issues.append(Issue("valeur_impossible", "offresRecues", f"{offers} offre reçue"))
        return None
    return offers


def _check_siret(value: str, path: str, issues: list[Issue], buyer: bool) -> None:
    who = "de l'acheteur" if buyer else "du titulaire"
    if not value:
        issues.append(Issue("champ_absent", path, f"SIRET {who} absent"))
    elif not value.isdigit() or len(value) != 14:
        issues.append(Issue("siret", path, f"SIRET {who} « {value} » : 14 chiffres attendus"))
    elif len(set(value)) == 1 or value.startswith("123456789"):
        issues.append(Issue("siret_fictif", path, f"SIRET {who} « {value} » fictif"))
    elif not siret_checksum_ok(value):
        issues.append(Issue("siret", path, f"SIRET {who} « {value} » : clé de contrôle fausse"))


@lru_cache(maxsize=65536)
def siret_checksum_ok(value: str) -> bool:
    """Luhn keys of the SIREN (9 first digits) and of the SIRET; La Poste's establishments
    (SIREN 356000000, head office excepted) have a digit sum divisible by 5 instead.

    Written here rather than through python-stdnum, 40 times slower on millions of records.
    """
    if not _luhn(value[:9]):
        return False
    if value.startswith("356000000") and value != "35600000000048":
        return sum(map(int, value)) % 5 == 0
    return _luhn(value)


def _luhn(value: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(value)):
        digit = ord(char) - 48
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _unwrap(item: Any, key: str) -> Any:
    """v2 wraps each list item (``{"titulaire": {...}}``); v1.5 does not; some do both."""
    if isinstance(item, dict) and len(item) == 1 and key in item:
        return item[key]
    return item


def _flatten(items: Any) -> list[Any]:
    if not isinstance(items, list):
        return []
    flat: list[Any] = []
    for item in items:
        flat.extend(item if isinstance(item, list) else [item])  # [[{...}]] quirk of 2019 data
    return flat


def _parties(items: Any, issues: list[Issue], path: str = "titulaires") -> tuple[Party, ...]:
    parties: list[Party] = []
    seen: set[tuple[str, str]] = set()
    for position, item in enumerate(_flatten(items)):
        entry = _unwrap(_unwrap(item, "titulaire"), "concessionnaire")
        if not isinstance(entry, dict):
            continue
        scheme = _text(entry.get("typeIdentifiant")) or "SIRET"
        identifier = _text(entry.get("id")) or ""
        if scheme.upper() == "SIRET":
            _check_siret(identifier, f"{path}[{position}].id", issues, False)
        key = (scheme, identifier)
        if key in seen:
            issues.append(Issue("doublon", f"{path}[{position}]", "titulaire répété"))
            continue
        seen.add(key)
        parties.append(Party(scheme, identifier, _text(entry.get("denominationSociale"))))
    return tuple(parties)


def _modifications(items: Any, concession: bool, issues: list[Issue]) -> list[Modification]:
    found: list[Modification] = []
    for position, item in enumerate(items if isinstance(items, list) else []):
        entry = _unwrap(item, "modification")
        if not isinstance(entry, dict):
            continue
        where = f"modifications[{position}]"
        amount_key = "valeurGlobale" if concession else "montant"
        amount = None
        if entry.get(amount_key) not in (None, ""):
            amount = _amount(entry.get(amount_key), f"{where}.{amount_key}", issues)
        found.append(
            Modification(
                position=position,
                notified_on=_date(
                    entry.get(
                        "dateSignatureModification"
                        if concession
                        else "dateNotificationModification"
                    ),
                    f"{where}.dateNotificationModification",
                    issues,
                    required=False,
                ),
                published_on=_date(
                    entry.get("datePublicationDonneesModification"),
                    f"{where}.datePublicationDonneesModification",
                    issues,
                    required=False,
                ),
                amount=amount,
                duration_months=_months(entry.get("dureeMois"), f"{where}.dureeMois", issues),
                suppliers=_parties(entry.get("titulaires"), issues, f"{where}.titulaires"),
                object=_text(entry.get("objetModification")),
            )
        )
    return found


def truncated(value: str | None) -> bool:
    """A text that stops where the publishing platform cut it (``CUT_WIDTHS``)."""
    if not value:
        return False
    width = len(value)
    return width in CUT_WIDTHS or (width in ELLIPSIS_WIDTHS and value.endswith(("...", "…")))


def _check_truncated(path: str, value: str | None, issues: list[Issue]) -> None:
    if truncated(value):
        issues.append(
            Issue(
                "texte_tronque",
                path,
                f"texte de {len(value or '')} caractères, probablement coupé à la source "
                "(largeur de colonne de la plateforme) : à lire sur l'avis ou le contrat",
            )
        )


def from_pes(source: Any, file: str) -> bool:
    """A record of the PES flow: its ``source`` (decp-rama's « data.gouv.fr_pes ») or, without
    one, its file (« data.gouv.fr_pes.json ») names it."""
    if isinstance(source, str) and source.strip():
        return bool(_PES_SOURCE.search(source.lower()))
    return bool(_PES_SOURCE.search(PurePath(file).stem.lower()))


def _check_pes_names(data: dict[str, Any], concession: bool, issues: list[Issue]) -> None:
    """Names of a PES record as published (a trailing blank counts: « … dechets menagers »)."""
    buyer_key = "autoriteConcedante" if concession else "acheteur"
    buyer = data.get(buyer_key)
    names = [(f"{buyer_key}.nom", buyer.get("nom") if isinstance(buyer, dict) else None)]
    holders_key = "concessionnaires" if concession else "titulaires"
    for position, item in enumerate(_flatten(data.get(holders_key))):
        entry = _unwrap(_unwrap(item, "titulaire"), "concessionnaire")
        if isinstance(entry, dict):
            names.append(
                (f"{holders_key}[{position}].denominationSociale", entry.get("denominationSociale"))
            )
    for path, value in names:
        if isinstance(value, str) and value.strip() and len(value) == PES_NAME_WIDTH:
            issues.append(
                Issue(
                    "texte_tronque",
                    path,
                    f"nom de {PES_NAME_WIDTH} caractères, la largeur des noms du flux PES de la "
                    "DGFiP (Hélios) : probablement coupé à la source ; le nom complet est à lire "
                    "sur l'avis, le contrat ou le répertoire SIRENE",
                )
            )


def _check_text(contract: Contract, issues: list[Issue]) -> None:
    for path, value in (("acheteur.nom", contract.buyer_name), ("objet", contract.object)):
        _check_truncated(path, value, issues)
        if value and _MOJIBAKE.search(value):
            issues.append(
                Issue(
                    "encodage",
                    path,
                    "caractères illisibles (encodage cassé à la source, ex. « Soci�t� »)",
                )
            )
