"""Demonstration purchases of Saint-Exemple's school catering: last calendar year, about 420
meals a school day (two schools and the multi-accueil) and the holiday centre in summer, about
190 000 € HT of food. Around 24 % bio and, in most months, just under 50 % of sustainable and
quality products, with a dip in February and November (Label Rouge chicken and HVE apples out
of stock, replaced by standard products): the commune reaches the bio and meat-fish targets,
not the 50 %.

January to September arrive as the kitchen's ma cantine spreadsheet (import with its preview);
October to December are typed by the catering manager, the contractor's deliveries linked to
its contract when one is in force. A forecast of the 2027 DQE is attached to the catering
operation. Everything goes through the services (domain, audit trail); nothing is done twice.
"""

from __future__ import annotations

import calendar
import csv
import datetime
import io
from dataclasses import dataclass, replace
from decimal import Decimal

from openamo.money import to_cents
from openamo.web.catering import services
from openamo.web.catering.access import BuyerAccess, buyer_access
from openamo.web.catering.models import Forecast, Purchase
from openamo.web.catering.requests import PurchaseEntry
from openamo.web.contracts.models import Contract
from openamo.web.demo_context import DemoContext
from openamo.web.users import AuthenticatedUser

KITCHEN_SIRET = "21999900000017"
"""Fictitious SIRET of the « cuisine centrale de Saint-Exemple » (valid check digit)."""
MEALS_PER_DAY = 420
FOOD_COST_PER_MEAL = Decimal("2.60")
HOLIDAY_CENTRE_MEALS = {7: 1100, 8: 1300}
"""Meals of the holiday centre (about 90 children a day) when the schools are closed."""
SCHOOL_DAYS = {1: 18, 2: 14, 3: 20, 4: 13, 5: 15, 6: 20, 7: 4, 8: 0, 9: 21, 10: 14, 11: 18, 12: 14}
DIP_MONTHS = {2, 11}
IMPORTED_MONTHS = range(1, 10)
IMPORT_COLUMNS = [
    "siret",
    "description",
    "fournisseur",
    "date",
    "prix_ht",
    "famille_produits",
    "categories_egalim",
    "origine",
    "est_circuit_court",
    "est_local",
    "definition_local",
]
IMPORT_FILE = "achats_cuisine_centrale_janvier_septembre.csv"
FORECAST_TITLE = "DQE 2027 — offre de référence des quatre lots"
CONTRACTOR = "Restauration du Val SAS"


@dataclass(frozen=True)
class Line:
    share: str
    family: str
    product: str
    supplier: str
    labels: tuple[str, ...] = ()
    local: str = ""
    substitute: tuple[str, str] | None = None
    """(product, supplier) delivered instead, without label, in the months of shortage."""


LINES = [
    Line("0.035", "viandes_volailles", "Steaks hachés de bœuf bio surgelés", CONTRACTOR, ("bio",)),
    Line("0.055", "viandes_volailles", "Sauté de veau Label Rouge", CONTRACTOR, ("label_rouge",)),
    Line(
        "0.050",
        "viandes_volailles",
        "Filets de poulet Label Rouge",
        CONTRACTOR,
        ("label_rouge",),
        substitute=("Filets de poulet (origine UE)", CONTRACTOR),
    ),
    Line("0.040", "viandes_volailles", "Rôti de porc", "Boucherie Génin"),
    Line(
        "0.040",
        "produits_de_la_mer",
        "Filets de lieu noir MSC",
        "Marée Atlantique",
        ("peche_durable",),
    ),
    Line("0.030", "produits_de_la_mer", "Poisson pané", CONTRACTOR),
    Line(
        "0.070",
        "fruits_et_legumes",
        "Carottes, poireaux et pommes de terre bio",
        "Légumerie du Val",
        ("bio",),
        local="DEPARTEMENT",
    ),
    Line(
        "0.045",
        "fruits_et_legumes",
        "Pommes et poires HVE",
        "Vergers du Coteau",
        ("hve",),
        local="DEPARTEMENT",
        substitute=("Pommes (origine UE)", CONTRACTOR),
    ),
    Line("0.080", "fruits_et_legumes", "Légumes surgelés", CONTRACTOR),
    Line(
        "0.040",
        "fruits_et_legumes",
        "Fruits de saison de producteurs voisins",
        "Marché de gros",
        local="REGION",
    ),
    Line("0.050", "produits_laitiers", "Yaourts nature bio", "Laiterie du Plateau", ("bio",)),
    Line("0.025", "produits_laitiers", "Comté AOP", "Fromagerie Bressane", ("aocaop",)),
    Line("0.050", "produits_laitiers", "Lait, beurre et crème", CONTRACTOR),
    Line("0.020", "produits_laitiers", "Œufs plein air bio", "Ferme des Tilleuls", ("bio",)),
    Line("0.035", "boulangerie", "Pain bio", "Boulangerie du Centre", ("bio",), local="COMMUNE"),
    Line("0.040", "boulangerie", "Pâtisseries et viennoiseries", CONTRACTOR),
    Line("0.020", "charcuterie", "Jambon blanc Label Rouge", CONTRACTOR, ("label_rouge",)),
    Line(
        "0.015",
        "boissons",
        "Jus de fruits équitables",
        "Épicerie Solidaire",
        ("commerce_equitable",),
    ),
    Line("0.030", "autres", "Pâtes, riz et légumineuses bio", CONTRACTOR, ("bio",)),
    Line("0.230", "autres", "Épicerie : conserves, sauces, condiments", CONTRACTOR),
]

