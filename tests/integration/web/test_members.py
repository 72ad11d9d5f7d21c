"""Members of an organisation: the buyer's maître d'ouvrage adds, re-roles and removes them;
others read or get a 404; nothing is lost (the membership ends, the account stays)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from openamo.web.audit.models import AuditEvent
from openamo.web.operations.models import Operation
from openamo.web.organisations.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from tests.integration.web.conftest import Cast, client_for, fresh, make_user, text


def members_url(cast: Cast) -> str:
    return reverse("organisations:members", args=[cast.commune.pk])


def test_the_maitre_d_ouvrage_invites_by_e_mail_and_nobody_is_attached_before_accepting(
    cast: Cast, mailoutbox: list[Any]
) -> None:
    client = client_for(cast.mo)
    response = client.post(
        members_url(cast),
        {"email": "Luc.Moreau@saint-exemple.fr", "first_name": "Luc", "role": "amo"},
        follow=True,
    )
    assert "Invitation envoyée à luc.moreau@saint-exemple.fr" in text(response)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["luc.moreau@saint-exemple.fr"]
    assert "/invitations/" in mailoutbox[0].body
    assert not get_user_model().objects.filter(email__iexact="luc.moreau@saint-exemple.fr")
    assert Membership.objects.filter(organisation=cast.commune).count() == 3
    assert AuditEvent.objects.filter(object_type="invitation", action="create").exists()
    assert "luc.moreau@saint-exemple.fr" in text(client.get(members_url(cast)))


def test_inviting_an_existing_account_answers_exactly_as_for_a_new_address(
    cast: Cast, mailoutbox: list[Any]
) -> None:
    """The answer never tells whether an account exists (here Victor's, of another buyer)."""
    outsider = fresh(cast.outsider_mo)
    outsider.email = "victor@voisinville.fr"
    outsider.save()
    client = client_for(cast.mo)
    answers = []
    for email in ("victor@voisinville.fr", "personne@nulle-part.fr"):
        response = client.post(members_url(cast), {"email": email, "role": "lecteur"}, follow=True)
        said = [str(m).replace(email, "ADRESSE") for m in response.context["messages"]]
        answers.append((response.status_code, response.redirect_chain, said))
    assert answers[0] == answers[1]
    assert len(mailoutbox) == 2
    assert not Membership.objects.filter(user=outsider, organisation=cast.commune).exists()


def test_bad_input_is_kept_with_a_french_error(cast: Cast) -> None:
    response = client_for(cast.mo).post(
        members_url(cast), {"email": "luc moreau", "first_name": "Luc", "role": "amo"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "Saisissez une adresse électronique valide" in page
    assert 'value="luc moreau"' in page and 'value="Luc"' in page


def test_inviting_a_current_member_is_explained(cast: Cast) -> None:
    reader = fresh(cast.reader)
    reader.email = "jeanne@saint-exemple.fr"
    reader.save()
    response = client_for(cast.mo).post(
        members_url(cast), {"email": "jeanne@saint-exemple.fr", "role": "amo"}
    )
    assert response.status_code == 400
    assert "déjà membre de cette organisation" in text(response)


def test_readers_and_amo_of_a_buyer_see_the_members_but_cannot_change_them(cast: Cast) -> None:
    for user in (cast.reader, cast.internal_amo):
        client = client_for(user)
        assert "Marie" in text(client.get(members_url(cast)))
        response = client.post(
            members_url(cast), {"email": "intrus@exemple.fr", "role": "maitre_ouvrage"}
        )
        assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_another_organisation_s_members_page_is_a_404(cast: Cast) -> None:
    membership = Membership.objects.get(user=cast.reader)
    for user in (cast.consultant, cast.outsider_mo):
        client = client_for(user)
        assert client.get(members_url(cast)).status_code == 404
        data = {"email": "x@exemple.fr", "role": "amo"}
        assert client.post(members_url(cast), data).status_code == 404
        for name in ("member_role", "member_remove"):
            url = reverse(f"organisations:{name}", args=[cast.commune.pk, membership.pk])
            assert client.post(url, {"role": "maitre_ouvrage"}).status_code == 404
    membership.refresh_from_db()
    assert membership.role == Role.LECTEUR and membership.ended_at is None


def test_a_removed_member_loses_access_but_the_account_and_trace_remain(
    cast: Cast, operation: Operation
) -> None:
    membership = Membership.objects.get(user=cast.reader)
    client = client_for(cast.mo)
    url = reverse("organisations:member_remove", args=[cast.commune.pk, membership.pk])
    assert client.post(url).status_code == 302
    reader = fresh(cast.reader)
    assert (
        client_for(reader).get(reverse("operations:detail", args=[operation.pk])).status_code == 404
    )
    membership.refresh_from_db()
    assert membership.ended_at is not None
    assert get_user_model().objects.filter(pk=reader.pk).exists()
    assert AuditEvent.objects.filter(object_type="membership", action="delete").exists()
    page = text(client.get(members_url(cast)))
    assert (
        "Anciens membres" in page and f"{timezone.localdate(membership.ended_at):%d/%m/%Y}" in page
    )


def test_a_removed_member_invited_again_gets_a_new_membership_the_old_one_stays_dated(
    cast: Cast, mailoutbox: list[Any]
) -> None:
    from tests.integration.web.mails import link_to

    reader = fresh(cast.reader)
    reader.email = "jeanne@saint-exemple.fr"
    reader.save()
    old = Membership.objects.get(user=reader)
    client = client_for(cast.mo)
    client.post(reverse("organisations:member_remove", args=[cast.commune.pk, old.pk]))
    response = client.post(members_url(cast), {"email": "jeanne@saint-exemple.fr", "role": "amo"})
    assert response.status_code == 302
    link = link_to(mailoutbox[-1], "/invitations/")
    client_for(reader).post(link, {"action": "accept"})
    rows = Membership.objects.filter(user=reader, organisation=cast.commune).order_by("pk")
    assert [(m.role, m.ended_at is None) for m in rows] == [
        (Role.LECTEUR, False),
        (Role.AMO, True),
    ]
    old.refresh_from_db()
    assert old.ended_at is not None and old.started_at < old.ended_at
    page = text(client.get(members_url(cast)))
    assert "Anciens membres" in page and f"{timezone.localdate(old.ended_at):%d/%m/%Y}" in page


def test_the_last_maitre_d_ouvrage_cannot_demote_or_remove_themself(cast: Cast) -> None:
    membership = Membership.objects.get(user=cast.mo)
    client = client_for(cast.mo)
    role_url = reverse("organisations:member_role", args=[cast.commune.pk, membership.pk])
    page = text(client.post(role_url, {"role": "lecteur"}, follow=True))
    assert "au moins un membre qui puisse gérer" in page
    membership.refresh_from_db()
    assert membership.role == Role.MAITRE_OUVRAGE


def test_a_user_changes_their_password(cast: Cast) -> None:
    user = get_user_model().objects.get(pk=cast.mo.pk)
    user.set_password("ancien mot de passe assez long")
    user.save()
    client = client_for(user)
    response = client.post(
        reverse("organisations:password"),
        {
            "old_password": "ancien mot de passe assez long",
            "new_password1": "nouveau mot de passe bien long",
            "new_password2": "nouveau mot de passe bien long",
        },
        follow=True,
    )
    assert "Mot de passe changé." in text(response)
    user.refresh_from_db()
    assert user.check_password("nouveau mot de passe bien long")


def test_a_contractor_s_members_are_named_as_the_titulaire_s_people(db: None) -> None:
    """A titulaire's representative is not a « maître d'ouvrage »: same rights, its own words."""
    firm = Organisation.objects.create(name="Restauration du Val", kind=OrganisationKind.ENTREPRISE)
    boss = make_user("emma", firm, Role.MAITRE_OUVRAGE)
    make_user("noe", firm, Role.AMO)
    page = text(client_for(boss).get(reverse("organisations:members", args=[firm.pk])))
    assert "Votre rôle : représentant du titulaire, signataire." in page
    assert "Collaborateur du titulaire" in page
    assert '<option value="maitre_ouvrage">Représentant du titulaire, signataire</option>' in page
    assert "Maître d'ouvrage" not in page and "maître d'ouvrage" not in page
    dashboard = text(client_for(boss).get(reverse("operations:dashboard")))
    assert "Restauration du Val — votre rôle : représentant du titulaire, signataire" in dashboard
