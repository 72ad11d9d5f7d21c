"""The national dataset column by column: the tabular consolidated DECP (CSV or Parquet, the form
data.gouv.fr publishes its 3.3 million rows in) checked field by field and audited in SQL by DuckDB,
with no Python object per record.

The per-record path (``importer`` then ``audit``) stays the one for JSON and XML, whose records
are nested, of two versions and often broken: each is judged against its official schema. The
tabular form is flat and typed by column, so each check of ``records._tabular`` (SIRET and its
Luhn key, CPV, amount, dates, duration, offers, procedure label) is one SQL expression evaluated
over whole columns, and so is each one-contract red flag of ``audit.contract_hits``. The rows of
one contract (its co-holders, its versions) are folded as ``versions.fold`` folds them: window
functions rank each contract's versions and the changes of amount or duration between them are
its modifications, on which the amendment flags run in SQL with the law of each date. What people
read stays record by record and word for word the same: the rows listed (the first ``limit``
faulty records, the first ``limit`` cases of each flag) are normalised, folded and explained by
the per-record code; the counts cover every row. The law is read per distinct date through
``audit.Thresholds`` (a few thousand dates, not millions of rows). The tests compare both paths
on the real 2024 sample and on hand-made rows at each boundary.

DuckDB works in a database file of a temporary folder with a memory limit: past it, it spills to
disk, so memory stays bounded whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openamo.opendata.audit import (
    BIG_INCREASE,
    DISPENSE_SUPPLIES,
    DISPENSE_WORKS,
    EARLY_MODIFICATION,
    EU_SUPPLIES_LOCAL,
    EU_SUPPLIES_STATE,
    EU_WORKS,
    FRAMEWORK_MAX,
    MANY_MODIFICATIONS,
    NEAR_THRESHOLD,
    PER_MODIFICATION_CAP,
    PUBLICATION_DELAY,
    QUALITY_CODES,
    SMALL_SUPPLIES,
    SMALL_WORKS,
    AuditReport,
    Hit,
    Thresholds,
    contract_hits,
    cross_hits,
    figures,
    load_thresholds,
    paris_today,
)
from openamo.opendata.importer import DEFAULT_LIMIT, FileSummary, ImportReport, RecordReport
from openamo.opendata.reader import _SNIFF_BYTES, RawRecord, _guess_encoding
from openamo.opendata.records import (
    CUT_WIDTHS,
    ELLIPSIS_WIDTHS,
    FORMALISED,
    PROCEDURES,
    Contract,
    Method,
    normalise,
)
from openamo.opendata.versions import TabularRow, fold, version_key

Progress = Callable[[int, int], None]
MEMORY_LIMIT = "512MB"
# The columns ``records._tabular`` reads; the others of the consolidated format are not needed.
COLUMNS = (
    "uid",
    "id",
    "nature",
    "acheteur_id",
    "acheteur_nom",
    "titulaire_id",
    "titulaire_typeIdentifiant",
    "titulaire_nom",
    "objet",
    "montant",
    "type",
    "codeCPV",
    "procedure",
    "techniques",
    "dureeMois",
    "offresRecues",
    "dateNotification",
    "datePublicationDonnees",
    "modification_id",
)
# Each check of ``records._tabular``: the column of its issue code (NULL when the row is fine).
ISSUE_COLUMNS = (
    "buyer_issue",
    "supplier_issue",
    "procedure_issue",
    "cpv_issue",
    "amount_issue",
    "duration_issue",
    "notified_issue",
    "published_issue",
    "offers_issue",
    "type_issue",
    "buyer_name_issue",
    "object_issue",
)
# Issue columns whose codes are never in ``audit.QUALITY_CODES`` (offers: ``format`` or
# ``valeur_impossible``; type: ``incoherence``; texts: ``texte_tronque``; see ``_PARSED``).
_NOT_QUALITY = frozenset({"offers_issue", "type_issue", "buyer_name_issue", "object_issue"})
# One-contract flags of ``audit.contract_hits``, each a column of the ``facts`` table: a boolean,
# or a count of modifications for the flags a contract raises once per modification.
FLAG_COLUMNS = {
    "derive_faible_montant": ("drift_small",),
    "modification_plus_50": ("over_half",),
    "cumul_plus_50": ("cumulated_over_half",),
    "modification_seuil_europeen": ("over_eu",),
    "juste_sous_seuil": ("near_dispense", "near_eu"),
    "offre_unique": ("single_offer",),
    "accord_cadre_trop_long": ("framework_too_long",),
    "publication_tardive": ("late", "late_modifications"),
    "augmentation_significative": ("big_increase_flag",),
    "modifications_nombreuses": ("many",),
    "modification_precoce": ("early",),
    "qualite_donnees": ("dates_impossible", "quality"),
}


class ColumnarUnavailable(Exception):
    """This file is not a tabular file DuckDB reads as such: use the per-record path."""


def tabular(path: Path) -> bool:
    """A Parquet file, or a UTF-8 CSV with the consolidated header (``id``, ``acheteur_id``)."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return path.is_file()
    if suffix != ".csv" or not path.is_file():
        return False
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if _guess_encoding(head) != "utf-8":
        return False
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace")
    delimiter = _delimiter(head.decode("utf-8", "replace"))
    header = {name.strip().strip('"') for name in first.split(delimiter)}
    return {"id", "acheteur_id"} <= header


def _delimiter(sample: str) -> str:
    return ";" if sample.count(";") > sample.count(",") else ","


