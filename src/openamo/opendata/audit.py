"""``amo decp audit``: the legal red flags of a portfolio of contracts, each explained in French.

Every threshold is read from the law parameters *at the contract's own date* (the notification
date, the only one DECP gives; the modification's own date for a modification). Rules that look at
one contract run in Python while the file is read; rules across contracts (splitting over twelve
months, repeated dispense with one supplier) and the figures per buyer, supplier and year run as
SQL in DuckDB over a table of facts — the same SQL runs over partitioned Parquet (see ``scale``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from openamo import law
from openamo.errors import LawDataError
from openamo.money import format_amount, format_euros, format_percent, percent
from openamo.opendata.records import CUT_WIDTHS, FORMALISED, PES_NAME_WIDTH, Contract, Nature
from openamo.wording import count as counted

EU_SUPPLIES_LOCAL = "procurement.thresholds.eu_fournitures_services_autres_pouvoirs_adjudicateurs"
EU_SUPPLIES_STATE = "procurement.thresholds.eu_fournitures_services_autorites_centrales"
EU_WORKS = "procurement.thresholds.eu_travaux"
DISPENSE_SUPPLIES = "procurement.thresholds.dispense_fournitures_services"
DISPENSE_WORKS = "procurement.thresholds.dispense_travaux"
SMALL_SUPPLIES = "amendments.faible_montant_fournitures_services"
SMALL_WORKS = "amendments.faible_montant_travaux"
PER_MODIFICATION_CAP = "amendments.plafond_par_modification"
NEAR_THRESHOLD = "procurement.advice.proximite_seuil"
WINDOW_MONTHS = "procurement.advice.fenetre_achats_homogenes"
DISPENSE_REPEAT = "procurement.advice.dispense_repetition"
FRAMEWORK_MAX = "procurement.accords_cadres.duree_maximale_pouvoirs_adjudicateurs"
PUBLICATION_DELAY = "opendata.decp_delai_publication"
BIG_INCREASE = "opendata.alertes.augmentation_significative"
MANY_MODIFICATIONS = "opendata.alertes.modifications_nombreuses"
EARLY_MODIFICATION = "opendata.alertes.modification_precoce"

PARIS = ZoneInfo("Europe/Paris")


def paris_today() -> dt.date:
    return dt.datetime.now(PARIS).date()


AMBIGUITIES = [
    "Les seuils sont appréciés à la date de notification, seule date publiée : le droit retient "
    "celle du lancement de la consultation, parfois antérieure de plusieurs mois (changement de "
    "seuil au 1er janvier).",
    "Les DECP ne disent pas si l'acheteur est un pouvoir adjudicateur ou une entité "
    "adjudicatrice : OpenAMO applique les règles des pouvoirs adjudicateurs, et le seuil "
    "européen des autorités centrales aux acheteurs dont le SIREN commence par 1 (État).",
    "La nature (travaux, fournitures, services) est déduite de la division du code CPV "
    "(45 = travaux) : le format 2019 ne la publie pas.",
    "Une alerte n'est pas une irrégularité : une modification au-delà de 10 % peut reposer sur "
    "une autre base légale (R2194-2, R2194-5, clause de réexamen R2194-1).",
]

TITLES = {
    "derive_faible_montant": "Modifications cumulées au-delà du plafond des modifications de faible montant",
    "modification_plus_50": "Modification supérieure à 50 % du montant initial",
    "cumul_plus_50": "Modifications cumulées supérieures à 50 % du montant initial",
    "modification_seuil_europeen": "Modification d'un montant égal ou supérieur au seuil européen",
    "juste_sous_seuil": "Montant juste sous un seuil de procédure",
    "saucissonnage": "Achats homogènes sur 12 mois dépassant ensemble un seuil",
    "dispenses_repetees": "Marchés sans mise en concurrence répétés avec le même titulaire",
    "offre_unique": "Une seule offre reçue en procédure formalisée",
    "accord_cadre_trop_long": "Accord-cadre d'une durée supérieure à la limite",
    "publication_tardive": "Données essentielles publiées après le délai",
    "augmentation_significative": "Écart important entre montant initial et montant final (type R054)",
    "modifications_nombreuses": "Modifications nombreuses d'un même contrat (type R059)",
    "modification_precoce": "Modification peu après la notification",
    "qualite_donnees": "Données obligatoires absentes ou impossibles",
}
ARTICLES = {
    "derive_faible_montant": "CCP R2194-8 et R2194-9",
    "modification_plus_50": "CCP R2194-3",
    "cumul_plus_50": "CCP R2194-3 (modifications successives)",
    "modification_seuil_europeen": "CCP R2194-8",
    "juste_sous_seuil": "CCP R2121-4",
    "saucissonnage": "CCP R2121-4, R2121-6 et R2121-7",
    "dispenses_repetees": "CCP R2122-8",
    "offre_unique": "CCP L2124-1 ; CCP R2152-1 et suivants",
    "accord_cadre_trop_long": "CCP L2125-1 1°",
    "publication_tardive": "CCP R2196-1",
    "augmentation_significative": "CCP R2194-1 et suivants ; indicateur OCP de type R054",
    "modifications_nombreuses": "CCP R2194-1 et suivants ; indicateur OCP de type R059",
    "modification_precoce": "CCP R2194-1 et suivants ; indicateur OCP (modifications)",
    "qualite_donnees": "CCP R2196-1 ; arrêtés du 22 mars 2019 et du 22 décembre 2022",
}
QUALITY_CODES = frozenset(
    {"champ_absent", "montant_impossible", "date_impossible", "duree_impossible", "siret_fictif"}
)


@dataclass(slots=True)
class Hit:
    """One contract (or group of contracts) raising one red flag."""

    code: str
    explanation: str
    records: list[dict[str, Any]]
    reference: str = ""
    figures: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "explication": self.explanation,
            "reference": self.reference,
            "chiffres": self.figures,
            "enregistrements": self.records,
        }


class Thresholds:
    """Thresholds in force on a date, memoised per (parameter, date)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, dt.date], tuple[Decimal, str] | None] = {}

    def get(self, path: str, day: dt.date) -> tuple[Decimal, str] | None:
        key = (path, day)
        if key not in self._cache:
            try:
                snapshot = law.at(day)
                self._cache[key] = (Decimal(str(snapshot.value(path))), snapshot.reference(path))
            except LawDataError:
                self._cache[key] = None
        return self._cache[key]

    def eu(self, contract: Contract, day: dt.date) -> tuple[Decimal, str] | None:
        if contract.nature is Nature.WORKS or contract.kind == "concession":
            return self.get(EU_WORKS, day)
        return self.get(EU_SUPPLIES_STATE if contract.state_buyer else EU_SUPPLIES_LOCAL, day)

    def dispense(self, contract: Contract, day: dt.date) -> tuple[Decimal, str] | None:
        works = contract.nature is Nature.WORKS
        return self.get(DISPENSE_WORKS if works else DISPENSE_SUPPLIES, day)


