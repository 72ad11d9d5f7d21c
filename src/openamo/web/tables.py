"""The rows the shared table partial (``partials/_table.html``) displays, as types.

Presenters build a :class:`Table` of :class:`Cell`; the template reads the same keys, so a
misspelt key or a number where text is expected is a mypy error, not a blank cell.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class Link(TypedDict):
    """A button of an « Actions » cell; ``label`` names its object for screen readers."""

    text: str
    url: str
    label: str


class Badge(TypedDict):
    """A DSFR badge whose label differs from the cell's text."""

    type: str
    label: str


class Cell(TypedDict, total=False):
    """One cell: its text, or a link, buttons, a hint under it, or a badge (a DSFR badge type
    shown with the text, or a :class:`Badge`)."""

    text: str
    url: str
    links: list[Link]
    hint: str
    badge: str | Badge


class Table(TypedDict):
    header: list[str]
    rows: list[list[Cell]]
    total: NotRequired[str | None]


def badge(text: str, kind: str) -> Cell:
    """A cell showing ``text`` as a DSFR badge of type ``kind`` (success, warning, error…)."""
    return {"text": text, "badge": kind}


def links(*items: Link) -> Cell:
    """An « Actions » cell of buttons."""
    return {"links": list(items)}