# -- SQL ------------------------------------------------------------------------------------------
_MACROS = """
CREATE MACRO dg(s, i) AS ascii(substr(s, i, 1)) - 48;
CREATE MACRO dbl(x) AS CASE WHEN x > 4 THEN 2 * x - 9 ELSE 2 * x END;
CREATE MACRO luhn9(s) AS (dg(s, 1) + dbl(dg(s, 2)) + dg(s, 3) + dbl(dg(s, 4)) + dg(s, 5)
    + dbl(dg(s, 6)) + dg(s, 7) + dbl(dg(s, 8)) + dg(s, 9)) % 10 = 0;
CREATE MACRO luhn14(s) AS (dbl(dg(s, 1)) + dg(s, 2) + dbl(dg(s, 3)) + dg(s, 4) + dbl(dg(s, 5))
    + dg(s, 6) + dbl(dg(s, 7)) + dg(s, 8) + dbl(dg(s, 9)) + dg(s, 10) + dbl(dg(s, 11))
    + dg(s, 12) + dbl(dg(s, 13)) + dg(s, 14)) % 10 = 0;
CREATE MACRO digit_sum(s) AS dg(s, 1) + dg(s, 2) + dg(s, 3) + dg(s, 4) + dg(s, 5) + dg(s, 6)
    + dg(s, 7) + dg(s, 8) + dg(s, 9) + dg(s, 10) + dg(s, 11) + dg(s, 12) + dg(s, 13) + dg(s, 14);
CREATE MACRO siret_issue(s, absent) AS CASE
    WHEN s = '' THEN absent
    WHEN NOT regexp_full_match(s, '[0-9]{14}') THEN 'siret'
    WHEN s = repeat(left(s, 1), 14) OR starts_with(s, '123456789') THEN 'siret_fictif'
    WHEN NOT luhn9(s) THEN 'siret'
    WHEN starts_with(s, '356000000') AND s <> '35600000000048' THEN
        CASE WHEN digit_sum(s) % 5 <> 0 THEN 'siret' END
    WHEN NOT luhn14(s) THEN 'siret' END;
-- The trim of the four blanks costs a few times more than the test of both ends that most
-- values pass untouched; the first and last characters tested each against the four blanks at
-- once cost two thirds of eight ``starts_with`` and ``ends_with``.
CREATE MACRO trimmed(v) AS CASE
    WHEN left(v, 1) IN (' ', '\t', '\r', '\n') OR right(v, 1) IN (' ', '\t', '\r', '\n')
        THEN trim(v, ' \t\r\n') ELSE v END;
CREATE MACRO clean(v) AS nullif(trimmed(coalesce(v, '')), '');
CREATE MACRO iso_day(t) AS CASE
    WHEN regexp_full_match(left(t, 10), '[0-9]{4}-[0-9]{2}-[0-9]{2}')
        THEN try_cast(left(t, 10) AS DATE)
    WHEN regexp_full_match(left(t, 10), '[0-9]{8}') THEN CAST(try_strptime(left(t, 10), '%Y%m%d') AS DATE)
    END;
CREATE MACRO day_issue(t, d, absent) AS CASE
    WHEN t IS NULL THEN absent WHEN d IS NULL THEN 'format'
    WHEN year(d) < 1990 OR year(d) > 2100 THEN 'date_impossible' END;
CREATE MACRO whole(v) AS CASE
    WHEN regexp_full_match(trimmed(v), '[+-]?[0-9]{1,30}') THEN CAST(trimmed(v) AS HUGEINT) END;
-- a * r, exact (DECIMAL); NULL past 10^20 €, where the product would overflow (such amounts
-- are placeholders, already reported as impossible).
CREATE MACRO share(a, r) AS CASE WHEN abs(a) < 100000000000000000000 THEN a * r END;
-- Whole cents (truncated), 0 past 10^15 €; below 10^8 € (nearly every amount) in 64 bits, where
-- the same exact arithmetic costs a twentieth of that of DECIMAL(38, 8).
CREATE MACRO cents(a) AS CASE
    WHEN abs(a) < 100000000 THEN CAST(trunc(CAST(a AS DECIMAL(18, 8)) * 100) AS BIGINT)
    WHEN abs(a) < 1000000000000000 THEN CAST(trunc(a * 100) AS BIGINT) ELSE 0 END;
-- Most amounts have neither blank nor comma: testing for them costs half of the four replaces.
CREATE MACRO amount_clean(v) AS CASE
    WHEN contains(v, ' ') OR contains(v, ',') OR contains(v, '\u00a0') OR contains(v, '\u202f')
        THEN replace(replace(replace(replace(v, '\u202f', ''), '\u00a0', ''), ' ', ''), ',', '.')
    ELSE v END;
"""

