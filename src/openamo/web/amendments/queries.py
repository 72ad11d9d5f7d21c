"""Read-only lists across contracts, in a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.urls import reverse

from openamo.amendments import Action as Step
from openamo.amendments import Role, Stage, allowed_actions
from openamo.web.amendments.models import Amendment
from openamo.web.amendments.presenters import amendment_url, euros, percent_text
from openamo.web.amendments.services import lifecycle_of
from openamo.web.contracts.access import visible_contracts
from openamo.web.organisations.access import memberships
from openamo.web.organisations.models import Role as MemberRole
from openamo.web.tables import Cell, Table
from openamo.web.users import AuthenticatedUser


def visible_amendments(user: AuthenticatedUser) -> QuerySet[Amendment]:
    return (
        Amendment.objects.filter(contract__in=visible_contracts(user))
        .select_related("contract", "contract__organisation")
        .order_by("-updated_at", "-pk")
    )


def _awaits_holder(amendment: Amendment) -> bool:
    """Whether the domain's state machine lets the holder sign now."""
    return Step.SIGNER in allowed_actions(lifecycle_of(amendment, []), Role.TITULAIRE)


def overview_table(user: AuthenticatedUser, amendments: Iterable[Amendment]) -> Table:
    roles = {m.organisation_id: m.role for m in memberships(user)}
    rows: list[list[Cell]] = []
    for amendment in amendments:
        contract = amendment.contract
        signs_for_holder = contract.organisation_id not in roles and roles.get(
            contract.holder_organisation_id or 0
        ) not in (None, MemberRole.LECTEUR)
        waiting = signs_for_holder and _awaits_holder(amendment)
        rows.append(
            [
                {"text": str(contract), "url": reverse("amendments:list", args=[contract.pk])},
                {
                    "text": f"n° {amendment.number} — {amendment.object}",
                    "url": amendment_url(amendment),
                },
                {"text": contract.organisation.name},
                {
                    "text": f"{euros(amendment.amount_ht)} HT ({percent_text(amendment.modification_percent)})"
                },
                {"text": Stage(amendment.stage).label},
                {"text": "Votre réponse est attendue" if waiting else "—"},
            ]
        )
    header = ["Marché", "Avenant", "Acheteur", "Montant", "Étape", "À faire"]
    return {"header": header, "rows": rows}