def contract_hits(contract: Contract, thresholds: Thresholds) -> list[Hit]:
    """Red flags visible on one contract alone."""
    hits: list[Hit] = []
    ref = contract.ref()
    day = contract.notified_on or contract.published_on
    initial = contract.amount
    if contract.kind == "marche" and initial is not None and initial > 0 and day is not None:
        hits.extend(_amendment_hits(contract, initial, day, thresholds, ref))
    if contract.kind == "marche" and initial is not None and initial > 0 and day is not None:
        hits.extend(_near_threshold(contract, initial, day, thresholds, ref))
    if contract.offers == 1 and contract.method in FORMALISED:
        hits.append(
            Hit(
                "offre_unique",
                f"Une seule offre reçue en {contract.procedure} : la concurrence n'a pas joué ; "
                "vérifier la publicité, les délais et les critères de sélection.",
                [ref],
            )
        )
    if contract.framework and contract.duration_months and day is not None:
        limit = thresholds.get(FRAMEWORK_MAX, day)
        if limit is not None and contract.duration_months > limit[0]:
            hits.append(
                Hit(
                    "accord_cadre_trop_long",
                    f"Accord-cadre de {contract.duration_months} mois : au-delà de {limit[0]} mois "
                    "(quatre ans) pour un pouvoir adjudicateur, sauf cas exceptionnel justifié "
                    "par l'objet ou des investissements à amortir.",
                    [ref],
                    limit[1],
                )
            )
    hits.extend(_late_publication(contract, thresholds, ref))
    quality = [issue for issue in contract.issues if issue.code in QUALITY_CODES]
    if (
        contract.notified_on
        and contract.published_on
        and contract.published_on < contract.notified_on
    ):
        quality_text = "publication des données antérieure à la notification"
        hits.append(Hit("qualite_donnees", f"Dates impossibles : {quality_text}.", [ref]))
    if quality:
        hits.append(
            Hit(
                "qualite_donnees",
                "Données à corriger : "
                + " ; ".join(f"{i.path} — {i.message}" for i in quality)
                + ".",
                [ref],
            )
        )
    return hits