# Checks that depend on one value only run once per distinct value (a few hundred thousand
# SIRETs and names, a few thousand dates, CPV codes and labels for millions of rows), then are
# joined back. The distinct values of every such column are gathered in one scan of the file
# (one grouping set per column), not one scan per column.
_LOOKUPS = """
CREATE TEMPORARY TABLE distinct_values AS
SELECT CASE WHEN grouping(acheteur_id) = 0 OR grouping(titulaire_id) = 0 THEN 'siret'
        WHEN grouping(dateNotification) = 0 OR grouping(datePublicationDonnees) = 0 THEN 'day'
        WHEN grouping(dureeMois) = 0 OR grouping(offresRecues) = 0
            OR grouping(modification_id) = 0 THEN 'whole'
        WHEN grouping(codeCPV) = 0 THEN 'cpv' WHEN grouping(procedure) = 0 THEN 'procedure'
        ELSE 'name' END AS kind,
    coalesce(acheteur_id, titulaire_id, dateNotification, datePublicationDonnees, dureeMois,
        offresRecues, modification_id, codeCPV, procedure, acheteur_nom, titulaire_nom, '') AS v
FROM raw
GROUP BY GROUPING SETS ((acheteur_id), (titulaire_id), (dateNotification), (datePublicationDonnees),
    (dureeMois), (offresRecues), (modification_id), (codeCPV), (procedure), (acheteur_nom),
    (titulaire_nom));
CREATE TABLE siret_lookup AS
SELECT v, s, siret_issue(s, 'champ_absent') AS buyer_issue, siret_issue(s, NULL) AS supplier_issue
FROM (SELECT v, trim(v, ' \t\r\n') AS s FROM (
    SELECT DISTINCT v FROM distinct_values WHERE kind = 'siret'));
CREATE TABLE day_lookup AS
SELECT v, CASE WHEN year(d) BETWEEN 1990 AND 2100 THEN d END AS day,
    day_issue(t, d, 'champ_absent') AS required_issue, day_issue(t, d, NULL) AS optional_issue
FROM (SELECT v, t, iso_day(t) AS d FROM (SELECT v, clean(v) AS t FROM (
    SELECT DISTINCT v FROM distinct_values WHERE kind = 'day')));
CREATE TABLE whole_lookup AS
SELECT v, n, CASE WHEN n > 0 AND n <= 1200 THEN CAST(n AS INTEGER) END AS months,
    CASE WHEN v = '' THEN NULL WHEN n IS NULL THEN 'format'
         WHEN n <= 0 OR n > 1200 THEN 'duree_impossible' END AS duration_issue,
    CASE WHEN n >= 1 THEN CAST(n AS BIGINT) END AS offers,
    CASE WHEN v = '' THEN NULL WHEN n IS NULL THEN 'format'
         WHEN n < 1 THEN 'valeur_impossible' END AS offers_issue
FROM (SELECT v, whole(v) AS n FROM (SELECT DISTINCT v FROM distinct_values WHERE kind = 'whole'));
CREATE TABLE cpv_lookup AS
SELECT v, CASE WHEN regexp_full_match(c, '[0-9]{8}(-[0-9])?') THEN left(c, 8) END AS cpv,
    CASE WHEN c IS NULL THEN 'champ_absent'
         WHEN NOT regexp_full_match(c, '[0-9]{8}(-[0-9])?') THEN 'format' END AS cpv_issue
FROM (SELECT v, replace(clean(v), ' ', '') AS c FROM (
    SELECT DISTINCT v FROM distinct_values WHERE kind = 'cpv'));
CREATE TABLE procedure_lookup AS
SELECT l.v, p.method,
    CASE WHEN l.label IS NULL THEN 'champ_absent' WHEN p.method IS NULL THEN 'valeur_inconnue'
         WHEN p.obsolete THEN 'ancien_vocabulaire' END AS procedure_issue
FROM (SELECT v, clean(v) AS label FROM (
    SELECT DISTINCT v FROM distinct_values WHERE kind = 'procedure')) l
LEFT JOIN procedures p ON p.label = lower(replace(l.label, '\u2019', ''''));
CREATE TABLE name_lookup AS
SELECT v, name, cut(name) AS name_issue
FROM (SELECT v, clean(v) AS name FROM (SELECT DISTINCT v FROM distinct_values WHERE kind = 'name'));
DROP TABLE distinct_values;
"""

_PARSED = """
CREATE TABLE parsed AS
WITH amounts AS (
    SELECT r.*, amount_clean(montant) AS amount_text,
        coalesce(clean(titulaire_typeIdentifiant), 'SIRET') = 'SIRET' AS siret_scheme
    FROM raw r
), valued AS (
    SELECT a.*, try_cast(amount_text AS DECIMAL(38, 8)) AS amount FROM amounts a
), judged AS (
    SELECT v.*, amount IS NULL
        AND regexp_full_match(lower(amount_text), '[+-]?(s?nan|inf|infinity)') AS amount_infinite
    FROM valued v
)
SELECT r.file_index, r.ord,
    b.s AS buyer, bn.name AS buyer_name, trimmed(coalesce(r.id, '')) AS id,
    t.s AS supplier, tn.name AS supplier_name, m.n AS modification,
    pr.method, c.cpv, n.day AS notified, pu.day AS published, w.months, o.offers AS offers_ok,
    r.amount AS amount_ok,
    starts_with(lower(coalesce(r.nature, '')), 'accord-cadre')
        OR contains(lower(coalesce(r.techniques, '')), 'accord-cadre') AS framework,
    b.buyer_issue,
    CASE WHEN r.siret_scheme THEN t.supplier_issue END AS supplier_issue,
    pr.procedure_issue, c.cpv_issue,
    CASE WHEN r.montant IS NULL OR r.montant = '' THEN 'champ_absent'
         WHEN r.amount_infinite THEN 'montant_impossible'
         WHEN r.amount IS NULL THEN 'format'
         WHEN r.amount <= 0 OR r.amount >= 10000000000 THEN 'montant_impossible' END AS amount_issue,
    w.duration_issue, n.required_issue AS notified_issue, pu.optional_issue AS published_issue,
    o.offers_issue,
    CASE WHEN clean(r.type) IS NOT NULL AND c.cpv IS NOT NULL AND lower(clean(r.type)) = 'travaux'
          AND left(c.cpv, 2) <> '45' THEN 'incoherence' END AS type_issue,
    bn.name_issue AS buyer_name_issue, cut(clean(r.objet)) AS object_issue
FROM judged r
JOIN siret_lookup b ON b.v = coalesce(r.acheteur_id, '')
JOIN siret_lookup t ON t.v = coalesce(r.titulaire_id, '')
JOIN procedure_lookup pr ON pr.v = coalesce(r.procedure, '')
JOIN cpv_lookup c ON c.v = coalesce(r.codeCPV, '')
JOIN day_lookup n ON n.v = coalesce(r.dateNotification, '')
JOIN day_lookup pu ON pu.v = coalesce(r.datePublicationDonnees, '')
JOIN whole_lookup w ON w.v = coalesce(r.dureeMois, '')
JOIN whole_lookup o ON o.v = coalesce(r.offresRecues, '')
JOIN whole_lookup m ON m.v = coalesce(r.modification_id, '')
JOIN name_lookup bn ON bn.v = coalesce(r.acheteur_nom, '')
JOIN name_lookup tn ON tn.v = coalesce(r.titulaire_nom, '')
"""

