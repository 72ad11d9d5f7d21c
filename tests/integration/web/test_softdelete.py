"""The shared soft delete: a deleted row leaves ``alive()`` and stays readable."""

from __future__ import annotations

import pytest

from openamo.web.award.models import LotAnalysis
from openamo.web.operations.models import Lot, Operation, Share
from openamo.web.softdelete import alive_through

pytestmark = pytest.mark.django_db


def test_soft_delete_keeps_the_row_and_hides_it_from_alive(operation: Operation) -> None:
    lot = Lot.objects.alive().filter(operation=operation).first()
    assert lot is not None and not lot.is_deleted

    lot.soft_delete()

    lot.refresh_from_db()
    assert lot.is_deleted
    assert lot.pk not in Lot.objects.alive().values_list("pk", flat=True)
    assert list(Lot.objects.deleted()) == [lot]
    # The plain manager still sees it: the history and the relations reach it.
    assert Lot.objects.filter(pk=lot.pk).exists()
    assert lot in operation.lots.all()


def test_alive_through_follows_the_relation(operation: Operation) -> None:
    assert Share.objects.filter(alive_through("operation"), operation=operation).exists()

    operation.soft_delete()

    assert not Share.objects.filter(alive_through("operation"), operation=operation).exists()


def test_alive_through_lets_an_empty_nullable_relation_pass(operation: Operation) -> None:
    lot = Lot.objects.filter(operation=operation).first()
    assert lot is not None
    whole = LotAnalysis.objects.create(operation=operation, lot=None)
    LotAnalysis.objects.create(operation=operation, lot=lot)
    lot.soft_delete()

    found = LotAnalysis.objects.filter(alive_through("lot"), operation=operation)

    assert list(found) == [whole]
