"""Validated decisions go stale when what they were made on changes: « à revalider » with what
changed, on the decision's page and on the dashboard of the maître d'ouvrage, and the steps that
depend on them refuse to run until they are validated again."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from openamo.errors import OpenAMOError
from openamo.steering import FramingAnswers
from openamo.web.award.mappers import RankingSettings
from openamo.web.award.models import CriteriaSet, DceSettings, LotAnalysis
from openamo.web.award.services import criteria as criteria_service
from openamo.web.award.services import documents as document_service
from openamo.web.award.services import ranking as ranking_service
from openamo.web.contracts.requests import ContractEntry
from openamo.web.contracts.services import contract as contract_service
from openamo.web.decisions import pending_decisions
from openamo.web.operations import services
from openamo.web.operations.access import OperationAccess, operation_access
from openamo.web.operations.kinds import OperationKind
from openamo.web.operations.models import Consultation, Lot, Operation
from openamo.web.operations.requests import Circumstances, LotChanges
from openamo.web.steering.models import Baseline
from openamo.web.steering.services import framing as framing_service
from openamo.web.steering.services import report as report_service
from openamo.web.users import AuthenticatedUser
from tests.integration.web._award import CRITERIA, award_operation, scope, three_offers, typed
from tests.integration.web.conftest import Cast, client_for, fresh, make_operation, text
from tests.integration.web.steering_data import framing_answers, steered

LAUNCH = datetime.date(2026, 12, 1)


def access_of(user: AuthenticatedUser, operation: Operation) -> OperationAccess:
    return operation_access(fresh(user), operation.pk)


def dashboard(user: AuthenticatedUser) -> list[str]:
    return [d.what for d in pending_decisions(fresh(user))]


def validated_procedure(cast: Cast, operation: Operation) -> Consultation:
    amo = access_of(cast.consultant, operation)
    services.analyse_procedure(amo, fresh(cast.consultant), Circumstances(LAUNCH))
    return services.validate_procedure(access_of(cast.mo, operation), fresh(cast.mo))


def raise_lot(cast: Cast, operation: Operation, amount: str) -> Lot:
    lot = Lot.objects.filter(operation=operation).order_by("number").last()
    assert lot is not None
    services.update_lot(
        access_of(cast.consultant, operation),
        fresh(cast.consultant),
        lot,
        LotChanges(estimated_amount_ht=Decimal(amount)),
    )
    return lot


def test_raising_a_lot_makes_the_validated_procedure_stale_and_blocks_the_dce(
    cast: Cast, operation: Operation
) -> None:
    validated_procedure(cast, operation)
    DceSettings.objects.create(operation=operation, data={})
    assert dashboard(cast.mo) == []

    raise_lot(cast, operation, "90000.00")

    consultation = Consultation.objects.get(operation=operation)
    assert consultation.stale_changes == [
        {
            "what": "Lot 3 « Frais » : montant estimé HT",
            "before": "41\u202f000,00\u00a0€",
            "after": "90\u202f000,00\u00a0€",
        }
    ]
    page = text(client_for(cast.mo).get(reverse("operations:consultation", args=[operation.pk])))
    assert "Choix de la procédure à revalider" in page
    assert "Choix validé" not in page
    assert "Lot 3 « Frais » : montant estimé HT : 41\u202f000,00\u00a0€ →" in page
    assert dashboard(cast.mo) == [
        "Choix de la procédure à revalider — Lot 3 « Frais » : montant estimé HT : "
        "41\u202f000,00\u00a0€ → 90\u202f000,00\u00a0€"
    ]
    assert dashboard(cast.consultant) == []  # the AMO prepares; the buyer decides
    with pytest.raises(OpenAMOError, match="À revalider : le choix de la procédure") as refused:
        document_service.dce_archive(access_of(cast.consultant, operation), fresh(cast.consultant))
    assert "avant de produire le DCE" in refused.value.message
    with pytest.raises(OpenAMOError, match="À revalider"):
        contract_service.create_contract(
            fresh(cast.consultant),
            ContractEntry(
                title="Denrées",
                nature="fournitures",
                procedure="mapa",
                holder_name="Val",
                initial_amount_ht=Decimal(1),
                notified_on=datetime.date(2026, 1, 5),
            ),
            operation_access=access_of(cast.consultant, operation),
        )

    # Validated again on the new figures: nothing stale, nothing waiting.
    validated_procedure(cast, operation)
    assert Consultation.objects.get(operation=operation).stale_changes == []
    assert dashboard(cast.mo) == []


def test_a_change_that_comes_back_to_the_validated_figures_is_no_longer_stale(
    cast: Cast, operation: Operation
) -> None:
    validated_procedure(cast, operation)
    raise_lot(cast, operation, "90000.00")
    raise_lot(cast, operation, "41000.00")
    assert Consultation.objects.get(operation=operation).stale_changes == []


def test_criteria_changed_after_their_validation_are_to_validate_again(cast: Cast) -> None:
    operation = award_operation(cast)
    DceSettings.objects.create(operation=operation, data={})
    assert "Critères de jugement à valider" in dashboard(cast.mo)
    amo = access_of(cast.consultant, operation)
    with pytest.raises(Exception, match="maître d'ouvrage"):
        criteria_service.validate_criteria_set(amo, fresh(cast.consultant))
    criteria_service.validate_criteria_set(access_of(cast.mo, operation), fresh(cast.mo))
    assert not [d for d in dashboard(cast.mo) if d.startswith("Critères")]

    changed = [dict(c) for c in CRITERIA]
    changed[0]["weight"], changed[2]["weight"] = "50", "10"
    criteria_service.save_criteria(
        amo, fresh(cast.consultant), criteria_service.validate_criteria(typed(changed)), None
    )

    stale = CriteriaSet.objects.get(operation=operation).stale_changes
    assert stale[0]["what"] == "Critères"
    assert stale[0]["after"].startswith("Prix (50 %)")
    assert any(
        d.startswith("Critères de jugement à revalider — Critères :") for d in dashboard(cast.mo)
    )
    page = text(client_for(cast.consultant).get(reverse("award:criteria", args=[operation.pk])))
    assert "Critères de jugement à revalider" in page
    lot = Lot.objects.filter(operation=operation).first()
    with pytest.raises(OpenAMOError, match="avant de lancer l'analyse des offres"):
        ranking_service.analyse(
            scope(cast.consultant, operation, lot),
            fresh(cast.consultant),
            RankingSettings(),
        )
    with pytest.raises(OpenAMOError, match="À revalider : les critères de jugement"):
        document_service.dce_archive(amo, fresh(cast.consultant))

    criteria_service.validate_criteria_set(access_of(cast.mo, operation), fresh(cast.mo))
    assert CriteriaSet.objects.get(operation=operation).stale_changes == []


def test_a_validated_ranking_goes_stale_when_the_estimate_changes_and_blocks_the_contract(
    cast: Cast,
) -> None:
    operation = award_operation(cast)
    lot = Lot.objects.filter(operation=operation).order_by("number").first()
    assert lot is not None
    three_offers(cast, operation, lot)
    ranking_service.analyse(
        scope(cast.consultant, operation, lot),
        fresh(cast.consultant),
        RankingSettings(),
    )
    ranking_service.validate(scope(cast.mo, operation, lot), fresh(cast.mo))

    services.update_lot(
        access_of(cast.consultant, operation),
        fresh(cast.consultant),
        lot,
        LotChanges(estimated_amount_ht=Decimal("65000.00")),
    )

    analysis = LotAnalysis.objects.get(operation=operation, lot=lot)
    assert analysis.stale_changes == [
        {
            "what": "Estimation HT",
            "before": "62\u202f000,00\u00a0€",
            "after": "65\u202f000,00\u00a0€",
        }
    ]
    assert any(
        d.startswith("Classement des offres à revalider — Lot 1") for d in dashboard(cast.mo)
    )
    url = reverse("award:analysis", args=[operation.pk, lot.pk])
    assert "Classement des offres à revalider" in text(client_for(cast.mo).get(url))
    with pytest.raises(OpenAMOError, match="avant de créer le marché"):
        contract_service.create_contract(
            fresh(cast.consultant),
            ContractEntry(
                title="Bio",
                nature="fournitures",
                procedure="mapa",
                holder_name="Maraîchers",
                initial_amount_ht=Decimal(1),
                notified_on=datetime.date(2026, 1, 5),
                lot=lot,
            ),
            operation_access=access_of(cast.consultant, operation),
        )
    with pytest.raises(OpenAMOError, match="avant de produire le rapport d'analyse"):
        document_service.analysis_report(scope(cast.mo, operation, lot), fresh(cast.mo), ".docx")

    # Reopened, analysed again and validated: the ranking holds again.
    ranking_service.reopen(scope(cast.mo, operation, lot), fresh(cast.mo))
    ranking_service.analyse(
        scope(cast.consultant, operation, lot),
        fresh(cast.consultant),
        RankingSettings(),
    )
    ranking_service.validate(scope(cast.mo, operation, lot), fresh(cast.mo))
    assert LotAnalysis.objects.get(operation=operation, lot=lot).stale_changes == []


@pytest.fixture
def it_project(cast: Cast) -> Operation:
    return make_operation(cast, kind=OperationKind.INFORMATIQUE)


def test_a_framing_changed_after_the_baseline_was_validated_makes_it_stale(
    cast: Cast, it_project: Operation
) -> None:
    steered(cast, it_project)
    answers = framing_answers()
    answers["budget"] = {**answers["budget"], "maximum_ht": "55000.00"}
    framing_service.save_framing(
        access_of(cast.consultant, it_project),
        fresh(cast.consultant),
        FramingAnswers.model_validate(answers),
    )

    baseline = Baseline.objects.get(operation=it_project)
    budget = next(c for c in baseline.stale_changes if c["what"] == "Budget de référence HT")
    assert budget["after"] == "55\u202f000,00\u00a0€"
    assert any(d.startswith("Base de référence à revalider — ") for d in dashboard(cast.mo))
    page = text(client_for(cast.mo).get(reverse("steering:baseline", args=[it_project.pk])))
    assert "Base de référence à revalider" in page
    with pytest.raises(OpenAMOError, match="avant de produire le rapport du comité de pilotage"):
        report_service.steering_document(access_of(cast.mo, it_project), fresh(cast.mo), "pdf")

    framing_service.produce_baseline(access_of(cast.consultant, it_project), fresh(cast.consultant))
    framing_service.validate_baseline(access_of(cast.mo, it_project), fresh(cast.mo))
    assert Baseline.objects.get(operation=it_project).stale_changes == []
    assert not [d for d in dashboard(cast.mo) if d.startswith("Base de référence")]
