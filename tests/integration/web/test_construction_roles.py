"""Who does what on a construction operation: the maître d'œuvre (members of the organisation
holding the MOE contract the maître d'ouvrage designated) proposes phases, statements and the
reserves it received, decides nothing and sees only the construction pages; a works contractor
sees its own contract in the contracts app, never these pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse

from openamo.web.audit.models import AuditEvent
from openamo.web.construction.access import construction_access
from openamo.web.construction.models import MonthlyStatement, PhaseReview, Project
from openamo.web.organisations.models import Organisation, OrganisationKind, Role
from tests.integration.web.conftest import Cast, client_for, fresh, make_user, text
from tests.integration.web.construction_data import Canteen, canteen
from tests.integration.web.contracts_factories import make_contract

pytestmark = pytest.mark.django_db
DURING = datetime.datetime(2027, 11, 5, 10, tzinfo=datetime.UTC)


def _with_moe(cast: Cast) -> tuple[Canteen, User, User]:
    site = canteen(cast)
    firm = Organisation.objects.create(name="Atelier Lignes", kind=OrganisationKind.ENTREPRISE)
    architect = make_user("louise", firm, Role.AMO)
    intern = make_user("theo", firm, Role.LECTEUR)
    moe = make_contract(
        cast, site.operation, title="Maîtrise d'œuvre du restaurant scolaire",
        nature="services", holder_name="Atelier Lignes", reference="2026-MOE-01",
        initial_amount_ht=Decimal("168000.00"),
    )  # fmt: skip
    moe.holder_organisation = firm  # as the contracts app links an invited holder
    moe.save(update_fields=["holder_organisation"])
    url = reverse("construction:moe_contract", args=[site.operation.pk])
    assert client_for(cast.consultant).post(url, {"contract": moe.pk}).status_code == 403
    assert client_for(cast.mo).post(url, {"contract": moe.pk}).status_code == 302
    assert Project.objects.get(pk=site.project.pk).moe_contract_id == moe.pk
    return site, architect, intern


@time_machine.travel(DURING, tick=False)
def test_the_moe_proposes_phases_and_statements_but_decides_nothing(cast: Cast) -> None:
    site, architect, _ = _with_moe(cast)
    pk = site.operation.pk
    client = client_for(architect)
    dashboard = client.get(reverse("construction:dashboard", args=[pk]))
    assert dashboard.status_code == 200
    assert "Vous êtes le maître d'œuvre" in dashboard.content.decode()
    for name, args in [("works", [pk]), ("works_contract", [pk, site.contract.pk]),
                       ("programme", [pk]), ("final_account", [pk, site.contract.pk])]:  # fmt: skip
        assert client.get(reverse(f"construction:{name}", args=args)).status_code == 200, name
    phase = reverse("construction:phase", args=[pk, "aps"])
    response = client.post(phase, {"submitted_on": "2027-10-01", "estimate_ht": "2 350 000"})
    assert response.status_code == 302
    assert PhaseReview.objects.get(project=site.project, phase="aps").proposed_by == architect
    statement = reverse("construction:statement_create", args=[pk, site.contract.pk])
    response = client.post(
        statement,
        {"month": "2027-11-30", "received_by_moe_on": "2027-11-04",
         "claimed_cumulative_ht": "150000", "accepted_cumulative_ht": "148000"},
    )  # fmt: skip
    assert response.status_code == 302
    assert MonthlyStatement.objects.filter(contract=site.contract, number=2).exists()
    before = AuditEvent.objects.count()
    refused: dict[str, list[object]] = {
        "envelope": [pk], "organisation": [pk], "moe": [pk], "moe_contract": [pk],
        "phase_decide": [pk, "aps"], "programme": [pk],
        "final_account": [pk, site.contract.pk],
        "order_answer": [pk, site.contract.pk, site.order.pk],
        "statement_decide": [pk, site.contract.pk, site.statement.pk],
        "possession": [pk, site.contract.pk, site.reception.pk],
    }  # fmt: skip
    for name, arguments in refused.items():
        url = reverse(f"construction:{name}", args=arguments)
        assert client.post(url, {"works_ht": "1", "decision": "approuvee"}).status_code == 403, name
    assert AuditEvent.objects.count() == before
    # Nothing else of the buyer: neither the operation nor the works contracts' own pages.
    assert client.get(reverse("operations:detail", args=[pk])).status_code == 404
    assert client.get(reverse("contracts:detail", args=[site.contract.pk])).status_code == 404


@time_machine.travel(DURING, tick=False)
def test_a_reader_of_the_moe_firm_only_reads(cast: Cast) -> None:
    site, _, intern = _with_moe(cast)
    client = client_for(intern)
    pk = site.operation.pk
    assert client.get(reverse("construction:dashboard", args=[pk])).status_code == 200
    phase = reverse("construction:phase", args=[pk, "aps"])
    assert client.post(phase, {"estimate_ht": "1"}).status_code == 403
    url = reverse("construction:statement_create", args=[pk, site.contract.pk])
    assert client.get(url).status_code == 403


@time_machine.travel(DURING, tick=False)
def test_once_the_designation_is_withdrawn_the_moe_gets_a_404(cast: Cast) -> None:
    site, architect, _ = _with_moe(cast)
    url = reverse("construction:moe_contract", args=[site.operation.pk])
    assert client_for(cast.mo).post(url, {"contract": ""}).status_code == 302
    dashboard = reverse("construction:dashboard", args=[site.operation.pk])
    assert client_for(architect).get(dashboard).status_code == 404


@time_machine.travel(DURING, tick=False)
def test_a_works_contractor_sees_its_contract_but_not_the_construction_file(cast: Cast) -> None:
    site = canteen(cast)
    builder = Organisation.objects.create(name="Bâtiments du Val", kind=OrganisationKind.ENTREPRISE)
    member = make_user("bruno", builder, Role.MAITRE_OUVRAGE)
    site.contract.holder_organisation = builder
    site.contract.save(update_fields=["holder_organisation"])
    client = client_for(member)
    assert client.get(reverse("contracts:detail", args=[site.contract.pk])).status_code == 200
    for name, args in [("dashboard", [site.operation.pk]),
                       ("works_contract", [site.operation.pk, site.contract.pk])]:  # fmt: skip
        assert client.get(reverse(f"construction:{name}", args=args)).status_code == 404, name


@time_machine.travel(DURING, tick=False)
def test_only_a_contract_of_the_operation_can_be_the_moe_contract(cast: Cast) -> None:
    site = canteen(cast)
    other = canteen(cast)
    url = reverse("construction:moe_contract", args=[site.operation.pk])
    response = client_for(cast.mo).post(url, {"contract": other.contract.pk})
    assert response.status_code == 200  # not among the choices: refused next to the field
    assert Project.objects.get(pk=site.project.pk).moe_contract_id is None


@time_machine.travel(DURING, tick=False)
def test_each_side_reads_the_name_of_its_own_role(cast: Cast) -> None:
    site, architect, intern = _with_moe(cast)
    pk = site.operation.pk
    assert construction_access(fresh(architect), pk).role_label == "Maître d'œuvre"
    assert construction_access(fresh(intern), pk).role_label == "Lecteur (maître d'œuvre)"
    assert construction_access(fresh(cast.mo), pk).role_label == "Maître d'ouvrage"
    detail = reverse("operations:detail", args=[pk])
    assert "votre rôle : maître d'ouvrage" in text(client_for(cast.mo).get(detail))
    shared = text(client_for(cast.consultant).get(detail))
    assert "votre rôle : assistance à maîtrise d'ouvrage" in shared


@time_machine.travel(DURING, tick=False)
def test_the_moe_s_dashboard_lists_the_works_statements_it_checked(cast: Cast) -> None:
    """The maître d'œuvre's dashboard said « Aucune échéance à venir » while the statements
    it had accepted awaited payment and the final accounts went to it."""
    site, architect, _ = _with_moe(cast)
    MonthlyStatement.objects.create(
        contract=site.contract,
        number=9,
        month=datetime.date(2027, 10, 1),
        received_by_moe_on=datetime.date(2027, 10, 29),
        claimed_cumulative_ht=Decimal("80500"),
        accepted_cumulative_ht=Decimal("80500"),
    )
    page = text(client_for(architect).get(reverse("operations:dashboard")))
    assert "Acomptes de travaux à payer" in page
