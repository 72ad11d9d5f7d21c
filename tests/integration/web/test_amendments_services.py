"""The amendment services: the domain's verdict stored as it is, cumulative effects of the
recorded amendments, the avenant's life through the domain's state machine, the audit trail."""

from __future__ import annotations

import datetime
import io
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from docx import Document

from openamo.amendments import Action as Step
from openamo.amendments import check_amendment_from_dict
from openamo.documents.avenant import make_avenant
from openamo.documents.layout import MISSING_STYLE
from openamo.documents.signatory import signature
from openamo.errors import OpenAMOError
from openamo.web.amendments import mappers, services
from openamo.web.amendments.mappers import Proposal
from openamo.web.amendments.models import Amendment, AmendmentEvent
from openamo.web.amendments.services import actor_label
from openamo.web.audit.models import Action, AuditEvent
from openamo.web.contracts.access import contract_access
from openamo.web.contracts.models import Contract
from openamo.web.operations.access import PermissionRefused
from openamo.web.operations.models import Operation
from tests.integration.web._amendments import (
    Holders,
    act,
    answers,
    make_contract,
    propose,
)
from tests.integration.web.conftest import Cast, client_for, fresh, text


@pytest.fixture
def contract(cast: Cast, holders: Holders, operation: Operation) -> Contract:
    return make_contract(cast, holders, operation)


@pytest.mark.parametrize(
    ("contract_fields", "changes"),
    [
        ({}, {}),
        (
            {"nature": "travaux", "initial_amount_ht": Decimal("1250000.00")},
            {"amount_ht": "170000.00"},
        ),
        (
            {"procedure": "formalisee", "initial_amount_ht": Decimal("2400000.00")},
            {"kind": "prestations_supplementaires", "amount_ht": "180000.00", "separable": False},
        ),
        (
            {"nature": "travaux", "initial_amount_ht": Decimal("1250000.00")},
            {"kind": "circonstances_imprevues", "amount_ht": "85400.00", "foreseeable": False},
        ),
        ({"nature": "services"}, {"kind": "clause_reexamen", "price_only": True}),
    ],
)
def test_the_stored_verdict_is_exactly_the_domain_s(
    cast: Cast, holders: Holders, contract_fields: dict[str, Any], changes: dict[str, Any]
) -> None:
    contract = make_contract(cast, holders, **contract_fields)
    amendment = propose(cast, contract, **changes)
    expected = check_amendment_from_dict(amendment.check_input).model_dump(mode="json")
    assert amendment.check_result == expected
    assert amendment.verdict == expected["verdict"] == "autorisee"
    assert amendment.basis == expected["basis"]
    assert amendment.modification_percent == Decimal(expected["modification_percent"])
    assert amendment.cumulative_percent == Decimal(expected["cumulative_percent"])
    assert amendment.new_amount_ht == Decimal(expected["new_amount_ht"])
    assert amendment.cao_opinion_required is expected["cao_opinion_required"]
    assert amendment.modification_notice_required is expected["modification_notice_required"]
    assert amendment.check_input["contract"]["initial_amount_ht"] == format(
        contract.initial_amount_ht, "f"
    )


def conclude(cast: Cast, holders: Holders, amendment: Amendment) -> None:
    """Report, then both signatures: the avenant is concluded (stage « signé »)."""
    act(cast.consultant, amendment, Step.REDIGER_RAPPORT, "Motifs.")
    act(holders.signer, amendment, Step.SIGNER)
    act(cast.mo, amendment, Step.SIGNER)


def test_signed_amendments_only_are_the_previous_modifications_of_the_next_check(
    cast: Cast, holders: Holders, contract: Contract
) -> None:
    first = propose(cast, contract, amount_ht="3100.00")
    draft = propose(cast, contract, amount_ht="2480.00", object="Livraison du multi-accueil")
    assert (first.number, draft.number) == (1, 2)
    # A project still in preparation is not a modification of the contract.
    assert draft.check_input["previous_modifications"] == []
    conclude(cast, holders, first)
    draft.refresh_from_db()
    assert [c["what"] for c in draft.stale_changes] == ["Modifications antérieures signées"]
    assert draft.stale_changes[0]["before"] == "aucune"
    act(cast.consultant, draft, Step.AJOUTER_ECHANGE, "Relance.")
    user = fresh(cast.consultant)
    access = contract_access(user, contract.pk)
    with pytest.raises(OpenAMOError, match="À revalider"):
        services.avenant_document(access, user, draft, "docx")
    second = services.update_draft(access, user, draft, Proposal.from_stored(draft.answers))
    assert second.stale_changes == []
    assert second.check_input["previous_modifications"] == [
        {
            "amount_ht": "3100.00",
            "basis": "R2194-8",
            "date": "2026-11-23",
            "object": "Ajout de fromages AOP biologiques au bordereau des prix",
        }
    ]
    assert second.previous_numbers == [1]
    assert second.cumulative_percent == Decimal("9.00")
    assert second.check_result["faible_montant_cumulative_percent"] == "9.00"


