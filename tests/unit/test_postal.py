"""One reading of a typed French postal address, for the organisation's identity, the award's
letters and the avenant."""

from __future__ import annotations

import pytest

from openamo.postal import PostalAddress, parse_postal_address


def test_an_address_on_lines_gives_its_street_postcode_and_town() -> None:
    found = parse_postal_address("Mairie de Saint-Exemple\n1 place de la Mairie\n44000 Nantes")
    assert found == PostalAddress(
        lines=("Mairie de Saint-Exemple", "1 place de la Mairie", "44000 Nantes"),
        street="Mairie de Saint-Exemple, 1 place de la Mairie",
        postcode="44000",
        town="Nantes",
    )
    assert found.commune == "Nantes"
    assert found.one_line() == "Mairie de Saint-Exemple, 1 place de la Mairie, 44000 Nantes"


def test_what_precedes_the_postcode_on_the_last_line_stays_in_the_street() -> None:
    # The letters' sender used to drop « BP 12 » here, the candidates' addresses kept it.
    found = parse_postal_address("Hôtel de ville\nBP 12, 44000 Nantes")
    assert found.street == "Hôtel de ville, BP 12"
    assert (found.postcode, found.town) == ("44000", "Nantes")


def test_an_address_on_one_line() -> None:
    found = parse_postal_address("  1 place de la Mairie, 44000 Nantes  ")
    assert (found.street, found.postcode, found.town) == ("1 place de la Mairie", "44000", "Nantes")


@pytest.mark.parametrize(
    ("typed", "town", "commune"),
    [
        ("44041 Nantes Cedex 1", "Nantes Cedex 1", "Nantes"),
        ("13331 MARSEILLE CEDEX 03", "MARSEILLE CEDEX 03", "MARSEILLE"),
        ("35042 Rennes cedex", "Rennes cedex", "Rennes"),
        ("76000 Cedex-sur-Mer", "Cedex-sur-Mer", "Cedex-sur-Mer"),
    ],
)
def test_the_cedex_mention_stays_on_the_envelope_not_in_the_commune(
    typed: str, town: str, commune: str
) -> None:
    found = parse_postal_address(f"CS 10001\n{typed}")
    assert found.town == town  # what the address block prints, CEDEX included
    assert found.commune == commune  # « Fait à Nantes, le … »
    assert found.street == "CS 10001"


def test_without_a_postcode_every_line_is_the_street() -> None:
    found = parse_postal_address("1 place de la Mairie\nNantes")
    assert (found.street, found.postcode, found.town, found.commune) == (
        "1 place de la Mairie, Nantes",
        None,
        None,
        None,
    )


def test_a_postcode_followed_by_the_country_is_not_read_as_the_end() -> None:
    found = parse_postal_address("1 place de la Mairie\n44000 Nantes\nFrance")
    assert found.postcode is None
    assert found.street == "1 place de la Mairie, 44000 Nantes, France"


def test_blank_lines_and_spaces_are_left_out() -> None:
    found = parse_postal_address("\n  1 place de la Mairie  \n\n   44000   Nantes \n")
    assert found.lines == ("1 place de la Mairie", "44000   Nantes")
    assert (found.street, found.postcode, found.town) == ("1 place de la Mairie", "44000", "Nantes")


def test_nothing_typed() -> None:
    found = parse_postal_address("  \n ")
    assert found == PostalAddress(lines=(), street="")
    assert found.one_line() == ""