# The fold of ``versions``, by grouping (no window over millions of rows): a row's version is
# (modification_id or -1, notification day or year 1); a contract is numbered by its first row
# (``c_ord``, the order in which the per-record path meets it), a version by its first row
# (``v_ord``), a (version, titulaire) by its first row (``s_ord``). A row is its contract's
# first, or the first of a later version, or a co-holder (the first of its titulaire in a
# version already met), or a true duplicate of the first row of its (version, titulaire).
# A contract of one row (most of them) is its own state: only the rows of contracts of several
# rows are grouped by version and titulaire (``ranked``).
_KEPT = """
CREATE TABLE contracts_of AS
SELECT buyer, id, min(ord) AS c_ord, arg_min(file_index, ord) AS c_file, count(*) AS rows,
    coalesce(bool_or({quality}), false) AS quality,
    bool_or(buyer_name_issue IS NOT NULL OR object_issue IS NOT NULL) AS truncated
FROM parsed GROUP BY buyer, id;
CREATE TABLE ranked AS
SELECT p.ord, p.file_index, k.c_ord, coalesce(p.modification, -1) AS vmod,
    coalesce(p.notified, DATE '0001-01-01') AS vday, p.supplier, p.supplier_name, p.published
FROM parsed p JOIN contracts_of k USING (buyer, id) WHERE k.rows > 1;
CREATE TABLE holders AS
SELECT c_ord, vmod, vday, supplier, count(*) AS rows, min(ord) AS s_ord,
    arg_min(file_index, ord) AS s_file
FROM ranked GROUP BY c_ord, vmod, vday, supplier;
-- Of the rows of one version the one kept is that of the latest publication, the last read
-- among equals (``versions._state``), with its titulaire, else the first one met.
CREATE TABLE states AS
SELECT c_ord, vmod, vday, min(ord) AS v_ord, arg_min(file_index, ord) AS v_file,
    max((coalesce(published - DATE '1900-01-01', -1) + 1) * 1099511627776 + ord)
        % 1099511627776 AS kept_ord,
    arg_min({{'id': supplier, 'name': supplier_name}}, ord) FILTER (WHERE supplier <> '')
        AS first_supplier
FROM ranked GROUP BY c_ord, vmod, vday;
-- The initial state of each contract (the first version), its titulaire when its kept row has
-- none (the first one met in that version) and its number of states.
CREATE TABLE initials AS
SELECT c_ord, initial.kept AS kept_ord, initial.supplier.id AS first_supplier,
    initial.supplier.name AS first_supplier_name, states
FROM (SELECT c_ord, count(*) AS states,
        arg_min({{'kept': kept_ord, 'supplier': first_supplier}}, (vmod, vday)) AS initial
    FROM states GROUP BY c_ord);
-- A later state is a modification when its amount or duration differs from the last known one
-- (only contracts of several states have later ones).
CREATE TABLE modifications AS
SELECT *, row_number() OVER (PARTITION BY c_ord ORDER BY rank) - 1 AS position FROM (
    SELECT c_ord, rank, notified, published, known_amount,
        CASE WHEN amount_ok IS NOT NULL AND known_amount IS NOT NULL
             AND amount_ok <> known_amount THEN amount_ok END AS new_amount,
        CASE WHEN months IS NOT NULL AND known_months IS NOT NULL
             AND months <> known_months THEN months END AS new_months
    FROM (SELECT s.c_ord, p.notified, p.published, p.amount_ok, p.months,
            row_number() OVER w - 1 AS rank,
            last_value(p.amount_ok IGNORE NULLS) OVER before AS known_amount,
            last_value(p.months IGNORE NULLS) OVER before AS known_months
        FROM states s JOIN initials i USING (c_ord) JOIN parsed p ON p.ord = s.kept_ord
        WHERE i.states > 1
        WINDOW w AS (PARTITION BY s.c_ord ORDER BY s.vmod, s.vday),
            before AS (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
    WHERE rank > 0)
WHERE new_amount IS NOT NULL OR new_months IS NOT NULL;
-- The row of each contract's initial state, with all its columns: a view, read once by ``facts``.
CREATE VIEW kept AS
SELECT k.c_ord AS row, k.quality AS contract_quality, p.* REPLACE (
        CASE WHEN p.supplier <> '' THEN p.supplier ELSE coalesce(i.first_supplier, '') END
            AS supplier,
        CASE WHEN p.supplier <> '' THEN p.supplier_name ELSE coalesce(i.first_supplier_name, '')
            END AS supplier_name)
FROM contracts_of k LEFT JOIN initials i USING (c_ord)
JOIN parsed p ON p.ord = coalesce(i.kept_ord, k.c_ord);
"""

