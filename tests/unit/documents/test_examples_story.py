"""The examples that ``make docs`` prints tell one story: the Commune de Saint-Exemple's
consultation 2026-RS-01 for its school catering, from the DCE to the avenant of lot 1.

One buyer (name, SIRET, address), one reference, one object, the same lots, holders, amounts and
scores, dates in the order of the procedure: publication, offers, regularisation, justification
of the abnormally low offer, analysis, decision, rejection letters, signature, notification,
avenant. The steering-committee report is another project on purpose: the HR software of the
Communauté de communes du Pays de Saint-Exemple, of which the commune is a member.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from stdnum.fr import siret

from openamo.award import score_offers
from openamo.award.calendar import AwardCalendarInput, award_calendar
from openamo.documents.rapport import ReportInput
from openamo.validation import parse_input

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
BUYER = "Commune de Saint-Exemple"
REFERENCE = "2026-RS-01"
POSTCODE, TOWN = "35999", "Saint-Exemple"
INTERCOMMUNALITY = "Communauté de communes du Pays de Saint-Exemple"


def load(name: str) -> Any:
    return json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def story() -> dict[str, Any]:
    return {
        name: load(name)
        for name in (
            "dce_generate",
            "offres_rapport",
            "attribution_lettres",
            "avenant_document",
            "projet_rapport",
        )
    }


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def test_one_buyer_with_a_valid_siret(story: dict[str, Any]) -> None:
    dce, report = story["dce_generate"], story["offres_rapport"]["report"]
    letters, avenant = story["attribution_lettres"]["buyer"], story["avenant_document"]["buyer"]
    assert dce["buyer"]["name"] == report["buyer_name"] == letters["name"] == BUYER
    assert avenant["name"] == BUYER
    sirets = {dce["buyer"]["siret"], letters["siret"], avenant["siret"]}
    assert len(sirets) == 1, sirets
    assert siret.is_valid(sirets.pop())
    address = f"Hôtel de ville, 1 place de la Mairie, {POSTCODE} {TOWN}"
    assert dce["buyer"]["address"] == report["buyer_address"] == avenant["address"] == address
    assert f"{letters['address']}, {letters['postcode']} {letters['city']}" == address
    assert story["avenant_document"]["place"] == TOWN
    for site in dce["delivery_sites"]:
        assert site.endswith(f"{POSTCODE} {TOWN}"), site


def test_the_steering_report_is_the_intercommunality_s_it_project(story: dict[str, Any]) -> None:
    steering = story["projet_rapport"]
    assert steering["report"]["buyer_name"] == INTERCOMMUNALITY
    assert steering["pilotage"]["project"].endswith(f"— {INTERCOMMUNALITY}")
    assert "logiciel" in steering["pilotage"]["project"]


def test_one_reference_and_one_object(story: dict[str, Any]) -> None:
    dce, report = story["dce_generate"], story["offres_rapport"]["report"]
    letters, contract = story["attribution_lettres"], story["avenant_document"]["contract"]
    assert dce["reference"] == report["reference"] == letters["reference"] == REFERENCE
    assert letters["calendar"]["reference"] == REFERENCE
    assert contract["reference"] == f"{REFERENCE} lot 1"
    common = report["object"]
    assert letters["object"] == common
    assert dce["object"].startswith(common) and contract["object"].startswith(common)


def _dce_lots(story: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {lot["number"]: lot for lot in story["dce_generate"]["lots"]}


def test_every_lot_of_the_dce_is_in_the_report_with_its_estimate(story: dict[str, Any]) -> None:
    lots = _dce_lots(story)
    report_lots = story["offres_rapport"]["lots"]
    assert [lot["name"] for lot in report_lots] == [
        f"Lot {number} — {lot['name']}" for number, lot in sorted(lots.items())
    ]
    for number, lot in zip(sorted(lots), report_lots, strict=True):
        assert Decimal(lot["estimate_ht"]) == Decimal(lots[number]["estimated_amount_ht"])
    criteria = story["offres_rapport"]["criteria"]
    assert criteria == story["dce_generate"]["criteria"]


def _scored(story: dict[str, Any]) -> dict[int, Any]:
    result = score_offers(
        parse_input(ReportInput, story["offres_rapport"]), require_justifications=True
    )
    return {int(re.match(r"Lot (\d+)", lot.name).group(1)): lot for lot in result.lots}  # type: ignore[union-attr]


def _offers(story: dict[str, Any], number: int) -> dict[str, Decimal]:
    lot = story["offres_rapport"]["lots"][number - 1]
    return {offer["bidder"]: Decimal(offer["price_ht"]) for offer in lot["offers"]}


def test_the_letters_name_the_report_s_holders_amounts_and_ranks(story: dict[str, Any]) -> None:
    scored, lots = _scored(story), _dce_lots(story)
    letters = story["attribution_lettres"]
    awarded = {award["lot"] for award in letters["awards"]}
    assert awarded == {n for n, lot in scored.items() if lot.ranking}
    for award in letters["awards"]:
        number = award["lot"]
        assert award["lot_name"] == lots[number]["name"]
        ranking, offers = scored[number].ranking, _offers(story, number)
        winner = award["winner"]
        assert winner["tenderer"]["name"] == ranking[0].bidder
        assert Decimal(winner["amount_ht"]) == offers[ranking[0].bidder]
        assert Decimal(winner["score"]) == Decimal(ranking[0].total)
        assert siret.is_valid(winner["tenderer"]["siret"])
        ranked = {r["tenderer"]["name"]: r for r in award["rejected"] if "rank" in r}
        assert {name: (r["rank"], Decimal(r["score"])) for name, r in ranked.items()} == {
            entry.bidder: (entry.rank, Decimal(entry.total)) for entry in ranking[1:]
        }
        abnormal = {entry.bidder for entry in scored[number].abnormally_low}
        unranked = {r["tenderer"]["name"] for r in award["rejected"] if "rank" not in r}
        assert unranked == abnormal
        # every tenderer of the lot hears of the decision, once
        assert {winner["tenderer"]["name"], *ranked, *unranked} == set(offers)


def test_the_procedure_letters_follow_the_report(story: dict[str, Any]) -> None:
    letters, report = story["attribution_lettres"], story["offres_rapport"]
    regularised = {c["bidder"] for c in report["candidacies"] if c.get("regularisation_requested")}
    assert {c["candidate"]["name"] for c in letters["completions"]} == regularised
    scored = _scored(story)
    for request in letters["abnormal_prices"]:
        number = request["lot"]
        name = request["tenderer"]["name"]
        assert name in {entry.bidder for entry in scored[number].abnormally_low}
        assert Decimal(request["price_ht"]) == _offers(story, number)[name]
    addresses: dict[str, dict[str, Any]] = {}
    for party in [
        *(c["candidate"] for c in letters["completions"]),
        *(r["tenderer"] for r in letters["abnormal_prices"]),
        *(a["winner"]["tenderer"] for a in letters["awards"]),
        *(r["tenderer"] for a in letters["awards"] for r in a["rejected"]),
    ]:
        known = addresses.setdefault(party["name"], party)
        for key in ("address", "postcode", "city"):
            assert known[key] == party[key], (party["name"], key)


def test_the_dates_follow_the_procedure(story: dict[str, Any]) -> None:
    dce, letters = story["dce_generate"], story["attribution_lettres"]
    report, avenant = story["offres_rapport"]["report"], story["avenant_document"]
    launched, deadline = day(dce["launch_date"]), day(dce["response_deadline"])
    analysed, decided = day(report["analysed_on"]), day(report["decided_on"])
    calendar = letters["calendar"]
    assert day(calendar["consultation_launched_on"]) == launched
    assert launched < deadline
    for request in letters["completions"] + letters["abnormal_prices"]:
        assert deadline <= day(request["sent_on"]) < day(request["due_on"]) <= analysed
    assert analysed <= decided == day(calendar["decision_on"])
    sent = day(letters["date"])
    assert "rejections_sent_on" not in calendar  # sent the day the letters are dated
    assert sent >= decided
    assert (decided - deadline).days <= dce["validity_days"]
    assert dce["price"]["revision"]["base_month"] == f"{deadline:%Y-%m}"
    for award in letters["awards"]:
        assert day(award["winner"]["documents_due_on"]) > sent
    sending = {**calendar, "rejections_sent_on": letters["date"]}
    earliest = award_calendar(parse_input(AwardCalendarInput, sending)).earliest_signature_on
    contract, modification = avenant["contract"], avenant["modification"]
    assert day(contract["consultation_launched_on"]) == launched
    assert day(contract["notified_on"]) >= earliest
    assert day(avenant["cao_opinion"]["date"]) <= day(modification["date"])
    assert day(modification["date"]) > day(contract["notified_on"])
    # every date written in the report's and the letters' texts falls within the procedure
    texts = json.dumps([story["offres_rapport"], letters], ensure_ascii=False)
    for found in re.findall(r"\b(\d{2})/(\d{2})/(\d{4})\b", texts):
        written = dt.date(int(found[2]), int(found[1]), int(found[0]))
        assert launched <= written <= sent, written


def test_the_avenant_amends_the_story_s_contract(story: dict[str, Any]) -> None:
    dce, letters, avenant = (
        story["dce_generate"],
        story["attribution_lettres"],
        story["avenant_document"],
    )
    lot = _dce_lots(story)[1]
    holder = next(a["winner"]["tenderer"] for a in letters["awards"] if a["lot"] == 1)
    assert avenant["contractor"]["name"] == holder["name"]
    assert avenant["contractor"]["siret"] == holder["siret"]
    assert avenant["contractor"]["address"] == (
        f"{holder['address']}, {holder['postcode']} {holder['city']}"
    )
    contract = avenant["contract"]
    periods = 1 + dce["renewals"]
    assert Decimal(contract["initial_amount_ht"]) == Decimal(lot["max_amount_ht"]) * periods
    assert Decimal(contract["estimated_value_ht"]) == Decimal(
        letters["calendar"]["estimated_value_ht"]
    )
    assert Decimal(letters["calendar"]["estimated_value_ht"]) == periods * sum(
        Decimal(lot["max_amount_ht"]) for lot in dce["lots"]
    )
    assert contract["nature"] == dce["nature"] == letters["calendar"]["nature"]
    assert lot["name"].lower() in contract["object"]


def test_no_example_keeps_an_older_story() -> None:
    for path in sorted(EXAMPLES.glob("*.json")):
        text = path.read_text("utf-8")
        for stale in ("2026-REST-01", "2025-TRAV-03", "tribunal administratif de Saint-Exemple"):
            assert stale not in text, (path.name, stale)
        if BUYER in text:  # the commune is named only with its own SIRET
            for found in re.findall(r"\b2\d{2} ?\d{3} ?\d{3} ?\d{5}\b", text):
                assert found.replace(" ", "") == "21990000800018", (path.name, found)


def _sirets(node: Any, key: str = "") -> list[str]:
    """Every SIRET of an example: a ``siret`` or ``…_siret`` key, or a holder's identifier."""
    if isinstance(node, dict):
        found = []
        for name, value in node.items():
            if name == "holder_id" and node.get("holder_id_type", "SIRET") != "SIRET":
                continue
            found += _sirets(value, name)
        return found
    if isinstance(node, list):
        return [one for item in node for one in _sirets(item, key)]
    if isinstance(node, str) and (key.endswith("siret") or key == "holder_id"):
        return [node]
    return []


