"""Catering services: purchases and their audit trail, the ratios computed by the domain, the
import of ma cantine files (all or nothing, or the valid lines only when asked), forecasts."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest

from openamo.catering import (
    forecast_from_dict,
    import_purchases,
    parse_purchases,
    ratios_from_dict,
)
from openamo.catering.enums import Family, Label
from openamo.errors import ErrorDetail, OpenAMOError
from openamo.web.audit.models import Action, AuditEvent
from openamo.web.catering import dqe, presenters, queries, services
from openamo.web.catering.mappers import entry_of
from openamo.web.catering.models import LABEL_NAMES, Forecast, Purchase, PurchaseImport
from openamo.web.catering.requests import PurchaseEntry
from openamo.web.operations.access import PermissionRefused
from tests.integration.web.catering_factories import (
    YEAR,
    access_of,
    add_purchase,
    add_quarter,
    fixture,
    quarter_ratios_input,
)
from tests.integration.web.conftest import Cast, fresh


def upload(cast: Cast, name: str, content: bytes | None = None) -> PurchaseImport:
    return services.upload_purchases(
        access_of(cast.mo, cast), fresh(cast.mo), name, content or fixture(name)
    )


def confirm(
    cast: Cast, found: PurchaseImport, *, partial: bool = False, again: bool = False
) -> PurchaseImport:
    return services.confirm_import(
        access_of(cast.mo, cast), fresh(cast.mo), found, partial=partial, again=again
    )


def test_the_year_ratios_are_exactly_the_domains_on_the_same_purchases(cast: Cast) -> None:
    add_quarter(cast)
    year = queries.year_ratios(access_of(cast.mo, cast), YEAR)
    expected = ratios_from_dict(quarter_ratios_input())
    assert year.result == expected
    assert year.result.total_ht == Decimal("12300.00")
    assert [m.month for m in year.months] == [1, 2, 3]
    march = year.months[-1].cumulative
    assert march.quality_sustainable_percent == expected.quality_sustainable_percent


def test_a_month_is_computed_by_the_domain_on_that_month_alone(cast: Cast) -> None:
    add_quarter(cast)
    february = queries.year_ratios(access_of(cast.mo, cast), YEAR).months[1].monthly
    data = quarter_ratios_input()
    data["period"] = {"start": f"{YEAR}-02-01", "end": f"{YEAR}-02-28"}
    data["purchases"] = [p for p in data["purchases"] if p["date"].startswith(f"{YEAR}-02")]
    assert february == ratios_from_dict(data)
    assert february.quality_sustainable_percent == "100.00"


def test_a_deleted_purchase_leaves_the_ratios_but_is_kept_with_its_history(cast: Cast) -> None:
    purchases = add_quarter(cast)
    access = access_of(cast.mo, cast)
    pasta = next(p for p in purchases if p.description == "Pâtes")
    services.delete_purchase(access, fresh(cast.mo), pasta)
    result = queries.year_ratios(access, YEAR).result
    assert result.total_ht == Decimal("8800.00")
    assert result.compliant.quality_50 is True
    assert Purchase.objects.deleted().filter(pk=pasta.pk).exists()
    actions = list(
        AuditEvent.objects.filter(object_type="purchase", object_id=str(pasta.pk)).values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == [Action.CREATE, Action.DELETE]


def test_an_update_records_the_labels_before_and_after(cast: Cast) -> None:
    purchase = add_purchase(cast, day=datetime.date(YEAR, 4, 2), labels=["igp"])
    access = access_of(cast.mo, cast)
    services.update_purchase(
        access,
        fresh(cast.mo),
        purchase,
        replace(entry_of(purchase), labels=("bio", "label_rouge"), amount_ht=Decimal("120.50")),
    )
    event = AuditEvent.objects.filter(object_type="purchase", action=Action.UPDATE).get()
    assert event.before is not None and event.after is not None
    # The history shows the labels' names, never their codes (issue 16.6).
    assert event.before["labels"] == LABEL_NAMES[Label.IGP]
    assert event.after["labels"] == f"{LABEL_NAMES[Label.BIO]}, Label Rouge"
    assert event.after["amount_ht"] == "120.50"
    assert Purchase.objects.get(pk=purchase.pk).label_codes == ["bio", "label_rouge"]


def test_the_meat_and_fish_flag_defaults_from_the_family_in_the_domain(cast: Cast) -> None:
    add_purchase(cast, day=datetime.date(YEAR, 5, 1), family="charcuterie", amount="100.00")
    add_purchase(cast, day=datetime.date(YEAR, 5, 2), family="viandes_volailles", amount="300.00")
    add_purchase(
        cast,
        day=datetime.date(YEAR, 5, 3),
        family="charcuterie",
        amount="50.00",
        labels=["label_rouge"],
        meat_or_fish=True,
    )
    result = queries.year_ratios(access_of(cast.mo, cast), YEAR).result
    assert result.meat_fish_ht == Decimal("350.00")
    assert result.meat_fish_quality_ht == Decimal("50.00")


@pytest.mark.parametrize("reader", ["reader", "firm_reader"])
def test_a_reader_cannot_write_anything(cast: Cast, operation: object, reader: str) -> None:
    purchase = add_purchase(cast, day=datetime.date(YEAR, 1, 3))
    access = access_of(getattr(cast, reader), cast)
    user = fresh(getattr(cast, reader))
    with pytest.raises(PermissionRefused):
        services.create_purchase(access, user, entry_of(purchase))
    with pytest.raises(PermissionRefused):
        services.delete_purchase(access, user, purchase)
    with pytest.raises(PermissionRefused):
        services.upload_purchases(access, user, "a.csv", fixture("achats_bad_une_erreur.csv"))


def test_a_contract_of_another_buyer_cannot_be_linked(cast: Cast) -> None:
    from openamo.web.contracts.models import Contract

    foreign = Contract.objects.create(
        organisation=cast.outsider,
        title="Denrées de Voisinville",
        nature="fournitures",
        procedure="mapa",
        holder_name="Traiteur",
        initial_amount_ht=Decimal("1000"),
        notified_on=datetime.date(YEAR, 1, 1),
    )
    with pytest.raises(PermissionRefused):
        services.create_purchase(
            access_of(cast.mo, cast),
            fresh(cast.mo),
            PurchaseEntry(
                date=datetime.date(YEAR, 1, 2),
                family="autres",
                description="x",
                amount_ht=Decimal(1),
                contract=foreign,
            ),
        )
    assert not Purchase.objects.exists()


def test_a_file_with_a_bad_line_imports_nothing_and_reports_every_bad_line(cast: Cast) -> None:
    found = upload(cast, "achats_bad_lignes_invalides.csv")
    assert found.status == PurchaseImport.Status.PREVIEW
    parsed = parse_purchases(fixture("achats_bad_lignes_invalides.csv"))
    assert found.errors == parsed.errors
    assert found.valid_lines == len(parsed.purchases) == 1
    assert found.invalid_lines == 13
    assert {e["line"] for e in found.errors} == set(range(2, 16)) - {parsed.purchases[0].line}
    assert all(e["message"] and e["field"] for e in found.errors)
    with pytest.raises(OpenAMOError) as raised:
        confirm(cast, found)
    assert raised.value.code == "invalid_file"
    assert not Purchase.objects.exists()
    found.refresh_from_db()
    assert found.status == PurchaseImport.Status.PREVIEW


def test_the_valid_lines_only_are_imported_when_the_user_asks(cast: Cast) -> None:
    found = upload(cast, "achats_bad_une_erreur.csv")
    assert (found.valid_lines, found.invalid_lines) == (1, 1)
    assert found.errors == [
        {
            "line": 3,
            "field": "prix_ht",
            "message": "prix HT « A bad price » illisible (nombre attendu, par exemple 1234.99)",
        }
    ]
    with pytest.raises(OpenAMOError):
        confirm(cast, found)
    assert not Purchase.objects.exists()
    done = confirm(cast, found, partial=True)
    assert done.imported_count == 1 and done.partial
    purchase = Purchase.objects.get()
    assert (purchase.description, purchase.amount_ht, purchase.source_line) == (
        "Pommes, rouges",
        Decimal("90.11"),
        2,
    )
    assert purchase.label_codes == ["bio"]
    event = AuditEvent.objects.get(action=Action.IMPORT)
    assert event.after is not None
    assert event.after["imported_count"] == 1
    assert event.after["rejected_lines"] == 1


@pytest.mark.parametrize(
    ("name", "encoding", "separator"),
    [
        ("achats_good_excel_windows_1252.csv", "Windows-1252 (ISO-8859-1)", "point-virgule"),
        ("achats_good_valeurs_a_rogner.csv", "UTF-8", "virgule"),
        ("achats_good_tabulation.tsv", "UTF-8", "tabulation"),
        ("achats_good_point_virgule_2026.csv", "UTF-8", "point-virgule"),
    ],
)
def test_encodings_and_separators_are_read_by_the_domain(
    cast: Cast, name: str, encoding: str, separator: str
) -> None:
    content = fixture(name)
    found = upload(cast, name)
    assert (found.encoding, found.separator, found.error_count) == (encoding, separator, 0)
    confirm(cast, found)
    expected = import_purchases(content)
    stored = Purchase.objects.all()
    assert sum(p.amount_ht for p in stored) == expected.total_ht
    assert stored.count() == expected.purchases


def test_an_iso_8859_1_file_keeps_its_accents(cast: Cast) -> None:
    content = "\n".join(
        [
            "siret;description;fournisseur;date;prix_ht;famille_produits;categories_egalim",
            "21010034300016;Crème fraîche d'Isigny AOP;Laiterie Sainte-Mère;2025-03-04;"
            "212,40;PRODUITS_LAITIERS;AOCAOP",
        ]
    ).encode("iso-8859-1")
    confirm(cast, upload(cast, "latin1.csv", content))
    purchase = Purchase.objects.get()
    assert purchase.description == "Crème fraîche d'Isigny AOP"
    assert purchase.supplier == "Laiterie Sainte-Mère"


def test_reimporting_the_same_file_needs_an_explicit_confirmation(cast: Cast) -> None:
    confirm(cast, upload(cast, "achats_good_valeurs_a_rogner.csv"))
    second = upload(cast, "achats_good_valeurs_a_rogner.csv")
    assert services.previous_import(second) is not None
    assert any("déjà enregistrés" in w for w in second.warnings)
    with pytest.raises(OpenAMOError) as raised:
        confirm(cast, second)
    assert raised.value.code == "already_imported"
    assert Purchase.objects.count() == 8
    confirm(cast, second, again=True)
    assert Purchase.objects.count() == 16


def test_a_confirmed_import_cannot_be_confirmed_twice(cast: Cast) -> None:
    found = upload(cast, "achats_good_valeurs_a_rogner.csv")
    confirm(cast, found)
    with pytest.raises(OpenAMOError) as raised:
        confirm(cast, found, again=True)
    assert raised.value.code == "already_processed"
    assert Purchase.objects.count() == 8


def test_an_unreadable_header_is_refused_before_any_preview(cast: Cast) -> None:
    with pytest.raises(OpenAMOError) as raised:
        upload(cast, "achats_bad_entete_faute.csv")
    assert raised.value.extra["lines"]
    assert not PurchaseImport.objects.exists()


def test_a_forecast_is_the_domains_and_is_recorded_on_the_operation(
    cast: Cast, operation: object
) -> None:
    content = (
        "designation;famille_produits;prix_unitaire_ht;quantite;categories_egalim\n"
        "Sauté de veau Label Rouge;VIANDES_VOLAILLES;16,80;900;LABEL_ROUGE\n"
        "Carottes bio;FRUITS_ET_LEGUMES;1,45;6000;BIO\n"
        "Emmental;PRODUITS_LAITIERS;8,90;800;\n"
    ).encode()
    forecast = services.create_forecast(
        access_of(cast.mo, cast),
        fresh(cast.mo),
        title="DQE lot 1",
        year=2027,
        operation=operation,  # type: ignore[arg-type]
        file_name="dqe.csv",
        content=content,
    )
    expected = forecast_from_dict(forecast.input)
    assert forecast.result == expected.model_dump(mode="json")
    assert expected.dqe_total_ht == Decimal("30940.00")
    event = AuditEvent.objects.get(object_type="forecast")
    assert event.action == Action.ANALYSE
    assert event.operation_id == operation.pk  # type: ignore[attr-defined]


def test_a_bad_dqe_line_is_located_in_the_file_and_nothing_is_saved(cast: Cast) -> None:
    content = (
        b"designation;famille_produits;prix_unitaire_ht;quantite;categories_egalim\n"
        b"Carottes bio;FRUITS_ET_LEGUMES;1,45;6000;BIO\n"
        b"Poisson;POISSONS;12;100;MSC\n"
    )
    with pytest.raises(OpenAMOError) as raised:
        services.create_forecast(
            access_of(cast.mo, cast),
            fresh(cast.mo),
            title="DQE",
            year=2027,
            operation=None,
            file_name="dqe.csv",
            content=content,
        )
    locations = [line["location"] for line in raised.value.extra["lines"]]
    assert "ligne 3, famille_produits" in locations
    assert any(loc.startswith("ligne 3, categories_egalim") for loc in locations)
    assert not Forecast.objects.exists()


DQE = (
    b"designation;famille_produits;prix_unitaire_ht;quantite;categories_egalim\n"
    b"Saut\xc3\xa9 de veau Label Rouge;VIANDES_VOLAILLES;16,80;900;LABEL_ROUGE\n"
    b"Carottes bio;fruits_et_legumes;1.45;6000;BIO\n"
)


def test_a_stored_forecast_reads_back_its_dqe_typed_and_shows_it(cast: Cast) -> None:
    forecast = services.create_forecast(
        access_of(cast.mo, cast),
        fresh(cast.mo),
        title="DQE lot 1",
        year=2027,
        operation=None,
        file_name="dqe.csv",
        content=DQE,
    )
    lines = Forecast.objects.get(pk=forecast.pk).dqe().lines
    assert [(line.family, line.labels) for line in lines] == [
        (Family.VIANDES_VOLAILLES, [Label.LABEL_ROUGE]),
        (Family.FRUITS_ET_LEGUMES, [Label.BIO]),
    ]
    assert presenters.dqe_table(lines)["rows"] == [
        [
            {"text": "Sauté de veau Label Rouge"},
            {"text": "Viandes et volailles"},
            {"text": "16,80"},
            {"text": "900"},
            {"text": "Label Rouge"},
        ],
        [
            {"text": "Carottes bio"},
            {"text": "Fruits et légumes"},
            {"text": "1,45"},
            {"text": "6000"},
            {"text": "Bio"},
        ],
    ]


def test_a_refused_dqe_is_shown_line_by_line(cast: Cast) -> None:
    with pytest.raises(OpenAMOError) as raised:
        services.create_forecast(
            access_of(cast.mo, cast),
            fresh(cast.mo),
            title="DQE",
            year=2027,
            operation=None,
            file_name="dqe.csv",
            content=DQE + b"Poisson;POISSONS;12;100;\n",
        )
    located = dqe.located(raised.value)
    assert [detail.location for detail in located] == ["ligne 4, famille_produits"]
    plain = OpenAMOError("Fichier illisible.", details=[ErrorDetail("lines", "vide")])
    assert dqe.located(plain) == [ErrorDetail("lines", "vide")]
