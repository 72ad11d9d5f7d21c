"""The amendments workflow: load rows, check access, call the domain, save, audit.

Views call these functions and nothing else that writes. The legal check is
``openamo.amendments.check_amendment``; the avenant's life is the domain's state machine
(``openamo.amendments.apply``); the document is ``openamo.documents.avenant``.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from openamo.amendments import Action as Step
from openamo.amendments import (
    AmendmentCheckInput,
    AmendmentCheckResult,
    Event,
    Lifecycle,
    Role,
    Stage,
    Verdict,
    apply,
    check_amendment,
    start,
)
from openamo.documents.avenant import make_avenant
from openamo.errors import OpenAMOError
from openamo.validation import french_errors
from openamo.web import revalidation
from openamo.web.amendments.access import lifecycle_role, require_action, require_prepare
from openamo.web.amendments.mappers import (
    Proposal,
    check_input,
    document_input,
    stored_check_input,
)
from openamo.web.amendments.models import Amendment, AmendmentEvent, Attachment
from openamo.web.audit.models import Action
from openamo.web.audit.services import JSONValue, snapshot
from openamo.web.contracts.access import ContractAccess
from openamo.web.contracts.models import Contract
from openamo.web.contracts.services.journal import update, write
from openamo.web.users import AuthenticatedUser

AMENDMENT_FIELDS = [
    "number",
    "object",
    "kind",
    "amount_ht",
    "modification_date",
    "verdict",
    "basis",
    "modification_percent",
    "cumulative_percent",
    "new_amount_ht",
    "cao_opinion_required",
    "modification_notice_required",
    "stage",
    "signed_by",
]
DOCUMENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# Decisions (the CAO's opinion, a signature, the holder's refusal) are audited as such; the
# other steps move the avenant from one stage to the next.
DECISIONS = (Step.RECUEILLIR_AVIS_CAO, Step.SIGNER)
HOLDER_REFUSAL = "refus"
HOLDER_OBSERVATIONS = "observations"
TRACE_LABELS = {
    "date": "date",
    "avis": "avis de la CAO",
    "decp": "données essentielles publiées le",
    "avis_modification": "avis de modification publié le",
    "piece": "pièce jointe",
    "position": "position du titulaire",
    "qualite": "qualité du signataire",
}


@dataclass(frozen=True)
class Upload:
    """A file joined to an exchange, already checked by the form (size, type)."""

    filename: str
    content_type: str
    data: bytes


def amendments_of(contract: Contract) -> list[Amendment]:
    """Every amendment of the contract, abandoned ones included (the history keeps them)."""
    return list(Amendment.objects.filter(contract=contract).order_by("number", "pk"))


CONCLUDED = (Stage.SIGNE.value, Stage.NOTIFIE.value, Stage.PUBLIE.value)
"""Stages of an avenant signed by both parties: only those are previous modifications."""


def previous_of(contract: Contract, amendment: Amendment | None = None) -> list[Amendment]:
    """The modifications already concluded (signed) on the contract, other than
    ``amendment``: a project still in preparation does not change the contract, so it counts
    neither in the verdict nor in the figures of another avenant."""
    found = Amendment.objects.filter(contract=contract, stage__in=CONCLUDED)
    if amendment is not None and amendment.pk is not None:
        found = found.exclude(pk=amendment.pk)
    return list(found.order_by("number", "pk"))


@dataclass(frozen=True)
class Checked:
    """The domain's verdict on a proposal, what it was made on and the amendments it counted."""

    data: AmendmentCheckInput
    result: AmendmentCheckResult
    previous: list[Amendment]


def verify(
    access: ContractAccess, proposal: Proposal, amendment: Amendment | None = None
) -> Checked:
    """The domain's verdict on the proposal, nothing saved (« Vérifier »).

    Raises :class:`OpenAMOError` (French) when the domain refuses the input.
    """
    require_prepare(access)
    previous = previous_of(access.contract, amendment)
    data = check_input(access.contract, previous, proposal)
    return Checked(data, check_amendment(data), previous)


@transaction.atomic
def propose(access: ContractAccess, user: AuthenticatedUser, proposal: Proposal) -> Amendment:
    """Record a draft avenant; a forbidden modification is not recorded (code
    ``modification_interdite``, the verdict in ``extra["check"]``)."""
    require_prepare(access)
    # Lock the contract so that two simultaneous proposals do not get the same number.
    Contract.objects.select_for_update().filter(pk=access.contract.pk).first()
    checked = verify(access, proposal)
    _refuse_forbidden(checked.result)
    # An abandoned project gives its number back: avenants are numbered as they are signed.
    last = (
        Amendment.objects.filter(contract=access.contract)
        .exclude(stage=Stage.ABANDONNE.value)
        .aggregate(n=Max("number"))["n"]
    )
    amendment = Amendment(contract=access.contract, number=(last or 0) + 1, created_by=user)
    result = checked.result
    lifecycle = start(result.cao_opinion_required, result.modification_notice_required)
    stage = {"stage": lifecycle.stage.value, "signed_by": []}
    values = {**_checked_values(proposal, checked), **stage}
    update(user, amendment, access.contract, values, fields=AMENDMENT_FIELDS)
    return amendment