def test_every_siret_of_the_examples_has_a_valid_luhn_key() -> None:
    sirets = {
        path.name: _sirets(json.loads(path.read_text("utf-8")))
        for path in sorted(EXAMPLES.glob("*.json"))
    }
    assert sirets["decp_export.json"] and sirets["dce_generate.json"]
    wrong = {name: [s for s in found if not siret.is_valid(s)] for name, found in sirets.items()}
    assert not any(wrong.values()), wrong
    # the open-data example publishes the story's buyer
    assert sirets["decp_export.json"][0] == load("dce_generate")["buyer"]["siret"]


def test_the_dqe_at_the_buyer_s_prices_is_the_lot_s_estimate(
    story: dict[str, Any], tmp_path: Path
) -> None:
    """One figure, one source: where the buyer estimated its unit prices, the DQE they give
    stays within the lot's minimum and maximum and within 5 % of the lot's estimate, and the
    generation of the DCE warns of no inconsistency."""
    from openamo.documents.dce import generate_dce_from_dict

    priced = 0
    for lot in story["dce_generate"]["lots"]:
        prices = [item.get("estimated_unit_price_ht") for item in lot["items"]]
        if None in prices:
            continue
        priced += 1
        total = sum(
            (Decimal(item["quantity"]) * Decimal(item["estimated_unit_price_ht"]))
            for item in lot["items"]
        )
        estimate = Decimal(lot["estimated_amount_ht"])
        assert Decimal(lot["min_amount_ht"]) <= total <= Decimal(lot["max_amount_ht"])
        assert abs(total - estimate) <= estimate * Decimal("0.05"), (lot["number"], total)
    assert priced
    result = generate_dce_from_dict(story["dce_generate"], tmp_path)
    assert not [w for w in result.warnings if "DQE" in w], result.warnings
