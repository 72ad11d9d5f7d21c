"""The shared cast (healthchecks style): Saint-Exemple and its people, its AMO firm, and
Voisinville, another buyer that must see nothing of Saint-Exemple's operations."""

from __future__ import annotations

import html
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypeAlias

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.test import Client

from openamo.procurement.enums import Nature
from openamo.web.operations import services
from openamo.web.operations.access import operation_access
from openamo.web.operations.kinds import OperationKind
from openamo.web.operations.models import Lot, Operation
from openamo.web.operations.requests import LotEntry, NeedEntry, OperationEntry
from openamo.web.organisations.models import Membership, Organisation, OrganisationKind, Role
from openamo.web.users import AuthenticatedUser

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

    from tests.integration.web._amendments import Holders


def pytest_report_header(config: pytest.Config) -> str:
    return f"Base de données des tests web : {settings.TEST_DATABASE_LABEL}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.write_line(f"Base de données des tests web : {settings.TEST_DATABASE_LABEL}")


TestResponse: TypeAlias = "_MonkeyPatchedWSGIResponse"
"""What the test client returns (a response with its ``context`` and ``templates``)."""


@dataclass
class Cast:
    commune: Organisation
    amo_firm: Organisation
    other_firm: Organisation
    outsider: Organisation
    mo: AuthenticatedUser
    internal_amo: AuthenticatedUser
    reader: AuthenticatedUser
    consultant: AuthenticatedUser
    firm_reader: AuthenticatedUser
    other_consultant: AuthenticatedUser
    outsider_mo: AuthenticatedUser


def make_user(username: str, organisation: Organisation, role: Role) -> AuthenticatedUser:
    user = get_user_model().objects.create_user(username=username, first_name=username.title())
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def cast(db: None) -> Cast:
    commune = Organisation.objects.create(
        name="Commune de Saint-Exemple",
        kind=OrganisationKind.COLLECTIVITE,
        buyer="collectivite",
        population=7000,
    )
    amo_firm = Organisation.objects.create(name="Cabinet Conseil", kind=OrganisationKind.AMO)
    other_firm = Organisation.objects.create(name="Autre Cabinet", kind=OrganisationKind.AMO)
    outsider = Organisation.objects.create(
        name="Commune de Voisinville", kind=OrganisationKind.COLLECTIVITE, buyer="collectivite"
    )
    return Cast(
        commune=commune,
        amo_firm=amo_firm,
        other_firm=other_firm,
        outsider=outsider,
        mo=make_user("marie", commune, Role.MAITRE_OUVRAGE),
        internal_amo=make_user("paul", commune, Role.AMO),
        reader=make_user("jeanne", commune, Role.LECTEUR),
        consultant=make_user("alice", amo_firm, Role.AMO),
        firm_reader=make_user("hugo", amo_firm, Role.LECTEUR),
        other_consultant=make_user("oscar", other_firm, Role.AMO),
        outsider_mo=make_user("victor", outsider, Role.MAITRE_OUVRAGE),
    )


def fresh(user: User) -> User:
    """The same user without cached memberships (as in a new request)."""
    return get_user_model().objects.get(pk=user.pk)


def make_operation(
    cast: Cast,
    *,
    shared: bool = True,
    with_lots: bool = True,
    kind: OperationKind = OperationKind.RESTAURATION,
) -> Operation:
    mo = fresh(cast.mo)
    operation = services.create_operation(
        mo,
        cast.commune,
        OperationEntry("Renouvellement de la restauration scolaire 2027", kind=kind),
    )
    access = operation_access(mo, operation.pk)
    services.save_need(
        access,
        mo,
        NeedEntry(
            object="Denrées alimentaires",
            nature=Nature.FOURNITURES,
            estimated_amount_ht=Decimal("170000.00"),
            duration_months=12,
            renewals=3,
            renewal_duration_months=12,
        ),
    )
    if with_lots:
        for name, amount in [("Bio", "62000"), ("Local", "48000"), ("Frais", "41000")]:
            services.add_lot(access, mo, LotEntry(name, Decimal(amount)))
    if shared:
        services.share_operation(access, mo, cast.amo_firm)
    return operation


@pytest.fixture
def operation(cast: Cast) -> Operation:
    return make_operation(cast)


@pytest.fixture
def lot(operation: Operation) -> Lot:
    return Lot.objects.filter(operation=operation).first()  # type: ignore[return-value]


# The fixtures below come from the helper modules of one app's tests, which import this module:
# they import them when called.


@pytest.fixture
def holders(cast: Cast) -> Holders:
    """The contractor companies of the amendment tests (``_amendments.make_holders``)."""
    from tests.integration.web._amendments import make_holders

    return make_holders(cast)


@pytest.fixture
def award(cast: Cast) -> Operation:
    """The catering operation of the passation tests (``_award.award_operation``)."""
    from tests.integration.web._award import award_operation

    return award_operation(cast)


@pytest.fixture
def first_lot(award: Operation) -> Lot:
    return Lot.objects.filter(operation=award).order_by("number").first()  # type: ignore[return-value]


def client_for(user: AuthenticatedUser) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response: TestResponse) -> str:
    """The page's HTML with entities decoded (« l'opération », not « l&#x27;opération »)."""
    return html.unescape(response.content.decode())
