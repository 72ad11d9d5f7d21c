"""The passation workflow through its services: criteria checked by the domain, marks saved only
with their justification, the lot's analysis proposed by the AMO and validated only by the
buyer's maître d'ouvrage, the winners read by other apps, everything in the audit trail."""

from __future__ import annotations

import copy
from dataclasses import replace
from decimal import Decimal

import pytest

from openamo.award import AbnormalOutcome
from openamo.errors import OpenAMOError
from openamo.web.audit.models import Action, AuditEvent
from openamo.web.award import marking
from openamo.web.award.mappers import RankingSettings
from openamo.web.award.models import AnalysisStatus, Candidacy, LotAnalysis, Offer
from openamo.web.award.queries import AwardedOffer, awarded
from openamo.web.award.requests import CandidacyEntry, OfferEntry, SubCriterionRow
from openamo.web.award.services import candidacies as candidacy_service
from openamo.web.award.services import criteria as criteria_service
from openamo.web.award.services import documents as document_service
from openamo.web.award.services import offers as offer_service
from openamo.web.award.services import ranking as ranking_service
from openamo.web.award.services import reading
from openamo.web.operations.access import PermissionRefused, operation_access
from openamo.web.operations.models import Lot, Operation
from tests.integration.web import _award
from tests.integration.web._award import CRITERIA, add_offer, award_operation, scope, three_offers
from tests.integration.web.conftest import Cast, fresh


def test_weights_that_do_not_sum_to_100_are_refused_in_french(cast: Cast, award: Operation) -> None:
    criteria = copy.deepcopy(CRITERIA)
    criteria[2]["weight"] = "10"
    access = operation_access(fresh(cast.consultant), award.pk)
    with pytest.raises(OpenAMOError) as refused:
        criteria_service.save_criteria(
            access,
            fresh(cast.consultant),
            criteria_service.validate_criteria(_award.typed(criteria)),
            None,
        )
    detail = refused.value.details[0]
    assert detail.location == "criteres"
    assert detail.message == ("La somme des poids des critères doit être égale à 100 (reçu : 90).")
    assert reading.criteria_set_of(award).criteria[2]["weight"] == "20"  # type: ignore[union-attr]


def test_sub_criteria_must_add_up_to_their_criterion(cast: Cast, award: Operation) -> None:
    access = operation_access(fresh(cast.mo), award.pk)
    subs = [SubCriterionRow(name="Qualité des produits", weight=Decimal(30))]
    grid = _award.grid_rows(_award.GRID)
    with pytest.raises(OpenAMOError) as refused:
        criteria_service.save_criterion_details(access, fresh(cast.mo), 1, subs, grid)
    assert refused.value.details[0].location == "criteres[1]"
    assert "doit être égale au poids du critère (40)" in refused.value.details[0].message


def test_the_criteria_rules_are_those_of_the_domain_at_the_launch_date(
    cast: Cast, award: Operation
) -> None:
    context = reading.context_of(award)
    price_only = [{"name": "Prix", "weight": "100", "kind": "prix"}]
    result = reading.review_criteria(
        context, criteria_service.validate_criteria(_award.typed(price_only)), None
    )
    codes = {check.code for check in result.criteria_checks}
    # Launched on 01/12/2026: price alone is no longer a lawful single criterion.
    assert {"prix_seul_interdit", "critere_environnemental_absent"} <= codes
    assert not result.compliant
    local = [
        {"name": "Prix", "weight": "60", "kind": "prix"},
        {"name": "Produits locaux", "weight": "40", "kind": "environnement"},
    ]
    checks = reading.review_criteria(
        context, criteria_service.validate_criteria(_award.typed(local)), None
    ).criteria_checks
    assert any(c.code == "critere_geographique" and "CCP L3" in c.references[0] for c in checks)


