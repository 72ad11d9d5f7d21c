"""Every red flag at its boundary, on hand-made records, with the law of each record's date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from openamo.opendata.audit import AuditReport, Hit, add_months, audit_contracts
from openamo.opendata.reader import RawRecord
from openamo.opendata.records import Contract, normalise

BUYER = "21450001200012"
SUPPLIER = "38024392300089"
OTHER_SUPPLIER = "78471226700060"


def record(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "2019A001",
        "_type": "Marché",
        "acheteur": {"id": BUYER, "nom": "Commune d'Exemple"},
        "nature": "Marché",
        "objet": "Prestations",
        "codeCPV": "77310000",
        "procedure": "Procédure adaptée",
        "dureeMois": 12,
        "dateNotification": "2019-06-03",
        "datePublicationDonnees": "2019-06-10",
        "montant": 100000,
        "formePrix": "Ferme",
        "titulaires": [{"typeIdentifiant": "SIRET", "id": SUPPLIER, "denominationSociale": "SA"}],
        "modifications": [],
    }
    base.update(overrides)
    return base


def contract(**overrides: Any) -> Contract:
    return normalise(RawRecord("test.json", 0, "1.5", "marche", record(**overrides), "marches[0]"))


def modification(
    amount: float | None, notified: str = "2019-12-02", **extra: Any
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "objetModification": "avenant",
        "dateNotificationModification": notified,
        "datePublicationDonneesModification": notified,
    }
    if amount is not None:
        found["montant"] = amount
    found.update(extra)
    return found


def run(*contracts: Contract) -> AuditReport:
    numbered = []
    for position, item in enumerate(contracts):
        item.id = item.id if len(contracts) == 1 else f"{item.id}{position}"
        numbered.append(item)
    return audit_contracts(numbered, records_read=len(numbered), today=dt.date(2026, 12, 2))


def codes(report: AuditReport) -> dict[str, int]:
    counted: dict[str, int] = {}
    for hit in report.hits:
        counted[hit.code] = counted.get(hit.code, 0) + 1
    return counted


def flagged(code: str, *contracts: Contract) -> bool:
    return code in codes(run(*contracts))


@pytest.mark.parametrize(
    ("cpv", "final", "expected"),
    [
        ("77310000", 109999.99, False),
        ("77310000", 110000, True),  # R2194-8: « inférieur à 10 % », 10 % itself is outside
        ("45210000", 114999.99, False),
        ("45210000", 115000, True),
    ],
)
def test_cumulated_drift_against_the_small_modification_cap(
    cpv: str, final: float, expected: bool
) -> None:
    item = contract(codeCPV=cpv, modifications=[modification(final)])
    assert flagged("derive_faible_montant", item) is expected


@pytest.mark.parametrize(("final", "expected"), [(150000, False), (150000.01, True)])
def test_one_modification_beyond_half_the_initial_amount(final: float, expected: bool) -> None:
    assert (
        flagged("modification_plus_50", contract(modifications=[modification(final)])) is expected
    )


@pytest.mark.parametrize(("final", "expected"), [(150000, False), (150000.01, True)])
def test_successive_modifications_beyond_half_the_initial_amount(
    final: float, expected: bool
) -> None:
    item = contract(modifications=[modification(130000), modification(final, "2020-01-06")])
    report = run(item)
    assert ("cumul_plus_50" in codes(report)) is expected
    assert "modification_plus_50" not in codes(report)


@pytest.mark.parametrize(("delta", "expected"), [(220999.99, False), (221000, True)])
def test_one_modification_at_the_european_threshold_of_its_own_date(
    delta: float, expected: bool
) -> None:
    # 2019: 221 000 € HT for the supplies and services of local authorities.
    item = contract(montant=10_000_000, modifications=[modification(10_000_000 + delta)])
    assert flagged("modification_seuil_europeen", item) is expected


def test_the_european_threshold_of_a_modification_is_that_of_the_modification_date() -> None:
    # notified 2019 (221 000), modified 2020 (214 000): 215 000 crosses only the 2020 threshold
    item = contract(montant=10_000_000, modifications=[modification(10_215_000, "2020-03-02")])
    assert flagged("modification_seuil_europeen", item)


@pytest.mark.parametrize(
    ("amount", "day", "expected"),
    [
        (22499.99, "2019-06-03", False),
        (22500, "2019-06-03", True),  # 90 % of the 25 000 € dispense threshold of 2019
        (25000, "2019-06-03", False),
        (36000, "2019-06-03", False),  # above the 2019 threshold…
        (36000, "2020-06-02", True),  # …just under the 40 000 € threshold of 2020
    ],
)
def test_amounts_just_under_a_threshold_in_force_on_their_date(
    amount: float, day: str, expected: bool
) -> None:
    item = contract(montant=amount, dateNotification=day, datePublicationDonnees=day)
    assert flagged("juste_sous_seuil", item) is expected


def _dispense(day: str, amount: float, supplier: str = SUPPLIER) -> Contract:
    return contract(
        procedure="Marché passé sans publicité ni mise en concurrence préalable",
        montant=amount,
        dateNotification=day,
        datePublicationDonnees=day,
        titulaires=[{"typeIdentifiant": "SIRET", "id": supplier, "denominationSociale": "SA"}],
    )


@pytest.mark.parametrize(
    ("second_day", "second_amount", "expected"),
    [
        ("2019-12-02", 10000, True),  # 15 000 + 10 000 = the 25 000 € threshold, within 12 months
        ("2019-12-02", 9999.99, False),
        ("2020-02-04", 10000, False),  # more than 12 months apart
    ],
)
def test_same_cpv_purchases_over_twelve_months_exceeding_the_threshold(
    second_day: str, second_amount: float, expected: bool
) -> None:
    first = _dispense("2019-02-01", 15000)
    second = _dispense(second_day, second_amount, OTHER_SUPPLIER)
    report = run(first, second)
    assert ("saucissonnage" in codes(report)) is expected
    if expected:
        hit = next(h for h in report.hits if h.code == "saucissonnage")
        assert len(hit.records) == 2 and "R2121-4" not in hit.reference  # reference = threshold


@pytest.mark.parametrize(("count", "expected"), [(2, False), (3, True)])
def test_repeated_dispense_with_the_same_supplier(count: int, expected: bool) -> None:
    items = [_dispense(f"2019-0{month}-03", 5000) for month in range(1, count + 1)]
    for position, item in enumerate(items):
        item.cpv = f"7731000{position}"  # different needs: no splitting, only repetition
    assert flagged("dispenses_repetees", *items) is expected


@pytest.mark.parametrize(
    ("procedure", "offers", "expected"),
    [
        ("Appel d'offres ouvert", 1, True),
        ("Appel d'offres ouvert", 2, False),
        ("Procédure adaptée", 1, False),
    ],
)
def test_single_offer_in_a_formalised_procedure(
    procedure: str, offers: int, expected: bool
) -> None:
    item = contract(procedure=procedure, montant=300000)
    item.offers = offers
    assert flagged("offre_unique", item) is expected


@pytest.mark.parametrize(("months", "expected"), [(48, False), (49, True)])
def test_framework_agreement_longer_than_four_years(months: int, expected: bool) -> None:
    item = contract(nature="Accord-cadre", dureeMois=months)
    assert flagged("accord_cadre_trop_long", item) is expected


@pytest.mark.parametrize(("published", "expected"), [("2019-03-31", False), ("2019-04-01", True)])
def test_publication_later_than_two_months_after_notification(
    published: str, expected: bool
) -> None:
    item = contract(dateNotification="2019-01-31", datePublicationDonnees=published)
    assert flagged("publication_tardive", item) is expected


def test_late_publication_of_a_modification() -> None:
    late = modification(101000, "2019-07-01", datePublicationDonneesModification="2019-09-02")
    assert flagged("publication_tardive", contract(modifications=[late]))


@pytest.mark.parametrize(("final", "expected"), [(124999.99, False), (125000, True)])
def test_large_gap_between_initial_and_final_amount_r054(final: float, expected: bool) -> None:
    assert (
        flagged("augmentation_significative", contract(modifications=[modification(final)]))
        is expected
    )


@pytest.mark.parametrize(("count", "expected"), [(2, False), (3, True)])
def test_many_modifications_r059(count: int, expected: bool) -> None:
    mods = [modification(None, f"2019-1{n}-01") for n in range(count)]
    assert flagged("modifications_nombreuses", contract(modifications=mods)) is expected


@pytest.mark.parametrize(("days", "expected"), [(59, True), (60, False)])
def test_modification_soon_after_notification(days: int, expected: bool) -> None:
    day = (dt.date(2019, 6, 3) + dt.timedelta(days=days)).isoformat()
    assert (
        flagged("modification_precoce", contract(modifications=[modification(None, day)]))
        is expected
    )


def test_data_quality_missing_dates_and_impossible_amounts() -> None:
    missing = contract(dateNotification=None)
    assert flagged("qualite_donnees", missing)
    assert flagged("qualite_donnees", contract(montant=0))
    assert flagged("qualite_donnees", contract(datePublicationDonnees="2019-05-01"))
    assert not flagged("qualite_donnees", contract())


def test_a_clean_contract_raises_no_flag() -> None:
    assert codes(run(contract())) == {}


def test_flags_cite_their_article_and_explain_in_french() -> None:
    report = run(contract(modifications=[modification(160000)]))
    payload = report.as_dict()
    flag = next(f for f in payload["alertes"] if f["code"] == "modification_plus_50")
    assert flag["article"] == "CCP R2194-3"
    case = flag["cas"][0]
    assert "50,00\xa0%" in case["explication"]
    assert "60\u202f000,00" in case["explication"]
    assert "R2194-3" in case["reference"]
    assert case["enregistrements"][0]["uid"] == BUYER + "2019A001"
    assert payload["enregistrements_lus"] == 1


def test_figures_per_buyer_supplier_and_year() -> None:
    report = run(contract(), contract(dateNotification="2020-02-03", montant=50000))
    figures = report.as_dict()["chiffres"]
    assert [(r["cle"], r["contrats"]) for r in figures["par_annee"]] == [("2019", 1), ("2020", 1)]
    assert figures["par_acheteur"][0]["montant_initial"] == "150000.00"
    assert figures["par_titulaire"][0]["acheteurs"] == 1


def test_add_months_keeps_the_end_of_month() -> None:
    assert add_months(dt.date(2019, 12, 31), 2) == dt.date(2020, 2, 29)
    assert add_months(dt.date(2019, 1, 31), 2) == dt.date(2019, 3, 31)


def test_each_flag_counts_its_cases_and_lists_only_the_first_ones() -> None:
    hits = [
        Hit("modification_plus_50", f"cas {n}", [{"uid": f"m{n % 2}"}], "R2194-3") for n in range(3)
    ]
    report = AuditReport(
        records_read=3, contracts=3, hits=hits, figures={}, import_summary={}, limit=2
    )
    flag = next(f for f in report.flags() if f.code == "modification_plus_50")
    assert (flag.count, flag.records, flag.unlisted) == (3, 2, 1)
    assert [hit.explanation for hit in flag.cases] == ["cas 0", "cas 1"]
    assert flag.title == "Modification supérieure à 50 % du montant initial"
    shown = next(f for f in report.as_dict()["alertes"] if f["code"] == flag.code)
    assert (shown["nombre"], shown["enregistrements_concernes"], shown["cas_non_listes"]) == (
        3,
        2,
        1,
    )
    assert all(not f.count for f in report.flags() if f.code != flag.code)
