"""The catering pages: the EGAlim dashboard shows the domain's figures, the purchase forms keep
what was typed, the import goes through a preview, the export is ma cantine's format."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openamo.catering import ratios_from_dict
from openamo.catering.schemas import schema
from openamo.web.catering.models import Forecast, Purchase, PurchaseImport
from tests.integration.web.catering_factories import (
    YEAR,
    add_purchase,
    add_quarter,
    fixture,
    quarter_ratios_input,
)
from tests.integration.web.conftest import Cast, client_for, text


def url(name: str, cast: Cast, *args: int) -> str:
    return reverse(f"catering:{name}", args=[cast.commune.pk, *args])


def french(percent: str) -> str:
    """« 47,97 % » as the dashboard writes the domain's "47.97"."""
    value = percent.replace(".", ",")
    return (value[:-3] if value.endswith(",00") else value) + "\u00a0%"


def test_the_dashboard_shows_the_domains_ratios_targets_and_verdicts(cast: Cast) -> None:
    add_quarter(cast)
    expected = ratios_from_dict(quarter_ratios_input())
    page = text(client_for(cast.reader).get(url("dashboard", cast) + f"?annee={YEAR}"))
    for percent in (
        expected.quality_sustainable_percent,
        expected.organic_percent,
        expected.meat_fish_quality_percent,
    ):
        assert french(percent) in page
    assert page.count("Objectif non atteint") == 3
    assert "Non conforme aux objectifs EGAlim" in page
    assert "12\u202f300,00\u00a0€ HT" in page
    assert expected.explanation in page
    for reference in expected.references:
        assert reference in page
    # Three ratio charts (month by month and cumulative) against the targets read by the
    # domain in the law, and the bar chart of the families.
    assert page.count("<svg viewBox") == 4
    assert "Objectif légal : 50\u00a0%" in page
    assert "Objectif légal : 20\u00a0%" in page
    assert "Objectif légal : 60\u00a0%" in page
    assert "Cumul depuis janvier" in page
    assert "Achats HT par famille de produits en 2025" in page


def test_the_dashboard_of_a_compliant_year_says_so(cast: Cast) -> None:
    add_purchase(cast, day=datetime.date(YEAR, 6, 1), family="viandes_volailles", labels=["bio"])
    add_purchase(cast, day=datetime.date(YEAR, 6, 2), family="autres", amount="50.00")
    page = text(client_for(cast.mo).get(url("dashboard", cast) + f"?annee={YEAR}"))
    assert page.count("Objectif atteint") == 3
    assert "Conforme aux trois objectifs EGAlim" in page


def test_the_dashboard_of_a_year_without_purchases_invites_to_record_them(cast: Cast) -> None:
    page = text(client_for(cast.mo).get(url("dashboard", cast) + "?annee=2024"))
    assert "Aucun achat en 2024" in page
    assert "Saisir un achat" in page


def test_the_main_menu_leads_to_the_buyers_dashboard(cast: Cast) -> None:
    client = client_for(cast.mo)
    page = text(client.get(reverse("operations:dashboard")))
    assert "Restauration (EGAlim)" in page
    response = client.get(reverse("catering:index"))
    assert response.status_code == 302
    assert response["Location"] == url("dashboard", cast)


def test_a_purchase_form_with_a_bad_amount_keeps_what_was_typed(cast: Cast) -> None:
    response = client_for(cast.mo).post(
        url("purchase_create", cast),
        {
            "date": "2025-03-04",
            "family": "produits_laitiers",
            "description": "Yaourt nature bio",
            "amount_ht": "cent euros",
            "labels": ["bio", "fermier"],
        },
    )
    page = text(response)
    assert response.status_code == 200
    assert "fr-input-group--error" in page
    assert 'value="Yaourt nature bio"' in page
    assert re.search(r'value="fermier"[^>]*checked', page)
    assert "ne compte qu'une fois" in page
    assert not Purchase.objects.exists()


