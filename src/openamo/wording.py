"""French counts written out: « 1 offre reçue », « 3 offres reçues », never « offre(s) ».

French takes the singular for 0 and 1 (« 0 offre classée »); the plural form is given whole,
since French plurals are not always the singular plus « s » (« 2 travaux », « 3 lieux »).
"""

from __future__ import annotations


def count(number: int, singular: str, plural: str | None = None) -> str:
    """``count(3, "offre reçue", "offres reçues")`` → « 3 offres reçues »; without ``plural``,
    each word of ``singular`` takes an « s »."""
    if abs(number) < 2:
        return f"{number} {singular}"
    return f"{number} {plural or ' '.join(word + 's' for word in singular.split())}"
