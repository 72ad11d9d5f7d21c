"""The life of one amendment, as a pure state machine with a traceable log of events.

    brouillon ──rediger_rapport──▶ rapport ──recueillir_avis_cao──▶ avis_cao
                                      │  (when the CAO opinion is required, it must come first)
                                      └──────────signer──────────▶ signature ──signer──▶ signe
    signe ──notifier──▶ notifie ──publier──▶ publie

``reviser_projet`` brings a draft back to ``brouillon`` until both parties have signed (signatures
already given lapse; a new report and a new CAO opinion are then needed); ``abandonner`` closes it before notification;
``ajouter_echange`` records a message or a document at any open stage without changing it.
Who may act: the AMO advises (report, exchanges, CAO opinion recording, publication) but never
signs nor notifies; both parties sign (titulaire and acheteur, in either order); the acheteur
(maître d'ouvrage) notifies. Nothing is ever deleted: the state is the replay of the events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from openamo.enums import LabelledEnum
from openamo.errors import OpenAMOError
from openamo.validation import InputModel, OutputModel


class Stage(LabelledEnum):
    BROUILLON = "brouillon", "Projet en cours de rédaction"
    RAPPORT = "rapport", "Rapport de présentation rédigé"
    AVIS_CAO = "avis_cao", "Avis de la commission d'appel d'offres recueilli"
    SIGNATURE = "signature", "En cours de signature"
    SIGNE = "signe", "Signé par les deux parties"
    NOTIFIE = "notifie", "Notifié au titulaire"
    PUBLIE = "publie", "Publié (données essentielles, avis de modification)"
    ABANDONNE = "abandonne", "Abandonné"


class Action(StrEnum):
    REDIGER_RAPPORT = "rediger_rapport"
    RECUEILLIR_AVIS_CAO = "recueillir_avis_cao"
    SIGNER = "signer"
    NOTIFIER = "notifier"
    PUBLIER = "publier"
    REVISER_PROJET = "reviser_projet"
    ABANDONNER = "abandonner"
    AJOUTER_ECHANGE = "ajouter_echange"

    @property
    def verb(self) -> str:
        """What the action does, in French, after « Impossible de »."""
        return _VERBS[self]

    @property
    def elided_verb(self) -> str:
        """« d'ajouter un échange », « de signer »."""
        verb = self.verb
        return f"d'{verb}" if verb[0] in "aeéèiou" else f"de {verb}"


_VERBS = {
    Action.REDIGER_RAPPORT: "rédiger le rapport de présentation",
    Action.RECUEILLIR_AVIS_CAO: "recueillir l'avis de la commission d'appel d'offres",
    Action.SIGNER: "signer",
    Action.NOTIFIER: "notifier l'avenant au titulaire",
    Action.PUBLIER: "enregistrer les publications",
    Action.REVISER_PROJET: "réviser le projet",
    Action.ABANDONNER: "abandonner le projet",
    Action.AJOUTER_ECHANGE: "ajouter un échange",
}


class Role(LabelledEnum):
    ACHETEUR = "acheteur", "l'acheteur (maître d'ouvrage)"
    AMO = "amo", "l'assistant à maîtrise d'ouvrage"
    TITULAIRE = "titulaire", "le titulaire"


class Event(InputModel):
    """One step of the amendment's life: who did what, when, and why."""

    action: Action
    role: Role
    actor: Annotated[str, Field(min_length=1, max_length=200)]
    at: dt.datetime
    note: Annotated[str, Field(max_length=10_000)] = ""
    details: dict[str, Annotated[str, Field(max_length=500)]] = Field(
        default_factory=dict, max_length=20
    )


class Lifecycle(OutputModel):
    """The current stage, who signed, and every event so far (the audit log)."""

    cao_opinion_required: bool
    modification_notice_required: bool
    stage: Stage = Stage.BROUILLON
    signed_by: tuple[Role, ...] = ()
    events: tuple[Event, ...] = ()

    @property
    def closed(self) -> bool:
        return self.stage in (Stage.PUBLIE, Stage.ABANDONNE)


_REVISABLE = (Stage.RAPPORT, Stage.AVIS_CAO, Stage.SIGNATURE)
_SIGNERS = (Role.ACHETEUR, Role.TITULAIRE)
_CAO_OPINIONS = ("favorable", "defavorable")