def test_a_purchase_is_added_with_labels_and_the_meat_flag_from_its_family(cast: Cast) -> None:
    response = client_for(cast.internal_amo).post(
        url("purchase_create", cast),
        {
            "date": "04/03/2025",
            "family": "viandes_volailles",
            "description": "Poulet Label Rouge",
            "supplier": "Volailles du Val",
            "amount_ht": "1 234,56",
            "labels": ["label_rouge", "igp"],
            "is_meat_or_fish": "",
        },
    )
    assert response.status_code == 302
    purchase = Purchase.objects.get()
    assert purchase.amount_ht == Decimal("1234.56")
    assert purchase.is_meat_or_fish is None
    assert purchase.label_codes == ["label_rouge", "igp"]
    listing = text(client_for(cast.mo).get(url("purchases", cast)))
    assert "Poulet Label Rouge" in listing
    assert "oui (famille)" in listing


def test_a_purchase_is_edited_then_deleted(cast: Cast) -> None:
    purchase = add_purchase(cast, day=datetime.date(YEAR, 2, 3), description="Pain")
    client = client_for(cast.mo)
    form = text(client.get(url("purchase_edit", cast, purchase.pk)))
    assert 'value="Pain"' in form
    response = client.post(
        url("purchase_edit", cast, purchase.pk),
        {
            "date": "2025-02-03",
            "family": "boulangerie",
            "description": "Pain bio",
            "amount_ht": "80",
            "labels": ["bio"],
        },
    )
    assert response.status_code == 302
    purchase.refresh_from_db()
    assert (purchase.description, purchase.family) == ("Pain bio", "boulangerie")
    assert client.post(url("purchase_delete", cast, purchase.pk)).status_code == 302
    purchase.refresh_from_db()
    assert purchase.deleted_at is not None
    history = text(client.get(url("history", cast)))
    assert "Suppression" in history and "Modification" in history
    assert "produit : Pain → Pain bio" in history


def test_the_purchase_list_filters_by_month_family_and_label(cast: Cast) -> None:
    add_quarter(cast)
    client = client_for(cast.mo)
    page = text(client.get(url("purchases", cast) + f"?annee={YEAR}&mois=2"))
    assert "3 achats" in page
    assert "Lieu noir écolabel" in page and "Pâtes" not in page
    page = text(client.get(url("purchases", cast) + "?label=bio"))
    assert "3 achats" in page and "Comté AOP" in page
    page = text(client.get(url("purchases", cast) + "?famille=viandes_volailles&label=bio"))
    assert "0 achat" in page


def test_the_import_goes_through_a_preview_then_imports_the_valid_lines_if_asked(
    cast: Cast,
) -> None:
    client = client_for(cast.mo)
    upload = SimpleUploadedFile(
        "achats.csv", fixture("achats_bad_une_erreur.csv"), content_type="text/csv"
    )
    response = client.post(url("import_upload", cast), {"file": upload})
    found = PurchaseImport.objects.get()
    assert response["Location"] == url("import_preview", cast, found.pk)
    preview = text(client.get(response["Location"]))
    assert "prix HT « A bad price » illisible" in preview
    assert "Importer les lignes valides seulement" in preview

    refused = text(client.post(url("import_preview", cast, found.pk), {"confirm": "1"}))
    assert "rien n'a été importé" in refused
    assert not Purchase.objects.exists()

    done = client.post(url("import_preview", cast, found.pk), {"confirm": "1", "partial": "on"})
    assert done.status_code == 302
    assert done["Location"] == url("dashboard", cast) + "?annee=2022"
    assert Purchase.objects.count() == 1


def test_an_uploaded_workbook_or_binary_file_is_refused_in_french(cast: Cast) -> None:
    client = client_for(cast.mo)
    for name, content, message in [
        ("achats.xlsx", b"PK\x03\x04...", "Type de fichier non accepté"),
        ("achats.csv", b"PK\x03\x04 zip", "enregistrez-le au format CSV"),
        ("achats.csv", b"siret\x00\x01\x02", "pas un texte lisible"),
    ]:
        upload = SimpleUploadedFile(name, content, content_type="text/csv")
        page = text(client.post(url("import_upload", cast), {"file": upload}))
        assert message in page, name
    assert not PurchaseImport.objects.exists()


def test_a_header_error_is_listed_on_the_upload_page(cast: Cast) -> None:
    upload = SimpleUploadedFile(
        "achats.csv", fixture("achats_bad_entete_faute.csv"), content_type="text/csv"
    )
    page = text(client_for(cast.mo).post(url("import_upload", cast), {"file": upload}))
    assert "En-tête non reconnu" in page
    assert "colonne inconnue" in page


