"""Every signature block writes who signs the same way: « Le Maire, » over « Claire MARTIN »,
« Claire MARTIN, maire » on the DAJ forms' line, never « Maire, » with a dangling comma."""

from __future__ import annotations

import pytest

from openamo.documents.signatory import represented, signature


@pytest.mark.parametrize(
    ("name", "title", "closing", "inline"),
    [
        ("Claire Martin", "Maire", "Le Maire,", "Claire MARTIN, maire"),
        ("Claire Martin", "La maire", "La Maire,", "Claire MARTIN, maire"),
        ("Mme Claire Martin, maire", None, "Le Maire,", "Claire MARTIN, maire"),
        (
            "Jean DE LA TOUR",
            "adjoint au maire",
            "L'Adjoint au maire,",
            "Jean DE LA TOUR, adjoint au maire",
        ),
        ("Paul Durand", "président", "Le Président,", "Paul DURAND, président"),
        (None, "Madame la Maire", "Madame la Maire", "Madame la Maire"),
        ("Claire Martin", None, "", "Claire MARTIN"),
        (None, None, "", ""),
    ],
)
def test_capacity_with_its_article_then_first_name_and_surname_in_capitals(
    name: str | None, title: str | None, closing: str, inline: str
) -> None:
    who = signature(name, title)
    assert who.closing == closing
    assert who.inline == inline


def test_after_represented_by_the_article_is_lower_case_and_the_gender_follows_the_buyer() -> None:
    assert signature(None, "Maire").represented_by == "le Maire"
    assert signature(None, "Madame la Maire").represented_by == "Madame la Maire"
    assert signature("Claire Martin", "Maire").represented_by == "Claire MARTIN, maire"
    assert represented("Commune de Saint-Exemple") == "représentée"
    assert represented("Département de l'Exemple") == "représenté"


@pytest.mark.parametrize(
    ("name", "surname_first"),
    [
        ("Jean-Pierre Le Gall-Dupont", "Jean-Pierre LE GALL-DUPONT"),
        ("M. Jean-Pierre Le Gall-Dupont", "Jean-Pierre LE GALL-DUPONT"),
        ("Marie-Hélène de la Tour", "Marie-Hélène DE LA TOUR"),
        ("Jeanne d'Arc", "Jeanne D'ARC"),
        ("Anne-Sophie van der Berg", "Anne-Sophie VAN DER BERG"),
        ("Jean Pierre Martin", "Jean Pierre MARTIN"),
        ("Marie-Hélène DE LA TOUR", "Marie-Hélène DE LA TOUR"),
    ],
)
def test_a_compound_surname_is_written_whole_in_capitals_from_its_particle(
    name: str, surname_first: str
) -> None:
    who = signature(name, "Maire")
    assert who.name == surname_first
    assert f"{who.closing} {who.name}" == f"Le Maire, {surname_first}"
