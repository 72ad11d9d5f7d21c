"""Turn the domain's EGAlim results and the stored purchases into what the DSFR templates show:
indicators against the targets, charts, tables."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from openamo import law
from openamo.catering import RatiosResult
from openamo.catering.enums import Category, Family
from openamo.catering.models import DqeLine, LineError
from openamo.catering.ratios import TARGETS
from openamo.catering.text import FORMAT_NAMES
from openamo.money import format_euros, format_share
from openamo.web.catering.access import BuyerAccess
from openamo.web.catering.models import FAMILY_LABELS, LABEL_NAMES, Purchase
from openamo.web.catering.queries import YearRatios
from openamo.web.charts import Chart, Series, Threshold, bar_chart, line_chart
from openamo.web.tables import Cell, Table, links

SHORT_MONTHS = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]
SHORT_FAMILIES = {
    Family.VIANDES_VOLAILLES: "Viandes",
    Family.CHARCUTERIE: "Charcut.",
    Family.PRODUITS_DE_LA_MER: "Poissons",
    Family.FRUITS_ET_LEGUMES: "Fruits, lég.",
    Family.PRODUITS_LAITIERS: "Laitiers",
    Family.BOULANGERIE: "Boulang.",
    Family.BOISSONS: "Boissons",
    Family.AUTRES: "Épicerie",
}
CATEGORY_LABELS = {
    Category.BIO: "Agriculture biologique",
    Category.SIQO: "Signes officiels de qualité (Label Rouge, AOC/AOP, IGP, STG)",
    Category.EGALIM_AUTRES: (
        "Autres labels EGAlim (HVE, pêche durable, RUP, fermier, commerce équitable)"
    ),
    Category.EXTERNALITES_PERFORMANCE: "Externalités et performances environnementales",
    Category.NON_EGALIM: "Hors catégories EGAlim",
}
FORMAT_LABELS = FORMAT_NAMES
LABELS_HELP = (
    "Cochez tous les labels et mentions du produit. Un produit ne compte qu'une fois dans les "
    "produits durables et de qualité, quel que soit son nombre de labels (pas de double "
    "compte) ; un produit bio compte aussi dans la part bio. Les mentions « local », "
    "« circuit court » ou « origine France » ne sont pas des labels EGAlim."
)


@dataclass(frozen=True)
class Ratio:
    """One EGAlim target as the domain's result names it."""

    key: str
    percent_attr: str
    target_key: str
    title: str
    base: str


RATIOS = [
    Ratio(
        "quality_50",
        "quality_sustainable_percent",
        "quality",
        "Produits durables et de qualité",
        "des achats alimentaires HT",
    ),
    Ratio("organic_20", "organic_percent", "organic", "dont produits bio", "des achats HT"),
    Ratio(
        "meat_fish_60",
        "meat_fish_quality_percent",
        "meat_fish",
        "Viandes et poissons durables et de qualité",
        "des achats de viandes et poissons HT",
    ),
]


def french_percent(value: Decimal | str) -> str:
    text = f"{Decimal(value):.2f}".replace(".", ",")
    return (text[:-3] if text.endswith(",00") else text) + "\u00a0%"


def targets_on(day: datetime.date) -> dict[str, str]:
    """The EGAlim targets in force on ``day``, for French sentences (from the law parameters)."""
    rules = law.at(day)
    return {key: format_share(Decimal(str(rules.value(path)))) for key, path in TARGETS.items()}


def target_percent(result: RatiosResult, ratio: Ratio) -> Decimal:
    """The legal target (read from the law by the domain), in percent."""
    return Decimal(result.targets[ratio.target_key]) * 100


@dataclass(frozen=True)
class Indicator:
    """One EGAlim ratio against its target, with what is missing to reach it."""

    key: str
    title: str
    base: str
    percent: str
    target: str
    compliant: bool
    missing: str


def indicators(result: RatiosResult) -> list[Indicator]:
    """The three ratios against their targets, with what is missing to reach them."""
    compliant = result.compliant.model_dump()
    rows = []
    for ratio in RATIOS:
        missing = result.missing_ht[ratio.key]
        rows.append(
            Indicator(
                key=ratio.key,
                title=ratio.title,
                base=ratio.base,
                percent=french_percent(getattr(result, ratio.percent_attr)),
                target=french_percent(target_percent(result, ratio)),
                compliant=bool(compliant[ratio.key]),
                missing=format_euros(missing) if missing else "",
            )
        )
    return rows