def _ratio(part: Decimal, whole: Decimal) -> str:
    return format_percent(percent(part, whole))


def _amendment_hits(
    contract: Contract,
    initial: Decimal,
    day: dt.date,
    thresholds: Thresholds,
    ref: dict[str, Any],
) -> list[Hit]:
    hits: list[Hit] = []
    amended = [m for m in contract.modifications if m.amount is not None]
    if not contract.modifications:
        return hits
    works = contract.nature is Nature.WORKS
    previous = initial
    for modification in amended:
        assert modification.amount is not None
        delta = modification.amount - previous
        mod_day = modification.notified_on or modification.published_on or day
        cap = thresholds.get(PER_MODIFICATION_CAP, mod_day)
        if cap is not None and delta > initial * cap[0]:
            hits.append(
                Hit(
                    "modification_plus_50",
                    f"La modification n° {modification.position + 1} ajoute "
                    f"{format_euros(delta)}, soit {_ratio(delta, initial)} du montant initial de "
                    f"{format_euros(initial)} : un pouvoir adjudicateur ne peut dépasser "
                    f"{format_percent(cap[0] * 100)} par modification (prestations "
                    "supplémentaires ou circonstances imprévues).",
                    [ref],
                    cap[1],
                    {"hausse": format_amount(delta), "montant_initial": format_amount(initial)},
                )
            )
        eu = thresholds.eu(contract, mod_day)
        if eu is not None and delta >= eu[0]:
            hits.append(
                Hit(
                    "modification_seuil_europeen",
                    f"La modification n° {modification.position + 1} ajoute "
                    f"{format_euros(delta)}, au moins le seuil européen de {format_euros(eu[0])} "
                    f"en vigueur le {mod_day:%d/%m/%Y} : elle ne peut pas être une modification "
                    "de faible montant et appelle un avis de modification.",
                    [ref],
                    eu[1],
                    {"hausse": format_amount(delta), "seuil": format_amount(eu[0])},
                )
            )
        previous = modification.amount
    final = contract.final_amount()
    if final is None:
        return hits
    increase = final - initial
    small = thresholds.get(SMALL_WORKS if works else SMALL_SUPPLIES, day)
    figures = {
        "montant_initial": format_amount(initial),
        "montant_final": format_amount(final),
        "hausse": format_amount(increase),
        "hausse_pourcentage": f"{percent(increase, initial)}",
    }
    if small is not None and amended and increase >= initial * small[0]:
        kind = "travaux" if works else "fournitures et services"
        hits.append(
            Hit(
                "derive_faible_montant",
                f"Hausse cumulée de {format_euros(increase)} ({_ratio(increase, initial)} du "
                f"montant initial de {format_euros(initial)}) : au-delà de "
                f"{format_percent(small[0] * 100)} ({kind}), les modifications ne peuvent plus "
                "reposer sur la seule règle du faible montant ; une autre base légale doit être "
                "justifiée.",
                [ref],
                small[1],
                figures,
            )
        )
    cap = thresholds.get(PER_MODIFICATION_CAP, day)
    if cap is not None and len(amended) > 1 and increase > initial * cap[0]:
        hits.append(
            Hit(
                "cumul_plus_50",
                f"{len(amended)} modifications portent le montant de {format_euros(initial)} à "
                f"{format_euros(final)} ({_ratio(increase, initial)}) : des modifications "
                "successives ne doivent pas contourner la remise en concurrence.",
                [ref],
                cap[1],
                figures,
            )
        )
    big = thresholds.get(BIG_INCREASE, day)
    if big is not None and increase >= initial * big[0]:
        hits.append(
            Hit(
                "augmentation_significative",
                f"Montant final de {format_euros(final)} pour un montant initial de "
                f"{format_euros(initial)} (+{_ratio(increase, initial)}) : repère d'alerte "
                f"de {format_percent(big[0] * 100)}.",
                [ref],
                big[1],
                figures,
            )
        )
    many = thresholds.get(MANY_MODIFICATIONS, day)
    if many is not None and len(contract.modifications) >= many[0]:
        hits.append(
            Hit(
                "modifications_nombreuses",
                f"{len(contract.modifications)} modifications publiées pour ce contrat "
                f"(repère : {many[0]}) : le besoin initial était-il bien défini ?",
                [ref],
                many[1],
            )
        )
    early = thresholds.get(EARLY_MODIFICATION, day)
    first = contract.modifications[0].notified_on
    if early is not None and first is not None and contract.notified_on is not None:
        elapsed = (first - contract.notified_on).days
        if 0 <= elapsed < early[0]:
            hits.append(
                Hit(
                    "modification_precoce",
                    f"Première modification notifiée {elapsed} jours après le marché "
                    f"(repère : moins de {early[0]} jours) : offre ou besoin mal évalués ?",
                    [ref],
                    early[1],
                )
            )
    return hits


