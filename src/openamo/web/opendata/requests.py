"""What the buyer records on the essential-data page, typed: the form produces it
(``form.to_input()``) and ``services.save_essential`` takes it."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class EssentialEntry:
    """The DECP fields the contract's file does not hold (a blank text stays blank;
    ``offers_received=None``: not known)."""

    cpv: str = ""
    procedure: str = ""
    place_code: str = ""
    place_type: str = "Code commune"
    ccag: str = ""
    offers_received: int | None = None
    price_shape: str = ""

    def columns(self) -> dict[str, str | int | None]:
        """The :class:`~openamo.web.opendata.models.EssentialData` columns, by name."""
        return asdict(self)
