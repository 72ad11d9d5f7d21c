"""A mark is saved only with its written justification, within the scale and the grid."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openamo.award import CriterionInput, check_mark, default_grid
from openamo.errors import OpenAMOError

TECH = CriterionInput(name="Valeur technique", weight=Decimal(40), kind="technique")
GRID = CriterionInput.model_validate(
    {
        "name": "Qualité",
        "weight": 30,
        "kind": "qualite",
        "max_score": 10,
        "grid": [g.model_dump() for g in default_grid(Decimal(10))],
    }
)
SUBS = CriterionInput.model_validate(
    {
        "name": "Environnement",
        "weight": 20,
        "kind": "environnement",
        "sub_criteria": [
            {"name": "Emballages", "weight": 10},
            {"name": "Transport", "weight": 10, "max_score": 5},
        ],
    }
)


def test_the_default_grid_has_five_levels_each_with_the_justification_expected() -> None:
    grid = default_grid(Decimal(20))
    assert [level.mark for level in grid] == [0, 5, 10, 15, 20]
    assert all(level.expected for level in grid)


def test_a_justified_mark_within_the_scale_is_accepted() -> None:
    check_mark(TECH, Decimal(14), "Méthodologie détaillée, planning réaliste.")


def test_a_mark_without_justification_cannot_be_saved() -> None:
    with pytest.raises(OpenAMOError) as raised:
        check_mark(TECH, Decimal(14), "  ")
    assert raised.value.code == "invalid_mark"
    assert "justification écrite obligatoire" in str(raised.value)


def test_a_mark_off_the_grid_or_above_the_scale_is_refused() -> None:
    with pytest.raises(OpenAMOError, match="absente de la grille"):
        check_mark(GRID, Decimal(6), "Réponse précise mais incomplète.")
    with pytest.raises(OpenAMOError, match="hors du barème"):
        check_mark(TECH, Decimal(21), "Réponse précise mais incomplète.")


def test_sub_criteria_are_marked_on_their_own_scale() -> None:
    check_mark(SUBS, Decimal(5), "Véhicule électrique pour toutes les tournées.", "Transport")
    with pytest.raises(OpenAMOError, match="hors du barème"):
        check_mark(SUBS, Decimal(6), "Véhicule électrique pour toutes les tournées.", "Transport")
    with pytest.raises(OpenAMOError, match="par sous-critère"):
        check_mark(SUBS, Decimal(5), "Véhicule électrique pour toutes les tournées.")


def test_the_price_mark_is_never_typed_in() -> None:
    price = CriterionInput.model_validate({"name": "Prix", "weight": 60, "kind": "prix"})
    with pytest.raises(OpenAMOError, match="calculée"):
        check_mark(price, Decimal(10), "Peu importe la justification.")