def _near_threshold(
    contract: Contract,
    amount: Decimal,
    day: dt.date,
    thresholds: Thresholds,
    ref: dict[str, Any],
) -> list[Hit]:
    near = thresholds.get(NEAR_THRESHOLD, day)
    if near is None:
        return []
    hits: list[Hit] = []
    for label, found in (
        ("seuil de dispense de procédure", thresholds.dispense(contract, day)),
        ("seuil européen de procédure formalisée", thresholds.eu(contract, day)),
    ):
        if found is None:
            continue
        threshold, reference = found
        if threshold * near[0] <= amount < threshold:
            hits.append(
                Hit(
                    "juste_sous_seuil",
                    f"{format_euros(amount)} : juste sous le {label} de {format_euros(threshold)} "
                    f"en vigueur le {day:%d/%m/%Y} (à moins de "
                    f"{format_percent((1 - near[0]) * 100)}) ; vérifier que la valeur estimée "
                    "couvre tout le besoin (durée, reconductions, lots).",
                    [ref],
                    reference,
                    {"montant": format_amount(amount), "seuil": format_amount(threshold)},
                )
            )
    return hits


def _late_publication(contract: Contract, thresholds: Thresholds, ref: dict[str, Any]) -> list[Hit]:
    hits: list[Hit] = []
    pairs = [("du marché notifié", contract.notified_on, contract.published_on)]
    pairs.extend(
        (f"de la modification n° {m.position + 1} notifiée", m.notified_on, m.published_on)
        for m in contract.modifications
    )
    for what, notified, published in pairs:
        if notified is None or published is None:
            continue
        delay = thresholds.get(PUBLICATION_DELAY, notified)
        if delay is None:
            continue
        deadline = add_months(notified, int(delay[0]))
        if published > deadline:
            hits.append(
                Hit(
                    "publication_tardive",
                    f"Données {what} le {notified:%d/%m/%Y} publiées le "
                    f"{published:%d/%m/%Y}, après la limite du {deadline:%d/%m/%Y} "
                    f"({delay[0]} mois).",
                    [ref],
                    delay[1],
                    {"retard_jours": str((published - deadline).days)},
                )
            )
    return hits


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = [
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month - 1]
    return dt.date(year, month, min(day.day, last))


# -- cross-contract rules, in SQL ---------------------------------------------------------------
FACT_COLUMNS = (
    "row",
    "buyer",
    "buyer_name",
    "supplier",
    "supplier_name",
    "cpv",
    "day",
    "year",
    "cents",
    "final_cents",
    "method",
    "works",
    "state",
    "modifications",
    "flagged",
)


def facts_columns(contracts: list[Contract], flagged: set[int]) -> dict[str, Any]:
    """Columns of the facts table (numpy arrays) for DuckDB."""
    import numpy as np

    rows = contracts

    def cents(value: Decimal | None) -> int:
        return (
            int(value * 100)
            if value is not None and value.is_finite() and abs(value) < 10**15
            else 0
        )

    return {
        "row": np.arange(len(rows), dtype=np.int64),
        "buyer": np.array([c.buyer_id for c in rows], dtype=object),
        "buyer_name": np.array([c.buyer_name or "" for c in rows], dtype=object),
        "supplier": np.array(
            [c.suppliers[0].id if c.suppliers else "" for c in rows], dtype=object
        ),
        "supplier_name": np.array(
            [(c.suppliers[0].name or "") if c.suppliers else "" for c in rows], dtype=object
        ),
        "cpv": np.array([c.cpv or "" for c in rows], dtype=object),
        "day": np.array(
            [(c.notified_on or c.published_on or dt.date(1900, 1, 1)) for c in rows],
            dtype="datetime64[us]",
        ),
        "cents": np.array([cents(c.amount) for c in rows], dtype=np.int64),
        "final_cents": np.array([cents(c.final_amount()) for c in rows], dtype=np.int64),
        "method": np.array([c.method.value for c in rows], dtype=object),
        "works": np.array([c.nature is Nature.WORKS for c in rows], dtype=bool),
        "state": np.array([c.state_buyer for c in rows], dtype=bool),
        "concession": np.array([c.kind == "concession" for c in rows], dtype=bool),
        "modifications": np.array([len(c.modifications) for c in rows], dtype=np.int64),
        "flagged": np.array([i in flagged for i in range(len(rows))], dtype=bool),
    }