@transaction.atomic
def update_draft(
    access: ContractAccess, user: AuthenticatedUser, amendment: Amendment, proposal: Proposal
) -> Amendment:
    """Change a draft (stage « brouillon ») and check it again."""
    require_prepare(access)
    amendment = _locked(amendment, access)
    if amendment.stage != Stage.BROUILLON.value:
        raise OpenAMOError(
            f"L'avenant est à l'étape « {amendment.stage_enum.label} » : révisez d'abord le "
            "projet pour le modifier (les signatures éventuelles tombent alors).",
            code="transition_interdite",
        )
    checked = verify(access, proposal, amendment)
    _refuse_forbidden(checked.result)
    update(
        user,
        amendment,
        access.contract,
        _checked_values(proposal, checked),
        fields=AMENDMENT_FIELDS,
    )
    return amendment


def _refuse_forbidden(result: AmendmentCheckResult) -> None:
    if result.verdict is Verdict.INTERDITE:
        raise OpenAMOError(
            "Cette modification est interdite sans nouvelle procédure de mise en concurrence : "
            "le projet d'avenant n'est pas enregistré. "
            + (result.new_procedure_reasons[0] if result.new_procedure_reasons else ""),
            code="modification_interdite",
            extra={"check": result.model_dump(mode="json")},
        )


def _checked_values(proposal: Proposal, checked: Checked) -> dict[str, object]:
    """The amendment's fields set from a proposal and the domain's verdict on it."""
    result = checked.result
    return {
        "object": proposal.object,
        "description": proposal.description,
        "deadline_effect": proposal.deadline_effect,
        "kind": proposal.kind.value,
        "amount_ht": proposal.amount_ht,
        "modification_date": proposal.modification_date,
        "answers": proposal.stored(),
        "check_input": checked.data.model_dump(mode="json", exclude_none=True),
        "check_result": result.model_dump(mode="json"),
        "checked_at": timezone.now(),
        "previous_numbers": [p.number for p in checked.previous],
        "verdict": result.verdict.value,
        "basis": result.basis.value if result.basis else "",
        "modification_percent": result.modification_percent,
        "cumulative_percent": result.cumulative_percent,
        "new_amount_ht": result.new_amount_ht,
        "cao_opinion_required": result.cao_opinion_required,
        "modification_notice_required": result.modification_notice_required,
        "stale_changes": [],
    }


def describe(data: AmendmentCheckInput) -> dict[str, str]:
    """What a verdict was made on, in French: the contract and the previous modifications."""
    contract = data.contract
    return {
        "Montant initial du marché HT": revalidation.euros(contract.initial_amount_ht),
        "Montant initial révisé HT": revalidation.euros(contract.revised_initial_amount_ht),
        "Notifié le": revalidation.day(contract.notified_on),
        "Modifications antérieures signées": (
            "; ".join(
                f"{revalidation.euros(p.amount_ht)} HT ({p.basis.value}) "
                f"du {revalidation.day(p.date)}"
                for p in data.previous_modifications
            )
            or "aucune"
        ),
    }


def verdict_changes(amendment: Amendment) -> list[dict[str, str]]:
    """What changed since the verdict of an avenant not yet signed (a previous avenant
    signed or abandoned, the contract's amount or date corrected); nothing once it is signed."""
    if amendment.stage in (*CONCLUDED, Stage.ABANDONNE.value) or not amendment.check_input:
        return []
    current = check_input(
        amendment.contract,
        previous_of(amendment.contract, amendment),
        Proposal.from_stored(amendment.answers),
    )
    return revalidation.diff(describe(stored_check_input(amendment)), describe(current))


def refuse_if_stale(amendment: Amendment, step: str) -> None:
    revalidation.refuse_if_stale("La vérification de l'avenant", amendment.stale_changes, step)


def events_of(amendment: Amendment) -> list[AmendmentEvent]:
    """The avenant's log in order, with its attachments (two queries)."""
    events = list(
        AmendmentEvent.objects.filter(amendment=amendment)
        .prefetch_related("attachments")
        .order_by("at", "pk")
    )
    for event in events:
        event.amendment = amendment
    return events


def lifecycle_of(amendment: Amendment, events: list[AmendmentEvent]) -> Lifecycle:
    """The domain's state of the avenant: the stored stage and signatures, and its log."""
    return Lifecycle(
        cao_opinion_required=amendment.cao_opinion_required,
        modification_notice_required=amendment.modification_notice_required,
        stage=Stage(amendment.stage),
        signed_by=tuple(Role(role) for role in amendment.signed_by),
        events=tuple(event.to_domain() for event in events),
    )