def ratio_charts(year: YearRatios) -> list[Chart]:
    """Each ratio month by month and cumulated since January, against its target."""
    charts = []
    for ratio in RATIOS:
        monthly: list[tuple[str, Decimal]] = []
        cumulative: list[tuple[str, Decimal]] = []
        for item in year.months:
            label = SHORT_MONTHS[item.month - 1]
            if _counted(item.monthly, ratio):
                monthly.append((label, Decimal(getattr(item.monthly, ratio.percent_attr))))
            if _counted(item.cumulative, ratio):
                cumulative.append((label, Decimal(getattr(item.cumulative, ratio.percent_attr))))
        charts.append(
            line_chart(
                f"{ratio.title} en {year.year} (en % {ratio.base})",
                [Series("Chaque mois", monthly), Series("Cumul depuis janvier", cumulative)],
                thresholds=[
                    Threshold("Objectif légal", target_percent(year.result, ratio)),
                ],
                unit="%",
                y_max=Decimal(100),
            )
        )
    return charts


def _counted(result: RatiosResult, ratio: Ratio) -> bool:
    """A month without purchases (or without meat and fish) has no ratio to draw."""
    if ratio.key == "meat_fish_60":
        return result.meat_fish_ht > 0
    return result.total_ht > 0


def family_chart(result: RatiosResult) -> Chart:
    totals: list[tuple[str, Decimal]] = []
    quality: list[tuple[str, Decimal]] = []
    organic: list[tuple[str, Decimal]] = []
    for code, values in result.by_family.items():
        name = SHORT_FAMILIES[Family(code)]
        totals.append((name, values.total_ht))
        quality.append((name, values.quality_sustainable_ht))
        organic.append((name, values.organic_ht))
    return bar_chart(
        f"Achats HT par famille de produits en {result.period.start.year}",
        [
            Series("Total HT", totals),
            Series("dont durables et de qualité", quality),
            Series("dont bio", organic),
        ],
        unit="€",
    )


def families_table(result: RatiosResult) -> Table:
    rows: list[list[Cell]] = []
    for code, values in result.by_family.items():
        share = values.quality_sustainable_ht / values.total_ht * 100 if values.total_ht else 0
        rows.append(
            [
                {"text": FAMILY_LABELS[Family(code)]},
                {"text": format_euros(values.total_ht)},
                {"text": format_euros(values.quality_sustainable_ht)},
                {"text": format_euros(values.organic_ht)},
                {"text": french_percent(Decimal(share).quantize(Decimal("0.01")))},
            ]
        )
    header = ["Famille", "Total HT", "Durables et de qualité", "dont bio", "Part de qualité"]
    return {"header": header, "rows": rows}


def categories_table(result: RatiosResult) -> Table:
    """Amounts by EGAlim category, each purchase counted once (ma cantine's order)."""
    rows: list[list[Cell]] = []
    for category in Category:
        amount = result.by_category.get(category.value, Decimal(0))
        share = amount / result.total_ht * 100 if result.total_ht else Decimal(0)
        rows.append(
            [
                {"text": CATEGORY_LABELS[category]},
                {"text": format_euros(amount)},
                {"text": french_percent(share.quantize(Decimal("0.01")))},
            ]
        )
    return {"header": ["Catégorie", "Montant HT", "Part des achats"], "rows": rows}


def purchases_table(purchases: Iterable[Purchase], access: BuyerAccess) -> Table:
    rows_of = list(purchases)
    # The contract column only when some purchase of the page is linked to one.
    with_contract = any(p.contract_id for p in rows_of)
    header = [
        "Date",
        "Produit",
        "Famille",
        "Fournisseur",
        "Montant HT",
        "Labels",
        "Viandes et poissons",
        *(["Marché"] if with_contract else []),
        *(["Actions"] if access.can_edit else []),
    ]
    rows = []
    for p in rows_of:
        row: list[Cell] = [
            {"text": f"{p.date:%d/%m/%Y}"},
            {"text": p.description},
            {"text": p.get_family_display()},
            {"text": p.supplier or "—"},
            {"text": format_euros(p.amount_ht)},
            {"text": ", ".join(LABEL_NAMES_SHORT.get(c, c) for c in p.label_codes) or "—"},
            {"text": _meat_or_fish(p)},
        ]
        if with_contract:
            contract = p.contract
            row.append({"text": (contract.reference or contract.title) if contract else "—"})
        if access.can_edit:
            row.append(_purchase_links(p))
        rows.append(row)
    return {"header": header, "rows": rows}


