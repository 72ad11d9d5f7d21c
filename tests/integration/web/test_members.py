"""Members of an organisation: the buyer's maître d'ouvrage adds, re-roles and removes them;
others read or get a 404; nothing is lost (the membership ends, the account stays)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from openamo.web.audit.models import AuditEvent
from openamo.web.operations.models import Operation
from openamo.web.organisations.models import Membership, Role
from tests.integration.web.conftest import Cast, client_for, fresh, text


def members_url(cast: Cast) -> str:
    return reverse("organisations:members", args=[cast.commune.pk])


def test_the_maitre_d_ouvrage_creates_an_account_whose_password_is_shown_once(cast: Cast) -> None:
    client = client_for(cast.mo)
    response = client.post(
        members_url(cast),
        {"username": "luc.moreau", "first_name": "Luc", "last_name": "Moreau", "role": "amo"},
        follow=True,
    )
    page = text(response)
    assert "Compte « luc.moreau » créé" in page
    password = page.split("première connexion : ")[1].split("<")[0].strip()
    luc = get_user_model().objects.get(username="luc.moreau")
    assert luc.check_password(password)
    assert luc.password.startswith("argon2")
    assert Membership.objects.get(user=luc).role == Role.AMO
    assert AuditEvent.objects.filter(object_type="membership", action="create").exists()
    assert "Luc Moreau" in text(client.get(members_url(cast)))


def test_bad_input_is_kept_with_a_french_error(cast: Cast) -> None:
    response = client_for(cast.mo).post(
        members_url(cast), {"username": "luc moreau", "first_name": "Luc", "role": "amo"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "sans espace" in page
    assert 'value="luc moreau"' in page and 'value="Luc"' in page


def test_readers_and_amo_of_a_buyer_see_the_members_but_cannot_change_them(cast: Cast) -> None:
    for user in (cast.reader, cast.internal_amo):
        client = client_for(user)
        assert "Marie" in text(client.get(members_url(cast)))
        response = client.post(members_url(cast), {"username": "intrus", "role": "maitre_ouvrage"})
        assert response.status_code == 403
    assert not get_user_model().objects.filter(username="intrus").exists()


def test_another_organisation_s_members_page_is_a_404(cast: Cast) -> None:
    membership = Membership.objects.get(user=cast.reader)
    for user in (cast.consultant, cast.outsider_mo):
        client = client_for(user)
        assert client.get(members_url(cast)).status_code == 404
        assert client.post(members_url(cast), {"username": "x", "role": "amo"}).status_code == 404
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
