"""Who sees and does what on an amendment: the contract's access, plus the avenant's roles.

Whoever sees the contract sees its amendments (``contract_access``: 404 otherwise). Within
them: the buyer's maître d'ouvrage acts as the *acheteur* (signs, notifies, abandons); the
buyer's AMO members and the shared AMO firm act as *AMO* (propose, report, record the CAO
opinion and the publications); the members of the holder's organisation who may sign act as
the *titulaire* (accept or refuse, exchange); readers of every side only read (403).
"""

from __future__ import annotations

from django.http import Http404

from openamo.amendments import Action, Role
from openamo.web.amendments.models import Amendment
from openamo.web.contracts.access import ContractAccess, contract_access
from openamo.web.operations.access import PermissionRefused
from openamo.web.users import AuthenticatedUser

HOLDER_REFUSAL = "Le titulaire consulte l'avenant et y répond ; il ne le prépare ni ne le modifie."
READER_REFUSAL = "Votre rôle (lecteur) permet de consulter les avenants de ce marché, pas d'agir."


def lifecycle_role(access: ContractAccess) -> Role | None:
    """The part the user plays in the avenant's life, or ``None`` for a reader."""
    if access.is_holder:
        return Role.TITULAIRE if access.holder_can_sign else None
    if access.can_validate:
        return Role.ACHETEUR
    if access.can_edit:
        return Role.AMO
    return None


def require_prepare(access: ContractAccess) -> None:
    """Propose or edit a draft: the buyer's maître d'ouvrage or AMO, or the shared AMO firm."""
    if access.is_holder:
        raise PermissionRefused(HOLDER_REFUSAL)
    access.require(access.can_edit, READER_REFUSAL)


def may_take(access: ContractAccess, action: Action) -> bool:
    """Whether the user's place in the organisations allows ``action`` (the stage aside)."""
    if action is Action.SIGNER:
        return access.can_validate or access.holder_can_sign
    if action in (Action.NOTIFIER, Action.ABANDONNER):
        return access.can_validate
    if action is Action.AJOUTER_ECHANGE:
        return access.can_edit or access.holder_can_sign
    return access.can_edit


def require_action(access: ContractAccess, action: Action) -> None:
    if may_take(access, action):
        return
    if lifecycle_role(access) is None:
        raise PermissionRefused(READER_REFUSAL)
    if access.is_holder:
        raise PermissionRefused(HOLDER_REFUSAL)
    if action is Action.SIGNER:
        raise PermissionRefused(
            "Seul le maître d'ouvrage de l'acheteur signe l'avenant, avec le titulaire ; "
            "l'AMO prépare et conseille, il ne signe pas."
        )
    raise PermissionRefused(
        "Seul le maître d'ouvrage de l'acheteur notifie l'avenant ou abandonne le projet : "
        "l'AMO prépare, il ne décide pas."
    )


def amendment_access(
    user: AuthenticatedUser, contract_id: int, amendment_id: int
) -> tuple[ContractAccess, Amendment]:
    """The contract's access and the amendment, or 404 if either is out of the user's sight."""
    access = contract_access(user, contract_id)
    amendment = Amendment.objects.filter(pk=amendment_id, contract=access.contract).first()
    if amendment is None:
        raise Http404("Avenant introuvable.")
    amendment.contract = access.contract
    return access, amendment
