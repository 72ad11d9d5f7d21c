"""The shared cast of the steering tests: the HR software of the Pays de Saint-Exemple."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]


def example(name: str) -> dict[str, Any]:
    """A fresh copy of ``examples/projet_<name>.json`` (tests may mutate it)."""
    data = json.loads((ROOT / "examples" / f"projet_{name}.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return copy.deepcopy(data)


def baseline(**changes: Any) -> dict[str, Any]:
    """A 100 000 € baseline with a 10 % margin, five features and the usual milestones."""
    data: dict[str, Any] = {
        "budget_ht": "100000.00",
        "margin_rate": "0.10",
        "features": [
            {"id": "a", "name": "Dossier agent", "priority": "indispensable"},
            {"id": "b", "name": "Paie", "priority": "indispensable"},
            {"id": "c", "name": "Congés", "priority": "importante"},
            {"id": "d", "name": "Entretiens", "priority": "importante"},
            {"id": "e", "name": "Formations", "priority": "souhaitable"},
            {"id": "x", "name": "Application mobile", "priority": "exclue"},
        ],
        "milestones": [
            {
                "id": "lancement",
                "name": "Lancement",
                "kind": "lancement",
                "planned_on": "2027-01-04",
            },
            {"id": "recette", "name": "Recette", "kind": "recette", "planned_on": "2027-04-05"},
            {
                "id": "mise_en_service",
                "name": "Mise en service",
                "kind": "mise_en_service",
                "planned_on": "2027-05-04",
            },
        ],
        "kpis": [
            {
                "id": "adoption",
                "name": "Adoption du portail",
                "unit": "%",
                "baseline_value": "0",
                "target_value": "80",
                "is_adoption": True,
            }
        ],
    }
    data.update(changes)
    return data


def change(
    ident: str, cost: str, decision: str = "acceptee", on: str = "2027-02-01", **extra: Any
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "id": ident,
        "title": f"Demande {ident}",
        "requested_on": "2027-01-20",
        # A negative cost is a saving: only a removal may make one.
        "kind": "suppression" if cost.startswith("-") else "ajout",
        "cost_ht": cost,
        "value": "moyenne",
        "decision": decision,
    }
    if decision != "en_attente":
        request["decided_on"] = on
    request.update(extra)
    return request
