"""The works in execution on the construction operation: lots by trade, the orders of a works
contract with the holder's 15-day window for reserves, recorded by the AMO, answered by the
maître d'ouvrage, audited."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from openamo.web.audit.models import AuditEvent
from openamo.web.construction.models import OrderReserves, WorksPossession
from tests.integration.web.conftest import Cast, client_for, text
from tests.integration.web.construction_data import canteen

pytestmark = pytest.mark.django_db
DURING = datetime.datetime(2027, 10, 6, 10, tzinfo=datetime.UTC)


def _plain(page: str) -> str:
    return page.replace("\u202f", " ").replace("\u00a0", " ")


@time_machine.travel(DURING, tick=False)
def test_the_lots_page_lists_each_lot_with_its_contract_and_the_open_window(cast: Cast) -> None:
    site = canteen(cast)
    page = text(client_for(cast.mo).get(reverse("construction:works", args=[site.operation.pk])))
    assert "2027-T-01" in page and "Bâtiments du Val" in page
    assert "L2113-10" in page
    # Received on Wednesday 29/09/2027: 15 days end on Thursday 14/10/2027.
    assert "n° 1 : réserves possibles jusqu'au 14/10/2027" in page


@time_machine.travel(datetime.datetime(2027, 10, 25, 10, tzinfo=datetime.UTC), tick=False)
def test_reserves_recorded_late_are_flagged_foreclosed_then_answered(cast: Cast) -> None:
    site = canteen(cast)
    args = [site.operation.pk, site.contract.pk, site.order.pk]
    amo = client_for(cast.internal_amo)
    response = amo.post(
        reverse("construction:order_reserves", args=args),
        {"received_on": "2027-10-15", "text": "Le prix des micropieux n'est pas au bordereau."},
    )
    assert response.status_code == 302
    page = _plain(
        text(
            amo.get(
                reverse("construction:works_contract", args=[site.operation.pk, site.contract.pk])
            )
        )
    )
    assert "forclos" in page and "réserves tardives" in page
    assert "/reponse/" not in page  # the AMO records, it does not answer: no « Répondre » link
    mo = client_for(cast.mo)
    answer = reverse("construction:order_answer", args=args)
    bad = text(mo.post(answer, {"answered_on": "2027-10-01", "answer": "Rejet."}))
    assert "ne peut pas précéder les réserves" in bad
    assert "Rejet." in bad  # input kept
    assert (
        mo.post(answer, {"answered_on": "2027-10-20", "answer": "Rejet : forclusion."}).status_code
        == 302
    )
    reserves = OrderReserves.objects.get(service_order=site.order)
    assert reserves.answer == "Rejet : forclusion."
    assert AuditEvent.objects.filter(contract_id=site.contract.pk, action="decide").exists()
    again = amo.post(
        reverse("construction:order_reserves", args=args),
        {"received_on": "2027-10-15", "text": "Autre chose"},
    )
    assert "plus modifiables" in text(again)
    assert OrderReserves.objects.get(pk=reserves.pk).text.startswith("Le prix")


@time_machine.travel(DURING, tick=False)
def test_reserves_dated_in_the_future_are_refused_with_the_input_kept(cast: Cast) -> None:
    site = canteen(cast)
    args = [site.operation.pk, site.contract.pk, site.order.pk]
    page = text(
        client_for(cast.internal_amo).post(
            reverse("construction:order_reserves", args=args),
            {"received_on": "2027-10-15", "text": "Prix des micropieux"},
        )
    )
    assert "Prix des micropieux" in page
    assert not OrderReserves.objects.exists()


@time_machine.travel(DURING, tick=False)
def test_a_typo_in_the_date_is_explained_next_to_the_field(cast: Cast) -> None:
    site = canteen(cast)
    args = [site.operation.pk, site.contract.pk, site.order.pk]
    response = client_for(cast.mo).post(
        reverse("construction:order_reserves", args=args),
        {"received_on": "2207-10-15", "text": "x"},
    )
    assert response.status_code == 200
    assert "Date invraisemblable" in text(response)
    assert not OrderReserves.objects.exists()


@time_machine.travel(datetime.datetime(2027, 11, 25, 10, tzinfo=datetime.UTC), tick=False)
def test_a_statement_shows_the_domain_s_figures_and_is_ordered_by_the_mo(cast: Cast) -> None:
    site = canteen(cast)
    page_url = reverse("construction:works_contract", args=[site.operation.pk, site.contract.pk])
    page = _plain(text(client_for(cast.consultant).get(page_url)))
    # 80 500 € HT accepted (the holder asked 84 000 €): rectified; 96 600 € TTC less 5 %
    # retention (4 830 €) = 91 770 € TTC, due 30 days after the MOE received it, 28/11/2027.
    assert "rectifié" in page
    assert "4 830,00 €" in page and "91 770,00 €" in page and "28/11/2027" in page
    assert "Ordonner ou payer" not in page  # the AMO firm prepares, never orders a payment
    args = [site.operation.pk, site.contract.pk, site.statement.pk]
    mo = client_for(cast.mo)
    url = reverse("construction:statement_decide", args=args)
    bad = text(mo.post(url, {"decided_on": "2027-11-10", "paid_on": "2027-11-01"}))
    assert "ne peut précéder l'ordre de payer" in bad
    assert mo.post(url, {"decided_on": "2027-11-10", "paid_on": "2027-11-20"}).status_code == 302
    page = _plain(text(mo.get(page_url)))
    assert "payé dans le délai" in page


@time_machine.travel(datetime.datetime(2027, 11, 5, 10, tzinfo=datetime.UTC), tick=False)
def test_a_statement_for_an_earlier_month_is_refused_and_the_input_kept(cast: Cast) -> None:
    site = canteen(cast)
    url = reverse("construction:statement_create", args=[site.operation.pk, site.contract.pk])
    response = client_for(cast.internal_amo).post(
        url,
        {"month": "2027-09-30", "received_by_moe_on": "2027-10-01",
         "claimed_cumulative_ht": "12 000,00"},
    )  # fmt: skip
    page = text(response)
    assert response.status_code == 200
    assert "postérieur à celui de l'acompte précédent" in page
    assert "12 000,00" in page or "12000,00" in page or "12 000" in page


@time_machine.travel(datetime.datetime(2027, 12, 10, 10, tzinfo=datetime.UTC), tick=False)
def test_the_reception_shows_its_guarantees_and_both_documents_open(cast: Cast) -> None:
    import io

    from docx import Document

    site = canteen(cast)
    base = [site.operation.pk, site.contract.pk]
    reader = client_for(cast.reader)
    page = _plain(text(reader.get(reverse("construction:works_contract", args=base))))
    # Effect on 26/11/2027: parfait achèvement one year later, décennale ten years later.
    assert "26/11/2028" in page and "26/11/2037" in page
    assert "Joint de dilatation à reprendre" in page and "1 non levée" in page
    assert "Avenants en vigueur : <strong>0,00 € HT" in page
    assert "sous 15 % du montant initial" in page
    assert "R2194-8" in page
    assert "R2194-9" in page and "successives se cumulent" in page
    pv = reader.post(reverse("construction:reception_document", args=[*base, site.reception.pk]))
    assert pv.status_code == 200
    body = "\n".join(p.text for p in Document(io.BytesIO(pv.content)).paragraphs)
    tables = " ".join(
        c.text for t in Document(io.BytesIO(pv.content)).tables for r in t.rows for c in r.cells
    )
    assert "réception prononcée avec réserves" in body and "26/11/2028" in body
    assert "Joint de dilatation à reprendre" in tables and "31/01/2028" in tables
    os_doc = reader.post(reverse("construction:order_document", args=[*base, site.order.pk]))
    body = "\n".join(p.text for p in Document(io.BytesIO(os_doc.content)).paragraphs)
    assert "ORDRE DE SERVICE N° 1" in body
    assert "15 jours" in body and "14/10/2027" in body  # received 29/09/2027
    assert "{{" not in body


@time_machine.travel(datetime.datetime(2028, 2, 15, 10, tzinfo=datetime.UTC), tick=False)
def test_reserves_not_lifted_after_their_deadline_are_shown_late(cast: Cast) -> None:
    site = canteen(cast)
    url = reverse("construction:works_contract", args=[site.operation.pk, site.contract.pk])
    page = _plain(text(client_for(cast.mo).get(url)))
    assert "En retard depuis le 31/01/2028 : levée des réserves" in page


@time_machine.travel(datetime.datetime(2027, 11, 15, 10, tzinfo=datetime.UTC), tick=False)
def test_a_second_decision_on_a_statement_is_warned_and_keeps_its_input(cast: Cast) -> None:
    from openamo.web.forms import VERSION_FIELD, version_of

    site = canteen(cast)
    stale = version_of(site.statement)
    url = reverse(
        "construction:statement_decide",
        args=[site.operation.pk, site.contract.pk, site.statement.pk],
    )
    mo = client_for(cast.mo)
    assert mo.post(url, {"decided_on": "2027-11-10"}).status_code == 302
    response = mo.post(url, {"decided_on": "2027-11-12", VERSION_FIELD: stale})
    assert response.status_code == 200
    assert "2027-11-12" in text(response)
    site.statement.refresh_from_db()
    assert site.statement.decided_on == datetime.date(2027, 11, 10)


@time_machine.travel(DURING, tick=False)
def test_an_accepted_subcontractor_above_600_euros_is_paid_directly(cast: Cast) -> None:
    from openamo.web.contracts.access import contract_access
    from openamo.web.contracts.requests import SubcontractorEntry
    from openamo.web.contracts.services.subcontractors import save_subcontractor
    from tests.integration.web.conftest import fresh

    site = canteen(cast)
    mo = fresh(cast.mo)
    save_subcontractor(
        contract_access(mo, site.contract.pk),
        mo,
        SubcontractorEntry(
            name="Forages de l'Ouest",
            siret="41225873500012",
            services="Micropieux",
            amount_ht=Decimal("48000.00"),
            direct_payment=True,
            accepted_on=datetime.date(2027, 10, 1),
        ),
    )
    url = reverse("construction:works_contract", args=[site.operation.pk, site.contract.pk])
    page = _plain(text(client_for(cast.mo).get(url)))
    assert "Forages de l'Ouest" in page and "oui, par l'acheteur" in page
    assert "L2193-10" in page


@time_machine.travel(datetime.datetime(2027, 11, 5, 10, tzinfo=datetime.UTC), tick=False)
def test_a_guarantee_given_before_the_first_request_removes_the_retention(cast: Cast) -> None:
    site = canteen(cast)
    base = [site.operation.pk, site.contract.pk]
    url = reverse("construction:retention_guarantee", args=base)
    assert client_for(cast.reader).post(url, {}).status_code in {403, 404}
    amo = client_for(cast.internal_amo)
    future = text(amo.post(url, {"kind": "garantie_premiere_demande", "guarantor": "Banque du Val",
                                 "provided_on": "2027-12-01"}))  # fmt: skip
    assert "futur" in future or "postérieure à aujourd'hui" in future or "aujourd" in future
    assert "Banque du Val" in future  # input kept
    response = amo.post(
        url,
        {"kind": "garantie_premiere_demande", "guarantor": "Banque du Val",
         "provided_on": "2027-10-20"},
    )  # fmt: skip
    assert response.status_code == 302
    page = _plain(text(amo.get(reverse("construction:works_contract", args=base))))
    # Given on 20/10/2027, before the request received on 29/10/2027: no retention at all.
    assert "Garantie à première demande de <strong>Banque du Val</strong>" in page
    assert "96 600,00 €" in page and "4 830,00 €" not in page
    assert "R2191-36" in page
    assert AuditEvent.objects.filter(contract_id=site.contract.pk, action="create").exists()


@time_machine.travel(datetime.datetime(2027, 12, 10, 10, tzinfo=datetime.UTC), tick=False)
def test_the_completion_notice_starts_the_inspection_window(cast: Cast) -> None:
    site = canteen(cast)
    base = [site.operation.pk, site.contract.pk]
    url = reverse("construction:completion_notice", args=[*base, site.reception.pk])
    amo = client_for(cast.internal_amo)
    after = text(amo.post(url, {"notice_on": "2027-11-30"}))
    assert "précède les opérations préalables" in after
    # Notice on 01/10/2027, inspection on 26/11/2027: beyond the 20 days of art. 41.1.
    assert amo.post(url, {"notice_on": "2027-10-01"}).status_code == 302
    page = _plain(text(amo.get(reverse("construction:works_contract", args=base))))
    assert "Avis d'achèvement du titulaire reçu le 01/10/2027" in page
    assert "41.1" in page
    assert "21/10/2027" in page  # the inspection was due within 20 days of the notice


@time_machine.travel(datetime.datetime(2027, 11, 5, 10, tzinfo=datetime.UTC), tick=False)
def test_the_execution_page_states_the_ccag_delay_penalty(cast: Cast) -> None:
    site = canteen(cast)
    url = reverse("construction:works_contract", args=[site.operation.pk, site.contract.pk])
    page = _plain(text(client_for(cast.mo).get(url)))
    # 980 000 € HT / 3 000 = 326,67 € HT per calendar day.
    assert "Pénalités de retard" in page and "326,67 € HT par jour calendaire" in page
    assert "19.2.4" in page
    assert "Aucune pénalité de retard n'est constatée" in page


@time_machine.travel(datetime.datetime(2027, 12, 10, 10, tzinfo=datetime.UTC), tick=False)
def test_the_order_and_the_reception_report_also_come_as_pdf(cast: Cast) -> None:
    site = canteen(cast)
    base = [site.operation.pk, site.contract.pk]
    reader = client_for(cast.reader)
    page = text(reader.get(reverse("construction:works_contract", args=base)))
    assert "Procès-verbal de réception (PDF)" in page and "Ordre de service (PDF)" in page
    for name, extra in [
        ("reception_document", site.reception.pk),
        ("order_document", site.order.pk),
    ]:
        response = reader.post(
            reverse(f"construction:{name}", args=[*base, extra]), {"format": "pdf"}
        )
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert ".pdf" in response["Content-Disposition"]


@time_machine.travel(datetime.datetime(2027, 12, 10, 10, tzinfo=datetime.UTC), tick=False)
def test_the_dashboard_lists_the_unpaid_statement_and_the_final_account_s_next_step(
    cast: Cast,
) -> None:
    site = canteen(cast)
    mo = client_for(cast.mo)
    account = reverse("construction:final_account", args=[site.operation.pk, site.contract.pk])
    posted = mo.post(account, {"reception_notified_on": "2027-12-03",
                               "reception_decision": "avec_reserves"})  # fmt: skip
    assert posted.status_code == 302
    page = _plain(text(mo.get(reverse("operations:dashboard"))))
    # Received by the MOE on 29/10/2027: due within 30 days, on 28/11/2027, now late.
    assert "Acomptes de travaux à payer" in page
    assert "Acompte n° 1 (10/2027) : à payer au plus tard le 28/11/2027 — en retard" in page
    assert "Décomptes généraux de travaux" in page and "projet de décompte final" in page.lower()
    # Who acts, not « … au maître d'ouvrage (titulaire) », as if the buyer held the contract.
    assert "— à la charge du titulaire" in page and "(titulaire)" not in page


@time_machine.travel(DURING, tick=False)
def test_unanswered_reserves_wait_on_the_dashboard_of_the_maitre_d_ouvrage(cast: Cast) -> None:
    site = canteen(cast)
    args = [site.operation.pk, site.contract.pk, site.order.pk]
    amo = client_for(cast.internal_amo)
    recorded = amo.post(
        reverse("construction:order_reserves", args=args),
        {"received_on": "2027-10-05", "text": "Le prix des micropieux n'est pas au bordereau."},
    )
    assert recorded.status_code == 302
    mo = client_for(cast.mo)
    expected = (
        "Ordre de service n° 1 : réserves du titulaire reçues le 05/10/2027, réponse à notifier "
        "au plus tard le 20/10/2027"
    )
    page = _plain(text(mo.get(reverse("operations:dashboard"))))
    assert "Réserves sur les ordres de service" in page and expected in page
    assert reverse("construction:order_answer", args=args) in page
    # The AMO records the reserves; the maître d'ouvrage answers them: only hers to do.
    assert expected not in _plain(text(amo.get(reverse("operations:dashboard"))))
    execution = reverse("construction:works_contract", args=args[:2])
    assert "attendue au plus tard le 20/10/2027" in _plain(text(mo.get(execution)))
    answered = mo.post(
        reverse("construction:order_answer", args=args),
        {"answered_on": "2027-10-06", "answer": "Prix nouveau accepté."},
    )
    assert answered.status_code == 302
    assert "Réserves sur les ordres de service" not in text(mo.get(reverse("operations:dashboard")))


@time_machine.travel(datetime.datetime(2027, 10, 25, 10, tzinfo=datetime.UTC), tick=False)
def test_reserves_left_unanswered_past_15_days_are_shown_late(cast: Cast) -> None:
    site = canteen(cast)
    args = [site.operation.pk, site.contract.pk, site.order.pk]
    client_for(cast.internal_amo).post(
        reverse("construction:order_reserves", args=args),
        {"received_on": "2027-10-05", "text": "Ordre contraire au plan de prévention."},
    )
    page = _plain(text(client_for(cast.mo).get(reverse("operations:dashboard"))))
    assert "réponse à notifier au plus tard le 20/10/2027 — en retard" in page
    execution = reverse("construction:works_contract", args=args[:2])
    assert "sans réponse du maître d'ouvrage" in _plain(text(client_for(cast.mo).get(execution)))


@time_machine.travel(datetime.datetime(2027, 12, 10, 10, tzinfo=datetime.UTC), tick=False)
def test_an_early_possession_needs_an_emergency_and_its_survey_shows_on_the_page_and_pv(
    cast: Cast,
) -> None:
    import io

    from docx import Document

    site = canteen(cast)
    base = [site.operation.pk, site.contract.pk]
    url = reverse("construction:possession", args=[*base, site.reception.pk])
    mo = client_for(cast.mo)
    # Before the reception's effect (26/11/2027) without an emergency: refused, input kept.
    refused = _plain(text(mo.post(url, {"possession_on": "2027-11-20"})))
    assert "motif de l'urgence" in refused and "41.8" in refused
    assert 'value="20/11/2027"' in refused or "2027-11-20" in refused
    # A survey alone, or dated before the contract was notified (01/09/2027): refused.
    alone = text(mo.post(url, {"condition_survey_on": "2027-11-19"}))
    assert "fr-error-text" in alone and not WorksPossession.objects.exists()
    early = text(mo.post(url, {"possession_on": "2027-08-20", "urgency": "Rentrée"}))
    assert "ne peut précéder la notification du marché (01/09/2027)" in early
    # Possession on 20/11 in an emergency, survey the day after: recorded, flagged too late.
    assert (
        mo.post(
            url,
            {
                "possession_on": "2027-11-20",
                "condition_survey_on": "2027-11-21",
                "urgency": "Ouverture de la cantine à la rentrée de novembre",
            },
        ).status_code
        == 302
    )
    page = _plain(text(mo.get(reverse("construction:works_contract", args=base))))
    assert (
        "Prise de possession des ouvrages le 20/11/2027, <strong>avant la réception</strong>"
        in page
    )
    assert "Ouverture de la cantine" in page
    assert "État des lieux contradictoire dressé le 21/11/2027" in page
    assert "postérieur à la prise de possession du 20/11/2027" in page
    assert "Modifier la prise de possession" in page
    assert AuditEvent.objects.filter(contract_id=site.contract.pk, action="create").exists()
    pv = mo.post(reverse("construction:reception_document", args=[*base, site.reception.pk]))
    body = "\n".join(p.text for p in Document(io.BytesIO(pv.content)).paragraphs)
    assert "Prise de possession des ouvrages par le maître d'ouvrage le 20/11/2027" in body
    assert "état des lieux contradictoire dressé le 21/11/2027" in body
    assert "postérieur à la prise de possession" in body
    # After the reception, no emergency is needed.
    assert mo.post(url, {"possession_on": "2027-12-01"}).status_code == 302
    page = _plain(text(mo.get(reverse("construction:works_contract", args=base))))
    assert "Prise de possession des ouvrages le 01/12/2027." in page
    assert "avant la réception</strong>" not in page
    pdf = mo.post(
        reverse("construction:reception_document", args=[*base, site.reception.pk]),
        {"format": "pdf"},
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
