"""Small helpers every construction rule shares to read the law of a date."""

from __future__ import annotations

from datetime import date

from openamo import law
from openamo.errors import LawDataError, OpenAMOError


def rules(day: date, what: str) -> law.LawSnapshot:
    """The law of ``day``, checked to know the CCAG-Travaux 2021 (a clear error before it)."""
    snapshot = law.at(day)
    try:
        snapshot.get("construction.ccag_travaux.decompte_final_delai")
    except LawDataError:
        raise OpenAMOError(
            f"{what} : OpenAMO connaît les délais du CCAG-Travaux 2021, applicable aux "
            f"consultations engagées depuis le 01/04/2021 ; la consultation du {day:%d/%m/%Y} "
            "relève du CCAG de 2009 (vérifiez les délais de votre marché).",
            code="date_out_of_range",
        ) from None
    return snapshot


def days(snapshot: law.LawSnapshot, path: str, override: int | None = None) -> int:
    return override if override is not None else int(snapshot.value(path))


def reference(snapshot: law.LawSnapshot, path: str) -> str:
    return snapshot.reference(path)