def test_reimporting_the_same_file_warns_and_asks_for_confirmation(cast: Cast) -> None:
    client = client_for(cast.mo)
    previews = []
    for _ in range(2):
        upload = SimpleUploadedFile(
            "achats.csv", fixture("achats_good_valeurs_a_rogner.csv"), content_type="text/csv"
        )
        response = client.post(url("import_upload", cast), {"file": upload})
        assert response.status_code == 302
        previews.append(response["Location"])
        client.post(response["Location"], {"confirm": "1"})
    page = text(client.get(previews[1]))
    assert "Fichier déjà importé" in page
    assert "Importer à nouveau ce fichier" in page
    assert Purchase.objects.count() == 8
    client.post(previews[1], {"confirm": "1", "again": "on"})
    assert Purchase.objects.count() == 16


def test_the_export_is_ma_cantines_purchase_format_with_guarded_formulas(cast: Cast) -> None:
    cast.commune.siret = "21010034300016"
    cast.commune.save()
    add_purchase(
        cast,
        day=datetime.date(YEAR, 3, 1),
        description='=HYPERLINK("http://x")',
        labels=["bio", "label_rouge"],
    )
    response = client_for(cast.reader).get(url("export", cast) + f"?annee={YEAR}&format=achats")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "achats-ma-cantine-commune-de-saint-exemple-2025.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert tuple(rows[0]) == schema("achats_siret").columns
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["siret"] == "21010034300016"
    assert line["description"] == '\'=HYPERLINK("http://x")'
    assert line["categories_egalim"] == "BIO,LABEL_ROUGE"
    assert line["prix_ht"] == "100.00"


def test_the_declaration_export_needs_a_siret(cast: Cast) -> None:
    add_purchase(cast, day=datetime.date(YEAR, 3, 1))
    client = client_for(cast.mo)
    page = text(client.get(url("export", cast) + f"?annee={YEAR}&format=bilan", follow=True))
    assert "se déclare par SIRET" in page
    cast.commune.siret = "21010034300016"
    cast.commune.save()
    response = client.get(url("export", cast) + f"?annee={YEAR}&format=bilan")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert tuple(rows[0]) == schema("bilans_simple_siret").columns
    assert rows[1][:2] == ["21010034300016", "2025"]


def test_a_forecast_page_shows_the_forecast_ratios_against_the_targets(
    cast: Cast, operation: object
) -> None:
    client = client_for(cast.consultant)
    dqe = (
        "designation;famille_produits;prix_unitaire_ht;quantite;categories_egalim\n"
        "Sauté de veau Label Rouge;VIANDES_VOLAILLES;16,80;900;LABEL_ROUGE\n"
        "Carottes bio;FRUITS_ET_LEGUMES;1,45;6000;BIO\n"
    ).encode()
    response = client.post(
        url("forecasts", cast),
        {
            "title": "DQE du lot 1",
            "year": "2027",
            "operation": str(operation.pk),  # type: ignore[attr-defined]
            "file": SimpleUploadedFile("dqe.csv", dqe, content_type="text/csv"),
        },
    )
    forecast = Forecast.objects.get()
    assert response["Location"] == url("forecast_detail", cast, forecast.pk)
    page = text(client.get(response["Location"]))
    assert "Objectif légal : 50\u00a0%" in page
    assert "Conforme aux trois objectifs EGAlim" in page
    assert forecast.result["explanation"] in page
    template = client.get(reverse("catering:dqe_template"))
    assert template.content.decode("utf-8-sig").startswith("designation;famille_produits")


def test_a_bad_dqe_keeps_the_form_and_lists_the_errors(cast: Cast) -> None:
    dqe = b"designation;famille_produits;prix_unitaire_ht;quantite\nPoisson;POISSONS;12;100\n"
    page = text(
        client_for(cast.mo).post(
            url("forecasts", cast),
            {
                "title": "DQE du lot 2",
                "year": "2027",
                "file": SimpleUploadedFile("dqe.csv", dqe, content_type="text/csv"),
            },
        )
    )
    assert "ligne 2, famille_produits" in page
    assert 'value="DQE du lot 2"' in page
    assert not Forecast.objects.exists()