# The facts of ``audit.facts_columns`` (what the cross-contract SQL and the figures read), with
# one column per one-contract flag of ``audit.contract_hits``: a boolean, or a count where a
# contract raises the flag once per modification. The amendment rules are those of
# ``audit._amendment_hits``: the law of the contract's day for the cumulated figures, of each
# modification's own day for each modification.
_FACTS = """
CREATE TABLE facts AS
WITH amended AS (
    SELECT c_ord, count(*) AS modifications, count(new_amount) AS amended,
        last(new_amount ORDER BY rank) FILTER (WHERE new_amount IS NOT NULL) AS final_amount,
        first(notified ORDER BY rank) AS first_notified
    FROM modifications GROUP BY c_ord
), dated AS (
    SELECT k.*, coalesce(k.notified, k.published) AS on_day,
        k.cpv IS NOT NULL AND left(k.cpv, 2) = '45' AS works, left(k.buyer, 1) = '1' AS state,
        coalesce(a.modifications, 0) AS modifications, coalesce(a.amended, 0) AS amended,
        coalesce(a.final_amount, k.amount_ok) AS final_ok, a.first_notified,
        k.contract_quality AS quality
    FROM kept k LEFT JOIN amended a ON a.c_ord = k.row
), judged AS (
    SELECT d.*, l.* EXCLUDE (on_day),
        CASE WHEN d.works THEN l.dispense_works ELSE l.dispense_supplies END AS dispense,
        CASE WHEN d.works THEN l.dispense_works_low ELSE l.dispense_supplies_low END AS dispense_low,
        CASE WHEN d.works THEN l.eu_works WHEN d.state THEN l.eu_state ELSE l.eu_local END AS eu,
        CASE WHEN d.works THEN l.eu_works_low WHEN d.state THEN l.eu_state_low
             ELSE l.eu_local_low END AS eu_low,
        CASE WHEN d.works THEN l.small_works ELSE l.small_supplies END AS small,
        coalesce(d.amount_ok > 0 AND d.on_day IS NOT NULL AND d.modifications > 0, false)
            AS amendable
    FROM dated d LEFT JOIN law_on l ON l.on_day = d.on_day
), each_modification AS (
    -- From the kept row of each amended contract (not from ``judged``, which a second reader
    -- would have to materialise whole).
    SELECT m.c_ord,
        count(*) FILTER (WHERE m.new_amount - m.known_amount
            > share(p.amount_ok, l.modification_cap)) AS over_half,
        count(*) FILTER (WHERE m.new_amount - m.known_amount >= CASE
            WHEN p.cpv IS NOT NULL AND left(p.cpv, 2) = '45' THEN l.eu_works
            WHEN left(p.buyer, 1) = '1' THEN l.eu_state ELSE l.eu_local END) AS over_eu
    FROM modifications m JOIN initials i USING (c_ord) JOIN parsed p ON p.ord = i.kept_ord
    LEFT JOIN law_on l ON l.on_day = coalesce(m.notified, m.published, p.notified, p.published)
    WHERE p.amount_ok > 0 AND coalesce(p.notified, p.published) IS NOT NULL
        AND m.new_amount IS NOT NULL
    GROUP BY m.c_ord
), late_modifications AS (
    SELECT m.c_ord, count(*) AS late FROM modifications m JOIN law_on l ON l.on_day = m.notified
    WHERE m.published > CAST(m.notified + to_months(l.publication_delay) AS DATE)
    GROUP BY m.c_ord
), flagged AS (
    SELECT j.*,
        coalesce(amount_ok > 0 AND dispense_low <= amount_ok AND amount_ok < dispense, false)
            AS near_dispense,
        coalesce(amount_ok > 0 AND eu_low <= amount_ok AND amount_ok < eu, false) AS near_eu,
        coalesce(offers_ok = 1 AND method IN ({formalised}), false) AS single_offer,
        coalesce(framework AND months > framework_max, false) AS framework_too_long,
        coalesce(published > CAST(notified + to_months(publication_delay) AS DATE), false) AS late,
        coalesce(lm.late, 0) AS late_modifications,
        coalesce(published < notified, false) AS dates_impossible,
        coalesce(amendable AND amended > 0
            AND final_ok - amount_ok >= share(amount_ok, small), false) AS drift_small,
        coalesce(amendable AND amended > 1
            AND final_ok - amount_ok > share(amount_ok, modification_cap), false)
            AS cumulated_over_half,
        coalesce(amendable AND final_ok - amount_ok >= share(amount_ok, big_increase), false)
            AS big_increase_flag,
        coalesce(amendable AND modifications >= many_modifications, false) AS many,
        coalesce(amendable AND first_notified - notified >= 0
            AND first_notified - notified < early_modification, false) AS early,
        coalesce(em.over_half, 0) AS over_half, coalesce(em.over_eu, 0) AS over_eu
    FROM judged j LEFT JOIN each_modification em ON em.c_ord = j.row
    LEFT JOIN late_modifications lm ON lm.c_ord = j.row
)
SELECT row, ord, file_index, id, buyer, coalesce(buyer_name, '') AS buyer_name,
    supplier, coalesce(supplier_name, '') AS supplier_name, coalesce(cpv, '') AS cpv,
    coalesce(on_day, DATE '1900-01-01') AS day,
    cents(amount_ok) AS cents, cents(final_ok) AS final_cents,
    coalesce(method, '{unknown}') AS method, works, state,
    false AS concession, CAST(modifications AS BIGINT) AS modifications,
    near_dispense, near_eu, single_offer, framework_too_long, late, late_modifications,
    dates_impossible, quality, drift_small, over_half, cumulated_over_half, over_eu,
    big_increase_flag, many, early,
    near_dispense OR near_eu OR single_offer OR framework_too_long OR late
        OR late_modifications > 0 OR dates_impossible OR quality OR drift_small OR over_half > 0
        OR cumulated_over_half OR over_eu > 0 OR big_increase_flag OR many OR early AS flagged
FROM flagged
"""


@dataclass
class _Source:
    name: str
    start: int  # ord of the file's first row
    encoding: str = "utf-8"


class _Tables:
    """The DuckDB database of one import: ``raw`` rows, the ``parsed`` view and what follows."""

    def __init__(self, connection: Any, sources: list[_Source]) -> None:
        self.connection = connection
        self.sources = sources

    def location(self, ord_: int, file_index: int) -> tuple[str, str]:
        source = self.sources[file_index]
        return source.name, f"ligne {ord_ - source.start + 2}"

    def raw_records(self, ords: Sequence[int]) -> dict[int, RawRecord]:
        """The rows of these ords as ``RawRecord`` (for the per-record code to explain)."""
        if not ords:
            return {}
        columns = ", ".join(f'"{name}"' for name in COLUMNS)
        found: dict[int, RawRecord] = {}
        for values in self.connection.execute(
            f"SELECT ord, file_index, {columns} FROM raw WHERE ord IN "
            "(SELECT unnest(CAST(? AS BIGINT[])))",
            [list(ords)],
        ).fetchall():
            ord_, file_index, *cells = values
            data = {
                name: "" if cell is None else cell
                for name, cell in zip(COLUMNS, cells, strict=True)
            }
            file, where = self.location(ord_, file_index)
            index = ord_ - self.sources[file_index].start
            found[ord_] = RawRecord(file, index, "tabulaire", "marche", data, where)
        return found

    def contracts(self, rows: Sequence[int]) -> dict[int, Contract]:
        """The contracts numbered ``rows`` (their first row), folded from all their rows by
        ``versions.fold`` as the per-record path folds them."""
        if not rows:
            return {}
        members: dict[int, list[tuple[int, int]]] = {}
        for c_ord, ord_, file_index in self.connection.execute(
            "SELECT c_ord, ord, file_index FROM ranked WHERE c_ord IN (SELECT unnest($rows)) "
            "UNION ALL SELECT c_ord, c_ord, c_file FROM contracts_of "
            "WHERE rows = 1 AND c_ord IN (SELECT unnest($rows))",
            {"rows": list(rows)},
        ).fetchall():
            members.setdefault(c_ord, []).append((ord_, file_index))
        raws = self.raw_records(sorted(ord_ for found in members.values() for ord_, _ in found))
        contracts: dict[int, Contract] = {}
        for c_ord, found in members.items():
            folded = []
            for ord_, file_index in found:
                contract = normalise(raws[ord_])
                key = version_key(raws[ord_].data, contract)
                folded.append(TabularRow(ord_, file_index, key, contract))
            contracts[c_ord] = fold(folded).contract
        return contracts


