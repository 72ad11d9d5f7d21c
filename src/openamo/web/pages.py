"""What every page view passes to its template: title and breadcrumb (DSFR data, not markup)."""

from __future__ import annotations

from typing import Any


def page_context(title: str, *crumbs: tuple[str, str], **extra: Any) -> dict[str, Any]:
    """``crumbs`` are (label, url) pairs from the home page down to the parent of this page."""
    return {
        "title": title,
        "breadcrumb_data": {
            "links": [{"title": label, "url": url} for label, url in crumbs],
            "current": title,
        },
        **extra,
    }
