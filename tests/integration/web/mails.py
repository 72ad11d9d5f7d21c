"""Reading the links of the e-mails sent during a test (Django's in-memory outbox)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

LINK = re.compile(r"https?://\S+")


def links(message: Any) -> list[str]:
    """The paths of the links in an e-mail's body (without scheme and host)."""
    return [urlparse(url).path for url in LINK.findall(message.body)]


def link_to(message: Any, prefix: str) -> str:
    found = [path for path in links(message) if path.startswith(prefix)]
    assert found, f"pas de lien {prefix} dans : {message.body}"
    return found[0]