def test_a_low_value_amendment_that_crosses_10_percent_cumulated_is_refused_and_not_saved(
    cast: Cast, holders: Holders, contract: Contract
) -> None:
    conclude(cast, holders, propose(cast, contract, amount_ht="3100.00"))
    conclude(cast, holders, propose(cast, contract, amount_ht="2480.00"))
    with pytest.raises(OpenAMOError) as refused:
        propose(cast, contract, amount_ht="1000.00")
    assert refused.value.code == "modification_interdite"
    check = refused.value.extra["check"]
    assert check["verdict"] == "interdite"
    assert check["new_procedure_required"] is True
    assert check["faible_montant_cumulative_percent"] == "10.61"
    assert Amendment.objects.filter(contract=contract).count() == 2


def test_an_abandoned_project_gives_its_number_back(cast: Cast, contract: Contract) -> None:
    first = propose(cast, contract, amount_ht="3100.00")
    act(cast.mo, first, Step.ABANDONNER, "Remplacé par une commande sur le bordereau.")
    second = propose(cast, contract, amount_ht="2000.00")
    assert second.number == 1
    assert second.check_input["previous_modifications"] == []
    assert second.cumulative_percent == Decimal("3.23")


def test_an_amendment_of_a_cao_contract_goes_through_every_stage_with_its_audit_trail(
    cast: Cast, holders: Holders, operation: Operation
) -> None:
    contract = make_contract(
        cast,
        holders,
        operation,
        procedure="formalisee",
        nature="travaux",
        # Above the EU works threshold (5 404 000 € in 2026): attributed by the CAO (L1414-2).
        initial_amount_ht=Decimal("6000000.00"),
    )
    amendment = propose(
        cast, contract, kind="circonstances_imprevues", amount_ht="385400.00", foreseeable=False
    )
    assert amendment.cao_opinion_required and amendment.modification_notice_required
    act(cast.consultant, amendment, Step.REDIGER_RAPPORT, "Amiante découverte sous les sols.")
    act(cast.consultant, amendment, Step.RECUEILLIR_AVIS_CAO, date="2026-11-20", avis="favorable")
    act(holders.signer, amendment, Step.SIGNER)
    act(cast.mo, amendment, Step.SIGNER)
    act(cast.mo, amendment, Step.NOTIFIER, date="2026-11-24")
    act(cast.consultant, amendment, Step.PUBLIER, decp="2026-11-25", avis_modification="2026-11-25")
    amendment.refresh_from_db()
    assert amendment.stage == "publie"
    assert sorted(amendment.signed_by) == ["acheteur", "titulaire"]
    events = AmendmentEvent.objects.filter(amendment=amendment).order_by("at", "pk")
    assert [(e.action, e.role, e.stage_after) for e in events] == [
        ("rediger_rapport", "amo", "rapport"),
        ("recueillir_avis_cao", "amo", "avis_cao"),
        ("signer", "titulaire", "signature"),
        ("signer", "acheteur", "signe"),
        ("notifier", "acheteur", "notifie"),
        ("publier", "amo", "publie"),
    ]
    audit = AuditEvent.objects.filter(contract=contract).order_by("created_at", "pk")
    assert [a.action for a in audit] == [
        Action.CREATE,
        Action.TRANSITION,
        Action.DECIDE,
        Action.DECIDE,
        Action.DECIDE,
        Action.TRANSITION,
        Action.TRANSITION,
    ]
    assert {a.operation_id for a in audit} == {operation.pk}
    before, after = audit[1].before or {}, audit[1].after or {}
    assert before["stage"] == "brouillon" and after["stage"] == "rapport"
    assert after["motifs ou message"] == "Amiante découverte sous les sols."
    assert (audit[2].after or {})["avis de la CAO"] == "favorable"


