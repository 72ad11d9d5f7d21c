"""The kind of an operation, chosen at its creation, and the modules each kind offers.

A school-catering purchase has nothing to do with IT steering, and a construction project needs
its own tools: the kind decides which sections the operation page shows and which module pages
answer (the others say, in French, that this kind of operation does not offer them).
"""

from __future__ import annotations

import enum

from django.db import models


class OperationKind(models.TextChoices):
    RESTAURATION = "restauration", "Restauration collective"
    INFORMATIQUE = "informatique", "Projet informatique"
    TRAVAUX = "travaux", "Travaux"
    AUTRE = "autre", "Autre achat (fournitures ou services)"


class Module(enum.StrEnum):
    """Optional modules; passation and exécution are offered to every operation."""

    PILOTAGE = "pilotage"
    RESTAURATION = "restauration"
    TRAVAUX = "travaux"


MODULE_LABELS: dict[Module, str] = {
    Module.PILOTAGE: "le pilotage d'un projet informatique",
    Module.RESTAURATION: "le suivi EGAlim de la restauration collective",
    Module.TRAVAUX: "le suivi des travaux",
}

MODULES_BY_KIND: dict[str, frozenset[Module]] = {
    OperationKind.RESTAURATION: frozenset({Module.RESTAURATION}),
    OperationKind.INFORMATIQUE: frozenset({Module.PILOTAGE}),
    OperationKind.TRAVAUX: frozenset({Module.TRAVAUX}),
    OperationKind.AUTRE: frozenset(),
}


def offers(kind: str, module: Module) -> bool:
    return module in MODULES_BY_KIND.get(kind, frozenset())


def not_offered_message(kind: str, module: Module) -> str:
    label = OperationKind(kind).label.lower() if kind in OperationKind.values else "autre"
    return (
        f"Cette opération est de type « {label} » : elle ne propose pas "
        f"{MODULE_LABELS[module]}. Changez son type depuis « Modifier l'opération » si "
        "c'est une erreur."
    )
