"""Operations created before kinds existed are classified from what their file already shows."""

from __future__ import annotations

import importlib

from django.apps import apps

from openamo.web.operations.kinds import Module, OperationKind, offers
from openamo.web.operations.models import Operation
from openamo.web.steering.models import Framing
from tests.integration.web.conftest import Cast, make_operation

MIGRATION = importlib.import_module("openamo.web.operations.migrations.0005_operation_kind")


def test_existing_operations_get_the_kind_their_file_shows(cast: Cast) -> None:
    catering = make_operation(cast, kind=OperationKind.AUTRE)
    software = make_operation(cast, kind=OperationKind.AUTRE, with_lots=False)
    Operation.objects.filter(pk=software.pk).update(title="Nouveau logiciel de gestion RH")
    framed = make_operation(cast, kind=OperationKind.AUTRE, with_lots=False)
    Operation.objects.filter(pk=framed.pk).update(title="Projet Atlas", description="")
    Framing.objects.create(operation=framed, score=0, risk_level="eleve")
    other = make_operation(cast, kind=OperationKind.INFORMATIQUE, with_lots=False)
    Operation.objects.filter(pk=other.pk).update(title="Nettoyage des locaux")
    other.need.object = "Entretien"
    other.need.save()
    MIGRATION.classify(apps, None)
    kinds = dict(Operation.objects.values_list("pk", "kind"))
    assert kinds == {
        catering.pk: "restauration",
        software.pk: "informatique",
        framed.pk: "informatique",
        other.pk: "autre",
    }


def test_each_kind_offers_its_own_module_only() -> None:
    assert offers(OperationKind.INFORMATIQUE, Module.PILOTAGE)
    assert not offers(OperationKind.RESTAURATION, Module.PILOTAGE)
    assert offers(OperationKind.RESTAURATION, Module.RESTAURATION)
    assert offers(OperationKind.TRAVAUX, Module.TRAVAUX)
    assert not any(offers(OperationKind.AUTRE, module) for module in Module)