def test_a_mark_without_a_written_justification_is_not_saved(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    offer = add_offer(cast.consultant, award, first_lot, "Bio Val", "58000.00", marks=None)
    slots = marking.slots(reading.context_of(award).criteria)
    typed = [
        marking.MarkEntry.typed(slot, "15", _award.WHY if index == 0 else "")
        for index, slot in enumerate(slots)
    ]
    where = scope(cast.consultant, award, first_lot)
    with pytest.raises(OpenAMOError) as refused:
        offer_service.save_marks(where, fresh(cast.consultant), offer, typed)
    locations = {d.location for d in refused.value.details}
    assert locations == {
        "Valeur technique / Organisation des livraisons",
        "Performance environnementale",
    }
    assert all("justification écrite obligatoire" in d.message for d in refused.value.details)
    offer.refresh_from_db()
    assert offer.marks == {}


def test_a_mark_off_the_marking_grid_is_refused(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    offer = add_offer(cast.consultant, award, first_lot, "Bio Val", "58000.00", marks=None)
    with pytest.raises(OpenAMOError) as refused:
        _award.mark_offer(cast.consultant, award, first_lot, offer, ("12", "15", "15"))
    assert "absente de la grille (0, 10, 15, 20)" in refused.value.details[0].message


def test_the_amo_proposes_the_ranking_and_only_the_maitre_d_ouvrage_validates(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    three_offers(cast, award, first_lot)
    amo_scope = scope(cast.consultant, award, first_lot)
    analysis = ranking_service.analyse(
        amo_scope, fresh(cast.consultant), RankingSettings(winners=1)
    )
    lot = analysis.result["lots"][0]
    # Hand-computed: price 40 × Pmin/P, quality 25 × mark/20, delivery 15 × mark/20, env 20 × mark/20.
    assert [(e["bidder"], e["total"]) for e in lot["ranking"]] == [
        ("Maraîchers", "94.28"),
        ("Distri", "76.40"),
        ("Bio Val", "73.75"),
    ]
    assert analysis.status == AnalysisStatus.PROPOSEE
    assert awarded(award.pk) == []

    with pytest.raises(PermissionRefused):
        ranking_service.validate(amo_scope, fresh(cast.consultant))
    with pytest.raises(PermissionRefused):
        ranking_service.validate(
            scope(cast.internal_amo, award, first_lot), fresh(cast.internal_amo)
        )

    ranking_service.validate(scope(cast.mo, award, first_lot), fresh(cast.mo))
    Offer.objects.filter(bidder="Maraîchers").update(postal_address="Le Val\n35230 Noyal")
    assert awarded(award.pk) == [
        AwardedOffer(
            lot_id=first_lot.pk,
            lot_name="Bio",
            bidder="Maraîchers",
            siret="",
            price_ht=Decimal("61000.00"),
            rank=1,
            lot_number=first_lot.number,
            postal_address="Le Val\n35230 Noyal",
        )
    ]
    actions = list(
        AuditEvent.objects.filter(operation=award, object_type="lotanalysis").values_list(
            "action", flat=True
        )
    )
    assert actions == [Action.VALIDATE, Action.ANALYSE]
    validation = AuditEvent.objects.get(operation=award, action=Action.VALIDATE)
    assert validation.after is not None
    assert validation.after["attributaires proposés"] == ["Maraîchers"]
    assert validation.after["classement"][0] == "1. Maraîchers (94,28 / 100)"
    assert validation.actor_label.endswith("(marie)")


def test_multi_attribution_returns_every_ranked_winner(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    three_offers(cast, award, first_lot)
    Offer.objects.filter(bidder="Distri").update(siret=_award.SIRETS[0])
    ranking_service.analyse(
        scope(cast.mo, award, first_lot), fresh(cast.mo), RankingSettings(winners=2)
    )
    ranking_service.validate(scope(cast.mo, award, first_lot), fresh(cast.mo))
    winners = awarded(award.pk)
    assert [(w.bidder, w.rank, w.siret) for w in winners] == [
        ("Maraîchers", 1, ""),
        ("Distri", 2, _award.SIRETS[0]),
    ]


def test_a_tie_at_the_award_rank_blocks_the_validation(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    add_offer(cast.consultant, award, first_lot, "Alpha", "60000.00", ("15", "15", "15"))
    add_offer(cast.consultant, award, first_lot, "Bêta", "60000.00", ("15", "15", "15"))
    mo_scope = scope(cast.mo, award, first_lot)
    analysis = ranking_service.analyse(mo_scope, fresh(cast.mo), RankingSettings(winners=1))
    assert [e["rank"] for e in analysis.result["lots"][0]["ranking"]] == [1, 1]
    with pytest.raises(OpenAMOError, match="Égalité au rang d'attribution"):
        ranking_service.validate(mo_scope, fresh(cast.mo))
    ranking_service.analyse(mo_scope, fresh(cast.mo), RankingSettings(tie_break="Valeur technique"))
    add_offer_marks = Offer.objects.get(bidder="Bêta")
    _award.mark_offer(cast.mo, award, first_lot, add_offer_marks, ("20", "15", "15"))
    ranking_service.analyse(mo_scope, fresh(cast.mo), RankingSettings(tie_break="Valeur technique"))
    ranking_service.validate(mo_scope, fresh(cast.mo))
    assert [w.bidder for w in awarded(award.pk)] == ["Bêta"]


def test_an_abnormally_low_winner_opens_r2152_3_and_is_never_rejected_automatically(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    three_offers(cast, award, first_lot)
    low = add_offer(cast.consultant, award, first_lot, "Casse-Prix", "30000.00", ("20", "20", "20"))
    mo_scope = scope(cast.mo, award, first_lot)
    lot = ranking_service.analyse(mo_scope, fresh(cast.mo), RankingSettings(winners=1)).result[
        "lots"
    ][0]
    assert lot["awarded"] == ["Casse-Prix"]
    assert lot["eliminated"] == []
    (suspicion,) = lot["abnormally_low"]
    assert "pas d'un rejet" in suspicion["reason"]
    assert "CCP R2152-3" in suspicion["reason"]
    with pytest.raises(OpenAMOError, match="R2152-3"):
        ranking_service.validate(mo_scope, fresh(cast.mo))

    offer_service.update_offer(
        mo_scope,
        fresh(cast.mo),
        low,
        replace(
            OfferEntry.of(low),
            abnormally_low_outcome=AbnormalOutcome.REJETEE,
            abnormally_low_note="Prix sous les cotations.",
        ),
    )
    lot = ranking_service.analyse(mo_scope, fresh(cast.mo), RankingSettings(winners=1)).result[
        "lots"
    ][0]
    assert lot["awarded"] == ["Maraîchers"]
    assert lot["eliminated"][0]["status"] == "anormalement_basse"
    ranking_service.validate(mo_scope, fresh(cast.mo))


def test_data_changed_since_the_analysis_must_be_analysed_again(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    offers = three_offers(cast, award, first_lot)
    mo_scope = scope(cast.mo, award, first_lot)
    analysis = ranking_service.analyse(mo_scope, fresh(cast.mo), RankingSettings(winners=1))
    assert not reading.is_stale(mo_scope, analysis)
    offer_service.update_offer(
        mo_scope,
        fresh(cast.mo),
        offers[0],
        replace(OfferEntry.of(offers[0]), price_ht=Decimal("57000.00")),
    )
    assert reading.is_stale(mo_scope, analysis)
    with pytest.raises(OpenAMOError, match="relancez-la"):
        ranking_service.validate(mo_scope, fresh(cast.mo))
    with pytest.raises(OpenAMOError, match="relancez-la"):
        document_service.analysis_report(mo_scope, fresh(cast.mo), ".docx")


def test_a_validated_lot_freezes_its_offers_until_the_maitre_d_ouvrage_reopens_it(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    offers = three_offers(cast, award, first_lot)
    mo_scope = scope(cast.mo, award, first_lot)
    ranking_service.analyse(mo_scope, fresh(cast.mo), RankingSettings(winners=1))
    ranking_service.validate(mo_scope, fresh(cast.mo))
    amo_scope = scope(cast.consultant, award, first_lot)
    with pytest.raises(OpenAMOError, match="validé par le maître d'ouvrage"):
        offer_service.update_offer(
            amo_scope,
            fresh(cast.consultant),
            offers[0],
            replace(OfferEntry.of(offers[0]), bidder="X"),
        )
    with pytest.raises(OpenAMOError, match="validé par le maître d'ouvrage"):
        offer_service.delete_offer(amo_scope, fresh(cast.consultant), offers[0])
    with pytest.raises(PermissionRefused):
        ranking_service.reopen(amo_scope, fresh(cast.consultant))
    ranking_service.reopen(mo_scope, fresh(cast.mo))
    assert LotAnalysis.objects.get().status == AnalysisStatus.PROPOSEE
    assert awarded(award.pk) == []
    offer_service.delete_offer(amo_scope, fresh(cast.consultant), offers[0])
    assert Offer.objects.deleted().filter(pk=offers[0].pk).exists()


def test_criteria_are_frozen_once_offers_are_marked(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    access = operation_access(fresh(cast.mo), award.pk)
    add_offer(cast.consultant, award, first_lot, "Bio Val", "58000.00", marks=None)
    criteria_service.save_criteria(
        access, fresh(cast.mo), criteria_service.validate_criteria(_award.typed(CRITERIA)), True
    )
    three_offers(cast, award, Lot.objects.filter(operation=award).last())  # type: ignore[arg-type]
    with pytest.raises(OpenAMOError, match="ne peuvent plus changer"):
        criteria_service.save_criteria(
            access, fresh(cast.mo), criteria_service.validate_criteria(_award.typed(CRITERIA)), None
        )


def test_a_candidacy_is_judged_by_the_domain_and_excludes_the_offer_when_irrecevable(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    access = operation_access(fresh(cast.consultant), award.pk)
    checklist = CandidacyEntry(
        bidder="Distri",
        application_form=True,
        declaration_form=True,
        sworn_statement=True,
        technical_capacity=False,
        capacities_sufficient=True,
    )
    pending = candidacy_service.add_candidacy(access, fresh(cast.consultant), checklist)
    assert pending.result["verdict"] == "a_regulariser"
    assert "CCP R2144-2" in pending.result["references"]
    candidacy_service.add_candidacy(
        access,
        fresh(cast.consultant),
        replace(checklist, bidder="Bio Val", technical_capacity=True, exclusion_ground=True),
    )
    with pytest.raises(OpenAMOError):
        candidacy_service.add_candidacy(access, fresh(cast.consultant), checklist)
    three_offers(cast, award, first_lot)
    lot_result = ranking_service.analyse(
        scope(cast.mo, award, first_lot), fresh(cast.mo), RankingSettings()
    ).result
    eliminated = lot_result["lots"][0]["eliminated"]
    assert [(e["bidder"], e["status"]) for e in eliminated] == [
        ("Bio Val", "candidature_irrecevable")
    ]
    assert Candidacy.objects.filter(operation=award).count() == 2


def test_an_operation_without_lots_is_analysed_as_one_contract(cast: Cast) -> None:
    operation = award_operation(cast, with_lots=False)
    add_offer(cast.consultant, operation, None, "Bio Val", "150000.00")
    add_offer(cast.consultant, operation, None, "Distri", "160000.00", ("20", "20", "20"))
    ranking_service.analyse(scope(cast.mo, operation, None), fresh(cast.mo), RankingSettings())
    ranking_service.validate(scope(cast.mo, operation, None), fresh(cast.mo))
    (winner,) = awarded(operation.pk)
    assert (winner.lot_id, winner.lot_name, winner.bidder) == (None, operation.title, "Distri")
