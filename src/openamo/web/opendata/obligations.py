"""The contracts' own DECP deadlines (``openamo.web.obligations``): a contract of the buyer, at
or above the publication threshold of its notification date, whose essential data were never
put in a DECP file produced by OpenAMO, is due within the delay in force (R2196-1).
Two queries; a contract once published is gone (its avenants are the amendments app's)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from openamo import law
from openamo.errors import LawDataError
from openamo.opendata.audit import add_months
from openamo.opendata.publish import DECP_DELAY, DECP_THRESHOLD
from openamo.web.contracts.models import Contract
from openamo.web.obligations import Obligation
from openamo.web.opendata.models import Publication
from openamo.web.organisations.access import memberships
from openamo.web.organisations.models import OrganisationKind
from openamo.web.users import AuthenticatedUser

ROWS = 50


def due(user: AuthenticatedUser, today: datetime.date) -> list[Obligation]:
    buyers = [
        m.organisation_id
        for m in memberships(user)
        if m.organisation.kind == OrganisationKind.COLLECTIVITE
    ]
    if not buyers:
        return []
    published: set[tuple[int, str]] = set()
    for organisation_id, labels in Publication.objects.filter(
        organisation_id__in=buyers
    ).values_list("organisation_id", "contracts"):
        published.update((organisation_id, str(label)) for label in labels)
    contracts = (
        Contract.objects.alive()
        .filter(organisation_id__in=buyers)
        .order_by("notified_on", "pk")[:ROWS]
    )
    found = []
    for contract in contracts:
        label = contract.reference or contract.title
        if (contract.organisation_id, label) in published:
            continue
        try:
            snapshot = law.at(contract.notified_on)
            threshold = Decimal(str(snapshot.value(DECP_THRESHOLD)))
            months = int(snapshot.value(DECP_DELAY))
        except LawDataError:
            continue
        if contract.initial_amount_ht < threshold:
            continue
        deadline = add_months(contract.notified_on, months)
        found.append(
            Obligation(
                kind="Données essentielles à publier",
                what=f"Marché notifié le {contract.notified_on:%d/%m/%Y} : données essentielles "
                f"à publier avant le {deadline:%d/%m/%Y}",
                subject=str(contract),
                url=reverse("opendata:portfolio", args=[contract.organisation_id])
                + f"#marche-{contract.pk}",
                due_on=deadline,
                late=deadline < today,
            )
        )
    return found
