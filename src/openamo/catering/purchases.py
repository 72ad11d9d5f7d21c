"""``amo egalim import``: a ma cantine purchase file → validated purchases → EGAlim ratios.

All or nothing by default: a file with a bad line raises one :class:`OpenAMOError` listing every
bad line (``lines``: {line, field, message}); with ``partial=True`` the good lines are used and
the bad ones reported in ``errors``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from openamo.catering.enums import CateringBuyer, Territory
from openamo.catering.importer import ImportedPurchase, ParsedFile, parse_purchases
from openamo.catering.models import (
    Compliance,
    ImportResult,
    LineError,
    MonthRatios,
    Period,
    YearRatios,
)
from openamo.catering.ratios import Counted, LabelCalendar, build_result, count_purchase
from openamo.errors import ErrorDetail, OpenAMOError
from openamo.wording import count

MAX_LISTED_ERRORS = 10_000
IMPORT_REFERENCE = (
    "Format d'import des achats de la plateforme ma cantine (modèle « achats » par SIRET, "
    "github.com/betagouv/ma-cantine)"
)


def counted(purchases: list[ImportedPurchase], calendar: LabelCalendar) -> list[Counted]:
    return [
        count_purchase(p.family, p.amount_ht, p.labels, None, p.date, calendar) for p in purchases
    ]


def reject(parsed: ParsedFile) -> OpenAMOError:
    listed = parsed.errors[:MAX_LISTED_ERRORS]
    lines = {int(str(e["line"])) for e in parsed.errors}
    more = len(parsed.errors) - len(listed)
    return OpenAMOError(
        f"Le fichier contient {count(len(lines), 'ligne invalide')} "
        f"({count(len(parsed.errors), 'erreur')}) : rien n'a été importé. Corrigez-les, ou importez les seules lignes valides "
        "avec --partial." + (f" ({more} erreurs supplémentaires non listées.)" if more else ""),
        code="invalid_file",
        details=[
            ErrorDetail(f"ligne {e['line']}, {e['field']}", str(e["message"])) for e in listed
        ],
        extra={"lines": listed},
    )


def import_purchases(
    content: bytes,
    partial: bool = False,
    buyer: CateringBuyer = CateringBuyer.AUTRE,
    territory: Territory = Territory.METROPOLE,
) -> ImportResult:
    """Parse a ma cantine file and compute its ratios against the targets of this buyer and
    territory (the State's 100 % of meat and fish, the overseas stages)."""
    parsed = parse_purchases(content)
    if parsed.errors and not partial:
        raise reject(parsed)
    if not parsed.purchases:
        if parsed.errors:
            raise reject(parsed)
        raise OpenAMOError("Aucune ligne d'achat dans le fichier.", code="empty")
    calendar = LabelCalendar()
    items = counted(parsed.purchases, calendar)
    first = min(p.date for p in parsed.purchases)
    last = max(p.date for p in parsed.purchases)
    period = Period(start=date(first.year, 1, 1), end=date(last.year, 12, 31))
    warnings = list(parsed.warnings)
    if first.year != last.year:
        warnings.append(
            f"Achats de {first.year} à {last.year} : les objectifs s'apprécient par année civile, "
            "voir « by_year »."
        )
    if parsed.errors:
        warnings.append(
            f"Import partiel : {count(len(parsed.errors), 'erreur')}, lignes invalides écartées."
        )
    base = build_result(items, period, warnings, [IMPORT_REFERENCE], buyer, territory)
    if first.year == last.year and last < date(last.year, 12, 1):
        base.warnings.append(
            f"Achats jusqu'au {last:%d/%m/%Y} seulement : l'année {last.year} n'est pas complète."
        )
    return ImportResult(
        **base.model_dump(),
        format=parsed.format,
        encoding=parsed.encoding,
        separator=parsed.separator,
        establishments=sorted({p.establishment for p in parsed.purchases}),
        errors=[
            LineError(line=int(str(e["line"])), field=str(e["field"]), message=str(e["message"]))
            for e in parsed.errors
        ],
        by_year=_by_year(parsed.purchases, items, buyer, territory),
        by_month=_by_month(parsed.purchases, items),
    )


def _by_year(
    purchases: list[ImportedPurchase],
    items: list[Counted],
    buyer: CateringBuyer,
    territory: Territory,
) -> list[YearRatios]:
    groups: dict[int, list[Counted]] = defaultdict(list)
    for purchase, item in zip(purchases, items, strict=True):
        groups[purchase.date.year].append(item)
    result = []
    for year, group in sorted(groups.items()):
        period = Period(start=date(year, 1, 1), end=date(year, 12, 31))
        ratios = build_result(group, period, [], [], buyer, territory)
        result.append(
            YearRatios(
                year=year,
                total_ht=ratios.total_ht,
                quality_sustainable_share=ratios.quality_sustainable_share,
                organic_share=ratios.organic_share,
                meat_fish_quality_share=ratios.meat_fish_quality_share,
                compliant=Compliance(**ratios.compliant.model_dump()),
            )
        )
    return result


def _by_month(purchases: list[ImportedPurchase], items: list[Counted]) -> list[MonthRatios]:
    groups: dict[str, list[Counted]] = defaultdict(list)
    for purchase, item in zip(purchases, items, strict=True):
        groups[f"{purchase.date:%Y-%m}"].append(item)
    result = []
    for month, group in sorted(groups.items()):
        year, number = int(month[:4]), int(month[5:])
        period = Period(start=date(year, number, 1), end=date(year, number, 1))
        ratios = build_result(group, period, [], [])
        result.append(
            MonthRatios(
                month=month,
                total_ht=ratios.total_ht,
                quality_sustainable_share=ratios.quality_sustainable_share,
                organic_share=ratios.organic_share,
                meat_fish_quality_share=ratios.meat_fish_quality_share,
            )
        )
    return result
