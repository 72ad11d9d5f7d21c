"""Who signs, written the same way in every signature block (letters, acte d'engagement, EXE10).

French administrative usage: the capacity with its article, then the name, first name then
surname in capitals — « Le Maire, » on one line and « Claire MARTIN » under it at the foot of a
letter; « Claire MARTIN, maire » on the DAJ forms' line « Nom, prénom et qualité du
signataire »; « représentée par Claire MARTIN, maire » in a party's identification. The title
may come with its article (« La maire », « Madame la Présidente »): it is kept as written;
without one, « Le » or « L' » is added. A surname already typed in capitals is kept (« Jean DE
LA TOUR »); otherwise the surname starts at its particle (« Marie-Hélène DE LA TOUR », « Jean-Pierre
LE GALL-DUPONT ») or is the last word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ARTICLE = re.compile(r"^(?:(?:le|la|les|madame|monsieur|mme|m\.)\s+|l['’]\s*)", re.IGNORECASE)
_DEFINITE = re.compile(r"^(?:(?:le|la|les)\s|l['’])", re.IGNORECASE)
_CIVILITY = re.compile(r"^(madame|monsieur|mme|mlle|m\.)\s+", re.IGNORECASE)
_VOWELS = "aeiouyhàâéèêëîïôûù"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def capacity(title: str) -> str:
    """« Maire » → « Le Maire », « adjointe au maire » → « L'Adjointe au maire », « La maire »
    → « La Maire »: the capacity as it opens a signature block, its own article kept."""
    title = " ".join(title.split())
    if not title:
        return ""
    bare = bare_title(title)
    articles = title[: len(title) - len(bare)]
    if not articles:
        articles = "L'" if bare[0].lower() in _VOWELS else "Le "
    return _capitalise(articles) + _capitalise(bare)


def bare_title(title: str) -> str:
    """The title without its article nor civility, in lower case at its start: « maire »."""
    title = " ".join(title.split())
    while True:
        match = _ARTICLE.match(title)
        if match is None:
            break
        title = title[match.end() :]
    return title[:1].lower() + title[1:]


_PARTICLES = {"de", "du", "des", "d'", "d’", "le", "la", "les", "van", "von", "der", "den"}
_PARTICLES |= {"di", "da", "del", "della", "dos", "ben", "el", "al", "ter", "ten"}


def _is_particle(word: str) -> bool:
    lowered = word.lower()
    return lowered in _PARTICLES or (lowered.startswith(("d'", "d’")) and len(lowered) > 2)


def person(name: str) -> str:
    """« Claire Martin » → « Claire MARTIN »; « Mme Claire Martin » loses its civility (the
    capacity says who signs); a name with a surname in capitals is kept. The surname starts at
    its particle when it has one (« Jean-Pierre Le Gall-Dupont » → « Jean-Pierre LE
    GALL-DUPONT », « Marie-Hélène de la Tour » → « Marie-Hélène DE LA TOUR », « Jeanne d'Arc »
    → « Jeanne D'ARC »), else it is the last word (a hyphenated one whole)."""
    name = _CIVILITY.sub("", " ".join(name.split()))
    words = name.split(" ")
    if not name or any(len(w) > 1 and w.isupper() for w in words):
        return name
    if len(words) == 1:
        return name
    start = next(
        (index for index in range(1, len(words) - 1) if _is_particle(words[index])),
        len(words) - 1,
    )
    return " ".join([*words[:start], *(word.upper() for word in words[start:])])


@dataclass(frozen=True)
class Signature:
    """One signatory: ``closing`` and ``name`` are the two lines at the foot of a letter,
    ``inline`` the DAJ forms' « Nom, prénom et qualité du signataire »."""

    capacity: str
    name: str
    title: str

    @property
    def closing(self) -> str:
        """« Le Maire, » (the comma announces the name under it; none without a name)."""
        if not self.capacity:
            return ""
        return f"{self.capacity}," if self.name else self.capacity

    @property
    def inline(self) -> str:
        if self.name and self.title:
            return f"{self.name}, {self.title}"
        return self.name or self.capacity

    @property
    def represented_by(self) -> str:
        """After « représentée par »: « Claire MARTIN, maire », « le Maire » or « Madame la
        Maire »."""
        if self.name:
            return self.inline
        if _DEFINITE.match(self.capacity):
            return self.capacity[:1].lower() + self.capacity[1:]
        return self.capacity


_FEMININE = (
    "commune",
    "communauté",
    "métropole",
    "région",
    "ville",
    "collectivité",
    "agglomération",
    "direction",
    "université",
    "chambre",
    "caisse",
    "préfecture",
)


def represented(party: str) -> str:
    """« La commune … représentée », « le département … représenté »: the name decides."""
    return "représentée" if party.strip().lower().startswith(_FEMININE) else "représenté"


def signature(name: str | None, title: str | None) -> Signature:
    """The signatory ``name`` in capacity ``title`` (either may be missing); a name typed with
    its capacity after a comma (« Mme Claire Martin, maire ») is split."""
    if name and not title and "," in name:
        name, title = (part.strip() for part in name.split(",", 1))
    return Signature(
        capacity=capacity(title or ""),
        name=person(name or ""),
        title=bare_title(title or ""),
    )


__all__ = ["Signature", "bare_title", "capacity", "person", "represented", "signature"]
