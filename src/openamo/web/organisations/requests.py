"""What people ask the organisation pages to record, typed: the forms produce these
(``form.to_input()``), the services take them."""

from __future__ import annotations

from dataclasses import dataclass

from openamo.web.organisations.models import OrganisationKind, Role


@dataclass(frozen=True)
class NewAccount:
    """The names and the password a person chose for their new account."""

    first_name: str
    last_name: str
    password: str


@dataclass(frozen=True)
class OrganisationEntry:
    """An organisation as its founder or the platform operator describes it (``buyer``:
    the buyer category of a public buyer, blank otherwise)."""

    siret: str
    name: str
    kind: OrganisationKind
    buyer: str = ""
    population: int | None = None


@dataclass(frozen=True)
class InvitationEntry:
    """Whom a manager invites, and with which role (the names are optional)."""

    email: str
    role: Role
    first_name: str = ""
    last_name: str = ""