def steps(cao_opinion_required: bool) -> tuple[Stage, ...]:
    """The steps of an amendment's life in order: the draft, the presentation report, the CAO
    opinion where it is required (L1414-4), the signature by both parties, the notification
    and the publications. « Signé » is the signature step done, not a step of its own."""
    cao = (Stage.AVIS_CAO,) if cao_opinion_required else ()
    return (Stage.BROUILLON, Stage.RAPPORT, *cao, Stage.SIGNATURE, Stage.NOTIFIE, Stage.PUBLIE)


def step_index(stage: Stage, cao_opinion_required: bool) -> int | None:
    """Where ``stage`` stands in :func:`steps` (from 0); ``None`` for an abandoned amendment."""
    if stage is Stage.ABANDONNE:
        return None
    return steps(cao_opinion_required).index(Stage.SIGNATURE if stage is Stage.SIGNE else stage)


def start(cao_opinion_required: bool, modification_notice_required: bool) -> Lifecycle:
    """A new draft; the two flags come from the legal check (``amo avenant check``)."""
    return Lifecycle(
        cao_opinion_required=cao_opinion_required,
        modification_notice_required=modification_notice_required,
    )


def replay(
    events: list[Event], cao_opinion_required: bool, modification_notice_required: bool
) -> Lifecycle:
    """Rebuild the state from the stored log (raises on the first event that is not allowed)."""
    lifecycle = start(cao_opinion_required, modification_notice_required)
    for event in events:
        lifecycle = apply(lifecycle, event)
    return lifecycle


def allowed_actions(lifecycle: Lifecycle, role: Role) -> list[Action]:
    """What ``role`` may do now (for the buttons of a page)."""
    return [action for action in Action if _refusal(lifecycle, action, role) is None]


def apply(lifecycle: Lifecycle, event: Event) -> Lifecycle:
    """The lifecycle after ``event``, or a French :class:`OpenAMOError` if it is not allowed."""
    refusal = _refusal(lifecycle, event.action, event.role) or _content_refusal(lifecycle, event)
    if refusal is not None:
        raise OpenAMOError(
            f"Impossible de {event.action.verb} à l'étape « {lifecycle.stage.label} » : {refusal}",
            code="transition_interdite",
        )
    signed = lifecycle.signed_by
    stage = _next_stage(lifecycle, event)
    if event.action is Action.SIGNER:
        signed = (*signed, event.role)
    if event.action is Action.REVISER_PROJET:
        signed = ()
    return lifecycle.model_copy(
        update={"stage": stage, "signed_by": signed, "events": (*lifecycle.events, event)}
    )


def _next_stage(lifecycle: Lifecycle, event: Event) -> Stage:
    action = event.action
    if action is Action.SIGNER:
        return Stage.SIGNE if len(lifecycle.signed_by) + 1 == len(_SIGNERS) else Stage.SIGNATURE
    return {
        Action.REDIGER_RAPPORT: Stage.RAPPORT,
        Action.RECUEILLIR_AVIS_CAO: Stage.AVIS_CAO,
        Action.NOTIFIER: Stage.NOTIFIE,
        Action.PUBLIER: Stage.PUBLIE,
        Action.REVISER_PROJET: Stage.BROUILLON,
        Action.ABANDONNER: Stage.ABANDONNE,
        Action.AJOUTER_ECHANGE: lifecycle.stage,
    }[action]


def _refusal(lifecycle: Lifecycle, action: Action, role: Role) -> str | None:
    """Why ``role`` may not take ``action`` now (``None`` when it may)."""
    if lifecycle.closed:
        return "l'avenant est clos, son historique ne peut plus changer."
    stage = lifecycle.stage
    checks: dict[Action, Callable[[], str | None]] = {
        Action.AJOUTER_ECHANGE: lambda: None,
        Action.REDIGER_RAPPORT: lambda: _report(stage, role),
        Action.RECUEILLIR_AVIS_CAO: lambda: _cao(lifecycle, role),
        Action.SIGNER: lambda: _sign(lifecycle, role),
        Action.NOTIFIER: lambda: _notify(stage, role),
        Action.PUBLIER: lambda: _publish(stage, role),
        Action.REVISER_PROJET: lambda: _revise(stage, role),
        Action.ABANDONNER: lambda: _abandon(stage, role),
    }
    return checks[action]()