@contextmanager
def _database() -> Iterator[Any]:
    import duckdb

    with tempfile.TemporaryDirectory(prefix="openamo-decp-") as folder:
        connection = duckdb.connect()
        try:
            connection.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
            connection.execute(f"SET temp_directory = '{_quoted(Path(folder))}'")
            connection.execute("SET preserve_insertion_order = true")
            connection.execute("SET enable_progress_bar = false")
            yield connection
        finally:
            connection.close()


def _load(connection: Any, paths: Sequence[Path], progress: Progress | None) -> list[_Source]:
    """The view ``raw`` (file_index, ord, the text of each column) over every file, then the
    ``parsed`` table. Parquet is read in place; a CSV is parsed once into a table."""
    import duckdb

    sources: list[_Source] = []
    parts: list[str] = []
    count = 0
    for index, path in enumerate(paths):
        if not tabular(path):
            raise ColumnarUnavailable(path.name)
        try:
            if path.suffix.lower() == ".parquet":
                relation = f"read_parquet('{_quoted(path)}', file_row_number = true)"
                number = "file_row_number"
            else:
                with path.open("rb") as handle:
                    sample = handle.read(_SNIFF_BYTES).decode("utf-8", "replace")
                connection.execute(
                    f"CREATE TABLE csv_{index} AS SELECT * FROM read_csv('{_quoted(path)}', "
                    f"all_varchar = true, header = true, delim = '{_delimiter(sample)}', "
                    "quote = '\"', escape = '\"', null_padding = true)"
                )
                relation, number = f"csv_{index}", "rowid"
            present = {
                row[0]
                for row in connection.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
            }
            rows = connection.execute(f"SELECT count(*) FROM {relation}").fetchone()[0]
        except duckdb.Error as exc:
            raise ColumnarUnavailable(f"{path.name} : {exc}") from exc
        select = ", ".join(
            (f'CAST("{name}" AS VARCHAR)' if name in present else "CAST(NULL AS VARCHAR)")
            + f' AS "{name}"'
            for name in COLUMNS
        )
        parts.append(
            f"SELECT {index} AS file_index, {number} + {count} AS ord, {select} FROM {relation}"
        )
        sources.append(_Source(path.name, count))
        count += rows
        if progress is not None:
            progress(count, 0)
    connection.execute("CREATE VIEW raw AS " + " UNION ALL ".join(parts))
    connection.execute(_MACROS)
    cut_widths = ", ".join(str(width) for width in sorted(CUT_WIDTHS))
    ellipsis_widths = ", ".join(str(width) for width in sorted(ELLIPSIS_WIDTHS))
    # ``records.truncated``, in SQL.
    connection.execute(
        f"CREATE MACRO cut(t) AS CASE WHEN length(t) IN ({cut_widths}) OR (length(t) IN "
        f"({ellipsis_widths}) AND (ends_with(t, '...') OR ends_with(t, '…'))) "
        "THEN 'texte_tronque' END"
    )
    connection.execute("CREATE TABLE procedures (label VARCHAR, method VARCHAR, obsolete BOOLEAN)")
    connection.executemany(
        "INSERT INTO procedures VALUES (?, ?, ?)",
        [(label, method.value, obsolete) for label, (method, obsolete) in PROCEDURES.items()],
    )
    connection.execute(_LOOKUPS)
    connection.execute(_PARSED)
    return sources


# -- import ---------------------------------------------------------------------------------------
def _import_report(tables: _Tables, limit: int) -> ImportReport:
    connection = tables.connection
    report = ImportReport()
    # Each row is its contract's first, a later version's first, a co-holder or a duplicate
    # (« within » when the row it repeats is in the same file); co-holders and versions are
    # counted in the file of their first row, modifications in that of their contract's.
    records = dict(
        connection.execute("SELECT file_index, count(*) FROM parsed GROUP BY ALL").fetchall()
    )
    if len(tables.sources) == 1:
        repeats = {0: connection.execute("SELECT sum(rows - 1), 0 FROM holders").fetchone()}
    else:
        repeats = {
            file_index: (within, across)
            for file_index, within, across in connection.execute(
                "SELECT f.file_index, sum(CASE WHEN f.file_index = h.s_file THEN f.rows - 1 END), "
                "sum(CASE WHEN f.file_index <> h.s_file THEN f.rows END) "
                "FROM (SELECT c_ord, vmod, vday, supplier, file_index, count(*) AS rows "
                "FROM ranked GROUP BY ALL) f JOIN holders h USING (c_ord, vmod, vday, supplier) "
                "GROUP BY f.file_index"
            ).fetchall()
        }
    co_holders = dict(
        connection.execute(
            "SELECT h.s_file, count(*) FROM holders h JOIN states s USING (c_ord, vmod, vday) "
            "WHERE h.s_ord <> s.v_ord GROUP BY h.s_file"
        ).fetchall()
    )
    versions = dict(
        connection.execute(
            "SELECT v_file, count(*) FROM states WHERE v_ord <> c_ord GROUP BY v_file"
        ).fetchall()
    )
    amended = {
        file_index: (contracts, modifications)
        for file_index, contracts, modifications in connection.execute(
            "SELECT k.c_file, count(DISTINCT m.c_ord), count(*) FROM modifications m "
            "JOIN contracts_of k USING (c_ord) GROUP BY k.c_file"
        ).fetchall()
    }
    for file_index, source in enumerate(tables.sources):
        within, across = repeats.get(file_index, (0, 0))
        with_modifications, modifications = amended.get(file_index, (0, 0))
        report.files.append(
            FileSummary(
                source.name,
                form="tabulaire",
                encoding=source.encoding,
                records=records.get(file_index, 0),
                contracts=records.get(file_index, 0),
                duplicates=int(within or 0),
                co_holders=co_holders.get(file_index, 0),
                versions=versions.get(file_index, 0),
                with_modifications=with_modifications,
                modifications=modifications,
            )
        )
        report.duplicates_across += int(across or 0)
    unpivot = " UNION ALL ".join(
        f"SELECT {column} AS code FROM parsed WHERE {column} IS NOT NULL"
        for column in ISSUE_COLUMNS
    )
    report.issue_counts = Counter(
        dict(connection.execute(f"SELECT code, count(*) FROM ({unpivot}) GROUP BY code").fetchall())
    )
    faulty = " OR ".join(f"{column} IS NOT NULL" for column in ISSUE_COLUMNS)
    total = connection.execute(f"SELECT count(*) FROM parsed WHERE {faulty}").fetchone()[0]
    ords = [
        row[0]
        for row in connection.execute(
            f"SELECT ord FROM parsed WHERE {faulty} ORDER BY ord LIMIT ?", [limit]
        ).fetchall()
    ]
    raws = tables.raw_records(ords)
    report.reports = [RecordReport(normalise(raws[ord_]), []) for ord_ in ords]
    report.reports_dropped = total - len(report.reports)
    return report


