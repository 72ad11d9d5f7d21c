"""``amo admin``: what the platform operator does without the web — prepare the database,
create organisations (by SIRET, buyer category asked for a public buyer), invite their first
members by e-mail, create a staff account for the admin site. Every change is audited.

Same contract as every command: text or ``--json``; invalid input exits 2 with a French
message (and ``{"error": …}`` with ``--json``).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from typing import Any

import typer

from openamo.cli._io import JsonOption, dump_json, fail
from openamo.errors import ErrorDetail, OpenAMOError

app = typer.Typer(
    help="Administration de la plateforme : organisations, invitations, comptes.",
    add_completion=False,
)
organisation_app = typer.Typer(help="Organisations (collectivités, cabinets d'AMO, entreprises).")
user_app = typer.Typer(help="Personnes : invitations à rejoindre une organisation.")
staff_app = typer.Typer(
    help="Comptes de l'équipe qui exploite la plateforme (site d'administration)."
)
app.add_typer(organisation_app, name="organisation")
app.add_typer(user_app, name="user")
app.add_typer(staff_app, name="staff")

OPERATOR = "administrateur de la plateforme (amo admin)"
OPTION_NAMES = {
    "siret": "--siret",
    "name": "--name",
    "kind": "--kind",
    "buyer": "--buyer-category",
    "population": "--population",
    "email": "--email",
    "first_name": "--first-name",
    "last_name": "--last-name",
    "role": "--role",
    "username": "--username",
}


@app.callback()
def _group() -> None:
    """Administration de la plateforme."""


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openamo.web.config.settings.dev")
    import django

    django.setup()


def _run(as_json: bool, action: Callable[[], dict[str, Any]], text: Callable[[Any], str]) -> None:
    """Set Django up, run ``action``, print its result; French errors, never a traceback."""
    from django.db import DatabaseError

    try:
        _setup()
        result = action()
    except OpenAMOError as exc:
        fail(exc, as_json)
    except DatabaseError as exc:
        typer.echo(
            "Erreur : base de données inaccessible ou pas encore préparée "
            f"({type(exc).__name__}) ; lancez « amo admin migrate ».",
            err=True,
        )
        raise typer.Exit(1) from None
    typer.echo(dump_json(result) if as_json else text(result))


def _form_error(form: Any) -> OpenAMOError:
    details = [
        ErrorDetail(OPTION_NAMES.get(field, field), str(message))
        for field, messages in form.errors.items()
        for message in messages
    ]
    return OpenAMOError("Entrée invalide.", code="invalid_input", details=details)


def _organisation_json(organisation: Any) -> dict[str, Any]:
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "kind": organisation.kind,
        "kind_label": organisation.get_kind_display(),
        "buyer_category": organisation.buyer or None,
        "population": organisation.population,
        "siret": organisation.siret,
    }


@app.command("migrate")
def migrate(as_json: bool = JsonOption) -> None:
    """Crée ou met à jour les tables de la base (à lancer après chaque mise à jour)."""

    def action() -> dict[str, Any]:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        return {"migrated": True}

    _run(as_json, action, lambda _: "Base de données à jour.")


@organisation_app.command("create")
def organisation_create(
    siret: str = typer.Option(..., "--siret", help="SIRET de l'organisation (14 chiffres)."),
    kind: str = typer.Option(..., "--kind", help="collectivite, amo ou entreprise."),
    name: str = typer.Option(..., "--name", help="Nom de l'organisation."),
    buyer_category: str = typer.Option(
        "",
        "--buyer-category",
        help="Acheteur public seulement : collectivite, etat ou entite_adjudicatrice.",
    ),
    population: str = typer.Option("", "--population", help="Population (collectivité)."),
    as_json: bool = JsonOption,
) -> None:
    """Crée une organisation (sans membre : invitez ensuite son premier maître d'ouvrage)."""

    def action() -> dict[str, Any]:
        from openamo.web.operations.access import PermissionRefused
        from openamo.web.organisations import registration
        from openamo.web.organisations.forms import OrganisationForm

        form = OrganisationForm(
            {
                "siret": siret,
                "kind": kind,
                "name": name,
                "buyer": buyer_category,
                "population": population,
            }
        )
        if not form.is_valid():
            raise _form_error(form)
        try:
            organisation = registration.create_organisation(
                None, form.to_input(), actor_label=OPERATOR
            )
        except PermissionRefused as exc:
            raise OpenAMOError(
                exc.message, code="siret_taken", details=[ErrorDetail("--siret", exc.message)]
            ) from None
        return {"organisation": _organisation_json(organisation)}

    def text(result: dict[str, Any]) -> str:
        org = result["organisation"]
        return (
            f"Organisation créée : {org['name']} (n° {org['id']}, SIRET {org['siret']}, "
            f"{org['kind_label'].lower()}).\n"
            f"Invitez son premier membre : amo admin user invite --organisation {org['siret']} "
            "--email … --role maitre_ouvrage"
        )

    _run(as_json, action, text)


@organisation_app.command("list")
def organisation_list(as_json: bool = JsonOption) -> None:
    """Liste les organisations de la plateforme."""

    def action() -> dict[str, Any]:
        from openamo.web.organisations.models import Organisation

        return {"organisations": [_organisation_json(o) for o in Organisation.objects.all()]}

    def text(result: dict[str, Any]) -> str:
        lines = [
            f"{o['id']:>5}  {o['siret'] or '—':<14}  {o['name']} ({o['kind_label'].lower()})"
            for o in result["organisations"]
        ]
        return "\n".join(lines) if lines else "Aucune organisation."

    _run(as_json, action, text)


def _find_organisation(reference: str) -> Any:
    from stdnum.fr import siret

    from openamo.web.organisations.models import Organisation

    compact = siret.compact(reference)
    found = Organisation.objects.filter(siret=compact).exclude(siret="").first()
    if found is None and reference.strip().isdigit() and len(reference.strip()) < 14:
        found = Organisation.objects.filter(pk=int(reference)).first()
    if found is None:
        message = f"Aucune organisation avec le SIRET ou le numéro « {reference} »."
        raise OpenAMOError(
            message,
            code="organisation_not_found",
            details=[ErrorDetail("--organisation", message)],
        )
    return found


@user_app.command("invite")
def user_invite(
    organisation: str = typer.Option(
        ..., "--organisation", help="SIRET (ou numéro) de l'organisation."
    ),
    email: str = typer.Option(..., "--email", help="Adresse électronique de la personne."),
    role: str = typer.Option("maitre_ouvrage", "--role", help="maitre_ouvrage, amo ou lecteur."),
    first_name: str = typer.Option("", "--first-name", help="Prénom."),
    last_name: str = typer.Option("", "--last-name", help="Nom."),
    as_json: bool = JsonOption,
) -> None:
    """Invite une personne : elle reçoit un lien (sept jours, une fois) et l'accepte elle-même.

    Les liens des courriels envoyés en ligne de commande commencent par OPENAMO_BASE_URL.
    """

    def action() -> dict[str, Any]:
        from django.urls import reverse

        from openamo.web.operations.access import PermissionRefused
        from openamo.web.organisations import invitations
        from openamo.web.organisations.forms import InvitationForm
        from openamo.web.organisations.mail import absolute_url

        target = _find_organisation(organisation)
        form = InvitationForm(
            {"email": email, "role": role, "first_name": first_name, "last_name": last_name}
        )
        if not form.is_valid():
            raise _form_error(form)
        try:
            invitation, url = invitations.invite(
                target,
                None,
                form.to_input(),
                lambda token: absolute_url(reverse("organisations:invitation", args=[token])),
                actor_label=OPERATOR,
            )
        except PermissionRefused as exc:
            raise OpenAMOError(
                exc.message, code="already_member", details=[ErrorDetail("--email", exc.message)]
            ) from None
        return {
            "invitation": {
                "id": invitation.pk,
                "organisation": target.name,
                "email": invitation.email,
                "role": invitation.role,
                "expires_at": invitation.expires_at.isoformat(),
                "url": url,
            }
        }

    def text(result: dict[str, Any]) -> str:
        inv = result["invitation"]
        return (
            f"Invitation envoyée à {inv['email']} pour rejoindre {inv['organisation']} "
            f"(valable jusqu'au {inv['expires_at'][:10]}, une seule fois).\n"
            f"Lien personnel, si le courriel n'arrive pas : {inv['url']}"
        )

    _run(as_json, action, text)


@staff_app.command("create")
def staff_create(
    username: str = typer.Option(..., "--username", help="Identifiant."),
    email: str = typer.Option(..., "--email", help="Adresse électronique."),
    superuser: bool = typer.Option(
        False, "--superuser", help="Tous les droits sur le site d'administration."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Crée un compte de l'équipe de la plateforme, avec un mot de passe provisoire affiché une
    fois et à changer à la première connexion."""

    def action() -> dict[str, Any]:
        from django import forms
        from django.contrib.auth import get_user_model

        from openamo.web.audit.models import Action
        from openamo.web.audit.services import record
        from openamo.web.organisations.forms import EMAIL_ERRORS
        from openamo.web.organisations.passwords import mark_provisional

        class StaffForm(forms.Form):
            username = forms.RegexField(
                regex=r"^[\w.@+-]{1,150}$",
                error_messages={
                    "invalid": "Lettres, chiffres et . @ + - _ uniquement, sans espace.",
                },
            )
            email = forms.EmailField(error_messages=EMAIL_ERRORS)

        form = StaffForm({"username": username, "email": email})
        if not form.is_valid():
            raise _form_error(form)
        user_model = get_user_model()
        if user_model.objects.filter(username__iexact=form.cleaned_data["username"]).exists():
            message = "Cet identifiant est déjà pris."
            raise OpenAMOError(
                message, code="username_taken", details=[ErrorDetail("--username", message)]
            )
        password = secrets.token_urlsafe(12)
        user = user_model.objects.create_user(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=password,
            is_staff=True,
            is_superuser=superuser,
        )
        mark_provisional(user)
        record(
            None,
            Action.CREATE,
            user,
            operation_id=None,
            after={"username": user.username, "is_staff": True, "is_superuser": superuser},
            actor_label=OPERATOR,
        )
        return {"staff": {"username": user.username, "provisional_password": password}}

    def text(result: dict[str, Any]) -> str:
        staff = result["staff"]
        return (
            f"Compte « {staff['username']} » créé. Mot de passe provisoire, affiché une seule "
            f"fois et à changer à la première connexion : {staff['provisional_password']}\n"
            "Site d'administration : /administration/"
        )

    _run(as_json, action, text)
