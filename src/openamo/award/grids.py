"""Marking grids: levels with the justification expected, and the check a mark must pass before
it is saved (the web form and the API call :func:`check_mark` — one truth for every adapter)."""

from __future__ import annotations

from decimal import Decimal

from openamo.award.models import CriterionInput, GridLevel
from openamo.errors import ErrorDetail, OpenAMOError

_LEVELS = (
    (
        Decimal(0),
        "Absent ou hors sujet",
        "Le point n'est pas traité, ou sans rapport avec le besoin.",
    ),
    (
        Decimal("0.25"),
        "Insuffisant",
        "Réponse générique ou incomplète : citer ce qui manque au regard du CCTP.",
    ),
    (
        Decimal("0.5"),
        "Moyen",
        "Réponse conforme mais sans engagement vérifiable : citer les engagements absents.",
    ),
    (
        Decimal("0.75"),
        "Satisfaisant",
        "Réponse précise et adaptée : citer les engagements relevés et leur limite.",
    ),
    (
        Decimal(1),
        "Très satisfaisant",
        "Réponse complète, engagements chiffrés et vérifiables : citer ceux qui font la "
        "différence avec les autres offres.",
    ),
)


def default_grid(scale: Decimal) -> list[GridLevel]:
    """A five-level grid on ``scale`` (0, ¼, ½, ¾, full marks) with the justification expected."""
    return [
        GridLevel(mark=(scale * share).normalize(), label=label, expected=expected)
        for share, label, expected in _LEVELS
    ]


def check_mark(
    criterion: CriterionInput,
    mark: Decimal,
    justification: str | None,
    sub_criterion: str | None = None,
) -> None:
    """Refuse a mark that cannot be saved: out of scale, off the grid, or not justified."""
    where = criterion.name if sub_criterion is None else f"{criterion.name} / {sub_criterion}"
    if criterion.kind.is_price:
        raise OpenAMOError(f"« {where} » : la note du prix est calculée, elle ne se saisit pas.")
    scale, grid = criterion.scale, criterion.grid
    if sub_criterion is not None:
        sub = next((s for s in criterion.sub_criteria if s.name == sub_criterion), None)
        if sub is None:
            raise OpenAMOError(f"Sous-critère inconnu : « {where} ».")
        scale, grid = criterion.sub_scale(sub), sub.grid or grid
    elif criterion.sub_criteria:
        raise OpenAMOError(f"« {where} » se note par sous-critère.")
    problems = []
    if mark < 0 or mark > scale:
        problems.append(f"note {mark} hors du barème (0 à {scale})")
    elif grid and mark not in {level.mark for level in grid}:
        problems.append(
            f"note {mark} absente de la grille ({', '.join(str(g.mark) for g in grid)})"
        )
    if not justification or len(justification.strip()) < 10:
        problems.append("justification écrite obligatoire (au moins une phrase)")
    if problems:
        raise OpenAMOError(
            "La note ne peut pas être enregistrée.",
            code="invalid_mark",
            details=[ErrorDetail(where, problem) for problem in problems],
        )