def thresholds_rows(first_year: int = 2015, last_year: int = 2027) -> list[tuple[Any, ...]]:
    """(kind, works, state, start, end, cents, reference) for every dated threshold value."""
    rows: list[tuple[Any, ...]] = []
    for kind, works, state, path in (
        ("dispense", False, False, DISPENSE_SUPPLIES),
        ("dispense", False, True, DISPENSE_SUPPLIES),
        ("dispense", True, False, DISPENSE_WORKS),
        ("dispense", True, True, DISPENSE_WORKS),
        ("europeen", False, False, EU_SUPPLIES_LOCAL),
        ("europeen", False, True, EU_SUPPLIES_STATE),
        ("europeen", True, False, EU_WORKS),
        ("europeen", True, True, EU_WORKS),
    ):
        for value in law.parameter(path).values:
            if value.value is None:
                continue
            end = value.until or dt.date(last_year, 12, 31)
            if end.year < first_year:
                continue
            rows.append(
                (
                    kind,
                    works,
                    state,
                    value.start,
                    end,
                    int(Decimal(str(value.value)) * 100),
                    value.reference,
                )
            )
    return rows


# The sums and counts run as windows; the members are then gathered for the one window kept
# per group only (a list per window would cost the square of the group's size). A window ends
# with its day's peers (RANGE), so its sum and count are those of its (group, day): they run
# over one row per day of each group, then are joined back to the contracts of that day. A
# group of fewer than two contracts, or whose contracts all together stay under the lowest of
# their thresholds, has no window at the threshold: it is dropped before the window.
SPLITTING_SQL = """
WITH candidates AS (
    SELECT f.row, f.buyer, f.cpv, f.day, f.cents, t.cents AS threshold, t.reference, t.kind
    FROM facts f JOIN thresholds t
      ON t.works = f.works AND t.state = f.state AND f.day BETWEEN t.start_day AND t.end_day
    WHERE f.cpv <> '' AND f.cents > 0 AND f.cents < t.cents AND NOT f.concession
      AND f.day > DATE '1900-01-01'
      AND (f.method = 'sans_publicite_ni_mise_en_concurrence'
           OR (t.kind = 'europeen' AND f.method IN ('procedure_adaptee', 'inconnue')))
), possible AS (
    SELECT buyer, cpv, kind FROM candidates GROUP BY buyer, cpv, kind
    HAVING count(*) >= 2 AND sum(cents) >= min(threshold)
), daily AS (
    SELECT buyer, cpv, kind, day, sum(cents) AS cents, count(*) AS contracts
    FROM candidates SEMI JOIN possible USING (buyer, cpv, kind)
    GROUP BY buyer, cpv, kind, day
), daily_windows AS (
    SELECT buyer, cpv, kind, day, sum(cents) OVER w AS window_cents,
        CAST(sum(contracts) OVER w AS BIGINT) AS window_count
    FROM daily
    WINDOW w AS (PARTITION BY buyer, cpv, kind ORDER BY day
                 RANGE BETWEEN INTERVAL (?) MONTH PRECEDING AND CURRENT ROW)
), windows AS (
    SELECT c.*, w.window_cents, w.window_count
    FROM candidates c JOIN daily_windows w USING (buyer, cpv, kind, day)
), best AS (
    -- Of each group's windows, the largest (then the earliest, then the first contract): one
    -- grouping, where a numbering window would sort every window.
    SELECT buyer, cpv, kind, top.day, top.threshold, top.reference, top.window_cents,
        top.window_count
    FROM (SELECT buyer, cpv, kind,
            arg_min({'day': day, 'threshold': threshold, 'reference': reference,
                     'window_cents': window_cents, 'window_count': window_count},
                    (-window_cents, day, row)) AS top
        FROM windows
        WHERE window_count >= 2 AND window_cents >= threshold
        GROUP BY buyer, cpv, kind)
)
SELECT b.buyer, b.cpv, b.kind, b.day, b.threshold, b.reference, b.window_cents, b.window_count,
       list(c.row ORDER BY c.day, c.row) AS members
FROM best b JOIN candidates c
  ON c.buyer = b.buyer AND c.cpv = b.cpv AND c.kind = b.kind
 AND c.day <= b.day AND c.day >= b.day - INTERVAL (?) MONTH
GROUP BY ALL
ORDER BY b.window_cents DESC, b.buyer, b.cpv, b.kind
"""

