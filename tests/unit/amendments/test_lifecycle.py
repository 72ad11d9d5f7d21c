"""The amendment's life: draft → report → (CAO) → both signatures → notification → published."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from openamo.amendments import Action, Event, Lifecycle, Role, Stage, allowed_actions, apply, start
from openamo.amendments import replay as replay_events
from openamo.errors import OpenAMOError

DAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def event(action: Action, role: Role, hours: int, **extra: Any) -> Event:
    actors = {
        Role.ACHETEUR: "Mme Martin, maire",
        Role.AMO: "AMO Conseil",
        Role.TITULAIRE: "SAS Val",
    }
    return Event(
        action=action, role=role, actor=actors[role], at=DAY + dt.timedelta(hours=hours), **extra
    )


REPORT = event(Action.REDIGER_RAPPORT, Role.AMO, 1, note="Amiante découverte sous les sols.")
CAO = event(Action.RECUEILLIR_AVIS_CAO, Role.AMO, 2, details={"avis": "favorable"})
SIGN_TITULAIRE = event(Action.SIGNER, Role.TITULAIRE, 3)
SIGN_ACHETEUR = event(Action.SIGNER, Role.ACHETEUR, 4)
NOTIFY = event(Action.NOTIFIER, Role.ACHETEUR, 5)
PUBLISH = event(
    Action.PUBLIER, Role.AMO, 6, details={"decp": "2026-11-04", "avis_modification": "2026-11-03"}
)


def run(lifecycle: Lifecycle, *events: Event) -> Lifecycle:
    for item in events:
        lifecycle = apply(lifecycle, item)
    return lifecycle


def test_an_amendment_submitted_to_the_cao_goes_through_every_stage() -> None:
    lifecycle = start(cao_opinion_required=True, modification_notice_required=True)
    stages = []
    for item in (REPORT, CAO, SIGN_TITULAIRE, SIGN_ACHETEUR, NOTIFY, PUBLISH):
        lifecycle = apply(lifecycle, item)
        stages.append(lifecycle.stage)
    assert stages == [
        Stage.RAPPORT,
        Stage.AVIS_CAO,
        Stage.SIGNATURE,
        Stage.SIGNE,
        Stage.NOTIFIE,
        Stage.PUBLIE,
    ]
    assert lifecycle.closed
    assert [e.action for e in lifecycle.events] == [
        Action.REDIGER_RAPPORT,
        Action.RECUEILLIR_AVIS_CAO,
        Action.SIGNER,
        Action.SIGNER,
        Action.NOTIFIER,
        Action.PUBLIER,
    ]
    assert lifecycle.events[0].note == "Amiante découverte sous les sols."


def test_without_cao_the_parties_sign_after_the_report_in_either_order() -> None:
    buyer_first = event(Action.SIGNER, Role.ACHETEUR, 2)
    lifecycle = run(start(False, False), REPORT, buyer_first, SIGN_TITULAIRE)
    assert lifecycle.stage is Stage.SIGNE
    assert set(lifecycle.signed_by) == {Role.ACHETEUR, Role.TITULAIRE}


def test_signing_before_the_required_cao_opinion_is_refused() -> None:
    lifecycle = run(start(True, False), REPORT)
    with pytest.raises(OpenAMOError, match="CGCT L1414-4"):
        apply(lifecycle, SIGN_TITULAIRE)


def test_the_cao_opinion_is_refused_when_it_is_not_required() -> None:
    lifecycle = run(start(False, False), REPORT)
    with pytest.raises(OpenAMOError, match="pas requis"):
        apply(lifecycle, CAO)


def test_the_amo_advises_but_never_signs_nor_notifies() -> None:
    lifecycle = run(start(False, False), REPORT)
    with pytest.raises(OpenAMOError, match="ne signe pas"):
        apply(lifecycle, event(Action.SIGNER, Role.AMO, 3))
    signed = run(lifecycle, SIGN_TITULAIRE, SIGN_ACHETEUR)
    with pytest.raises(OpenAMOError, match="seul l'acheteur notifie"):
        apply(signed, event(Action.NOTIFIER, Role.AMO, 5))


def test_a_party_cannot_sign_twice() -> None:
    lifecycle = run(start(False, False), REPORT, SIGN_TITULAIRE)
    with pytest.raises(OpenAMOError, match="déjà signé"):
        apply(lifecycle, event(Action.SIGNER, Role.TITULAIRE, 4))


def test_notification_needs_both_signatures() -> None:
    lifecycle = run(start(False, False), REPORT, SIGN_TITULAIRE)
    with pytest.raises(OpenAMOError, match="signé par les deux parties"):
        apply(lifecycle, NOTIFY)


def test_publication_lists_the_essential_data_and_the_notice_when_required() -> None:
    lifecycle = run(start(False, True), REPORT, SIGN_TITULAIRE, SIGN_ACHETEUR, NOTIFY)
    with pytest.raises(OpenAMOError, match="avis_modification"):
        apply(lifecycle, event(Action.PUBLIER, Role.ACHETEUR, 6, details={"decp": "fait"}))
    published = apply(lifecycle, PUBLISH)
    assert published.stage is Stage.PUBLIE


def test_a_report_without_reasons_is_refused() -> None:
    with pytest.raises(OpenAMOError, match="motifs"):
        apply(start(False, False), event(Action.REDIGER_RAPPORT, Role.ACHETEUR, 1))


def test_an_event_cannot_be_dated_before_the_previous_one() -> None:
    lifecycle = run(start(False, False), REPORT)
    with pytest.raises(OpenAMOError, match="antérieur"):
        apply(lifecycle, event(Action.SIGNER, Role.TITULAIRE, 0))


def test_revising_the_draft_voids_a_signature_and_needs_a_new_report() -> None:
    lifecycle = run(start(False, False), REPORT, SIGN_TITULAIRE)
    revised = apply(
        lifecycle, event(Action.REVISER_PROJET, Role.ACHETEUR, 4, note="Montant corrigé.")
    )
    assert revised.stage is Stage.BROUILLON
    assert revised.signed_by == ()
    assert len(revised.events) == 3, "rien n'est effacé de l'historique"
    with pytest.raises(OpenAMOError, match="rapport"):
        apply(revised, event(Action.SIGNER, Role.ACHETEUR, 5))


def test_exchanges_are_kept_without_changing_the_stage() -> None:
    lifecycle = run(start(True, False), REPORT)
    message = event(
        Action.AJOUTER_ECHANGE,
        Role.TITULAIRE,
        2,
        note="Devis actualisé joint.",
        details={"piece": "devis-2026-11.pdf"},
    )
    after = apply(lifecycle, message)
    assert after.stage is Stage.RAPPORT
    assert after.events[-1].details == {"piece": "devis-2026-11.pdf"}
    with pytest.raises(OpenAMOError, match="message ou une pièce"):
        apply(after, event(Action.AJOUTER_ECHANGE, Role.AMO, 3))


def test_a_closed_amendment_cannot_change() -> None:
    abandoned = run(start(False, False), REPORT, event(Action.ABANDONNER, Role.ACHETEUR, 2))
    assert abandoned.stage is Stage.ABANDONNE
    for role in Role:
        assert allowed_actions(abandoned, role) == []
    with pytest.raises(OpenAMOError, match="clos"):
        apply(abandoned, event(Action.AJOUTER_ECHANGE, Role.AMO, 3, note="?"))


def test_only_the_buyer_abandons_and_never_after_notification() -> None:
    notified = run(start(False, False), REPORT, SIGN_TITULAIRE, SIGN_ACHETEUR, NOTIFY)
    with pytest.raises(OpenAMOError, match="notifié"):
        apply(notified, event(Action.ABANDONNER, Role.ACHETEUR, 6))
    with pytest.raises(OpenAMOError, match="seul l'acheteur"):
        apply(start(False, False), event(Action.ABANDONNER, Role.TITULAIRE, 1))


def test_allowed_actions_tell_each_role_what_it_may_do() -> None:
    lifecycle = run(start(True, False), REPORT)
    assert set(allowed_actions(lifecycle, Role.AMO)) == {
        Action.RECUEILLIR_AVIS_CAO,
        Action.REVISER_PROJET,
        Action.AJOUTER_ECHANGE,
    }
    assert allowed_actions(lifecycle, Role.TITULAIRE) == [Action.AJOUTER_ECHANGE]
    after_cao = apply(lifecycle, CAO)
    assert Action.SIGNER in allowed_actions(after_cao, Role.TITULAIRE)
    assert Action.SIGNER not in allowed_actions(after_cao, Role.AMO)


def test_the_state_is_the_replay_of_the_stored_events() -> None:
    events = [REPORT, CAO, SIGN_TITULAIRE, SIGN_ACHETEUR, NOTIFY]
    direct = run(start(True, False), *events)
    assert replay_events(events, True, False) == direct
    restored = [Event.model_validate(e.model_dump(mode="json")) for e in events]
    assert replay_events(restored, True, False) == direct


def test_the_steps_include_the_cao_opinion_only_where_it_is_required() -> None:
    from openamo.amendments import step_index, steps

    assert Stage.AVIS_CAO in steps(True)
    assert Stage.AVIS_CAO not in steps(False)
    assert step_index(Stage.SIGNE, False) == step_index(Stage.SIGNATURE, False) == 2
    assert step_index(Stage.PUBLIE, True) == len(steps(True)) - 1
    assert step_index(Stage.ABANDONNE, True) is None
