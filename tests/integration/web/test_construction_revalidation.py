"""The approval of a MOE phase goes stale when the envelope or the programme it was made on
changes: « à revalider » with what changed, on the dashboard of the buyer's maître d'ouvrage,
and deciding a later phase or notifying a general final account waits until it is approved
again (issue 16.1)."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from openamo.construction.enums import PhaseDecision, ReceptionDecision, WorkKind
from openamo.errors import OpenAMOError
from openamo.web.construction import services
from openamo.web.construction.models import PhaseReview
from openamo.web.construction.requests import (
    EnvelopeDecision,
    FinalAccountDates,
    PhaseProposal,
    PhaseVerdict,
    ProgrammeRequest,
)
from openamo.web.decisions import pending_decisions
from openamo.web.operations.access import operation_access
from openamo.web.revalidation import euros
from openamo.web.users import AuthenticatedUser
from tests.integration.web.conftest import Cast, client_for, fresh, text
from tests.integration.web.construction_data import PROGRAMME, Canteen, canteen

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2027, 3, 15, 10, tzinfo=datetime.UTC)
APS = "Avant-projet sommaire (APS)"
APD = "Avant-projet définitif (APD)"


def as_mo(cast: Cast, site: Canteen) -> tuple[Any, Any]:
    mo = fresh(cast.mo)
    return operation_access(mo, site.operation.pk), mo


def hand_in(cast: Cast, site: Canteen, phase: str, submitted: datetime.date, amount: str) -> None:
    consultant = fresh(cast.consultant)
    services.propose_phase(
        operation_access(consultant, site.operation.pk), consultant, site.project,
        site.phase(phase), PhaseProposal(submitted_on=submitted, estimate_ht=Decimal(amount)),
    )  # fmt: skip


def decide(
    cast: Cast, site: Canteen, phase: str, on: datetime.date, decision: str = "approuvee"
) -> None:
    access, mo = as_mo(cast, site)
    services.decide_phase(access, mo, site.project, site.phase(phase),
                          PhaseVerdict(PhaseDecision(decision), on))  # fmt: skip


def approved_aps(cast: Cast) -> Canteen:
    site = canteen(cast)
    hand_in(cast, site, "aps", datetime.date(2026, 12, 20), "2300000.00")
    decide(cast, site, "aps", datetime.date(2027, 1, 5))
    return site


def raise_envelope(cast: Cast, site: Canteen, amount: str = "2550000.00") -> None:
    access, mo = as_mo(cast, site)
    services.set_envelope(access, mo, site.project, EnvelopeDecision(
        datetime.date(2027, 2, 1), Decimal(amount),
        reason="Salle périscolaire ajoutée", decided_by_label="Conseil municipal"))  # fmt: skip


def dashboard(user: AuthenticatedUser) -> list[str]:
    return [d.what for d in pending_decisions(fresh(user))]


@time_machine.travel(TODAY, tick=False)
def test_an_envelope_change_makes_the_approval_stale_and_blocks_the_next_phase(cast: Cast) -> None:
    site = approved_aps(cast)
    assert site.phase("aps").stale_changes == []
    assert not [what for what in dashboard(cast.mo) if "revalider" in what]

    raise_envelope(cast, site)

    change = {
        "what": "Part travaux de l'enveloppe HT",
        "before": euros("2400000.00"),
        "after": euros("2550000.00"),
    }
    assert site.phase("aps").stale_changes == [change]
    assert dashboard(cast.mo) == [
        f"{APS} : approbation à revalider — Part travaux de l'enveloppe HT : "
        f"{euros('2400000.00')} → {euros('2550000.00')}"
    ]
    assert dashboard(cast.consultant) == []  # the AMO advises, the maître d'ouvrage decides

    hand_in(cast, site, "apd", datetime.date(2027, 3, 1), "2500000.00")
    assert f"{APD} remise le 01/03/2027 : à décider" in dashboard(cast.mo)
    with pytest.raises(OpenAMOError) as refused:
        decide(cast, site, "apd", datetime.date(2027, 3, 10))
    assert refused.value.message.startswith(
        f"À revalider : l'approbation de la phase « {APS} » (Part travaux de l'enveloppe HT : "
    )
    assert f"avant de décider de la phase « {APD} »" in refused.value.message
    assert site.phase("apd").decision == ""

    decide(cast, site, "aps", datetime.date(2027, 3, 12))  # approved again, on 2 550 000 €
    assert site.phase("aps").stale_changes == []
    assert site.phase("aps").decided_input["Part travaux de l'enveloppe HT"] == euros("2550000.00")
    decide(cast, site, "apd", datetime.date(2027, 3, 14))
    assert site.phase("apd").decision == "approuvee"


@time_machine.travel(TODAY, tick=False)
def test_a_programme_change_makes_the_approval_stale_and_undoing_it_clears_it(cast: Cast) -> None:
    site = approved_aps(cast)
    access, mo = as_mo(cast, site)
    bigger = PROGRAMME.model_copy(update={"objectives": ["Servir 450 repas par jour"]})
    services.save_programme(
        access, mo, site.project, ProgrammeRequest(WorkKind.BATIMENT_NEUF, bigger)
    )
    assert site.phase("aps").stale_changes == [
        {
            "what": "Programme : objectifs",
            "before": "Servir 320 repas par jour",
            "after": "Servir 450 repas par jour",
        }
    ]
    services.save_programme(
        access, mo, site.project, ProgrammeRequest(WorkKind.BATIMENT_NEUF, PROGRAMME)
    )
    assert site.phase("aps").stale_changes == []


@time_machine.travel(TODAY, tick=False)
def test_only_the_approval_in_force_goes_stale(cast: Cast) -> None:
    site = approved_aps(cast)
    hand_in(cast, site, "apd", datetime.date(2027, 2, 20), "2350000.00")
    decide(cast, site, "apd", datetime.date(2027, 2, 25))

    raise_envelope(cast, site)

    assert site.phase("aps").stale_changes == []  # covered by the approval of the APD
    assert [c["what"] for c in site.phase("apd").stale_changes] == [
        "Part travaux de l'enveloppe HT"
    ]
    # An adjourned phase is no approval: nothing to revalidate on it.
    hand_in(cast, site, "pro", datetime.date(2027, 3, 1), "2400000.00")
    with pytest.raises(OpenAMOError, match="l'approbation de la phase « Avant-projet définitif"):
        decide(cast, site, "pro", datetime.date(2027, 3, 10), decision="ajournee")


@time_machine.travel(TODAY, tick=False)
def test_the_general_final_account_waits_for_the_approval(cast: Cast) -> None:
    site = approved_aps(cast)
    raise_envelope(cast, site)
    access, mo = as_mo(cast, site)
    dates = FinalAccountDates(datetime.date(2027, 7, 9), ReceptionDecision.AVEC_RESERVES,
                              final_draft_received_by_moe_on=datetime.date(2027, 8, 2),
                              final_draft_received_by_buyer_on=datetime.date(2027, 8, 3))  # fmt: skip
    services.save_final_account(access, mo, site.contract, dates)  # the dates before it: kept
    with pytest.raises(OpenAMOError, match="avant de notifier le décompte général de ce marché"):
        services.save_final_account(
            access,
            mo,
            site.contract,
            replace(dates, general_account_notified_on=datetime.date(2027, 8, 30)),
        )
    decide(cast, site, "aps", datetime.date(2027, 3, 12))
    account = services.save_final_account(
        access,
        mo,
        site.contract,
        replace(dates, general_account_notified_on=datetime.date(2027, 8, 30)),
    )
    assert account.general_account_notified_on == datetime.date(2027, 8, 30)


@time_machine.travel(TODAY, tick=False)
def test_the_pages_say_what_changed_and_refuse_the_next_decision_in_french(cast: Cast) -> None:
    site = approved_aps(cast)
    raise_envelope(cast, site)
    hand_in(cast, site, "apd", datetime.date(2027, 3, 1), "2500000.00")
    client = client_for(cast.mo)

    page = text(client.get(reverse("construction:dashboard", args=[site.operation.pk])))
    assert f"Approbation de la phase « {APS} » à revalider" in page
    assert f"Part travaux de l'enveloppe HT : {euros('2400000.00')} → " in page
    assert reverse("construction:phase_decide", args=[site.operation.pk, "aps"]) in page

    url = reverse("construction:phase_decide", args=[site.operation.pk, "apd"])
    response = client.post(url, {"decision": "approuvee", "decided_on": "10/03/2027"})
    assert response.status_code == 200
    assert f"À revalider : l'approbation de la phase « {APS} »" in text(response)
    assert PhaseReview.objects.get(project=site.project, phase="apd").decision == ""

    reader = text(
        client_for(cast.reader).get(reverse("construction:dashboard", args=[site.operation.pk]))
    )
    assert "à revalider" in reader
    assert reverse("construction:phase_decide", args=[site.operation.pk, "aps"]) not in reader