def _report(stage: Stage, role: Role) -> str | None:
    if role is Role.TITULAIRE:
        return "le rapport de présentation est rédigé par l'acheteur ou son AMO."
    if stage is not Stage.BROUILLON:
        return "le rapport a déjà été rédigé ; révisez le projet pour le reprendre."
    return None


def _cao(lifecycle: Lifecycle, role: Role) -> str | None:
    if not lifecycle.cao_opinion_required:
        return "l'avis de la commission d'appel d'offres n'est pas requis pour cet avenant."
    if role is Role.TITULAIRE:
        return "l'avis de la CAO est enregistré par l'acheteur ou son AMO."
    if lifecycle.stage is not Stage.RAPPORT:
        return "la CAO se prononce sur le projet d'avenant et son rapport, avant les signatures."
    return None


def _sign(lifecycle: Lifecycle, role: Role) -> str | None:
    if role is Role.AMO:
        return "l'AMO conseille le maître d'ouvrage mais ne signe pas l'avenant."
    if role in lifecycle.signed_by:
        return f"{role.label} a déjà signé."
    stage = lifecycle.stage
    if stage is Stage.BROUILLON:
        return "le rapport de présentation doit être rédigé avant les signatures."
    if stage is Stage.RAPPORT and lifecycle.cao_opinion_required:
        return "l'avis préalable de la commission d'appel d'offres est requis (CGCT L1414-4)."
    if stage not in (Stage.RAPPORT, Stage.AVIS_CAO, Stage.SIGNATURE):
        return "l'avenant n'est plus à signer."
    return None


def _notify(stage: Stage, role: Role) -> str | None:
    if role is not Role.ACHETEUR:
        return "seul l'acheteur notifie l'avenant au titulaire."
    if stage is not Stage.SIGNE:
        return "l'avenant doit être signé par les deux parties avant d'être notifié."
    return None


def _publish(stage: Stage, role: Role) -> str | None:
    if role is Role.TITULAIRE:
        return "les publications incombent à l'acheteur."
    if stage is not Stage.NOTIFIE:
        return "les données essentielles se publient après la notification de la modification."
    return None


def _revise(stage: Stage, role: Role) -> str | None:
    if role is Role.TITULAIRE:
        return "le titulaire fait ses observations par un échange ; l'acheteur révise le projet."
    if stage not in _REVISABLE:
        return "seul un projet rapporté et pas encore signé des deux parties peut être révisé."
    return None


def _abandon(stage: Stage, role: Role) -> str | None:
    if role is not Role.ACHETEUR:
        return "seul l'acheteur peut abandonner le projet d'avenant."
    if stage in (Stage.NOTIFIE, Stage.PUBLIE):
        return "un avenant notifié ne s'abandonne pas : il faudrait un nouvel avenant."
    return None


def _content_refusal(lifecycle: Lifecycle, event: Event) -> str | None:
    """What the event itself must carry: a dated log, reasons, the CAO opinion, publications."""
    if lifecycle.events and event.at < lifecycle.events[-1].at:
        return "un événement ne peut pas être antérieur au précédent."
    action, details = event.action, event.details
    if action in (Action.REDIGER_RAPPORT, Action.REVISER_PROJET) and not event.note.strip():
        return "indiquez les motifs (champ « note ») : ils justifient l'avenant."
    if action is Action.AJOUTER_ECHANGE and not (event.note.strip() or details):
        return "un échange doit contenir un message ou une pièce."
    if action is Action.RECUEILLIR_AVIS_CAO and details.get("avis") not in _CAO_OPINIONS:
        return "précisez l'avis de la CAO (details.avis : favorable ou defavorable)."
    if action is Action.PUBLIER:
        missing = ["decp"]
        if lifecycle.modification_notice_required:
            missing.append("avis_modification")
        absent = [key for key in missing if not details.get(key)]
        if absent:
            return "indiquez les publications faites (details : " + ", ".join(absent) + ")."
    return None