@transaction.atomic
def act(
    access: ContractAccess,
    user: AuthenticatedUser,
    amendment: Amendment,
    step: Step,
    note: str = "",
    details: dict[str, str] | None = None,
    upload: Upload | None = None,
) -> AmendmentEvent:
    """Take one step of the avenant's life; the domain refuses what the stage does not allow
    (:class:`OpenAMOError`, French), the organisations' roles are checked first (403)."""
    require_action(access, step)
    role = lifecycle_role(access)
    assert role is not None  # require_action refused readers
    amendment = _locked(amendment, access)
    if step in (Step.SIGNER, Step.NOTIFIER, Step.PUBLIER, Step.RECUEILLIR_AVIS_CAO):
        refuse_if_stale(amendment, "poursuivre (vérifiez à nouveau le projet)")
    lifecycle = lifecycle_of(amendment, events_of(amendment))
    details = dict(details or {})
    if upload is not None:
        details["piece"] = upload.filename
    with french_errors():
        event = Event(
            action=step,
            role=role,
            actor=actor_label(user),
            at=timezone.now(),
            note=note,
            details=details,
        )
    after = apply(lifecycle, event)
    before = _snapshot(amendment)
    amendment.stage = after.stage.value
    amendment.signed_by = [signer.value for signer in after.signed_by]
    amendment.save(update_fields=["stage", "signed_by", "updated_at"])
    row = AmendmentEvent.objects.create(
        amendment=amendment,
        action=step.value,
        role=role.value,
        actor=user,
        actor_label=event.actor,
        at=event.at,
        note=event.note,
        details=event.details,
        stage_after=after.stage.value,
    )
    if upload is not None:
        Attachment.objects.create(
            event=row,
            filename=upload.filename,
            content_type=upload.content_type,
            size=len(upload.data),
            sha256=hashlib.sha256(upload.data).hexdigest(),
            data=upload.data,
        )
    _audit_step(user, amendment, row, before)
    return row


def _audit_step(
    user: AuthenticatedUser, amendment: Amendment, row: AmendmentEvent, before: dict[str, JSONValue]
) -> None:
    step = Step(row.action)
    # Keys in French: the history pages show them as they are (they are not model fields).
    trace: dict[str, JSONValue] = {
        "étape ou échange": row.get_action_display(),
        "motifs ou message": row.note,
        **{TRACE_LABELS.get(key, key): str(value) for key, value in row.details.items()},
    }
    if step is Step.AJOUTER_ECHANGE and row.details.get("position") != HOLDER_REFUSAL:
        write(user, Action.CREATE, row, amendment.contract, after=trace)
        return
    refusal = row.details.get("position") == HOLDER_REFUSAL
    audit_action = Action.DECIDE if step in DECISIONS or refusal else Action.TRANSITION
    write(
        user,
        audit_action,
        amendment,
        amendment.contract,
        before=before,
        after={**_snapshot(amendment), **trace},
    )


def respond_as_holder(
    access: ContractAccess,
    user: AuthenticatedUser,
    amendment: Amendment,
    accept: bool,
    comment: str,
    *,
    observations: bool = False,
    capacity: str = "",
) -> AmendmentEvent:
    """The holder accepts (signs) the avenant, refuses it with its reasons, or sends reasoned
    observations without signing yet; a refusal and observations are exchanges kept in the
    file, shown in its history and transmitted to the buyer. ``capacity`` is the signatory's
    qualité the avenant shows."""
    if not access.is_holder:
        access.require(False, "Seuls les représentants du titulaire répondent pour le titulaire.")
    if accept:
        details = {"qualite": capacity} if capacity else None
        return act(access, user, amendment, Step.SIGNER, note=comment, details=details)
    if not comment.strip():
        raise OpenAMOError(
            "Indiquez vos observations et leurs motifs : elles sont transmises à l'acheteur."
            if observations
            else "Indiquez les motifs du refus : ils sont transmis à l'acheteur."
        )
    return act(
        access,
        user,
        amendment,
        Step.AJOUTER_ECHANGE,
        note=comment,
        details={"position": HOLDER_OBSERVATIONS if observations else HOLDER_REFUSAL},
    )


def avenant_document(
    access: ContractAccess, user: AuthenticatedUser, amendment: Amendment, kind: str
) -> tuple[bytes, str]:
    """The avenant (EXE10 content) in DOCX or PDF, and its file name; audited as GENERATE."""
    refuse_if_stale(amendment, "produire le document de l'avenant")
    data = document_input(amendment, events_of(amendment))
    with tempfile.TemporaryDirectory(prefix="openamo-avenant-") as folder:
        out = Path(folder) / f"avenant.{kind}"
        make_avenant(data, out)
        content = out.read_bytes()
    write(
        user,
        Action.GENERATE,
        amendment,
        access.contract,
        after={"document": f"Avenant n° {amendment.number} ({kind.upper()})"},
    )
    reference = access.contract.reference or f"OpenAMO-{access.contract.pk}"
    name = re.sub(r"[^\w° .-]+", "-", f"Avenant n°{amendment.number} - marché {reference}")
    return content, f"{name}.{kind}"


def actor_label(user: AuthenticatedUser) -> str:
    return str(user.get_full_name() or user.username)[:200]


def _locked(amendment: Amendment, access: ContractAccess) -> Amendment:
    locked = Amendment.objects.select_for_update().get(pk=amendment.pk)
    locked.contract = access.contract
    return locked


def _snapshot(amendment: Amendment) -> dict[str, JSONValue]:
    return snapshot(amendment, AMENDMENT_FIELDS)