REPEAT_SQL = """
WITH dispenses AS (
    SELECT * FROM facts
    WHERE method = 'sans_publicite_ni_mise_en_concurrence' AND supplier <> ''
      AND day > DATE '1900-01-01'
), windows AS (
    SELECT *, count(*) OVER w AS window_count, sum(cents) OVER w AS window_cents
    FROM dispenses
    WINDOW w AS (PARTITION BY buyer, supplier ORDER BY day
                 RANGE BETWEEN INTERVAL (?) MONTH PRECEDING AND CURRENT ROW)
), best AS (
    SELECT buyer, supplier, supplier_name, day, window_count, window_cents
    FROM windows WHERE window_count > ?
    QUALIFY row_number() OVER (PARTITION BY buyer, supplier
                               ORDER BY window_count DESC, day, row) = 1
)
SELECT b.buyer, b.supplier, b.supplier_name, b.day, b.window_count, b.window_cents,
       list(d.row ORDER BY d.day, d.row) AS members
FROM best b JOIN dispenses d
  ON d.buyer = b.buyer AND d.supplier = b.supplier
 AND d.day <= b.day AND d.day >= b.day - INTERVAL (?) MONTH
GROUP BY ALL
ORDER BY b.window_count DESC, b.window_cents DESC, b.buyer, b.supplier
"""

FIGURES_SQL = {
    "par_acheteur": """
        SELECT buyer AS cle, min(buyer_name) AS nom, count(*) AS contrats,
               sum(cents) AS cents, sum(final_cents) AS final_cents,
               count(*) FILTER (WHERE method = 'sans_publicite_ni_mise_en_concurrence') AS sans_concurrence,
               sum(modifications) AS modifications, count(*) FILTER (WHERE flagged) AS alertes
        FROM facts GROUP BY buyer ORDER BY cents DESC, cle LIMIT ?""",
    "par_titulaire": """
        SELECT supplier AS cle, min(supplier_name) AS nom, count(*) AS contrats,
               sum(cents) AS cents, sum(final_cents) AS final_cents,
               count(DISTINCT buyer) AS acheteurs,
               sum(modifications) AS modifications, count(*) FILTER (WHERE flagged) AS alertes
        FROM facts WHERE supplier <> '' GROUP BY supplier ORDER BY cents DESC, cle LIMIT ?""",
    "par_annee": """
        SELECT CAST(year(day) AS VARCHAR) AS cle, NULL AS nom, count(*) AS contrats,
               sum(cents) AS cents, sum(final_cents) AS final_cents,
               count(*) FILTER (WHERE method = 'sans_publicite_ni_mise_en_concurrence') AS sans_concurrence,
               sum(modifications) AS modifications, count(*) FILTER (WHERE flagged) AS alertes
        FROM facts WHERE year(day) > 1900 GROUP BY year(day) ORDER BY cle LIMIT ?""",
}


def _euros_from_cents(cents: Any) -> Decimal:
    return (Decimal(int(cents or 0)) / 100).quantize(Decimal("0.01"))


def connect_facts(columns: dict[str, Any]) -> Any:
    import duckdb

    connection = duckdb.connect()
    connection.register("facts_source", columns)
    connection.execute(
        "CREATE TABLE facts AS SELECT * REPLACE (CAST(day AS DATE) AS day) FROM facts_source"
    )
    connection.unregister("facts_source")
    return connection


def load_thresholds(connection: Any) -> None:
    connection.execute(
        "CREATE TABLE thresholds (kind VARCHAR, works BOOLEAN, state BOOLEAN, start_day DATE, "
        "end_day DATE, cents BIGINT, reference VARCHAR)"
    )
    rows = thresholds_rows()
    if rows:  # one statement (``executemany`` runs one per row)
        values = ", ".join(["(?, ?, ?, ?, ?, ?, ?)"] * len(rows))
        connection.execute(
            f"INSERT INTO thresholds VALUES {values}", [cell for row in rows for cell in row]
        )


