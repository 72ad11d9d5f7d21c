"""Who sees and does what on a construction operation.

Everyone who sees the operation (``openamo.web.operations.access``) keeps their role here: the
buyer's maître d'ouvrage decides, the AMO prepares and advises, readers read. One more party
works on the construction pages only: the **maître d'œuvre**, the members of the organisation
that holds the operation's MOE contract (``Project.moe_contract``). It sees the construction
file and its works contracts and *proposes* — phases and their estimates, the holders' monthly
statements and reserves it received —, never decides, and sees nothing else of the buyer.
Contractors see their own contracts in the contracts app, not these pages (404).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from openamo.web.construction.models import Project
from openamo.web.operations.access import OperationAccess, operation_access
from openamo.web.organisations.access import memberships
from openamo.web.organisations.models import Role
from openamo.web.softdelete import alive_through
from openamo.web.users import AuthenticatedUser


@dataclass(frozen=True)
class ConstructionAccess(OperationAccess):
    is_moe: bool = False

    @property
    def role_label(self) -> str:
        if self.is_moe:
            return "Lecteur (maître d'œuvre)" if self.role == Role.LECTEUR else "Maître d'œuvre"
        return super().role_label

    @property
    def can_edit(self) -> bool:
        return not self.is_moe and super().can_edit

    @property
    def can_validate(self) -> bool:
        return not self.is_moe and super().can_validate

    @property
    def can_propose(self) -> bool:
        """Propose phases, statements, received reserves: the MOE, the AMO, the buyer's MO."""
        if self.is_moe:
            return self.role != Role.LECTEUR
        return self.can_edit

    def require_propose(self) -> None:
        self.require(
            self.can_propose,
            "Votre rôle permet de consulter ce suivi de travaux, pas d'y faire une proposition.",
        )


def require_propose(access: OperationAccess) -> None:
    """The check of a proposal, whatever access object the caller holds."""
    if isinstance(access, ConstructionAccess):
        access.require_propose()
    else:
        access.require_edit()


def construction_access(user: AuthenticatedUser, operation_id: int) -> ConstructionAccess:
    """The user's role on the operation, or the maître d'œuvre's, or a 404."""
    try:
        found = operation_access(user, operation_id)
    except Http404:
        pass
    else:
        return ConstructionAccess(found.operation, found.role, found.via_share)
    by_org = {m.organisation_id: m for m in memberships(user)}
    project = (
        Project.objects.select_related("operation__organisation", "moe_contract")
        .filter(
            alive_through("operation"),
            alive_through("moe_contract"),
            operation_id=operation_id,
            moe_contract__holder_organisation_id__in=list(by_org),
        )
        .first()
    )
    if project is None or project.moe_contract is None:
        raise Http404("Opération introuvable.")
    membership = by_org[project.moe_contract.holder_organisation_id or 0]
    return ConstructionAccess(project.operation, Role(membership.role), via_share=True, is_moe=True)
