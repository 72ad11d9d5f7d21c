"""The passation demo: criteria, candidacies, offers with justified marks on two lots, lot 1
validated by Marie Dupont then re-estimated (her procedure choice and ranking « à revalider »),
lot 3 awaiting her decision, and a consultation file that the domain accepts; loading twice adds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from openamo.errors import OpenAMOError
from openamo.web import demo
from openamo.web.audit.models import AuditEvent
from openamo.web.award.decisions import pending
from openamo.web.award.models import AnalysisStatus, LotAnalysis, Offer
from openamo.web.award.queries import awarded
from openamo.web.award.services import documents as document_service
from openamo.web.award.services import reading
from openamo.web.operations import services as operation_services
from openamo.web.operations.access import operation_access
from openamo.web.operations.models import Consultation, Operation
from openamo.web.operations.requests import Circumstances
from openamo.web.revalidation import STALE_LABEL
from tests.integration.web.conftest import client_for, text


@pytest.fixture
def catering(db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Operation:
    from openamo.web.award import demo as award_demo

    monkeypatch.setattr(demo, "demo_loaders", lambda: [award_demo.load])
    demo.load_demo(tmp_path / "demo-credentials.json")
    return Operation.objects.get(title="Renouvellement de la restauration scolaire 2027")


def test_the_demo_tells_the_whole_passation_and_loads_once(
    catering: Operation, tmp_path: Path
) -> None:
    marie = get_user_model().objects.get(username="marie.dupont")
    assert Offer.objects.filter(operation=catering).count() == 6
    assert all(len(offer.siret) == 14 for offer in Offer.objects.all())
    statuses = dict(
        LotAnalysis.objects.filter(operation=catering).values_list("lot__number", "status")
    )
    assert statuses == {1: AnalysisStatus.VALIDEE, 3: AnalysisStatus.PROPOSEE}
    validated = LotAnalysis.objects.get(status=AnalysisStatus.VALIDEE)
    assert validated.validated_by == marie
    winners = awarded(catering.pk)
    assert [(w.lot_name, w.rank) for w in winners] == [
        ("Produits issus de l'agriculture biologique", 1)
    ]
    assert winners[0].bidder == "Restauration du Val SAS"
    assert winners[0].siret == "73282932000074"
    # Lot 3 to validate, lot 1's ranking to validate again (lot 1 re-estimated since).
    assert {d.subject for d in pending(marie)} == {catering.title}
    assert any(STALE_LABEL in d.what for d in pending(marie))
    checks = reading.review_criteria(
        reading.context_of(catering), reading.context_of(catering).criteria, None
    )
    assert checks.compliant
    assert not [c for c in checks.criteria_checks if c.level != "information"]
    # The procedure choice was made on lot 1's former estimate: no DCE until it is validated
    # again, which the maître d'ouvrage does after the AMO's new analysis.
    with pytest.raises(OpenAMOError, match="À revalider"):
        document_service.dce_archive(operation_access(marie, catering.pk), marie)
    consultation = Consultation.objects.get(operation=catering)
    amo = get_user_model().objects.get(username="alice.bernard")
    answers = Circumstances.from_stored(consultation.answers)
    assert answers is not None
    operation_services.analyse_procedure(operation_access(amo, catering.pk), amo, answers)
    operation_services.validate_procedure(operation_access(marie, catering.pk), marie)
    archive, summary = document_service.dce_archive(operation_access(marie, catering.pk), marie)
    assert archive.startswith(b"PK") and "RC.docx" in summary.files

    before = (AuditEvent.objects.count(), Offer.objects.count())
    demo.load_demo(tmp_path / "demo-credentials.json")
    assert (AuditEvent.objects.count(), Offer.objects.count()) == before


def test_the_demo_pages_render_for_the_maitre_d_ouvrage(catering: Operation) -> None:
    marie = get_user_model().objects.get(username="marie.dupont")
    client = client_for(marie)
    lot = LotAnalysis.objects.get(lot__number=3).lot
    assert lot is not None
    page = text(client.get(reverse("award:analysis", args=[catering.pk, lot.pk])))
    assert "Valider le classement" in page
    assert "Fraîch'Express SARL : demande de justification à adresser (CCP R2152-3)" in page
    page = text(client.get(reverse("award:dce_settings", args=[catering.pk])))
    assert "DCE prêt" in page
    # The demo's settings give the accountant and the delivery sites the pieces need.
    assert "comptable public assignataire manque" not in page
    assert "sites de livraison ou d'exécution manquent" not in page
    assert "description des prestations manque" not in page
    assert "condition d'exécution sociale ou relative à l'emploi est obligatoire" not in page
