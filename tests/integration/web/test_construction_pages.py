"""The construction pages as a user sees them: French, every figure from the domain, bad input
explained next to the field and kept."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from openamo.web.construction.models import EnvelopeChange, FinalAccount, Project
from openamo.web.operations.kinds import OperationKind
from tests.integration.web.conftest import Cast, client_for, make_operation, text
from tests.integration.web.construction_data import canteen

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2027, 3, 15, 10, tzinfo=datetime.UTC)


@time_machine.travel(TODAY, tick=False)
def test_opening_the_file_from_the_operation_page(cast: Cast) -> None:
    operation = make_operation(cast, kind=OperationKind.TRAVAUX)
    client = client_for(cast.mo)
    page = text(client.get(reverse("operations:detail", args=[operation.pk])))
    assert "Suivi des travaux" in page
    url = reverse("construction:start", args=[operation.pk])
    response = client.post(url, {"work_kind": "rehabilitation"})
    assert response.status_code == 302
    project = Project.objects.get(operation=operation)
    assert project.phases.filter(phase="diag").exists()


@time_machine.travel(TODAY, tick=False)
def test_the_dashboard_shows_envelope_phases_chart_and_contracts(cast: Cast) -> None:
    site = canteen(cast)
    page = text(
        client_for(cast.mo).get(reverse("construction:dashboard", args=[site.operation.pk]))
    )
    assert "2 400 000,00 € HT" in page.replace("\u202f", " ").replace("\u00a0", " ")
    assert "Estimation des travaux à chaque phase face à l'enveloppe" in page
    assert "Avant-projet définitif (APD)" in page
    assert "Lot 1 — gros œuvre" in page
    assert "Surface programmée" in page


@time_machine.travel(TODAY, tick=False)
def test_a_bad_space_line_is_explained_next_to_the_field_and_kept(cast: Cast) -> None:
    site = canteen(cast)
    url = reverse("construction:programme", args=[site.operation.pk])
    response = client_for(cast.mo).post(
        url,
        {
            "work_kind": "batiment_neuf",
            "objectives": "Servir 320 repas",
            "spaces": "Cuisine 180 mètres",
        },
    )
    page = text(response)
    assert response.status_code == 200
    assert "Ligne 1 illisible" in page
    assert "Cuisine 180 mètres" in page and "Servir 320 repas" in page


@time_machine.travel(TODAY, tick=False)
def test_an_envelope_change_without_reason_is_refused_in_french(cast: Cast) -> None:
    site = canteen(cast)
    url = reverse("construction:envelope", args=[site.operation.pk])
    response = client_for(cast.mo).post(url, {"date": "2026-12-14", "works_ht": "2 550 000,00"})
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in text(response)
    assert not EnvelopeChange.objects.exists()
    ok = client_for(cast.mo).post(
        url, {"date": "2026-12-14", "works_ht": "2 550 000,00", "reason": "Salle périscolaire"}
    )
    assert ok.status_code == 302
    assert EnvelopeChange.objects.get().works_ht == 2550000


@time_machine.travel(TODAY, tick=False)
def test_an_implausible_year_is_refused_next_to_the_field(cast: Cast) -> None:
    site = canteen(cast)
    url = reverse("construction:phase", args=[site.operation.pk, "aps"])
    response = client_for(cast.mo).post(
        url, {"submitted_on": "0206-12-20", "estimate_ht": "2300000"}
    )
    assert "Date invraisemblable" in text(response)


@time_machine.travel(datetime.datetime(2027, 8, 20, 10, tzinfo=datetime.UTC), tick=False)
def test_the_final_account_page_lists_every_deadline_and_its_consequence(cast: Cast) -> None:
    site = canteen(cast)
    url = reverse("construction:final_account", args=[site.operation.pk, site.contract.pk])
    client = client_for(cast.mo)
    future = text(client.post(url, {
        "reception_notified_on": "2027-07-09", "reception_decision": "avec_reserves",
        "general_account_notified_on": "2027-09-15",
    }))  # fmt: skip
    assert "2027-09-15" in future or "15/09/2027" in future  # input kept, date refused
    assert not FinalAccount.objects.filter(contract=site.contract).exists()
    response = client.post(url, {
        "reception_notified_on": "2027-07-09", "reception_decision": "avec_reserves",
        "final_draft_received_by_moe_on": "2027-08-02", "final_draft_received_by_buyer_on": "2027-08-03",
    })  # fmt: skip
    assert response.status_code == 302
    page = text(client.get(url))
    assert "02/09/2027" in page  # décompte général dû 30 jours après la dernière réception
    assert "DGD tacite" in page or "devient définitif" in page
    assert "CCAG-Travaux 2021" in page
    dashboard = text(client.get(reverse("construction:dashboard", args=[site.operation.pk])))
    assert "Décompte en cours d'établissement" in dashboard  # the contract's line, typed


@time_machine.travel(TODAY, tick=False)
def test_the_moe_consultation_says_a_contest_is_mandatory(cast: Cast) -> None:
    site = canteen(cast)
    client = client_for(cast.mo)
    url = reverse("construction:moe", args=[site.operation.pk])
    assert (
        client.post(
            url, {"moe_fee_estimate_ht": "310 000", "studies_estimate_ht": "18000"}
        ).status_code
        == 302
    )
    page = text(client.get(reverse("construction:dashboard", args=[site.operation.pk])))
    assert "Concours de maîtrise d'œuvre obligatoire" in page
    assert "14" in page and "400,00" in page


@time_machine.travel(TODAY, tick=False)
def test_the_history_shows_the_programme_as_labelled_lines_never_a_dict(cast: Cast) -> None:
    site = canteen(cast)
    client = client_for(cast.mo)
    url = reverse("construction:organisation", args=[site.operation.pk])
    client.post(url, {"in_house_skills": "partielles", "organisation_choice": ""})
    page = text(client.get(reverse("operations:history", args=[site.operation.pk])))
    assert "Objectifs : Servir 320 repas par jour" in page
    assert "Surfaces : Cuisine 180" in page
    assert "Compétences internes : partielles" in page
    assert "{'" not in page and "in_house_skills" not in page and "answers" not in page


@time_machine.travel(TODAY, tick=False)
def test_a_mandate_shows_what_may_be_entrusted_and_what_the_contract_must_state(
    cast: Cast,
) -> None:
    site = canteen(cast)
    client = client_for(cast.mo)
    url = reverse("construction:organisation", args=[site.operation.pk])
    answers = {
        "in_house_skills": "aucune",
        "wants_acts_in_its_name": "on",
        "organisation_choice": "",
    }
    assert client.post(url, answers).status_code == 302
    page = text(client.get(reverse("construction:dashboard", args=[site.operation.pk])))
    assert "Retenue : <strong>Mandat de maîtrise d'ouvrage" in page
    assert (
        "Ce que vous ne pouvez pas déléguer" in page
        and "Fixer l'enveloppe financière prévisionnelle" in page
    )
    assert "Ce que vous pouvez confier à un mandataire" in page
    assert "Réceptionner l'ouvrage" in page
    assert "prévoit à peine de nullité" in page and "La rémunération du mandataire" in page


@time_machine.travel(TODAY, tick=False)
def test_the_moe_rc_and_ccap_elements_follow_the_verdict(cast: Cast) -> None:
    import io

    from docx import Document

    site = canteen(cast)
    client = client_for(cast.mo)
    moe = reverse("construction:moe", args=[site.operation.pk])
    fee = {"moe_fee_estimate_ht": "320 000", "studies_estimate_ht": "40 000", "jury_members": "9"}
    assert client.post(moe, fee).status_code == 302
    response = client_for(cast.reader).post(
        reverse("construction:moe_document", args=[site.operation.pk])
    )
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    body = (
        "\n".join(p.text for p in document.paragraphs).replace("\u202f", " ").replace("\xa0", " ")
    )
    # A new building above the EU threshold: contest; prime at least 40 000 € less 20 %.
    assert "Procédure retenue : concours de maîtrise d'œuvre obligatoire." in body
    assert "32 000,00 €" in body and "96 000,00 €" in body  # three candidates by default
    assert "Avant-projet définitif (APD)" in body
    # The cap of the fee reduction bears on the mission elements after the works award only.
    assert "dans la limite de 15 % de la rémunération des éléments de mission postérieurs" in body
    assert "{{" not in body and "{%" not in body
