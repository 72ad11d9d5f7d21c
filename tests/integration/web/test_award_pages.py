"""The passation pages: French errors next to the field with the input kept, the domain's
rules and verdicts shown, the comparison and its chart, and downloads that are real ZIP, DOCX
and PDF files read back."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from openamo import law
from openamo.documents.dce import MINIMUM_HOLDERS
from openamo.documents.layout import MISSING_STYLE
from openamo.procurement.enums import SocialConditionException
from openamo.web.audit.models import Action, AuditEvent
from openamo.web.award.models import AnalysisStatus, LotAnalysis, Offer
from openamo.web.award.requests import DceRequest
from openamo.web.award.services import documents as document_service
from openamo.web.award.services import reading
from openamo.web.operations.access import operation_access
from openamo.web.operations.models import Lot, Need, Operation
from tests.integration.web._award import (
    SIRETS,
    WHY,
    add_offer,
    amo_analysis,
    analysed_three_offers,
    award_operation,
    scope,
    three_offers,
)
from tests.integration.web.conftest import Cast, client_for, fresh, text


def criteria_post(rows: list[dict[str, str]], **extra: str) -> dict[str, str]:
    data = {"criteres-TOTAL_FORMS": str(len(rows)), "criteres-INITIAL_FORMS": "0", **extra}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"criteres-{index}-{key}"] = value
        data.setdefault(f"criteres-{index}-linked_to_object", "on")
    return data


ROWS = [
    {"name": "Prix", "kind": "prix", "weight": "40", "method": "lineaire"},
    {"name": "Valeur technique", "kind": "technique", "weight": "40", "max_score": "20"},
    {"name": "Performance environnementale", "kind": "environnement", "weight": "10"},
]


def error_after(page: str, field_id: str) -> str:
    """The DSFR error message shown right after the input ``field_id``."""
    start = page.index(f'id="{field_id}"')
    return page[start : start + 1500]


def test_weights_not_summing_to_100_show_a_french_error_next_to_the_weights(
    cast: Cast, award: Operation
) -> None:
    client = client_for(cast.consultant)
    url = reverse("award:criteria_edit", args=[award.pk])
    response = client.post(url, criteria_post(ROWS, action="enregistrer"))
    assert response.status_code == 200
    page = text(response)
    message = "La somme des poids des critères doit être égale à 100 (reçu : 90)."
    assert page.count(message) == 3
    assert message in error_after(page, "id_criteres-2-weight")
    assert "fr-input-group--error" in page
    assert 'value="Performance environnementale"' in page  # what was typed is kept
    stored = reading.criteria_set_of(award)
    assert stored is not None and stored.criteria[0]["method"] == "proportionnelle"


def test_checking_the_rules_shows_the_domain_checks_without_saving(
    cast: Cast, award: Operation
) -> None:
    rows = [
        {"name": "Prix", "kind": "prix", "weight": "40"},
        {"name": "Valeur technique", "kind": "technique", "weight": "40"},
        {"name": "Implantation locale du fournisseur", "kind": "autre", "weight": "20"},
    ]
    response = client_for(cast.consultant).post(
        reverse("award:criteria_edit", args=[award.pk]), criteria_post(rows, action="verifier")
    )
    page = text(response)
    assert "Règles vérifiées (non enregistré)" in page
    assert "La préférence locale est illégale" in page
    assert "Critère unique" not in page
    assert "au moins un critère d'attribution doit prendre en compte les caractéristiques" in page
    assert "CCP L2152-7 modifié par la loi n° 2021-1104" in page
    assert reading.criteria_set_of(award).criteria[0]["weight"] == "40"  # type: ignore[union-attr]


def test_saving_criteria_then_sub_criteria_and_grid(cast: Cast) -> None:
    operation = award_operation(cast)
    client = client_for(cast.consultant)
    rows = [*ROWS[:2], {**ROWS[2], "weight": "20", "environmental": "on"}]
    response = client.post(
        reverse("award:criteria_edit", args=[operation.pk]),
        criteria_post(rows, action="enregistrer", standardised_purchase="non"),
    )
    assert response.status_code == 302
    stored = reading.criteria_set_of(operation)
    assert stored is not None
    assert [c["method"] for c in stored.criteria if c["kind"] == "prix"] == ["lineaire"]
    assert stored.standardised_purchase is False

    url = reverse("award:criterion_edit", args=[operation.pk, 1])
    page = text(client.get(url))
    assert "Très satisfaisant" in page  # the default grid is suggested
    data = {
        "sous-TOTAL_FORMS": "2",
        "sous-INITIAL_FORMS": "0",
        "sous-0-name": "Qualité",
        "sous-0-weight": "25",
        "sous-0-disclosed": "on",
        "sous-1-name": "Livraisons",
        "sous-1-weight": "10",
        "sous-1-disclosed": "on",
        "grille-TOTAL_FORMS": "2",
        "grille-INITIAL_FORMS": "0",
        "grille-0-mark": "0",
        "grille-0-label": "Absent",
        "grille-1-mark": "20",
        "grille-1-label": "Complet",
    }
    page = text(client.post(url, data))
    message = "la somme des poids des sous-critères (35) doit être égale au poids du critère (40)"
    assert message in error_after(page, "id_sous-1-weight")
    data["sous-1-weight"] = "15"
    assert client.post(url, data).status_code == 302
    criterion = reading.criteria_set_of(operation).criteria[1]  # type: ignore[union-attr]
    assert [s["name"] for s in criterion["sub_criteria"]] == ["Qualité", "Livraisons"]
    assert [g["mark"] for g in criterion["grid"]] == ["0", "20"]
    page = text(client.get(reverse("award:criteria", args=[operation.pk])))
    assert "Livraisons : 15 points" in page
    assert "Méthode linéaire" in page
    assert "Note = Note maximale × (Pmax − P) / (Pmax − Pmin)" in page


def test_an_offer_with_a_wrong_siret_is_refused_next_to_the_field(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    client = client_for(cast.consultant)
    url = reverse("award:offer_create", args=[award.pk, first_lot.pk])
    data = {"bidder": "Bio Val", "siret": "356 201 012 00017", "price_ht": "58 400,00"}
    data["status"] = "reguliere"
    page = text(client.post(url, data))
    assert "Ce SIRET n'existe pas : sa clé de contrôle est fausse" in error_after(page, "id_siret")
    assert 'value="58400,00"' in page or 'value="58 400,00"' in page
    data["siret"] = "356 201 012 00016"
    response = client.post(url, data)
    offer = Offer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "award:offer_marks", args=[award.pk, first_lot.pk, offer.pk]
    )
    assert offer.siret == SIRETS[0]


def test_a_dqe_that_does_not_match_the_price_is_rectified_by_the_domain(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    client = client_for(cast.consultant)
    url = reverse("award:offer_create", args=[award.pk, first_lot.pk])
    data = {"bidder": "Bio Val", "price_ht": "1000,00", "status": "reguliere"}
    page = text(client.post(url, {**data, "dqe": "Pommes ; beaucoup ; 2,5"}))
    assert "ligne 1 : la quantité « beaucoup » n'est pas un nombre" in page
    client.post(url, {**data, "dqe": "Pommes bio ; 300 ; 2,50\nCarottes\t200\t1,10"})
    offer = Offer.objects.get()
    assert offer.dqe == [
        {"designation": "Pommes bio", "quantity": "300", "unit_price_ht": "2.50"},
        {"designation": "Carottes", "quantity": "200", "unit_price_ht": "1.10"},
    ]


def test_a_mark_without_justification_shows_the_error_next_to_the_justification(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    offer = add_offer(cast.consultant, award, first_lot, "Bio Val", "58000.00", marks=None)
    client = client_for(cast.consultant)
    url = reverse("award:offer_marks", args=[award.pk, first_lot.pk, offer.pk])
    page = text(client.get(url))
    assert "Note — Valeur technique / Qualité des produits (sur 20)" in page
    assert "15 — Satisfaisant" in page
    data = {"note_1_0": "15", "justification_1_0": WHY, "note_1_1": "10", "note_2": "20"}
    page = text(client.post(url, data))
    assert "justification écrite obligatoire" in error_after(page, "id_justification_1_1")
    assert "Les notes ne sont pas enregistrées" in page
    assert WHY in page
    offer.refresh_from_db()
    assert offer.marks == {}
    data |= {"justification_1_1": WHY, "justification_2": WHY}
    assert client.post(url, data).status_code == 302
    offer.refresh_from_db()
    assert offer.marks["Valeur technique"]["Organisation des livraisons"]["mark"] == "10"


def test_the_analysis_page_shows_the_comparison_the_chart_and_the_r2152_3_request(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    three_offers(cast, award, first_lot)
    add_offer(cast.consultant, award, first_lot, "Casse-Prix", "30000.00", ("15", "15", "15"))
    client = client_for(cast.consultant)
    url = reverse("award:analysis", args=[award.pk, first_lot.pk])
    response = client.post(url, {"winners": "1", "tie_break": "Valeur technique"})
    assert response.status_code == 302
    page = text(client.get(url))
    assert "Classement proposé, en attente de validation" in page
    assert "Comparaison des offres classées (points sur 100)" in page
    assert "Valeur technique (sur 40)" in page
    assert "94,28" not in page or "Maraîchers" in page
    assert "<svg" in page and "Notes des offres classées" in page
    assert "Casse-Prix : demande de justification à adresser (CCP R2152-3)" in page
    assert "Il s'agit d'une suspicion, pas d'un rejet" in page
    assert "Enregistrer la demande de justifications" in page
    assert "Seul un maître d'ouvrage de l'acheteur peut valider ce classement." in page
    assert "Valider le classement" not in page

    validate = reverse("award:validate", args=[award.pk, first_lot.pk])
    assert client.post(validate).status_code == 403
    mo = client_for(cast.mo)
    page = text(mo.post(validate, follow=True))
    assert "demandez-lui par écrit de justifier son prix (CCP R2152-3)" in page
    assert LotAnalysis.objects.get().status == AnalysisStatus.PROPOSEE


def test_the_maitre_d_ouvrage_validates_and_the_history_records_it(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    analysed_three_offers(cast, award, first_lot)
    client = client_for(cast.mo)
    page = text(client.get(reverse("award:analysis", args=[award.pk, first_lot.pk])))
    assert "Valider le classement" in page
    validate = reverse("award:validate", args=[award.pk, first_lot.pk])
    page = text(client.post(validate, follow=True))
    assert "Classement validé" in page
    assert "Attributaire : Maraîchers." in page
    # Once validated, the winner is no longer « proposé » (issue 16.4).
    assert "Attributaire proposé" not in page
    history = text(client.get(reverse("operations:history", args=[award.pk])))
    assert "Validation" in history
    assert "Analyse des offres — Analyse des offres — Lot 1 — Bio" in history
    assert "statut : Classement proposé, en attente de validation → Classement validé" in history
    assert f"Valeur technique / Qualité des produits : 20 — {WHY}" in history
    assert "Prix — 40 % (prix, méthode proportionnelle (dite « classique »))" in history
    detail = text(client.get(reverse("operations:detail", args=[award.pk])))
    assert "1 classement validé par le maître d'ouvrage" in detail
    assert "bientôt disponible" not in detail


def test_the_validated_ranking_shows_the_award_calendar_with_its_dates(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    analysed_three_offers(cast, award, first_lot)
    client = client_for(cast.mo)
    url = reverse("award:analysis", args=[award.pk, first_lot.pk])
    assert "Calendrier après l'attribution" not in text(client.get(url))
    client.post(reverse("award:validate", args=[award.pk, first_lot.pk]))
    page = text(client.get(url))
    assert "Calendrier après l'attribution" in page
    assert "Signature du marché par l'acheteur" in page
    assert "Publication des données essentielles" in page
    assert "Référé précontractuel" in page
    assert re.search(r"au plus tôt le \d{2}/\d{2}/\d{4}", page)
    # A reader sees the same dates; nothing of the calendar is an internal code.
    reader = text(client_for(cast.reader).get(url))
    assert "Calendrier après l'attribution" in reader
    assert "au_plus_tot" not in reader and "refere_precontractuel" not in reader


def test_the_analysis_explains_missing_marks_in_french(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    add_offer(cast.consultant, award, first_lot, "Bio Val", "58000.00", marks=None)
    client = client_for(cast.consultant)
    url = reverse("award:analysis", args=[award.pk, first_lot.pk])
    page = text(client.post(url, {"winners": "1"}))
    assert "L'analyse n'a pas pu être faite" in page
    assert "Notes invalides ou manquantes." in page
    assert "note manquante" in page
    assert not LotAnalysis.objects.exists()


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def pdf_text(content: bytes, folder: Path) -> str:
    path = folder / "rapport.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_the_reports_are_real_docx_and_pdf_files(
    cast: Cast, award: Operation, first_lot: Lot, tmp_path: Path
) -> None:
    analysed_three_offers(cast, award, first_lot)
    client = client_for(cast.reader)
    response = client.post(reverse("award:report_docx", args=[award.pk, first_lot.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert "Rapport%20d%27analyse%20des%20offres" in response["Content-Disposition"]
    report = docx_text(response.content)
    assert "Maraîchers" in report
    assert WHY in report
    assert "Note = Note maximale × Pmin / P" in report
    flat = " ".join(report.split())
    assert "soumis à la décision du maître d'ouvrage de " in flat and "de le " not in flat
    analysed = reading.analysis_of(scope(cast.consultant, award, first_lot))
    assert analysed is not None and analysed.analysed_at is not None
    # dated in France: between 23:00 and 24:00 UTC the day of the analysis is already tomorrow
    assert f"Rapport établi le {timezone.localtime(analysed.analysed_at):%d/%m/%Y} par " in flat
    # the rapport de présentation names the buyer with its address (R2184-2 1°)
    award.organisation.postal_address = "1 place de la Mairie\n35000 Saint-Exemple"
    award.organisation.save(update_fields=["postal_address"])
    info = document_service.report_info(scope(cast.consultant, award, first_lot), analysed)
    assert info.buyer_address == "1 place de la Mairie, 35000 Saint-Exemple"
    response = client.post(reverse("award:report_pdf", args=[award.pk, first_lot.pk]))
    assert response.content.startswith(b"%PDF")
    assert "Maraîchers" in pdf_text(response.content, tmp_path)
    generated = AuditEvent.objects.filter(operation=award, action=Action.GENERATE)
    assert generated.count() == 2


def test_the_dce_settings_show_the_domain_refusal_next_to_the_field_then_the_zip(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    client = client_for(cast.consultant)
    url = reverse("award:dce_settings", args=[award.pk])
    page = text(client.get(url))
    assert 'value="CCAG-FCS (arrêté du 30 mars 2021)"' in page
    data = {
        "reference": "2026-RS-01",
        "contract_form": "ordinaire",
        "ccag": "CCAG-FCS",
        "response_time": "12:00",
        "validity_days": "120",
        "winners": "2",
        "tie_break": "Valeur technique",
        "price_form": "ferme",
        f"catering_{first_lot.pk}": "on",
        f"items_{first_lot.pk}": "Pommes bio ; kg ; 3500 ; 2,60\nYaourts ; pièce ; 52000",
    }
    page = text(client.post(url, data))
    assert "doit être conclu à prix révisables" in error_after(page, "id_price_form")
    assert "considérations relatives à l'environnement" in error_after(
        page, "id_environmental_conditions"
    )
    assert "Paramètres enregistrés, mais le DCE ne peut pas être produit" in page
    data |= {
        "price_form": "revisable",
        "revision_fixed_part": "0,15",
        "revision_terms": "0,85 ; Indice des prix des produits alimentaires ; 001763852",
        "revision_base_month": "2027-01",
        "revision_periodicity": "annuelle",
        "environmental_conditions": "Livraisons regroupées, deux par semaine au plus",
        "egalim_quality_percent": "50",
        "egalim_organic_percent": "25",
    }
    response = client.post(url, data, follow=True)
    assert "Le DCE est prêt" in text(response) or "DCE prêt" in text(response)
    # What the pieces would highlight « À compléter » is said before the download …
    gaps = text(response).split("À compléter avant publication", 1)[1].split("Télécharger", 1)[0]
    assert "Le comptable public assignataire manque" in gaps
    assert "Les sites de livraison ou d'exécution manquent" in gaps
    assert f"Lot n° {first_lot.number} : les exigences techniques manquent" in gaps
    # … and typed here, it goes into the acte d'engagement and the CCTP.
    data |= {
        "buyer_accountant": "Service de gestion comptable de Saint-Exemple",
        "delivery_sites": "Cuisine centrale, 2 rue de l'École, 44000 Saint-Exemple",
        f"requirements_{first_lot.pk}": "Pommes de catégorie I\n\nLivraison avant 8 h\n",
    }
    response = client.post(url, data, follow=True)
    assert f"Lot n° {first_lot.number} : les exigences techniques manquent" not in text(response)
    assert "Le comptable public assignataire manque" not in text(response)
    assert "Les sites de livraison ou d'exécution manquent" not in text(response)
    response = client_for(cast.reader).post(reverse("award:dce_download", args=[award.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="DCE 2026-RS-01.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"RC.docx", "CCAP.docx", "CCTP.docx", f"AE_lot_{first_lot.number}.docx"} <= names
    assert f"BPU_DQE_lot_{first_lot.number}.xlsx" in names
    rc = docx_text(archive.read("RC.docx"))
    assert "Valeur technique" in rc and "40" in rc
    assert "Performance environnementale" in rc
    assert "attribué à 2 titulaires au plus" in rc
    assert "mieux notée sur le critère « Valeur technique »" in rc
    ccap = docx_text(archive.read("CCAP.docx"))
    assert "Indice des prix des produits alimentaires" in ccap
    ae = docx_text(archive.read(f"AE_lot_{first_lot.number}.docx"))
    assert "Service de gestion comptable de Saint-Exemple" in ae
    cctp = docx_text(archive.read("CCTP.docx"))
    assert "Cuisine centrale, 2 rue de l'École" in cctp
    assert "Pommes de catégorie I" in cctp and "Livraison avant 8 h" in cctp
    assert AuditEvent.objects.filter(operation=award, action=Action.GENERATE).count() == 1
    # The analysis starts from what the RC announced.
    analysis = text(client.get(reverse("award:analysis", args=[award.pk, first_lot.pk])))
    assert re.search(r'name="winners" value="2"', analysis)
    assert '<option value="Valeur technique" selected>' in analysis


def test_the_dce_settings_offer_the_exceptions_of_the_social_condition(
    cast: Cast, award: Operation
) -> None:
    page = text(client_for(cast.consultant).get(reverse("award:dce_settings", args=[award.pk])))
    assert "Exception à la condition sociale obligatoire (article L2112-2-1)" in page
    assert "Le besoin peut être satisfait par une solution immédiatement disponible" in page
    access = operation_access(fresh(cast.consultant), award.pk)
    absent = SocialConditionException.ABSENCE_DE_LIEN_AVEC_OBJET
    chosen = document_service.dce_input(access, DceRequest(social_condition_exception=absent))
    assert chosen.social_condition_exception is absent
    assert document_service.dce_input(access, DceRequest()).social_condition_exception is None


def test_an_operation_without_lots_is_handled_as_one_contract(cast: Cast) -> None:
    operation = award_operation(cast, with_lots=False)
    add_offer(cast.consultant, operation, None, "Bio Val", "150000.00")
    client = client_for(cast.consultant)
    page = text(client.get(reverse("award:index", args=[operation.pk])))
    assert "Marché global" in page
    offers = reverse("award:offers", args=[operation.pk, 0])
    assert f'href="{offers}"' in page
    assert "Bio Val" in text(client.get(offers))
    analysis = reverse("award:analysis", args=[operation.pk, 0])
    assert client.post(analysis, {"winners": "1"}).status_code == 302
    assert "Attributaire proposé" in text(client.get(analysis))
    lot = Lot.objects.create(operation=operation, number=1, name="Ajouté", estimated_amount_ht=1)
    assert client.get(offers).status_code == 404  # once lots exist, offers belong to a lot
    assert client.get(reverse("award:offers", args=[operation.pk, lot.pk])).status_code == 200


def test_the_letters_follow_the_validated_ranking_in_word_and_pdf(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    analysed_three_offers(cast, award, first_lot)
    client = client_for(cast.mo)
    url = reverse("award:letters_zip", args=[award.pk, first_lot.pk])
    analysis_url = reverse("award:analysis", args=[award.pk, first_lot.pk])
    assert "Lettres de rejet et d'attribution" not in text(client.get(analysis_url))
    page = text(client.post(url, follow=True))
    assert "le maître d'ouvrage valide d'abord le classement" in page
    client.post(reverse("award:validate", args=[award.pk, first_lot.pk]))
    assert "Lettres de rejet et d'attribution" in text(client.get(analysis_url))
    page = text(client.post(url, follow=True))
    assert "Indiquez l'adresse de l'acheteur, avec son code postal et sa commune" in page
    access = scope(cast.mo, award, first_lot).access
    document_service.save_dce_settings(
        access,
        fresh(cast.mo),
        DceRequest(
            reference="2026-RS-01",
            buyer_address="1 place de la Mairie\n35000 Saint-Exemple",
            buyer_representative="Claire Martin, maire",
            buyer_court="Tribunal administratif de Rennes",
        ),
    )
    Offer.objects.filter(bidder="Distri").update(
        abnormally_low_requested_on=datetime.date(2026, 11, 2),
        abnormally_low_due_on=datetime.date(2026, 11, 12),
    )
    response = client.post(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    assert [name.split("_", 2)[1] for name in names if name.endswith(".docx")] == [
        "offre",
        "rejet",
        "rejet",
        "attribution",
    ]
    assert len([name for name in names if name.endswith(".pdf")]) == 4
    request = " ".join(
        docx_text(archive.read(next(n for n in names if "anormalement" in n))).split()
    )
    assert "Distri" in request and "R2152-3" in request
    assert "au plus tard le 12 novembre 2026" in request and "pour le lot n° 1" in request
    rejection = docx_text(archive.read(next(n for n in names if "rejet_bio_val" in n)))
    flat = " ".join(rejection.split())
    assert "Bio Val" in flat and "attribué à Maraîchers" in flat
    assert "Offre classée n° 2 sur 3" in flat or "Offre classée n° 3 sur 3" in flat
    assert "À Saint-Exemple, le " in flat and "Le Maire, Claire MARTIN" in flat
    assert "Représentant du pouvoir adjudicateur" not in flat
    assert "ne sera pas signé avant le " in flat or "pourra être signé à compter du" in flat
    assert "Référé précontractuel" in flat
    assert "recours suivants, portés devant le tribunal administratif de Rennes :" in flat
    assert AuditEvent.objects.filter(operation=award, action=Action.GENERATE).count() == 1
    assert client.get(url).status_code == 405


def test_a_framework_need_starts_the_dce_as_a_framework_with_its_holders(
    cast: Cast, award: Operation
) -> None:
    Need.objects.filter(operation=award).update(
        is_framework=True, framework_holders="multi_attributaire", framework_holders_count=3
    )
    page = text(client_for(cast.consultant).get(reverse("award:dce_settings", args=[award.pk])))
    assert '<option value="accord_cadre_bons_de_commande" selected>' in page
    assert 'name="winners" value="3"' in page


def test_a_multi_holder_need_without_a_count_starts_the_dce_at_the_legal_minimum(
    cast: Cast, award: Operation
) -> None:
    Need.objects.filter(operation=award).update(
        is_framework=True, framework_holders="multi_attributaire", framework_holders_count=None
    )
    page = text(client_for(cast.consultant).get(reverse("award:dce_settings", args=[award.pk])))
    minimum = law.at(timezone.localdate()).value(MINIMUM_HOLDERS)
    assert minimum == 2
    assert f'name="winners" value="{minimum}"' in page
    # A single-holder need keeps one winner.
    Need.objects.filter(operation=award).update(framework_holders="mono_attributaire")
    page = text(client_for(cast.consultant).get(reverse("award:dce_settings", args=[award.pk])))
    assert 'name="winners" value="1"' in page


def test_a_need_executed_by_subsequent_contracts_gives_a_dce_that_reopens_competition(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    Need.objects.filter(operation=award).update(
        is_framework=True,
        framework_execution="marches_subsequents",
        framework_holders="multi_attributaire",
        framework_holders_count=3,
    )
    client = client_for(cast.consultant)
    url = reverse("award:dce_settings", args=[award.pk])
    page = text(client.get(url))
    assert '<option value="accord_cadre_marches_subsequents" selected>' in page
    assert 'name="winners" value="3"' in page
    assert "Délai de réponse des titulaires aux remises en concurrence" in page
    data = {
        "reference": "2026-AC-02",
        "contract_form": "accord_cadre_marches_subsequents",
        "response_time": "12:00",
        "validity_days": "120",
        "winners": "3",
        "subsequent_response_days": "12",
        "mixed_split": "Ignoré : l'accord-cadre n'est pas mixte",
        "price_form": "ferme",
        "environmental_conditions": "Livraisons regroupées, deux par semaine au plus",
        f"items_{first_lot.pk}": "Pommes ; kg ; 3500 ; 2,60",
        # R2162-4: every lot of an accord-cadre launched since 2022 has its maximum
        **{f"max_{lot.pk}": "90000" for lot in Lot.objects.filter(operation=award)},
    }
    response = client.post(url, data, follow=True)
    assert "Le DCE est prêt" in text(response) or "DCE prêt" in text(response)
    response = client_for(cast.reader).post(reverse("award:dce_download", args=[award.pk]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    rc = " ".join(docx_text(archive.read("RC.docx")).split())
    assert "Attribution des marchés subséquents" in rc
    assert "remise en concurrence des titulaires" in rc and "dans un délai de 12 jours" in rc
    assert "au moins 2 titulaires" in rc and "Ignoré" not in rc
    ae = docx_text(archive.read(f"AE_lot_{first_lot.number}.docx"))
    assert "celui de l'accord-cadre" in ae
    # Back on a mixed form, the split is required before anything is drafted.
    page = text(client.post(url, data | {"contract_form": "accord_cadre_mixte", "mixed_split": ""}))
    assert "identifiez les prestations qui relèvent de chacune" in error_after(
        page, "id_mixed_split"
    )


def test_a_framework_dce_without_maximum_is_refused_at_the_lot_maximum(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    """R2162-4 (décret n° 2021-1111): since 2022 the DCE of an accord-cadre states its maximum;
    the refusal is shown next to the lot's maximum field, the input kept."""
    Need.objects.filter(operation=award).update(is_framework=True)
    client = client_for(cast.consultant)
    url = reverse("award:dce_settings", args=[award.pk])
    data = {
        "reference": "2026-AC-03",
        "contract_form": "accord_cadre_bons_de_commande",
        "response_time": "12:00",
        "validity_days": "120",
        "winners": "1",
        "price_form": "ferme",
        "environmental_conditions": "Livraisons regroupées, deux par semaine au plus",
        f"items_{first_lot.pk}": "Pommes ; kg ; 3500 ; 2,60",
        **{f"max_{lot.pk}": "90000" for lot in Lot.objects.filter(operation=award)},
        f"max_{first_lot.pk}": "",
    }
    page = text(client.post(url, data))
    assert "R2162-4" in error_after(page, f"id_max_{first_lot.pk}")
    assert "2026-AC-03" in page


