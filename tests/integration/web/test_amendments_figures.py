"""Page, chart and EXE10 state the same figures for every avenant of the demonstration.

The amendment page shows the verdict, the list page draws the chart and the table, the EXE10 is
generated from the checked input: each must say the same cumulative variation and new amount,
and a project in preparation must count in none of the others (issue 16.2)."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.urls import reverse
from docx import Document

from openamo.money import format_euros, format_percent, to_cents
from openamo.web.amendments import presenters, services
from openamo.web.amendments.mappers import Proposal
from openamo.web.amendments.models import Amendment
from openamo.web.contracts.access import contract_access
from openamo.web.contracts.models import Contract
from openamo.web.demo import load_demo
from tests.integration.web.conftest import TestResponse, client_for, text


def visible(response: TestResponse) -> str:
    """What a reader sees of the page: tags removed, spaces (non-breaking too) collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", text(response)).split())


def flat(value: str) -> str:
    return " ".join(value.split())


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_every_demo_avenant_has_the_same_figures_on_its_page_the_chart_and_the_exe10(
    db: None, tmp_path: Path
) -> None:
    load_demo(tmp_path / "demo-credentials.json")
    contract = Contract.objects.get(reference="2025-REST-BIO-01")
    users = get_user_model().objects
    marie, alice = users.get(username="marie.dupont"), users.get(username="alice.bernard")
    # A third avenant, a project too: it must count the signed avenant n° 1 only, never the
    # project n° 2 still awaiting the contractor's signature.
    first = Amendment.objects.get(contract=contract, number=1)
    proposal = Proposal.from_stored(first.answers).model_copy(
        update={
            "object": "Goûters du centre de loisirs pendant les vacances scolaires",
            "amount_ht": to_cents(contract.initial_amount_ht * Decimal("0.02")),
        }
    )
    services.propose(contract_access(alice, contract.pk), alice, proposal)
    amendments = list(Amendment.objects.filter(contract=contract).order_by("number"))
    assert [a.stage for a in amendments] == ["signe", "signature", "brouillon"]
    signed_amount = first.amount_ht
    client = client_for(marie)
    chart, error = presenters.history_chart(contract, amendments)
    assert chart is not None and not error
    rows = {row[0]: row[1:] for row in chart.table_rows}
    listing = visible(client.get(reverse("amendments:list", args=[contract.pk])))
    for amendment in amendments:
        own = amendment.amount_ht + (signed_amount if amendment.number > 1 else Decimal(0))
        expected_total = contract.initial_amount_ht + own
        cumulative = format_percent(own / contract.initial_amount_ht * 100)
        new_amount = format_euros(expected_total)
        page = visible(client.get(reverse("amendments:detail", args=[contract.pk, amendment.pk])))
        assert flat(f"Variation cumulée du marché {cumulative}") in page
        assert flat(f"Nouveau montant du marché {new_amount} HT") in page
        label = f"n° {amendment.number}" + ("" if amendment.number == 1 else " (projet)")
        assert flat(cumulative) in [flat(cell) for cell in rows[label]], (label, rows)
        assert flat(cumulative) in listing
        document = client.post(
            reverse("amendments:document", args=[contract.pk, amendment.pk, "docx"])
        )
        assert document.status_code == 200, amendment.number
        written = flat(docx_text(document.content))
        assert flat(new_amount) in written, amendment.number
        assert flat(cumulative) in written, amendment.number
    summary = presenters.summary(contract, amendments)
    assert summary.current == format_euros(contract.initial_amount_ht + signed_amount)