def _clusters(
    connection: Any,
    sql: str,
    parameters: list[int],
    order: str,
    limit: int | None,
    totals: dict[str, tuple[int, int]] | None,
    code: str,
) -> list[tuple[Any, ...]]:
    """The rows of a cluster query, all of them (``limit`` None), or only the first ``limit``
    with ``totals[code]`` = (clusters, distinct member rows) counted in SQL: at the national
    size there are hundreds of thousands of clusters, too many to hold as Python objects."""
    if limit is None:
        return list(connection.execute(sql, parameters).fetchall())
    table = f"clusters_{code}"
    connection.execute(f"CREATE TEMPORARY TABLE {table} AS {sql}", parameters)
    try:
        clusters, rows = connection.execute(
            f"SELECT (SELECT count(*) FROM {table}), "
            f"(SELECT count(DISTINCT member) FROM (SELECT unnest(members) AS member FROM {table}))"
        ).fetchone()
        if totals is not None and clusters:
            totals[code] = (int(clusters), int(rows))
        return list(
            connection.execute(
                f"SELECT * FROM {table} ORDER BY {order} LIMIT ?", [limit]
            ).fetchall()
        )
    finally:
        connection.execute(f"DROP TABLE {table}")


def cross_hits(
    connection: Any,
    refs: list[dict[str, Any]] | None,
    today: dt.date,
    *,
    limit: int | None = None,
    totals: dict[str, tuple[int, int]] | None = None,
) -> list[Hit]:
    """Splitting and repeated-dispense clusters; ``refs[row]`` describes a fact row (or None).
    With ``limit``, only the first ``limit`` clusters of each flag, every one counted in
    ``totals``."""
    window = law.at(today)
    months = int(window.value(WINDOW_MONTHS))
    repeat = int(window.value(DISPENSE_REPEAT))
    hits: list[Hit] = []

    def records(members: list[int]) -> list[dict[str, Any]]:
        if refs is None:
            return [{"ligne": int(m)} for m in members]
        return [refs[int(m)] for m in members]

    splitting = _clusters(
        connection,
        SPLITTING_SQL,
        [months, months],
        "window_cents DESC, buyer, cpv, kind",
        limit,
        totals,
        "saucissonnage",
    )
    for buyer, cpv, kind, day, threshold, reference, total, count, members in splitting:
        label = "de dispense de procédure" if kind == "dispense" else "européen"
        hits.append(
            Hit(
                "saucissonnage",
                f"{count} achats de l'acheteur {buyer} sous le code CPV {cpv}, chacun sous le seuil "
                f"{label}, totalisent {format_euros(_euros_from_cents(total))} sur {months} mois "
                f"(jusqu'au {day:%d/%m/%Y}), au moins le seuil de "
                f"{format_euros(_euros_from_cents(threshold))} : s'ils forment un besoin homogène, "
                "leur valeur devait être cumulée.",
                records(members),
                reference,
                {
                    "acheteur": buyer,
                    "cpv": cpv,
                    "total": format_amount(_euros_from_cents(total)),
                    "seuil": format_amount(_euros_from_cents(threshold)),
                },
            )
        )
    repeated = _clusters(
        connection,
        REPEAT_SQL,
        [months, repeat, months],
        "window_count DESC, window_cents DESC, buyer, supplier",
        limit,
        totals,
        "dispenses_repetees",
    )
    for buyer, supplier, name, day, count, total, members in repeated:
        hits.append(
            Hit(
                "dispenses_repetees",
                f"{count} marchés sans publicité ni mise en concurrence de l'acheteur {buyer} avec "
                f"le même titulaire {name or supplier} en {months} mois (jusqu'au {day:%d/%m/%Y}, "
                f"{format_euros(_euros_from_cents(total))}) : l'acheteur veille à ne pas "
                "contracter systématiquement avec un même opérateur (repère : plus de "
                f"{repeat}).",
                records(members),
                window.reference(DISPENSE_REPEAT),
                {"acheteur": buyer, "titulaire": supplier, "nombre": str(count)},
            )
        )
    return hits


def figures(connection: Any, limit: int) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for name, sql in FIGURES_SQL.items():
        cursor = connection.execute(sql, [limit])
        columns = [column[0] for column in cursor.description]
        rows = []
        for values in cursor.fetchall():
            row = dict(zip(columns, values, strict=True))
            row["montant_initial"] = format_amount(_euros_from_cents(row.pop("cents")))
            row["montant_final"] = format_amount(_euros_from_cents(row.pop("final_cents")))
            if row.get("nom") is None:
                row.pop("nom", None)
            rows.append(row)
        found[name] = rows
    return found


@dataclass(frozen=True)
class Flag:
    """One red flag over the audited contracts: ``count`` cases concern ``records`` records;
    ``cases`` lists the first ones, ``unlisted`` says how many more there are."""

    code: str
    title: str
    article: str
    count: int
    records: int
    cases: list[Hit]
    unlisted: int


