"""The organisations border: ProConnect's JSON validated where it arrives (discovery document,
userinfo claims, ID token), and the typed requests the organisation forms give."""

from __future__ import annotations

import pytest
import requests
from pytest_django.fixtures import Settings

from openamo.web.organisations import proconnect
from openamo.web.organisations.forms import InvitationForm, NewAccountForm, OrganisationForm
from openamo.web.organisations.models import OrganisationKind, ProConnectIdentity, Role
from openamo.web.organisations.proconnect import Discovery, IdToken, UserInfo
from openamo.web.organisations.requests import InvitationEntry, NewAccount, OrganisationEntry

ENDPOINTS = {
    "issuer": "https://fournisseur.example",
    "authorization_endpoint": "https://fournisseur.example/authorize",
    "token_endpoint": "https://fournisseur.example/token",
    "userinfo_endpoint": "https://fournisseur.example/userinfo",
    "jwks_uri": "https://fournisseur.example/jwks",
}


def test_userinfo_claims_are_validated_where_they_arrive() -> None:
    claims = UserInfo.of(
        {"sub": "abc", "email": " Ines.Roux@Saint-Exemple.fr ", "given_name": "Inès", "x": 1}
    )
    assert claims == UserInfo(sub="abc", email="ines.roux@saint-exemple.fr", given_name="Inès")
    assert claims.names() == {"first_name": "Inès", "last_name": ""}
    assert UserInfo.of({"sub": "abc", "email": ""}) is None
    assert UserInfo.of({"email": "ines@saint-exemple.fr"}) is None
    assert UserInfo.of({"sub": "abc", "email": "a@b.fr", "siret": None}) == UserInfo(
        sub="abc", email="a@b.fr"
    )
    assert UserInfo.of({"sub": "abc", "email": "a@b.fr", "usual_name": "N" * 200}) is not None


def test_the_id_token_audience_is_one_or_several() -> None:
    assert IdToken.model_validate({"aud": "openamo"}).audiences() == ["openamo"]
    assert IdToken.model_validate({"aud": ["a", "b"], "iss": "x"}).audiences() == ["a", "b"]
    assert IdToken.model_validate({}).audiences() == []


class _Answer:
    def __init__(self, document: object) -> None:
        self.document = document

    def raise_for_status(self) -> None:
        return None

    def json(self) -> object:
        return self.document


def _serve(monkeypatch: pytest.MonkeyPatch, settings: Settings, document: object) -> None:
    settings.OPENAMO_PROCONNECT_URL = f"https://fournisseur-{id(document)}.example"
    monkeypatch.setattr(requests, "get", lambda *_, **__: _Answer(document))


def test_the_discovery_document_is_read_typed(
    monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    _serve(monkeypatch, settings, {**ENDPOINTS, "end_session_endpoint": "https://f.example/out"})
    found = proconnect.discovery()
    assert found == Discovery(**ENDPOINTS, end_session_endpoint="https://f.example/out")
    assert proconnect.oidc_setting("OIDC_OP_TOKEN_ENDPOINT") == ENDPOINTS["token_endpoint"]


@pytest.mark.parametrize(
    "document", [{k: v for k, v in ENDPOINTS.items() if k != "jwks_uri"}, ["pas un objet"]]
)
def test_an_incomplete_discovery_document_makes_proconnect_unavailable(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, document: object
) -> None:
    _serve(monkeypatch, settings, document)
    with pytest.raises(proconnect.ProConnectUnavailable):
        proconnect.discovery()


def test_a_first_sign_in_creates_the_account_from_the_claims(db: None) -> None:
    claims = UserInfo(sub="xyz", email="karim@villeneuve.fr", given_name="Karim")
    user, pending = proconnect.user_for_claims(claims)
    assert pending is None and user is not None
    assert (user.username, user.first_name, user.has_usable_password()) == (
        "karim@villeneuve.fr",
        "Karim",
        False,
    )
    assert ProConnectIdentity.objects.get(sub="xyz").user == user
    assert proconnect.user_for_claims(claims) == (user, None)


def test_the_organisation_forms_give_typed_requests() -> None:
    organisation = OrganisationForm(
        {
            "siret": "217 500 016 00019",
            "name": "Commune",
            "kind": "collectivite",
            "buyer": "collectivite",
        }
    )
    assert organisation.is_valid(), organisation.errors
    assert organisation.to_input() == OrganisationEntry(
        siret="21750001600019",
        name="Commune",
        kind=OrganisationKind.COLLECTIVITE,
        buyer="collectivite",
    )
    invitation = InvitationForm({"email": "Luc@Saint-Exemple.fr", "role": "lecteur"})
    assert invitation.is_valid(), invitation.errors
    assert invitation.to_input().role is Role.LECTEUR
    assert invitation.to_input() == InvitationEntry(
        email=invitation.cleaned_data["email"], role=Role.LECTEUR
    )


def test_the_new_account_form_gives_the_chosen_password(db: None) -> None:
    password = "cheval-agrafe-batterie-correct"
    form = NewAccountForm(
        {
            "first_name": "Luc",
            "last_name": "Moreau",
            "new_password1": password,
            "new_password2": password,
        },
        email="luc@saint-exemple.fr",
    )
    assert form.is_valid(), form.errors
    assert form.to_input() == NewAccount(first_name="Luc", last_name="Moreau", password=password)