FORECAST_DQE = [
    ("Steaks hachés de bœuf bio", "VIANDES_VOLAILLES", "11,90", "1500", "BIO"),
    ("Sauté de veau Label Rouge", "VIANDES_VOLAILLES", "16,80", "650", "LABEL_ROUGE"),
    ("Filets de poulet Label Rouge", "VIANDES_VOLAILLES", "12,40", "750", "LABEL_ROUGE"),
    ("Filets de lieu noir MSC", "PRODUITS_DE_LA_MER", "13,50", "560", "PECHE_DURABLE"),
    ("Légumes frais bio", "FRUITS_ET_LEGUMES", "1,85", "9000", "BIO"),
    ("Fruits HVE", "FRUITS_ET_LEGUMES", "2,10", "4200", "HVE"),
    ("Légumes surgelés", "FRUITS_ET_LEGUMES", "2,30", "6500", ""),
    ("Yaourts nature bio", "PRODUITS_LAITIERS", "0,34", "30000", "BIO"),
    ("Fromages AOP", "PRODUITS_LAITIERS", "11,20", "420", "AOCAOP"),
    ("Pain bio", "BOULANGERIE", "3,60", "1900", "BIO"),
    ("Épicerie", "AUTRES", "3,10", "11000", ""),
]


def load(context: DemoContext) -> None:
    manager = context.users["paul.lefevre"]
    access = buyer_access(manager, context.commune.pk)
    year = context.reference_day.year - 1
    if not Purchase.objects.filter(organisation=context.commune, date__year=year).exists():
        _import_spreadsheet(access, manager, year)
        _type_last_months(access, manager, year, _contract(context))
    _forecast(context)


def _month_lines(year: int, month: int) -> list[PurchaseEntry]:
    """The month's purchases: its budget (meals × cost) spread over the lines."""
    meals = SCHOOL_DAYS[month] * MEALS_PER_DAY + HOLIDAY_CENTRE_MEALS.get(month, 0)
    budget = FOOD_COST_PER_MEAL * meals
    last = calendar.monthrange(year, month)[1]
    found = []
    for i, line in enumerate(LINES):
        # Deliveries vary a little from month to month (± 4 %), as real invoices do.
        factor = 1 + Decimal((month * 7 + i * 3) % 9 - 4) / 100
        product, supplier, labels = line.product, line.supplier, line.labels
        if month in DIP_MONTHS and line.substitute is not None:
            (product, supplier), labels = line.substitute, ()
        day = datetime.date(year, month, 1 + (i * 17 + month * 5) % last)
        while day.weekday() >= 5:
            day -= datetime.timedelta(days=1 if day.day > 1 else -2)
        found.append(
            PurchaseEntry(
                date=day,
                family=line.family,
                description=product,
                supplier=supplier,
                amount_ht=to_cents(budget * Decimal(line.share) * factor),
                labels=labels,
                establishment=KITCHEN_SIRET,
                origin="france" if line.local else "",
                local=bool(line.local),
                local_definition=line.local.lower(),
            )
        )
    return found


def _import_spreadsheet(access: BuyerAccess, user: AuthenticatedUser, year: int) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(IMPORT_COLUMNS)
    for month in IMPORTED_MONTHS:
        for p in _month_lines(year, month):
            local = p.local_definition.upper()
            writer.writerow(
                [
                    p.establishment,
                    p.description,
                    p.supplier,
                    f"{p.date:%d/%m/%Y}",
                    f"{p.amount_ht:.2f}".replace(".", ","),
                    p.family.upper(),
                    ",".join(code.upper() for code in p.labels),
                    "FRANCE" if local else "",
                    "oui" if local in {"COMMUNE", "DEPARTEMENT"} else "non",
                    "oui" if local else "non",
                    local,
                ]
            )
    # Excel on Windows saves a « CSV (point-virgule) » in Windows-1252.
    content = buffer.getvalue().encode("cp1252")
    found = services.upload_purchases(access, user, IMPORT_FILE, content)
    services.confirm_import(access, user, found, partial=False, again=False)


def _type_last_months(
    access: BuyerAccess, user: AuthenticatedUser, year: int, contract: Contract | None
) -> None:
    for month in range(IMPORTED_MONTHS.stop, 13):
        for p in _month_lines(year, month):
            linked = (
                contract is not None and p.supplier == CONTRACTOR and contract.notified_on <= p.date
            )
            services.create_purchase(
                access, user, replace(p, contract=contract if linked else None)
            )


def _contract(context: DemoContext) -> Contract | None:
    """The commune's contract held by the catering contractor, if the contracts app made one."""
    return (
        Contract.objects.alive()
        .filter(organisation=context.commune, holder_organisation=context.contractor)
        .order_by("notified_on", "pk")
        .first()
    )


def _forecast(context: DemoContext) -> None:
    if Forecast.objects.filter(organisation=context.commune, title=FORECAST_TITLE).exists():
        return
    consultant = context.users["alice.bernard"]
    services.create_forecast(
        buyer_access(consultant, context.commune.pk),
        consultant,
        title=FORECAST_TITLE,
        year=2027,
        operation=context.catering,
        file_name="dqe_restauration_2027.csv",
        content=_dqe_csv(),
    )


def _dqe_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["designation", "famille_produits", "prix_unitaire_ht", "quantite", "categories_egalim"]
    )
    writer.writerows(FORECAST_DQE)
    return buffer.getvalue().encode("utf-8")