def test_signing_before_the_required_cao_opinion_is_refused_in_french(
    cast: Cast, holders: Holders, operation: Operation
) -> None:
    contract = make_contract(
        cast, holders, operation, procedure="formalisee", initial_amount_ht=Decimal("1000000.00")
    )
    amendment = propose(cast, contract, amount_ht="60000.00")
    assert amendment.cao_opinion_required
    act(cast.consultant, amendment, Step.REDIGER_RAPPORT, "Besoin accru de repas.")
    with pytest.raises(OpenAMOError, match="CGCT L1414-4"):
        act(cast.mo, amendment, Step.SIGNER)
    with pytest.raises(OpenAMOError, match="signé par les deux parties avant"):
        act(cast.mo, amendment, Step.NOTIFIER, date="2026-11-24")
    amendment.refresh_from_db()
    assert amendment.stage == "rapport"
    assert AmendmentEvent.objects.filter(amendment=amendment).count() == 1


def test_the_amo_can_neither_sign_nor_notify_nor_abandon(cast: Cast, contract: Contract) -> None:
    amendment = propose(cast, contract)
    act(cast.consultant, amendment, Step.REDIGER_RAPPORT, "Motifs.")
    for user in (cast.consultant, cast.internal_amo):
        for action in (Step.SIGNER, Step.NOTIFIER, Step.ABANDONNER):
            with pytest.raises(PermissionRefused):
                act(user, amendment, action, "x")


def test_a_revision_brings_the_draft_back_and_signatures_lapse(
    cast: Cast, holders: Holders, contract: Contract
) -> None:
    amendment = propose(cast, contract)
    act(cast.consultant, amendment, Step.REDIGER_RAPPORT, "Motifs.")
    act(holders.signer, amendment, Step.SIGNER)
    act(cast.mo, amendment, Step.REVISER_PROJET, "Le montant doit être revu.")
    amendment.refresh_from_db()
    assert (amendment.stage, amendment.signed_by) == ("brouillon", [])
    mo = fresh(cast.mo)
    services.update_draft(
        contract_access(mo, contract.pk), mo, amendment, answers(amount_ht="2900.00")
    )
    amendment.refresh_from_db()
    assert amendment.amount_ht == Decimal("2900.00")
    assert amendment.check_result["modification_percent"] == "4.68"
    update = AuditEvent.objects.filter(contract=contract, action=Action.UPDATE).get()
    assert (update.before or {})["amount_ht"] == "3100.00"
    assert (update.after or {})["amount_ht"] == "2900.00"


def test_only_a_draft_can_be_edited(cast: Cast, contract: Contract) -> None:
    amendment = propose(cast, contract)
    act(cast.consultant, amendment, Step.REDIGER_RAPPORT, "Motifs.")
    mo = fresh(cast.mo)
    with pytest.raises(OpenAMOError, match="révisez d'abord"):
        services.update_draft(contract_access(mo, contract.pk), mo, amendment, answers())


def test_the_holder_accepts_by_signing_or_refuses_with_its_reasons(
    cast: Cast, holders: Holders, contract: Contract
) -> None:
    Contract.objects.filter(pk=contract.pk).update(holder_address="12 rue des Halles\n35000 Rennes")
    contract.refresh_from_db()
    amendment = propose(cast, contract)
    act(cast.consultant, amendment, Step.REDIGER_RAPPORT, "Motifs.")
    signer = fresh(holders.signer)
    access = contract_access(signer, contract.pk)
    with pytest.raises(OpenAMOError, match="motifs du refus"):
        services.respond_as_holder(access, signer, amendment, accept=False, comment=" ")
    refusal = services.respond_as_holder(
        access, signer, amendment, accept=False, comment="Prix des fromages sous-estimés."
    )
    assert (refusal.action, refusal.details) == ("ajouter_echange", {"position": "refus"})
    decision = AuditEvent.objects.filter(contract=contract).latest("pk")
    assert decision.action == Action.DECIDE
    services.respond_as_holder(access, signer, amendment, accept=True, comment="")
    amendment.refresh_from_db()
    assert (amendment.stage, amendment.signed_by) == ("signature", ["titulaire"])
    for action in (Step.REDIGER_RAPPORT, Step.NOTIFIER, Step.PUBLIER, Step.REVISER_PROJET):
        with pytest.raises(PermissionRefused):
            act(holders.signer, amendment, action, "x")