def _meat_or_fish(purchase: Purchase) -> str:
    if purchase.is_meat_or_fish is None:
        return ("oui" if Family(purchase.family).meat_or_fish else "non") + " (famille)"
    return "oui" if purchase.is_meat_or_fish else "non"


def _purchase_links(purchase: Purchase) -> Cell:
    args = [purchase.organisation_id, purchase.pk]
    label = f"l'achat « {purchase.description} » du {purchase.date:%d/%m/%Y}"
    return links(
        {"text": "Modifier", "url": reverse("catering:purchase_edit", args=args), "label": label},
        {
            "text": "Supprimer",
            "url": reverse("catering:purchase_delete", args=args),
            "label": label,
        },
    )


LABEL_NAMES_SHORT = {
    "bio": "Bio",
    "label_rouge": "Label Rouge",
    "aocaop": "AOC/AOP",
    "igp": "IGP",
    "stg": "STG",
    "hve": "HVE",
    "certification_environnementale_niveau_2": "Certif. env. niveau 2",
    "peche_durable": "Pêche durable",
    "rup": "RUP",
    "commerce_equitable": "Commerce équitable",
    "fermier": "Fermier",
    "externalites": "Externalités",
    "performance": "Performance env.",
}


def label_choices() -> list[tuple[str, str]]:
    return [(label.value, name) for label, name in LABEL_NAMES.items()]


def errors_table(errors: Iterable[LineError]) -> Table:
    """The bad lines of a file, as the domain reported them (line, column, French message)."""
    rows: list[list[Cell]] = [
        [{"text": str(e.line)}, {"text": e.field}, {"text": e.message}] for e in errors
    ]
    return {"header": ["Ligne", "Champ", "Erreur"], "rows": rows}


def dqe_table(lines: Iterable[DqeLine]) -> Table:
    """The DQE lines of the domain's forecast input (figures written the French way)."""
    rows: list[list[Cell]] = []
    for line in lines:
        labels = [LABEL_NAMES_SHORT.get(label.value, label.value) for label in line.labels]
        rows.append(
            [
                {"text": line.designation},
                {"text": FAMILY_LABELS.get(line.family, line.family.value)},
                {"text": _figure(line.unit_price_ht)},
                {"text": _figure(line.quantity)},
                {"text": ", ".join(labels) or "—"},
            ]
        )
    header = ["Désignation", "Famille", "Prix unitaire HT (€)", "Quantité", "Labels"]
    return {"header": header, "rows": rows}


def _figure(value: Decimal) -> str:
    """``16,80`` or ``900``: a DQE figure as a French spreadsheet shows it."""
    return str(value).replace(".", ",")


@dataclass(frozen=True)
class Compliance:
    """The overall verdict on the three targets, with the amounts measured."""

    compliant: bool
    title: str
    text: str
    total: str
    meat_fish: str


def compliance(result: RatiosResult, what: str) -> Compliance:
    """The overall verdict on the three targets, as the domain decided each of them."""
    flags = result.compliant.model_dump()
    missed = [r.title.removeprefix("dont ").lower() for r in RATIOS if not flags[r.key]]
    if not missed:
        title, text = (
            "Conforme aux trois objectifs EGAlim",
            f"{what} atteignent les trois objectifs.",
        )
    else:
        title = "Non conforme aux objectifs EGAlim"
        target = "l'objectif" if len(missed) == 1 else "les objectifs"
        text = f"{what} n'atteignent pas {target} : " + ", ".join(missed) + "."
    return Compliance(
        compliant=not missed,
        title=title,
        text=text,
        total=format_euros(result.total_ht),
        meat_fish=format_euros(result.meat_fish_ht),
    )


def targets_scope(result: RatiosResult) -> str:
    """Whose targets the ratios were measured against, as a sentence."""
    return (
        f"Objectifs de la {result.buyer.label} {result.territory.located}, selon le profil de "
        "l'acheteur."
    )
