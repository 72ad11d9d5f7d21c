"""The amendment pages: the live verdict, input kept on errors, the lifecycle forms, the
history chart against the legal limits, exchanges with attachments, documents read back."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from docx import Document

from openamo.amendments import Action as Step
from openamo.amendments import check_amendment_from_dict
from openamo.web.amendments.models import Amendment, Attachment
from openamo.web.audit.models import Action, AuditEvent
from openamo.web.contracts.access import contract_access
from openamo.web.contracts.models import Contract
from openamo.web.operations.models import Operation
from tests.integration.web._amendments import (
    Holders,
    act,
    form_data,
    make_contract,
    propose,
)
from tests.integration.web.conftest import Cast, client_for, fresh, text


@pytest.fixture
def contract(cast: Cast, holders: Holders, operation: Operation) -> Contract:
    return make_contract(cast, holders, operation)


def url(name: str, amendment: Amendment, *args: Any) -> str:
    return reverse(f"amendments:{name}", args=[amendment.contract_id, amendment.pk, *args])


def test_verify_shows_the_domain_s_verdict_and_saves_nothing(
    cast: Cast, contract: Contract
) -> None:
    response = client_for(cast.consultant).post(
        reverse("amendments:create", args=[contract.pk]), form_data(action="verifier")
    )
    assert response.status_code == 200
    page = text(response)
    assert "Modification autorisée au titre de l'article R2194-8" in page
    assert "65\u202f100,00\u00a0€ HT" in page
    assert (
        "Mise à jour des données essentielles du marché (CCP R2196-1), au plus tard le 23/01/2027"
        in page
    )
    assert 'value="Ajout de fromages AOP biologiques au bordereau des prix"' in page
    assert not Amendment.objects.exists()


def test_the_verdict_on_the_page_matches_the_domain_for_a_forbidden_modification(
    cast: Cast, holders: Holders
) -> None:
    contract = make_contract(
        cast, holders, nature="services", initial_amount_ht=Decimal("120000.00")
    )
    data = form_data(
        action="enregistrer",
        kind="prestations_supplementaires",
        amount_ht="30 000",
        separable="oui",
        object="Module de gestion des congés achetable séparément",
    )
    response = client_for(cast.internal_amo).post(
        reverse("amendments:create", args=[contract.pk]), data
    )
    assert response.status_code == 200
    page = text(response)
    assert "La modification n'est pas enregistrée" in page
    assert "Modification interdite" in page
    assert "mise en concurrence : <strong>obligatoire</strong>" in page
    assert "Pourquoi une nouvelle procédure est nécessaire" in page
    assert "séparables du marché initial" in page
    assert 'value="Module de gestion des congés achetable séparément"' in page
    assert not Amendment.objects.exists()


def test_bad_input_is_shown_next_to_the_field_and_the_answers_are_kept(
    cast: Cast, contract: Contract
) -> None:
    response = client_for(cast.mo).post(
        reverse("amendments:create", args=[contract.pk]),
        form_data(action="enregistrer", amount_ht="trois mille", clause_reference="CCAP 5.3"),
    )
    assert response.status_code == 200
    page = text(response)
    assert page.count("fr-input-group--error") == 1
    assert 'value="trois mille"' in page
    assert 'value="CCAP 5.3"' in page
    assert not Amendment.objects.exists()


def test_a_domain_refusal_of_the_date_is_shown_next_to_the_date(
    cast: Cast, contract: Contract
) -> None:
    response = client_for(cast.mo).post(
        reverse("amendments:create", args=[contract.pk]),
        form_data(action="verifier", modification_date="2025-12-01"),
    )
    page = text(response)
    assert response.status_code == 200
    assert "précède la notification du marché" in page
    assert 'id="id_modification_date"' in page
    assert page.count("fr-input-group--error") == 1


def test_citing_the_old_law_95_127_explains_that_cgct_l1414_4_replaced_it(
    cast: Cast, contract: Contract
) -> None:
    response = client_for(cast.consultant).post(
        reverse("amendments:create", args=[contract.pk]),
        form_data(
            action="verifier",
            cited_references="Article 8 de la loi n° 95-127 du 8 février 1995\nCCP R2194-8",
        ),
    )
    page = text(response)
    assert "abrogé le 1er avril 2016" in page
    assert "relève désormais de l'article L1414-4 du CGCT" in page


def test_the_price_drift_route_is_explained(cast: Cast, contract: Contract) -> None:
    response = client_for(cast.consultant).post(
        reverse("amendments:create", args=[contract.pk]),
        form_data(action="verifier", kind="clause_reexamen", price_only="on"),
    )
    page = text(response)
    assert "Variation des prix : application de la clause de variation des prix" in page


def test_saving_a_proposal_leads_to_its_page_with_the_stored_verdict(
    cast: Cast, contract: Contract
) -> None:
    client = client_for(cast.consultant)
    response = client.post(
        reverse("amendments:create", args=[contract.pk]),
        form_data(action="enregistrer", substantial_examined="on"),
    )
    amendment = Amendment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", amendment)
    assert amendment.answers["substantial_conditions"] == []
    page = text(client.get(response["Location"]))
    assert "Projet d'avenant n° 1 enregistré." in page
    assert "Étape 1 sur 5" in page
    assert "Rédiger le rapport de présentation" in page
    for reference in amendment.check_result["references"]:
        assert reference in page


def test_the_draft_form_is_prefilled_and_a_change_is_checked_again(
    cast: Cast, contract: Contract
) -> None:
    amendment = propose(cast, contract, separable=False, cited_references=["CCP R2194-8"])
    client = client_for(cast.mo)
    page = text(client.get(url("edit", amendment)))
    assert 'name="amount_ht" value="3\u202f100,00"' in page
    assert 'value="non" dsfr="dsfr" id="id_separable_2" checked' in page
    assert ">\nCCP R2194-8</textarea>" in page
    response = client.post(
        url("edit", amendment), form_data(action="enregistrer", amount_ht="4000")
    )
    assert response.status_code == 302
    amendment.refresh_from_db()
    assert amendment.modification_percent == Decimal("6.45")


def test_the_list_shows_history_and_a_chart_against_the_limits_that_apply(
    cast: Cast, holders: Holders, operation: Operation
) -> None:
    contract = make_contract(
        cast,
        holders,
        operation,
        nature="travaux",
        procedure="formalisee",
        initial_amount_ht=Decimal("1250000.00"),
    )
    first = propose(cast, contract, amount_ht="42000.00", object="Reprise des appuis de fenêtres")
    act(cast.consultant, first, Step.REDIGER_RAPPORT, "Appuis dégradés.")
    act(holders.signer, first, Step.SIGNER)
    act(cast.mo, first, Step.SIGNER)
    propose(
        cast,
        contract,
        kind="circonstances_imprevues",
        amount_ht="85400.00",
        foreseeable=False,
        object="Désamiantage des dalles",
    )
    page = text(client_for(cast.reader).get(reverse("amendments:list", args=[contract.pk])))
    assert "Reprise des appuis de fenêtres" in page and "Désamiantage des dalles" in page
    assert "Variation cumulée du marché face aux limites légales" in page
    assert "Limite des modifications de faible montant, travaux (R2194-8) : 15\u00a0%" in page
    # 1,25 M€ of works is below the EU threshold: not « soumis à la CAO » (CGCT L1414-2).
    assert "Avis préalable de la CAO (CGCT L1414-4)" not in page
    assert "Plafond de chaque modification R2194-2 / R2194-5 (R2194-3) : 50\u00a0%" in page
    assert "n° 2 (projet)" in page
    assert "1\u202f292\u202f000,00\u00a0€" in page  # the current amount counts signed avenants
    assert "1 avenant signé, 1 projet en cours" in page
    assert "Proposer un avenant" not in page  # a reader proposes nothing


def test_a_mapa_contract_shows_no_cao_limit(cast: Cast, contract: Contract) -> None:
    propose(cast, contract)
    page = text(client_for(cast.mo).get(reverse("amendments:list", args=[contract.pk])))
    assert "Limite des modifications de faible montant, fournitures et services (R2194-8)" in page
    assert "Avis préalable de la CAO (CGCT L1414-4) :" not in page
    assert "Plafond de chaque modification" not in page


def test_the_lifecycle_forms_record_each_step_and_refuse_out_of_order_steps(
    cast: Cast, holders: Holders, contract: Contract
) -> None:
    amendment = propose(cast, contract)
    amo, mo = client_for(cast.consultant), client_for(cast.mo)
    early = mo.get(url("step", amendment, "notifier"))
    assert early.status_code == 302
    assert "n'est pas possible" in text(mo.get(early["Location"]))
    refused = mo.post(url("step", amendment, "notifier"), {"date": "2026-11-24"})
    assert refused.status_code == 200
    assert "doit être signé par les deux parties" in text(refused)
    missing = amo.post(url("step", amendment, "rediger_rapport"), {"note": ""})
    assert missing.status_code == 200 and "fr-input-group--error" in text(missing)
    assert (
        amo.post(url("step", amendment, "rediger_rapport"), {"note": "Motifs."}).status_code == 302
    )
    assert (
        client_for(holders.signer)
        .post(
            url("respond", amendment),
            {"decision": "accepter", "qualite": "Président", "comment": "Bon pour accord."},
        )
        .status_code
        == 302
    )
    unsigned = mo.post(url("step", amendment, "signer"), {"note": ""})
    assert unsigned.status_code == 200 and "Qualité du signataire" in text(unsigned)
    assert (
        mo.post(url("step", amendment, "signer"), {"qualite": "Maire", "note": ""}).status_code
        == 302
    )
    assert mo.post(url("step", amendment, "notifier"), {"date": "2026-11-24"}).status_code == 302
    publish = amo.get(url("step", amendment, "publier"))
    assert "avis_modification" not in text(publish)  # not an R2194-2/-5 modification
    assert amo.post(url("step", amendment, "publier"), {"decp": "2026-11-26"}).status_code == 302
    amendment.refresh_from_db()
    assert amendment.stage == "publie"
    page = text(mo.get(url("detail", amendment)))
    assert "Acceptation et signature du titulaire" in page and "Bon pour accord." in page
    assert "Qualité du signataire : Président" in page and "Qualité du signataire : Maire" in page
    assert "Données essentielles publiées le : 26/11/2026" in page
    assert "Prochaines actions" not in page


def test_the_cao_opinion_is_recorded_with_its_date(
    cast: Cast, holders: Holders, operation: Operation
) -> None:
    contract = make_contract(
        cast, holders, operation, procedure="formalisee", initial_amount_ht=Decimal("1000000.00")
    )
    amendment = propose(cast, contract, amount_ht="60000.00")
    act(cast.consultant, amendment, Step.REDIGER_RAPPORT, "Motifs.")
    client = client_for(cast.consultant)
    invalid = client.post(url("step", amendment, "recueillir_avis_cao"), {"date": "2026-11-20"})
    assert invalid.status_code == 200 and "fr-fieldset--error" in text(invalid)
    response = client.post(
        url("step", amendment, "recueillir_avis_cao"), {"date": "2026-11-20", "avis": "defavorable"}
    )
    assert response.status_code == 302
    page = text(client.get(url("detail", amendment)))
    assert "Avis : défavorable" in page and "Date : 20/11/2026" in page


def test_the_holder_s_refusal_needs_a_reason_and_is_kept(
    cast: Cast, holders: Holders, contract: Contract
) -> None:
    amendment = propose(cast, contract)
    act(cast.consultant, amendment, Step.REDIGER_RAPPORT, "Motifs.")
    client = client_for(holders.signer)
    page = text(client.get(url("detail", amendment)))
    assert "Répondre au projet d'avenant" in page
    assert "Modifier le projet" not in page and "Rédiger le rapport" not in page
    empty = client.post(url("respond", amendment), {"decision": "refuser", "comment": ""})
    assert empty.status_code == 200 and "Indiquez les motifs du refus" in text(empty)
    client.post(url("respond", amendment), {"decision": "refuser", "comment": "Prix trop bas."})
    page = text(client_for(cast.mo).get(url("detail", amendment)))
    assert "Refus du titulaire" in page and "Prix trop bas." in page


def test_the_holder_s_reasoned_observations_stay_in_the_file_before_it_signs(
    cast: Cast, holders: Holders, contract: Contract
) -> None:
    amendment = propose(cast, contract)
    act(cast.consultant, amendment, Step.REDIGER_RAPPORT, "Motifs.")
    client = client_for(holders.signer)
    empty = client.post(url("respond", amendment), {"decision": "observer", "comment": " "})
    assert empty.status_code == 200 and "Indiquez vos observations et leurs motifs" in text(empty)
    reasons = "Le délai de livraison ne tient pas compte des deux semaines de fermeture d'août."
    response = client.post(url("respond", amendment), {"decision": "observer", "comment": reasons})
    assert response.status_code == 302
    page = text(client_for(cast.mo).get(url("detail", amendment)))
    assert "Observations du titulaire" in page and reasons in page
    # Observations do not answer for good: the holder may still sign.
    assert "Répondre au projet d'avenant" in text(client.get(url("detail", amendment)))
    unsigned = client.post(url("respond", amendment), {"decision": "accepter", "comment": ""})
    assert unsigned.status_code == 200 and "Indiquez votre qualité" in text(unsigned)
    signed = client.post(
        url("respond", amendment), {"decision": "accepter", "qualite": "Gérant", "comment": ""}
    )
    assert signed.status_code == 302
    page = text(client_for(cast.mo).get(url("detail", amendment)))
    assert "Acceptation et signature du titulaire" in page and reasons in page


def test_an_exchange_accepts_a_pdf_and_refuses_other_files(cast: Cast, contract: Contract) -> None:
    amendment = propose(cast, contract)
    client = client_for(cast.consultant)
    bad = SimpleUploadedFile("outil.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post(url("exchange", amendment), {"note": "Voir pièce", "piece": bad})
    assert response.status_code == 200 and "Type de fichier non accepté" in text(response)
    assert "Voir pièce" in text(response)
    fake = SimpleUploadedFile("devis.pdf", b"<html>", content_type="application/pdf")
    response = client.post(url("exchange", amendment), {"piece": fake})
    assert "ne correspond pas à son extension" in text(response)
    big = SimpleUploadedFile("gros.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024))
    assert "dépasse 5 Mo" in text(client.post(url("exchange", amendment), {"piece": big}))
    assert "Écrivez un message" in text(client.post(url("exchange", amendment), {"note": " "}))
    good = SimpleUploadedFile("devis fromager.pdf", b"%PDF-1.7 devis", content_type="text/plain")
    response = client.post(url("exchange", amendment), {"note": "Devis joint.", "piece": good})
    assert response.status_code == 302
    piece = Attachment.objects.get()
    assert piece.content_type == "application/pdf"
    page = text(client.get(url("detail", amendment)))
    assert "devis fromager.pdf (1 ko)" in page
    download = client_for(cast.reader).get(url("attachment", amendment, piece.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download.content == b"%PDF-1.7 devis"


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_the_avenant_downloads_as_docx_and_pdf_with_its_content(
    cast: Cast, holders: Holders, contract: Contract, tmp_path: Path
) -> None:
    first = propose(cast, contract)
    act(cast.consultant, first, Step.REDIGER_RAPPORT, "Motifs.")
    act(holders.signer, first, Step.SIGNER)
    act(cast.mo, first, Step.SIGNER)
    second = propose(cast, contract, amount_ht="2480.00", object="Livraison du multi-accueil")
    client = client_for(holders.clerk)
    response = client.post(url("document", second, "docx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert (
        "Avenant%20n%C2%B02%20-%20march%C3%A9%202026-REST-01.docx"
        in response["Content-Disposition"]
    )
    content = docx_text(response.content)
    for expected in (
        "Avenant n° 2 au marché n° 2026-REST-01",
        "Commune de Saint-Exemple",
        "Restauration du Val SAS",
        "Livraison du multi-accueil",
        "Ajout de fromages AOP biologiques au bordereau des prix",
        "R2194-8",
        "2\u202f480,00\u00a0€",
    ):
        assert expected in content, expected
    pdf = client.post(url("document", second, "pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        (tmp_path / "a.pdf").write_bytes(pdf.content)
        read = subprocess.run(
            ["pdftotext", str(tmp_path / "a.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Livraison du multi-accueil" in read
    assert AuditEvent.objects.filter(action=Action.GENERATE, contract=contract).count() == 2
    assert client.post(url("document", second, "odt")).status_code == 404
    assert client.get(url("document", second, "docx")).status_code == 405


def test_a_document_the_domain_refuses_is_a_french_message(
    cast: Cast, holders: Holders, operation: Operation
) -> None:
    contract = make_contract(cast, holders, operation, holder_siret="12345678901234")
    amendment = propose(cast, contract)
    client = client_for(cast.mo)
    response = client.post(url("document", amendment, "docx"))
    assert response.status_code == 302
    assert "SIRET invalide" in text(client.get(response["Location"]))


def test_the_contract_section_summarises_the_amendments(
    cast: Cast, holders: Holders, contract: Contract
) -> None:
    amendment = propose(cast, contract)
    act(cast.consultant, amendment, Step.REDIGER_RAPPORT, "Motifs.")
    act(holders.signer, amendment, Step.SIGNER)
    act(cast.mo, amendment, Step.SIGNER)
    propose(cast, contract, amount_ht="1000.00")
    for user, can_propose in ((cast.mo, True), (holders.signer, False)):
        access = contract_access(fresh(user), contract.pk)
        html = render_to_string(
            "amendments/_contract_section.html", {"contract": contract, "access": access}
        )
        assert '<h2 id="avenants">Avenants</h2>' in html
        assert "1 avenant signé, 1 projet en cours" in html
        assert "65\u202f100,00\u00a0€" in html and "5,00\u00a0%" in html
        assert reverse("amendments:list", args=[contract.pk]) in html
        assert (reverse("amendments:create", args=[contract.pk]) in html) is can_propose


def test_the_overview_lists_what_awaits_the_holder(
    cast: Cast, holders: Holders, contract: Contract
) -> None:
    amendment = propose(cast, contract)
    act(cast.consultant, amendment, Step.REDIGER_RAPPORT, "Motifs.")
    page = text(client_for(holders.signer).get(reverse("amendments:overview")))
    assert "Votre réponse est attendue" in page
    assert amendment.object in page
    assert "Votre réponse est attendue" not in text(
        client_for(holders.clerk).get(reverse("amendments:overview"))
    )
    assert amendment.object not in text(
        client_for(holders.other_signer).get(reverse("amendments:overview"))
    )


def test_the_stored_result_is_what_the_domain_says_today(cast: Cast, contract: Contract) -> None:
    amendment = propose(cast, contract)
    fresh_result = check_amendment_from_dict(amendment.check_input).model_dump(mode="json")
    assert fresh_result == amendment.check_result


def test_a_contract_the_domain_cannot_check_is_explained_without_a_traceback(
    cast: Cast, holders: Holders
) -> None:
    contract = make_contract(cast, holders, notified_on=datetime.date(2014, 6, 2))
    client = client_for(cast.mo)
    response = client.post(
        reverse("amendments:create", args=[contract.pk]),
        form_data(action="verifier", modification_date="2015-06-01"),
    )
    assert response.status_code == 200
    assert "Code des marchés publics de 2006" in text(response)
    listing = client.get(reverse("amendments:list", args=[contract.pk]))
    assert listing.status_code == 200


def test_the_avenant_takes_the_buyers_address_and_commune_from_the_dce_settings(
    cast: Cast, holders: Holders, contract: Contract
) -> None:
    from openamo.web.award.models import DceSettings

    assert contract.operation is not None
    DceSettings.objects.create(
        operation=contract.operation,
        data={"buyer_address": "1 place de la Mairie\n35000 Saint-Exemple"},
    )
    amendment = propose(cast, contract)
    content = " ".join(
        docx_text(
            client_for(holders.clerk).post(url("document", amendment, "docx")).content
        ).split()
    )
    assert "1 place de la Mairie, 35000 Saint-Exemple" in content
    assert "Fait à Saint-Exemple, le" in content