def test_the_letters_ask_each_candidacy_to_complete_as_recorded(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    client = client_for(cast.consultant)
    create = reverse("award:candidacy_create", args=[award.pk])
    checklist = {
        "bidder": "Distri",
        "application_form": "on",
        "declaration_form": "on",
        "sworn_statement": "on",
        "technical_capacity": "non",
        "capacities_sufficient": "on",
        "regularisation_requested": "on",
    }
    page = text(client.post(create, checklist))
    assert "Indiquez la date de la demande de compléments" in page
    assert "Indiquez le délai accordé pour compléter le dossier" in page
    late = {**checklist, "regularisation_requested_on": "12/11/2026"}
    page = text(client.post(create, {**late, "regularisation_due_on": "10/11/2026"}))
    assert "Le délai accordé doit suivre la date de la demande." in page
    unasked = {k: v for k, v in late.items() if k != "regularisation_requested"}
    page = text(client.post(create, {**unasked, "regularisation_due_on": "20/11/2026"}))
    assert "Cochez la demande de régularisation" in page
    response = client.post(
        create, {**late, "regularisation_due_on": "20/11/2026", "regularised": "on"}
    )
    assert response.status_code == 302
    three_offers(cast, award, first_lot)
    Offer.objects.filter(bidder="Maraîchers").update(
        postal_address="Lieu-dit Le Val\n35230 Noyal-Châtillon-sur-Seiche"
    )
    document_service.save_dce_settings(
        scope(cast.mo, award, first_lot).access,
        fresh(cast.mo),
        DceRequest(buyer_address="1 place de la Mairie\n35000 Saint-Exemple"),
    )
    # The request to complete goes out during the analysis, before any ranking.
    analysis_url = reverse("award:analysis", args=[award.pk, first_lot.pk])
    assert "Une demande est enregistrée" in text(client.get(analysis_url))
    early = client.post(reverse("award:requests_zip", args=[award.pk, first_lot.pk]))
    assert early.status_code == 200
    early_names = sorted(zipfile.ZipFile(io.BytesIO(early.content)).namelist())
    assert early_names == ["01_completion_distri.docx", "01_completion_distri.pdf"]
    amo_analysis(cast, award, first_lot)
    mo = client_for(cast.mo)
    mo.post(reverse("award:validate", args=[award.pk, first_lot.pk]))
    response = mo.post(reverse("award:letters_zip", args=[award.pk, first_lot.pk]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    assert [name.split("_", 2)[1] for name in names if name.endswith(".docx")] == [
        "completion",
        "rejet",
        "rejet",
        "attribution",
    ]
    assert names[0] == "01_completion_distri.docx" and "01_completion_distri.pdf" in names
    letter = " ".join(docx_text(archive.read(names[0])).split())
    assert "Demande de compléments de candidature" in letter
    assert "capacités techniques et professionnelles demandées" in letter
    assert "au plus tard le 20 novembre 2026" in letter and "R2144-2" in letter
    assert "À Saint-Exemple, le 12 novembre 2026" in letter
    highlighted = [
        p.text
        for p in Document(io.BytesIO(archive.read(names[0]))).paragraphs
        if p.style is not None and p.style.name == MISSING_STYLE
    ]
    assert highlighted == ["Adresse postale à compléter"]  # Distri gave none
    award_letter = next(n for n in names if "attribution" in n and n.endswith(".docx"))
    winner = Document(io.BytesIO(archive.read(award_letter)))
    assert "Lieu-dit Le Val" in [p.text for p in winner.paragraphs]
    assert "35230 Noyal-Châtillon-sur-Seiche" in [p.text for p in winner.paragraphs]
    assert not [
        p for p in winner.paragraphs if p.style is not None and p.style.name == MISSING_STYLE
    ]


def test_the_request_to_complete_is_sent_to_the_candidacy_s_own_address(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    client = client_for(cast.consultant)
    response = client.post(
        reverse("award:candidacy_create", args=[award.pk]),
        {
            "bidder": "Distri",
            "postal_address": "ZA des Landes\r\n35510 Cesson-Sévigné",
            "application_form": "on",
            "declaration_form": "on",
            "sworn_statement": "on",
            "technical_capacity": "non",
            "capacities_sufficient": "on",
            "regularisation_requested": "on",
            "regularisation_requested_on": "12/11/2026",
            "regularisation_due_on": "20/11/2026",
        },
    )
    assert response.status_code == 302
    three_offers(cast, award, first_lot)
    document_service.save_dce_settings(
        scope(cast.mo, award, first_lot).access,
        fresh(cast.mo),
        DceRequest(buyer_address="1 place de la Mairie\n35000 Saint-Exemple"),
    )
    zipped = client.post(reverse("award:requests_zip", args=[award.pk, first_lot.pk]))
    letter = Document(io.BytesIO(zipfile.ZipFile(io.BytesIO(zipped.content)).read(
        "01_completion_distri.docx"
    )))  # fmt: skip
    lines = [p.text for p in letter.paragraphs]
    assert "ZA des Landes" in lines and "35510 Cesson-Sévigné" in lines
    assert not [
        p for p in letter.paragraphs if p.style is not None and p.style.name == MISSING_STYLE
    ]


def test_the_dce_downloaded_again_takes_its_toc_pages_from_postgresql_not_from_libreoffice(
    cast: Cast, award: Operation, first_lot: Lot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The LibreOffice print that numbers the sommaires of the RC and the CCAP takes seconds:
    it runs for the first download of a content, the next ones read the pages kept under the
    hash of each piece (TocPages)."""
    import time

    from openamo.documents import pagination
    from openamo.web.award.models import TocPages

    if pagination.tools() is None:
        pytest.skip("LibreOffice et poppler-utils absents (make system-deps)")
    client = client_for(cast.consultant)
    url = reverse("award:dce_settings", args=[award.pk])
    client.post(
        url,
        {
            "reference": "2026-RS-01",
            "contract_form": "ordinaire",
            "ccag": "CCAG-FCS",
            "response_time": "12:00",
            "validity_days": "120",
            "winners": "1",
            "tie_break": "Valeur technique",
            "price_form": "revisable",
            "revision_fixed_part": "0,15",
            "revision_terms": "0,85 ; Indice des prix des produits alimentaires ; 001763852",
            "revision_base_month": "2027-01",
            "revision_periodicity": "annuelle",
            "environmental_conditions": "Livraisons regroupées, deux par semaine au plus",
            "egalim_quality_percent": "50",
            "egalim_organic_percent": "25",
            f"catering_{first_lot.pk}": "on",
            f"items_{first_lot.pk}": "Pommes bio ; kg ; 3500 ; 2,60",
            "buyer_accountant": "Service de gestion comptable de Saint-Exemple",
            "delivery_sites": "Cuisine centrale, 2 rue de l'École, 44000 Saint-Exemple",
        },
    )
    monkeypatch.setenv(pagination.ENVIRONMENT, "1")
    prints: list[int] = []
    real_print = pagination._print

    def counted(*args: Any) -> bool:
        prints.append(1)
        return real_print(*args)

    monkeypatch.setattr(pagination, "_print", counted)
    reader = client_for(cast.reader)
    download = reverse("award:dce_download", args=[award.pk])
    timings, contents = [], []
    for _ in range(2):
        start = time.perf_counter()
        response = reader.post(download)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        contents.append({name: archive.read(name) for name in ("RC.docx", "CCAP.docx")})
    assert len(prints) == 1  # the second download did not start LibreOffice
    assert TocPages.objects.count() == 2  # the RC and the CCAP
    for piece in ("RC.docx", "CCAP.docx"):
        first, second = (Document(io.BytesIO(c[piece])) for c in contents)
        numbered = [pagination.toc_entries(d) for d in (first, second)]
        assert [e.text for e in numbered[0]] == [e.text for e in numbered[1]]
        pages = [
            ["".join(t.text or "" for t in e.link.iter(qn("w:t"))) for e in entries]
            for entries in numbered
        ]
        assert pages[0] == pages[1] and pages[0][0].endswith(("1", "2", "3"))
    assert timings[1] < timings[0] / 2, timings


def test_a_reader_is_told_why_the_analysis_page_is_empty(
    cast: Cast, award: Operation, first_lot: Lot
) -> None:
    """Before any analysis, a reader saw a title and nothing else."""
    page = text(
        client_for(cast.reader).get(reverse("award:analysis", args=[award.pk, first_lot.pk]))
    )
    assert "n'ont pas encore été analysées" in page and "Lancer l'analyse" not in page
    assert reverse("award:offers", args=[award.pk, first_lot.pk]) in page
