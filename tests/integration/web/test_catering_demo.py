"""The demonstration year of Saint-Exemple's school catering: realistic figures, computed by the
domain, loaded once through the services (import, entries, forecast, audit trail)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from openamo.web.audit.models import Action, AuditEvent
from openamo.web.catering import queries
from openamo.web.catering.access import buyer_access
from openamo.web.catering.models import Forecast, Purchase, PurchaseImport
from openamo.web.demo import COMMUNE, load_demo
from openamo.web.organisations.models import Organisation
from tests import clock
from tests.integration.web.conftest import fresh

pytestmark = pytest.mark.usefixtures("frozen_today")


def test_the_demo_year_is_realistic_and_loaded_once(db: None, tmp_path: Path) -> None:
    credentials = tmp_path / "demo-credentials.json"
    load_demo(credentials)
    counts = (Purchase.objects.count(), PurchaseImport.objects.count(), Forecast.objects.count())
    load_demo(credentials)
    assert (
        Purchase.objects.count(),
        PurchaseImport.objects.count(),
        Forecast.objects.count(),
    ) == counts

    from django.contrib.auth import get_user_model

    commune = Organisation.objects.get(name=COMMUNE)
    manager = fresh(get_user_model().objects.get(username="paul.lefevre"))
    year = clock.TODAY.year - 1
    data = queries.year_ratios(buyer_access(manager, commune.pk), year)
    result = data.result
    assert Decimal(180_000) <= result.total_ht <= Decimal(220_000)
    assert Decimal(22) <= Decimal(result.organic_percent) <= Decimal(25)
    assert Decimal(45) <= Decimal(result.quality_sustainable_percent) < Decimal(50)
    assert result.compliant.organic_20 and result.compliant.meat_fish_60
    assert not result.compliant.quality_50
    monthly = {m.month: Decimal(m.monthly.quality_sustainable_percent) for m in data.months}
    assert len(monthly) == 12
    assert monthly[2] < Decimal(42) and monthly[11] < Decimal(42)
    assert monthly[3] > Decimal(47)

    imported = PurchaseImport.objects.get()
    assert (imported.status, imported.error_count) == ("imported", 0)
    assert imported.encoding.startswith("Windows-1252")
    assert AuditEvent.objects.filter(action=Action.IMPORT, object_type="purchaseimport").exists()
    assert Purchase.objects.filter(source__isnull=True).count() == 3 * 20
    forecast = Forecast.objects.get()
    assert forecast.operation is not None
    assert forecast.result["ratios"]["compliant"]["quality_50"] is True
