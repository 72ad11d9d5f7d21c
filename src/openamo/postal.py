"""French postal addresses as people type them: lines, the last one ending with the postcode
and the commune (« 44000 Nantes », « 44041 Nantes Cedex 1 »).

One reading for every page and document: the organisation's identity, the letters of the
award (buyer, candidates, tenderers), the avenant's header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

POSTCODE_AND_TOWN = re.compile(r"(\d{5})\s+([^\n,]+)\s*$")
"""The end of a French postal address: the postcode and the town, at the end of the last line
(« 44000 Nantes »); a comma or a line after them (« …, France ») and it is not found."""

_CEDEX = re.compile(r"\s+cedex(?:\s+\d{1,3})?\s*$", re.IGNORECASE)
"""The CEDEX mention after the town (« Cedex », « CEDEX 01 »): part of what the envelope
prints, not of the commune's name."""


def commune(town: str) -> str:
    """The commune of a town as the envelope prints it (« Nantes Cedex 1 » → « Nantes »): what
    the « À <commune>, le … » line of a letter names."""
    return _CEDEX.sub("", town).strip() or town


@dataclass(frozen=True)
class PostalAddress:
    """An address split as the documents print it.

    ``street``: what comes before the postcode, on one line (the lines before the last one,
    then what precedes the postcode on the last one), ``""`` when nothing does. ``postcode`` and
    ``town`` (as typed, CEDEX mention included): ``None`` when the last line does not end with
    a French postcode and a town; ``street`` then holds every line.
    """

    lines: tuple[str, ...]
    street: str
    postcode: str | None = None
    town: str | None = None

    @property
    def commune(self) -> str | None:
        """The town without its CEDEX mention, for « À <commune>, le … »."""
        if self.town is None:
            return None
        return commune(self.town)

    def one_line(self) -> str:
        """Every line, separated by commas (« 1 place de la Mairie, 44000 Nantes »)."""
        return ", ".join(self.lines)


def parse_postal_address(text: str) -> PostalAddress:
    """Read an address typed on one or several lines (blank lines and spaces around each line
    ignored)."""
    lines = tuple(line.strip() for line in text.splitlines() if line.strip())
    if not lines:
        return PostalAddress(lines=(), street="")
    town = POSTCODE_AND_TOWN.search(lines[-1])
    if town is None:
        return PostalAddress(lines=lines, street=", ".join(lines))
    before = lines[-1][: town.start()].strip(" ,")
    street = ", ".join(part for part in (*lines[:-1], before) if part)
    return PostalAddress(
        lines=lines, street=street, postcode=town.group(1), town=town.group(2).strip()
    )
