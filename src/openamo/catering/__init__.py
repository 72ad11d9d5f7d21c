"""Collective catering: EGAlim ratios (CRPM L230-5-1), import of ma cantine purchase files,
exports for the national declaration, forecast from a catering DQE. Pure Python: targets and
label validity come from ``openamo.law``.
"""

from openamo.catering.enums import Category, Family, Label
from openamo.catering.export import declaration_csv, purchases_csv
from openamo.catering.forecast import forecast, forecast_from_dict
from openamo.catering.importer import ImportedPurchase, ParsedFile, parse_purchases
from openamo.catering.models import (
    ForecastInput,
    ForecastResult,
    ImportResult,
    PurchaseInput,
    RatiosInput,
    RatiosResult,
)
from openamo.catering.purchases import import_purchases
from openamo.catering.ratios import ratios, ratios_from_dict

__all__ = [
    "Category",
    "Family",
    "ForecastInput",
    "ForecastResult",
    "ImportResult",
    "ImportedPurchase",
    "Label",
    "ParsedFile",
    "PurchaseInput",
    "RatiosInput",
    "RatiosResult",
    "declaration_csv",
    "forecast",
    "forecast_from_dict",
    "import_purchases",
    "parse_purchases",
    "purchases_csv",
    "ratios",
    "ratios_from_dict",
]