@dataclass
class AuditReport:
    records_read: int
    contracts: int
    hits: list[Hit]
    figures: dict[str, list[dict[str, Any]]]
    import_summary: dict[str, Any]
    limit: int
    # Column-wise audits list only ``limit`` cases per flag: (cases, records) of each, counted
    # in SQL over every contract (see ``columnar``); absent, the listed hits are counted.
    totals: dict[str, tuple[int, int]] = field(default_factory=dict)
    # Contracts with a text cut at the source (``records.truncated``): how many, the first
    # ``limit`` of them.
    truncated: int = 0
    truncated_records: list[dict[str, Any]] = field(default_factory=list)

    def by_code(self) -> dict[str, list[Hit]]:
        grouped: dict[str, list[Hit]] = {code: [] for code in TITLES}
        for hit in self.hits:
            grouped[hit.code].append(hit)
        return grouped

    def flags(self) -> list[Flag]:
        """Each red flag with how many cases and records raise it, and the cases listed."""
        found = []
        for code, hits in self.by_code().items():
            if code in self.totals:
                # Counted in SQL: the listed clusters name tens of thousands of records.
                cases, concerned = self.totals[code]
            else:
                cases = len(hits)
                concerned = len({r.get("uid", str(r)) for hit in hits for r in hit.records})
            found.append(
                Flag(
                    code=code,
                    title=TITLES[code],
                    article=ARTICLES[code],
                    count=cases,
                    records=concerned,
                    cases=hits[: self.limit],
                    unlisted=max(0, cases - min(len(hits), self.limit)),
                )
            )
        return found

    def as_dict(self) -> dict[str, Any]:
        flags = [
            {
                "code": flag.code,
                "titre": flag.title,
                "article": flag.article,
                "nombre": flag.count,
                "enregistrements_concernes": flag.records,
                "cas": [hit.as_dict() for hit in flag.cases],
                "cas_non_listes": flag.unlisted,
            }
            for flag in self.flags()
        ]
        return {
            "enregistrements_lus": self.records_read,
            "contrats_audites": self.contracts,
            "alertes": flags,
            "chiffres": self.figures,
            "import": self.import_summary,
            "ambiguites": AMBIGUITIES + truncation_note(self.truncated),
            "textes_tronques": {
                "nombre": self.truncated,
                "enregistrements": self.truncated_records,
                "cas_non_listes": self.truncated - len(self.truncated_records),
            },
            "references": sorted(set(ARTICLES.values())),
        }


def truncation_note(contracts: int) -> list[str]:
    """The point of interpretation added when texts of the file were cut at the source."""
    if not contracts:
        return []
    *first, last = (f"{width:,}".replace(",", "\u202f") for width in sorted(CUT_WIDTHS))
    widths = f"{', '.join(first)} ou {last}"
    return [
        f"{counted(contracts, 'contrat a', 'contrats ont')} un objet ou un nom d'acheteur "
        f"probablement tronqué à la source (texte de {widths} caractères exactement, coupé "
        f"par « ... », ou nom de {PES_NAME_WIDTH} caractères venu du flux PES de la DGFiP) : les "
        "cas cités reprennent le texte publié, incomplet, et une recherche par mot de l'objet "
        "peut les manquer."
    ]


def audit_contracts(
    contracts: list[Contract],
    *,
    records_read: int,
    import_summary: dict[str, Any] | None = None,
    limit: int = 100,
    today: dt.date | None = None,
) -> AuditReport:
    thresholds = Thresholds()
    hits: list[Hit] = []
    flagged: set[int] = set()
    for position, contract in enumerate(contracts):
        found = contract_hits(contract, thresholds)
        if found:
            flagged.add(position)
            hits.extend(found)
    connection = connect_facts(facts_columns(contracts, flagged))
    load_thresholds(connection)
    refs = [c.ref() for c in contracts]
    hits.extend(cross_hits(connection, refs, today or paris_today()))
    found_figures = figures(connection, limit)
    connection.close()
    cut = [c for c in contracts if any(i.code == "texte_tronque" for i in c.issues)]
    return AuditReport(
        records_read,
        len(contracts),
        hits,
        found_figures,
        import_summary or {},
        limit,
        truncated=len(cut),
        truncated_records=[c.ref() for c in cut[:limit]],
    )


def audit_records(contracts: Iterable[Contract], **kwargs: Any) -> AuditReport:
    items = list(contracts)
    return audit_contracts(items, records_read=kwargs.pop("records_read", len(items)), **kwargs)