def _law_on(connection: Any, thresholds: Thresholds) -> None:
    """The law of every date the rows carry (contracts and modifications), read once per date."""
    days = [
        row[0]
        for row in connection.execute(
            "SELECT notified FROM parsed WHERE notified IS NOT NULL "
            "UNION SELECT published FROM parsed WHERE published IS NOT NULL"
        ).fetchall()
    ]

    def value(path: str, day: dt.date) -> Decimal | None:
        found = thresholds.get(path, day)
        return found[0] if found is not None else None

    rows = []
    for day in days:
        near = value(NEAR_THRESHOLD, day)
        row: list[Any] = [day]
        for path in (
            DISPENSE_SUPPLIES,
            DISPENSE_WORKS,
            EU_SUPPLIES_LOCAL,
            EU_SUPPLIES_STATE,
            EU_WORKS,
        ):
            threshold = value(path, day)
            low = threshold * near if threshold is not None and near is not None else None
            row.extend([threshold, low])
        framework = value(FRAMEWORK_MAX, day)
        delay = value(PUBLICATION_DELAY, day)
        row.extend([framework, int(delay) if delay is not None else None])
        row.extend(
            value(path, day)
            for path in (SMALL_SUPPLIES, SMALL_WORKS, PER_MODIFICATION_CAP, BIG_INCREASE)
        )
        for path in (MANY_MODIFICATIONS, EARLY_MODIFICATION):
            found = value(path, day)
            row.append(int(found) if found is not None else None)
        rows.append(tuple(row))
    money, ratio = "DECIMAL(38, 8)", "DECIMAL(9, 6)"
    columns = [("on_day", "DATE")]
    for name in ("dispense_supplies", "dispense_works", "eu_local", "eu_state", "eu_works"):
        columns += [(name, money), (f"{name}_low", money)]
    columns += [("framework_max", "DECIMAL(18, 4)"), ("publication_delay", "INTEGER")]
    columns += [(name, ratio) for name in ("small_supplies", "small_works", "modification_cap")]
    columns += [("big_increase", ratio)]
    columns += [("many_modifications", "INTEGER"), ("early_modification", "INTEGER")]
    # One statement for every date (``executemany`` costs a statement per row): a list per
    # column, decimals as their exact text, cast to the column's type in SQL.
    values = {
        f"c{index}": [
            f"{cell:f}" if isinstance(cell, Decimal) else cell
            for cell in (row[index] for row in rows)
        ]
        for index in range(len(columns))
    }
    connection.execute(
        "CREATE TABLE law_on AS SELECT "
        + ", ".join(
            f"CAST(unnest(${key}) AS {kind}) AS {name}"
            for key, (name, kind) in zip(values, columns, strict=True)
        ),
        values,
    )


def _kept(connection: Any) -> None:
    """Rows folded into contracts, versions and modifications (``_KEPT``)."""
    codes = ", ".join(f"'{code}'" for code in sorted(QUALITY_CODES))
    # A NULL test (a row without that issue) counts for nothing in ``bool_or``, so no coalesce
    # per column; the columns that never carry a quality code are not tested.
    quality = " OR ".join(
        f"{column} IN ({codes})" for column in ISSUE_COLUMNS if column not in _NOT_QUALITY
    )
    connection.execute(_KEPT.format(quality=f"({quality})"))


def _facts(connection: Any) -> None:
    formalised = ", ".join(f"'{method.value}'" for method in sorted(FORMALISED))
    connection.execute(_FACTS.format(formalised=formalised, unknown=Method.UNKNOWN.value))