def test_the_preview_shows_the_domains_ratios_of_the_valid_lines(cast: Cast) -> None:
    from openamo.catering import import_purchases

    content = fixture("achats_bad_une_ligne_cantine_2025.csv")
    client = client_for(cast.mo)
    upload = SimpleUploadedFile("cantine.csv", content, content_type="text/csv")
    preview = text(
        client.get(client.post(url("import_upload", cast), {"file": upload})["Location"])
    )
    expected = import_purchases(content, partial=True)
    assert "Ratios EGAlim des lignes valides" in preview
    for percent in (expected.quality_sustainable_percent, expected.organic_percent):
        assert french(percent) in preview
    assert not Purchase.objects.exists()


def test_the_dashboard_follows_any_period_with_the_domains_ratios(cast: Cast) -> None:
    add_quarter(cast)
    client = client_for(cast.mo)
    page = text(client.get(url("dashboard", cast) + "?annee=2025&du=2025-02-01&au=2025-03-31"))
    data = quarter_ratios_input()
    data["period"] = {"start": "2025-02-01", "end": "2025-03-31"}
    data["purchases"] = [p for p in data["purchases"] if p["date"] >= "2025-02"]
    expected = ratios_from_dict(data)
    assert "Du 01/02/2025 au 31/03/2025 : 6 achats." in page
    assert french(expected.quality_sustainable_percent) in page
    assert "suivi intermédiaire" in page
    refused = text(client.get(url("dashboard", cast) + "?du=2025-03-01&au=2025-02-01"))
    assert "La fin de la période précède son début." in refused


def test_a_user_of_several_buyers_chooses_one(cast: Cast) -> None:
    from openamo.web.organisations.models import Membership, Role

    Membership.objects.create(user=cast.mo, organisation=cast.outsider, role=Role.LECTEUR)
    page = text(client_for(cast.mo).get(reverse("catering:index")))
    assert "Commune de Saint-Exemple" in page and "Commune de Voisinville" in page


def test_the_forecast_reads_the_json_of_the_command_line(cast: Cast) -> None:
    from pathlib import Path

    example = Path(__file__).resolve().parents[3] / "examples" / "egalim_prevision.json"
    response = client_for(cast.mo).post(
        url("forecasts", cast),
        {
            "title": "DQE au format JSON",
            "year": "2026",
            "file": SimpleUploadedFile("dqe.json", example.read_bytes(), "application/json"),
        },
    )
    assert response.status_code == 302
    forecast = Forecast.objects.get()
    assert forecast.year == 2026 and forecast.input["year"] == 2026
    assert forecast.result["lines"] == 7


def test_the_buyer_s_profile_sets_the_targets_of_the_dashboard_and_of_an_import(
    cast: Cast,
) -> None:
    add_quarter(cast)
    client = client_for(cast.mo)
    page = text(client.get(url("dashboard", cast) + f"?annee={YEAR}"))
    assert "Objectifs de la restauration collective en France métropolitaine" in page
    assert "Objectif légal : 60\u00a0%" in page

    form = text(client.get(url("profile", cast)))
    assert "Gestionnaire de la restauration" in form and "Mayotte" in form
    response = client.post(url("profile", cast), {"buyer": "etat", "territory": "mayotte"})
    assert response["Location"] == url("dashboard", cast)
    expected = ratios_from_dict({**quarter_ratios_input(), "buyer": "etat", "territory": "mayotte"})
    page = text(client.get(url("dashboard", cast) + f"?annee={YEAR}"))
    assert "Objectifs de la restauration collective de l'État à Mayotte" in page
    assert expected.explanation in page
    # The State's 100 % of meat and fish, Mayotte's stage of 2025 for quality products.
    assert "Objectif légal : 100\u00a0%" in page
    assert "Objectif légal : 5\u00a0%" in page
    assert "Objectif légal : 50\u00a0%" not in page
    history = text(client.get(url("history", cast)))
    assert "Profil EGAlim" in history and "Mayotte" in history


def test_a_reader_may_not_change_the_profile(cast: Cast) -> None:
    response = client_for(cast.reader).post(
        url("profile", cast), {"buyer": "etat", "territory": "mayotte"}
    )
    assert response.status_code == 403
    page = text(client_for(cast.reader).get(url("dashboard", cast)))
    assert "Modifier le gestionnaire" not in page