def test_an_exchange_keeps_its_attachment_and_is_audited(cast: Cast, contract: Contract) -> None:
    amendment = propose(cast, contract)
    user = fresh(cast.consultant)
    upload = services.Upload("devis.pdf", "application/pdf", b"%PDF-1.7 devis")
    row = services.act(
        contract_access(user, contract.pk),
        user,
        amendment,
        Step.AJOUTER_ECHANGE,
        "Devis du titulaire.",
        upload=upload,
    )
    piece = row.attachments.get()
    assert (piece.filename, piece.size, bytes(piece.data)) == ("devis.pdf", 14, b"%PDF-1.7 devis")
    assert row.details == {"piece": "devis.pdf"}
    created = AuditEvent.objects.filter(contract=contract).latest("pk")
    assert (created.action, created.object_type) == (Action.CREATE, "amendmentevent")


def test_the_document_is_generated_and_audited(cast: Cast, contract: Contract) -> None:
    amendment = propose(cast, contract)
    user = fresh(cast.mo)
    content, name = services.avenant_document(
        contract_access(user, contract.pk), user, amendment, "docx"
    )
    assert content.startswith(b"PK")
    assert name == "Avenant n°1 - marché 2026-REST-01.docx"
    generated = AuditEvent.objects.filter(contract=contract, action=Action.GENERATE).get()
    assert generated.after == {"document": "Avenant n° 1 (DOCX)"}


def test_the_avenant_names_each_signatory_with_its_capacity_and_why_no_cao(
    cast: Cast, holders: Holders, contract: Contract
) -> None:
    Contract.objects.filter(pk=contract.pk).update(holder_address="12 rue des Halles\n35000 Rennes")
    contract.refresh_from_db()
    amendment = propose(cast, contract)
    act(cast.consultant, amendment, Step.REDIGER_RAPPORT, "Motifs.")
    signer = fresh(holders.signer)
    services.respond_as_holder(
        contract_access(signer, contract.pk), signer, amendment, True, "", capacity="Président"
    )
    act(cast.mo, amendment, Step.SIGNER, qualite="Maire")
    data = mappers.document_input(amendment, list(amendment.events.order_by("pk")))
    assert data.contractor.representative_title == "Président"
    assert data.buyer.representative_title == "Maire"
    user = fresh(cast.mo)
    content, _ = services.avenant_document(
        contract_access(user, contract.pk), user, amendment, "docx"
    )
    body = (
        " ".join(p.text for p in Document(io.BytesIO(content)).paragraphs if p.text.strip())
        .replace("\u202f", " ")
        .replace("\xa0", " ")
    )
    assert signature(actor_label(signer), "Président").inline in body and ", maire" in body
    assert (
        "Avis de la commission d'appel d'offres (CGCT L1414-4) : non requis — montant initial "
        "du marché" in body
    )
    assert "12 rue des Halles, 35000 Rennes" in body
    document = Document(io.BytesIO(content))
    highlighted = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == MISSING_STYLE
    ]
    assert highlighted == ["Adresse postale : à compléter"]  # no DCE settings: the buyer's
    data = mappers.document_input(amendment, list(amendment.events.order_by("pk")))
    with tempfile.TemporaryDirectory() as folder:
        result = make_avenant(data, Path(folder) / "avenant.docx")
    assert result.missing == [
        f"L'adresse postale de l'acheteur « {contract.organisation.name} » manque : l'avenant "
        "la signale en surligné « À compléter »."
    ]
    page = text(
        client_for(cast.mo).get(reverse("amendments:detail", args=[contract.pk, amendment.pk]))
    )
    assert "non requis</strong> — Montant initial du marché (62 000,00 € HT)" in page.replace(
        "\u202f", " "
    ).replace("\xa0", " ")


def test_a_reader_proposes_nothing(cast: Cast, contract: Contract) -> None:
    reader = fresh(cast.reader)
    with pytest.raises(PermissionRefused):
        services.propose(contract_access(reader, contract.pk), reader, answers())


def test_dates_outside_the_contract_are_refused_with_a_french_message(
    cast: Cast, contract: Contract
) -> None:
    with pytest.raises(OpenAMOError, match="précède la notification"):
        propose(cast, contract, modification_date=(datetime.date(2025, 12, 1)).isoformat())


def test_the_operation_history_reads_the_amendment_events_in_french(
    cast: Cast, holders: Holders, contract: Contract, operation: Operation
) -> None:
    amendment = propose(cast, contract)
    act(cast.consultant, amendment, Step.REDIGER_RAPPORT, "Commission des menus.")
    page = text(client_for(cast.mo).get(reverse("operations:history", args=[operation.pk])))
    assert "Avenant — Avenant n° 1" in page
    assert "Changement d'étape" in page
    assert "étape : Projet en cours de rédaction → Rapport de présentation rédigé" in page
    assert "motifs ou message : — → Commission des menus." in page
