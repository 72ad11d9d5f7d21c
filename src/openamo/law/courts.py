"""The administrative court of a buyer, from its postcode: the seat and the ressort of each
tribunal administratif (CJA R221-3, version in force since 9 November 2015, décret n° 2015-1444;
the names of the overseas courts, R221-1), read on Légifrance through doctrine.fr on 07/12/2026.

The remedies of a procurement procedure go to the court of the place where the contract is
performed (CJA R312-11) — for a local authority buying for itself, that of its own department,
read from the first digits of its postcode. A postcode sometimes belongs to a neighbouring
department (a commune served by another post office): a court typed by the user always wins,
and without a postcode nothing is guessed.
"""

from __future__ import annotations

import re

REFERENCE = "CJA R221-3 et R312-11"

_RESSORTS: dict[str, tuple[str, ...]] = {
    "Amiens": ("02", "60", "80"),
    "Bastia": ("20",),  # Corse-du-Sud and Haute-Corse share the postcodes 20xxx
    "Besançon": ("25", "39", "70", "90"),
    "Bordeaux": ("24", "33", "47"),
    "Caen": ("14", "50", "61"),
    "Cergy-Pontoise": ("92", "95"),
    "Châlons-en-Champagne": ("08", "10", "51", "52"),
    "Clermont-Ferrand": ("03", "15", "43", "63"),
    "Dijon": ("21", "58", "71", "89"),
    "Grenoble": ("26", "38", "73", "74"),
    "Lille": ("59", "62"),
    "Limoges": ("19", "23", "36", "87"),
    "Lyon": ("01", "07", "42", "69"),
    "Marseille": ("04", "05", "13"),
    "Melun": ("77", "94"),
    "Montpellier": ("11", "34", "66"),
    "Montreuil": ("93",),
    "Nancy": ("54", "55", "88"),
    "Nantes": ("44", "49", "53", "72", "85"),
    "Nice": ("06",),
    "Nîmes": ("30", "48", "84"),
    "Orléans": ("18", "28", "37", "41", "45"),
    "Paris": ("75",),
    "Pau": ("32", "40", "64", "65"),
    "Poitiers": ("16", "17", "79", "86"),
    "Rennes": ("22", "29", "35", "56"),
    "Rouen": ("27", "76"),
    "Strasbourg": ("57", "67", "68"),
    "Toulon": ("83",),
    "Toulouse": ("09", "12", "31", "46", "81", "82"),
    "Versailles": ("78", "91"),
}
_DEPARTMENTS = {code: seat for seat, codes in _RESSORTS.items() for code in codes}
#: Overseas (R221-1 names them after their territory); Saint-Barthélemy and Saint-Martin share
#: the postcodes of Guadeloupe (97133, 97150).
_OVERSEAS = {
    "97133": "tribunal administratif de Saint-Barthélemy",
    "97150": "tribunal administratif de Saint-Martin",
    "971": "tribunal administratif de la Guadeloupe",
    "972": "tribunal administratif de la Martinique",
    "973": "tribunal administratif de la Guyane",
    "974": "tribunal administratif de La Réunion",
    "975": "tribunal administratif de Saint-Pierre-et-Miquelon",
    "976": "tribunal administratif de Mayotte",
}
_POSTCODE = re.compile(r"^\d{5}$")


def administrative_court(postcode: str | None) -> str | None:
    """« tribunal administratif de Rennes » for 35999; ``None`` for what is not a French
    postcode of a known department."""
    code = (postcode or "").strip()
    if not _POSTCODE.match(code):
        return None
    if code.startswith("97"):
        return _OVERSEAS.get(code) or _OVERSEAS.get(code[:3])
    seat = _DEPARTMENTS.get(code[:2])
    return f"tribunal administratif de {seat}" if seat else None


__all__ = ["REFERENCE", "administrative_court"]