def _one_contract_hits(
    tables: _Tables, thresholds: Thresholds, limit: int
) -> tuple[list[Hit], dict[str, tuple[int, int]]]:
    """Counts of every one-contract flag over all rows; the first ``limit`` cases explained."""
    connection = tables.connection
    # Every count in one pass over the facts, the first rows of every flag in one statement.
    counts: list[str] = []
    firsts: list[str] = []
    for code, columns in FLAG_COLUMNS.items():
        cases = " + ".join(f"sum(CAST({column} AS BIGINT))" for column in columns)
        any_ = " OR ".join(f"CAST({column} AS BIGINT) > 0" for column in columns)
        counts.append(f"coalesce({cases}, 0), count(*) FILTER (WHERE {any_})")
        firsts.append(
            f"(SELECT '{code}' AS code, row FROM facts WHERE {any_} ORDER BY row LIMIT $limit)"
        )
    found = connection.execute(f"SELECT {', '.join(counts)} FROM facts").fetchone()
    totals = {
        code: (int(found[2 * index]), int(found[2 * index + 1]))
        for index, code in enumerate(FLAG_COLUMNS)
    }
    wanted: dict[str, list[int]] = {code: [] for code in FLAG_COLUMNS}
    for code, row in connection.execute(
        " UNION ALL ".join(firsts) + " ORDER BY code, row", {"limit": limit}
    ).fetchall():
        wanted[code].append(row)
    contracts = tables.contracts(sorted({row for rows in wanted.values() for row in rows}))
    # A contract listed under several flags is judged once.
    judged = {row: contract_hits(contract, thresholds) for row, contract in contracts.items()}
    hits: list[Hit] = []
    for code, rows in wanted.items():
        listed = [hit for row in rows for hit in judged[row] if hit.code == code]
        hits.extend(listed[:limit])
    return hits, totals


def _with_refs(tables: _Tables, hits: list[Hit], batch: int = 10_000) -> list[Hit]:
    """Cross-contract hits name fact rows (``{"ligne": row}``): give them their records. The
    clusters listed at the national size name hundreds of thousands of rows: each placeholder
    becomes its record in place (one dict per row, shared by the clusters that name it), the
    rows are read by batches and the buyer's text kept once per buyer."""
    placeholders: dict[int, dict[str, Any]] = {}
    for hit in hits:
        hit.records = [placeholders.setdefault(int(r["ligne"]), r) for r in hit.records]
    if not placeholders:
        return hits
    buyers: dict[str, str] = {}
    # The line of a row in its file (``_Tables.location``), written by DuckDB.
    files = [source.name for source in tables.sources]
    starts = [source.start - 2 for source in tables.sources]
    cursor = tables.connection.execute(
        "SELECT f.row, f.file_index, 'ligne ' || (f.ord - $starts[f.file_index + 1]), f.id, "
        "f.buyer, clean(r.objet) FROM facts f JOIN raw r USING (ord) "
        "WHERE f.row IN (SELECT unnest(CAST($rows AS BIGINT[])))",
        {"starts": starts, "rows": sorted(placeholders)},
    )
    while found := cursor.fetchmany(batch):
        for row, file_index, where, id_, buyer, object_ in found:
            buyer = buyers.setdefault(buyer, buyer)
            record = placeholders[row]
            record.clear()
            record["fichier"] = files[file_index]
            record["position"] = where
            record["uid"] = buyer + id_
            record["acheteur"] = buyer
            record["objet"] = object_[:120] if object_ else ""
    return hits


def _cross(
    tables: _Tables, today: dt.date, limit: int, totals: dict[str, tuple[int, int]]
) -> list[Hit]:
    """Cross-contract flags: every cluster counted, the first ``limit`` of each listed."""
    listed = cross_hits(tables.connection, None, today, limit=limit, totals=totals)
    return _with_refs(tables, listed)


def import_tabular(
    paths: Sequence[Path], *, limit: int = DEFAULT_LIMIT, progress: Progress | None = None
) -> ImportReport:
    """``importer.import_files`` for tabular files, column-wise (raises ColumnarUnavailable)."""
    with _database() as connection:
        tables = _Tables(connection, _load(connection, paths, progress))
        _kept(connection)
        return _import_report(tables, limit)


def audit_tabular(
    paths: Sequence[Path],
    *,
    limit: int = 100,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> AuditReport:
    """``audit.audit_contracts`` of tabular files, column-wise (raises ColumnarUnavailable)."""
    with _database() as connection:
        tables = _Tables(connection, _load(connection, paths, progress))
        _kept(connection)
        imported = _import_report(tables, 0)
        thresholds = Thresholds()
        _law_on(connection, thresholds)
        _facts(connection)
        hits, totals = _one_contract_hits(tables, thresholds, limit)
        load_thresholds(connection)
        hits.extend(_cross(tables, today or paris_today(), limit, totals))
        found = figures(connection, limit)
        contracts = connection.execute("SELECT count(*) FROM facts").fetchone()[0]
        truncated, cut = _truncated(tables, limit)
    summary = imported.as_dict()
    summary.pop("enregistrements_en_defaut", None)
    return AuditReport(
        imported.records, contracts, hits, found, summary, limit, totals, truncated, cut
    )


def _truncated(tables: _Tables, limit: int) -> tuple[int, list[dict[str, Any]]]:
    """Contracts with a text cut at the source: how many, and the first ``limit`` of them."""
    connection = tables.connection
    total = connection.execute("SELECT count(*) FROM contracts_of WHERE truncated").fetchone()[0]
    rows = [
        row[0]
        for row in connection.execute(
            "SELECT c_ord FROM contracts_of WHERE truncated ORDER BY c_ord LIMIT ?", [limit]
        ).fetchall()
    ]
    contracts = tables.contracts(rows)
    return int(total), [contracts[row].ref() for row in rows]


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def grouped_rows(paths: Sequence[Path], batch: int = 10_000) -> Iterator[RawRecord]:
    """The rows of tabular files, those of each contract together (DuckDB sorts them by buyer
    and id, spilling to disk past its memory limit), in reading order within a contract: for
    ``versions.contracts(..., grouped=True)``. Raises ColumnarUnavailable like the audit."""
    with _database() as connection:
        tables = _Tables(connection, _load(connection, paths, None))
        columns = ", ".join(f'r."{name}"' for name in COLUMNS)
        cursor = connection.execute(
            f"SELECT r.ord, r.file_index, {columns} FROM raw r JOIN parsed p USING (ord) "
            "ORDER BY p.buyer, p.id, r.ord"
        )
        while found := cursor.fetchmany(batch):
            for ord_, file_index, *cells in found:
                data = {
                    name: "" if cell is None else cell
                    for name, cell in zip(COLUMNS, cells, strict=True)
                }
                file, where = tables.location(ord_, file_index)
                index = ord_ - tables.sources[file_index].start
                yield RawRecord(file, index, "tabulaire", "marche", data, where)
