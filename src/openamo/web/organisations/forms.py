from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Unpack

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    SetPasswordMixin,
)

from openamo.postal import parse_postal_address
from openamo.web.forms import (
    DjangoFormOptions,
    Files,
    FormOptions,
    OpenAMOForm,
    Posted,
    check_siret,
)
from openamo.web.organisations.models import (
    BUYER_CHOICES,
    BUYER_REQUIRED,
    Organisation,
    OrganisationKind,
    Role,
    role_choices,
)
from openamo.web.organisations.requests import InvitationEntry, NewAccount, OrganisationEntry
from openamo.web.users import AuthenticatedUser

EMAIL_ERRORS = {
    "required": "Indiquez une adresse électronique.",
    "invalid": "Saisissez une adresse électronique valide, par exemple prenom.nom@mairie.fr.",
}
PASSWORD_MISMATCH = "Les deux mots de passe ne sont pas identiques."


def email_field(label: str = "Adresse électronique", help_text: str = "") -> forms.EmailField:
    return forms.EmailField(
        label=label,
        max_length=254,
        error_messages=EMAIL_ERRORS,
        help_text=help_text,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def password_fields() -> tuple[forms.CharField, forms.CharField]:
    first, second = SetPasswordMixin.create_password_fields(
        label1="Nouveau mot de passe", label2="Confirmation du nouveau mot de passe"
    )
    second.help_text = "Saisissez le même mot de passe, pour vérification."
    return first, second


class LoginForm(AuthenticationForm, OpenAMOForm):
    username = forms.CharField(
        label="Identifiant ou adresse électronique",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Identifiant ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }


class RoleNamedForm(OpenAMOForm):
    """A form with a ``role`` choice, named for the organisation's kind (``role_choices``)."""

    def __init__(
        self,
        data: Posted | None = None,
        files: Files | None = None,
        *,
        kind: str = "",
        **options: Unpack[FormOptions],
    ) -> None:
        super().__init__(data, files, **options)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = role_choices(kind)


class InvitationForm(RoleNamedForm):
    email = email_field(help_text="L'invitation y est envoyée ; le lien vaut sept jours.")
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    role = forms.ChoiceField(label="Rôle proposé", choices=Role.choices)

    def to_input(self) -> InvitationEntry:
        """Whom to invite, typed (once the form is valid)."""
        data = self.cleaned_data
        return InvitationEntry(
            email=data["email"],
            role=Role(data["role"]),
            first_name=data.get("first_name") or "",
            last_name=data.get("last_name") or "",
        )


class RoleForm(RoleNamedForm):
    role = forms.ChoiceField(label="Nouveau rôle", choices=Role.choices)


class PasswordForm(PasswordChangeForm, OpenAMOForm):
    """Django's password change (validators of the settings), with DSFR rendering."""

    error_messages = {
        "password_mismatch": PASSWORD_MISMATCH,
        "password_incorrect": "Mot de passe actuel incorrect. Saisissez-le à nouveau.",
    }


class ResetRequestForm(PasswordResetForm, OpenAMOForm):
    email = email_field(help_text="L'adresse de votre compte OpenAMO.")

    def get_users(self, email: str) -> Iterator[AuthenticatedUser]:
        """Django's choice (active accounts with a password), plus the accounts created by a
        ProConnect sign-in, which have none yet: their owner may choose one, to sign in while
        ProConnect is unavailable."""
        yield from super().get_users(email)
        linked = get_user_model().objects.filter(
            email__iexact=email, is_active=True, proconnect_identity__isnull=False
        )
        yield from (user for user in linked if not user.has_usable_password())


class ResetPasswordForm(SetPasswordForm, OpenAMOForm):  # type: ignore[type-arg]
    error_messages = {"password_mismatch": PASSWORD_MISMATCH}


class SignupForm(OpenAMOForm):
    email = email_field(
        "Votre adresse électronique professionnelle",
        help_text="Un lien pour créer votre compte y est envoyé ; il vaut deux jours.",
    )


class NewAccountForm(SetPasswordMixin, OpenAMOForm):  # type: ignore[type-arg]
    """Names and a password chosen by the person (validators of the settings)."""

    error_messages = {"password_mismatch": PASSWORD_MISMATCH}
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    new_password1, new_password2 = password_fields()

    def __init__(
        self,
        data: Posted | None = None,
        files: Files | None = None,
        *,
        email: str,
        **options: Unpack[FormOptions],
    ) -> None:
        super().__init__(data, files, **options)
        self.email = email

    def clean(self) -> None:
        super().clean()
        cleaned = self.cleaned_data
        self.validate_passwords("new_password1", "new_password2")
        future = get_user_model()(
            username=self.email,
            email=self.email,
            first_name=cleaned.get("first_name", ""),
            last_name=cleaned.get("last_name", ""),
        )
        self.validate_password_for_user(future, "new_password2")

    def to_input(self) -> NewAccount:
        """The names and the password, typed (once the form is valid)."""
        data = self.cleaned_data
        return NewAccount(
            first_name=data["first_name"],
            last_name=data["last_name"],
            password=data["new_password1"],
        )


class OrganisationForm(OpenAMOForm):
    """An organisation as its founder or the platform operator describes it; the buyer category
    is asked of a public buyer, never assumed."""

    siret = forms.CharField(
        label="SIRET de l'organisation",
        max_length=20,
        help_text="14 chiffres, sur l'avis de situation SIRENE ou l'annuaire de l'administration.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(label="Nom de l'organisation", max_length=200)
    kind = forms.ChoiceField(
        label="Type d'organisation",
        choices=[("", "— Choisissez —"), *OrganisationKind.choices],
    )
    buyer = forms.ChoiceField(
        label="Catégorie d'acheteur (acheteur public seulement)",
        choices=[("", "— Choisissez —"), *BUYER_CHOICES],
        required=False,
        help_text="Elle détermine les seuils et délais applicables.",
    )
    population = forms.IntegerField(
        label="Population (collectivité)",
        required=False,
        min_value=0,
        max_value=100_000_000,
        error_messages={
            "invalid": "Saisissez un nombre d'habitants entier, par exemple 7000.",
            "min_value": "La population ne peut pas être négative.",
            "max_value": "Population invraisemblable (plus de 100 millions d'habitants).",
        },
    )

    def clean_siret(self) -> str:
        return check_siret(self.cleaned_data["siret"])

    def clean(self) -> None:
        super().clean()
        kind, buyer = self.cleaned_data.get("kind"), self.cleaned_data.get("buyer")
        if kind == OrganisationKind.COLLECTIVITE and not buyer:
            self.add_error("buyer", BUYER_REQUIRED)
        elif kind and kind != OrganisationKind.COLLECTIVITE and buyer:
            self.add_error("buyer", "Seul un acheteur public a une catégorie d'acheteur.")

    def to_input(self) -> OrganisationEntry:
        """The organisation, typed (once the form is valid)."""
        data = self.cleaned_data
        return OrganisationEntry(
            siret=data["siret"],
            name=data["name"],
            kind=OrganisationKind(data["kind"]),
            buyer=data.get("buyer") or "",
            population=data.get("population"),
        )


class IdentityForm(OpenAMOForm):
    """What the documents say of the organisation: its name, for a public buyer its category and
    population, and the postal address letters, the DCE and the avenants print. The SIRET and
    the type are those it was created with (another SIRET is another organisation)."""

    name = forms.CharField(label="Nom de l'organisation", max_length=200)
    siret = OrganisationForm.base_fields["siret"]
    buyer = OrganisationForm.base_fields["buyer"]
    population = OrganisationForm.base_fields["population"]
    postal_address = forms.CharField(
        label="Adresse postale",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sur plusieurs lignes, la dernière avec le code postal et la commune, par "
        "exemple « Hôtel de ville / 1 place de la Mairie / 44000 Nantes ». Les lettres, le DCE et "
        "les avenants la reprennent.",
    )

    def __init__(
        self,
        data: Posted | None = None,
        files: Files | None = None,
        *,
        organisation: Organisation,
        editable: bool = True,
        initial: Mapping[str, object] | None = None,
        **options: Unpack[DjangoFormOptions],
    ) -> None:
        super().__init__(data, files, initial=initial, current=organisation, **options)
        self.organisation = organisation
        if organisation.siret:  # set once: another SIRET is another organisation
            del self.fields["siret"]
        else:
            self.fields["siret"].required = False
        if organisation.is_buyer:
            self.fields["buyer"].required = True
            self.fields["buyer"].error_messages["required"] = BUYER_REQUIRED
        else:
            del self.fields["buyer"], self.fields["population"]
        for field in self.fields.values():
            field.disabled = not editable

    @staticmethod
    def initial_of(organisation: Organisation) -> dict[str, object]:
        return {
            "name": organisation.name,
            "siret": organisation.siret,
            "buyer": organisation.buyer,
            "population": organisation.population,
            "postal_address": organisation.postal_address,
        }

    def clean_siret(self) -> str:
        if not self.cleaned_data["siret"].strip():
            return ""
        number = check_siret(self.cleaned_data["siret"])
        if Organisation.objects.filter(siret=number).exclude(pk=self.organisation.pk).exists():
            raise forms.ValidationError(
                "Une autre organisation porte déjà ce SIRET : vérifiez-le, ou demandez à la "
                "rejoindre."
            )
        return number

    def clean_postal_address(self) -> str:
        address = "\n".join(
            line.strip()
            for line in self.cleaned_data["postal_address"].splitlines()
            if line.strip()
        )
        if address and parse_postal_address(address).postcode is None:
            raise forms.ValidationError(
                "Terminez l'adresse par le code postal (5 chiffres) et la commune, par exemple "
                "« 44000 Nantes » : les lettres sont datées « À <commune>, le … »."
            )
        return address


class JoinForm(OpenAMOForm):
    message = forms.CharField(
        label="Message aux responsables de l'organisation",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Par exemple votre service et votre fonction.",
    )


class DecisionForm(RoleNamedForm):
    role = forms.ChoiceField(label="Rôle accordé", choices=Role.choices, initial=Role.LECTEUR)


class ProConnectLinkForm(OpenAMOForm):
    password = forms.CharField(
        label="Mot de passe de votre compte OpenAMO",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Saisissez le mot de passe de votre compte."},
    )
