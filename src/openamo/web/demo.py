"""Demonstration data: a commune of 7 000 inhabitants, its AMO firm, four shared operations
(the school catering consultation of 2025 whose contract is in execution, the consultation
renewing it, HR software, the new school canteen built by the construction app), dated around
the day they are loaded (``openamo.web.demo_context``).

Loading is idempotent: existing objects are kept, missing ones are created. Passwords are
random, kept in the data directory (``demo-credentials.json``, readable by the owner only) so
that they can be printed again at every start.
"""

from __future__ import annotations

import datetime
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from openamo.errors import OpenAMOError
from openamo.procurement.enums import Nature
from openamo.web.demo_context import RENEWAL_LAUNCH_DAYS, DemoContext, story_day
from openamo.web.operations import services
from openamo.web.operations.access import operation_access
from openamo.web.operations.kinds import OperationKind
from openamo.web.operations.models import Operation
from openamo.web.operations.requests import Circumstances, LotEntry, NeedEntry, OperationEntry
from openamo.web.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    role_label,
)
from openamo.web.users import AuthenticatedUser

COMMUNE = "Commune de Saint-Exemple"
COMMUNE_ADDRESS = "Hôtel de ville\n1 place de la Mairie\n00000 Saint-Exemple"
AMO_FIRM = "Cabinet Territoires Conseil (AMO)"
CONTRACTOR = "Restauration du Val SAS"
CONTRACTOR_SIRET = "73282932000074"
MOE_FIRM = "Atelier Lignes & Sols, architectes"
MOE_SIRET = "83517264400014"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    organisation: str
    role: Role


USERS = [
    DemoUser("marie.dupont", "Marie", "Dupont", COMMUNE, Role.MAITRE_OUVRAGE),
    DemoUser("paul.lefevre", "Paul", "Lefèvre", COMMUNE, Role.AMO),
    DemoUser("jeanne.martin", "Jeanne", "Martin", COMMUNE, Role.LECTEUR),
    DemoUser("alice.bernard", "Alice", "Bernard", AMO_FIRM, Role.AMO),
    DemoUser("hugo.petit", "Hugo", "Petit", AMO_FIRM, Role.LECTEUR),
    # The contractor's representative: a non-reader member may accept (sign) its avenants.
    DemoUser("emma.roux", "Emma", "Roux", CONTRACTOR, Role.MAITRE_OUVRAGE),
    # The canteen's maître d'œuvre: it proposes phases and statements, the commune decides.
    DemoUser("louis.garnier", "Louis", "Garnier", MOE_FIRM, Role.AMO),
]

CATERING_LOTS = [
    ("Produits issus de l'agriculture biologique", Decimal("62000.00")),
    ("Produits locaux en circuit court", Decimal("48000.00")),
    ("Produits frais : fruits, légumes et produits laitiers", Decimal("41000.00")),
    ("Épicerie et produits secs", Decimal("19000.00")),
]
CATERING_LOT_DESCRIPTIONS = {
    "Produits issus de l'agriculture biologique": (
        "Fourniture et livraison de denrées issues de l'agriculture biologique (viandes, "
        "produits laitiers, fruits et légumes, pain) pour la cuisine centrale et le "
        "multi-accueil, sur bons de commande."
    ),
    "Produits locaux en circuit court": (
        "Fourniture de produits achetés en circuit court (un intermédiaire au plus entre le "
        "producteur et la commune), livrés chaque semaine pendant les périodes scolaires."
    ),
    "Produits frais : fruits, légumes et produits laitiers": (
        "Fourniture de fruits et légumes frais de saison et de produits laitiers, livrés deux "
        "fois par semaine au plus, dans le respect de la chaîne du froid."
    ),
    "Épicerie et produits secs": (
        "Fourniture de produits d'épicerie et de produits secs (féculents, conserves, "
        "condiments), livrés une fois par mois."
    ),
}


@dataclass(frozen=True)
class Credential:
    username: str
    password: str
    organisation: str
    role: str


def _organisations() -> dict[str, Organisation]:
    specs = [
        (COMMUNE, OrganisationKind.COLLECTIVITE, "collectivite", 7000, ""),
        (AMO_FIRM, OrganisationKind.AMO, "", None, ""),
        # The contractor's account bears the SIRET of its offer: the buyer links it to the
        # contract as one of the operation's bidders.
        (CONTRACTOR, OrganisationKind.ENTREPRISE, "", None, CONTRACTOR_SIRET),
        (MOE_FIRM, OrganisationKind.ENTREPRISE, "", None, MOE_SIRET),
    ]
    found = {}
    for name, kind, buyer, population, siret in specs:
        org, _ = Organisation.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "buyer": buyer, "population": population, "siret": siret},
        )
        found[name] = org
    commune = found[COMMUNE]
    if not commune.postal_address:
        commune.postal_address = COMMUNE_ADDRESS
        commune.save(update_fields=["postal_address"])
    return found


def _users(orgs: dict[str, Organisation], known: dict[str, str]) -> list[Credential]:
    user_model = get_user_model()
    credentials = []
    for spec in USERS:
        user, _ = user_model.objects.get_or_create(
            username=spec.username,
            defaults={"first_name": spec.first_name, "last_name": spec.last_name},
        )
        password = known.get(spec.username, "")
        if not password or not user.check_password(password):
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save()
        Membership.objects.get_or_create(
            user=user,
            organisation=orgs[spec.organisation],
            ended_at__isnull=True,
            defaults={"role": spec.role},
        )
        label = role_label(spec.role, orgs[spec.organisation].kind)
        credentials.append(Credential(spec.username, password, spec.organisation, label))
    return credentials


PREVIOUS_CATERING = "Restauration scolaire 2025 — produits biologiques"
PREVIOUS_LOT = "Produits issus de l'agriculture biologique"
PREVIOUS_CONSULTATION = datetime.date(2025, 5, 12)
"""The consultation of 2025, whose contract was notified in August 2025 (contracts' demo)."""


def _previous_catering(
    commune: Organisation, amo_firm: Organisation, mo: AuthenticatedUser, amo: AuthenticatedUser
) -> Operation:
    """The 2025 consultation for organic products: its own operation, procedure chosen and
    validated before its launch of May 2025; its contract is the one in execution."""
    existing = Operation.objects.filter(organisation=commune, title=PREVIOUS_CATERING).first()
    if existing is not None:
        return existing
    operation = services.create_operation(
        mo,
        commune,
        OperationEntry(
            PREVIOUS_CATERING,
            kind=OperationKind.RESTAURATION,
            description=(
                "Fourniture des denrées issues de l'agriculture biologique de la cuisine "
                "centrale, de septembre 2025 à août 2026, reconductible trois fois."
            ),
        ),
    )
    services.share_operation(operation_access(mo, operation.pk), mo, amo_firm)
    shared = operation_access(amo, operation.pk)
    services.save_need(
        shared,
        amo,
        NeedEntry(
            object="Fourniture de produits issus de l'agriculture biologique pour la "
            "restauration scolaire",
            nature=Nature.FOURNITURES,
            estimated_amount_ht=Decimal("52000.00"),
            duration_months=12,
            renewals=3,
            renewal_duration_months=12,
            options_amount_ht=Decimal(0),
            social_and_specific_services=False,
        ),
    )
    services.add_lot(
        shared,
        amo,
        LotEntry(
            PREVIOUS_LOT,
            Decimal("52000.00"),
            description=CATERING_LOT_DESCRIPTIONS[PREVIOUS_LOT],
        ),
    )
    services.analyse_procedure(
        shared, amo, Circumstances(PREVIOUS_CONSULTATION, electronic_submission=True)
    )
    services.validate_procedure(operation_access(mo, operation.pk), mo)
    return operation


def _catering(
    commune: Organisation,
    amo_firm: Organisation,
    mo: AuthenticatedUser,
    amo: AuthenticatedUser,
    reference_day: datetime.date,
) -> Operation:
    title = "Renouvellement de la restauration scolaire 2027"
    existing = Operation.objects.filter(organisation=commune, title=title).first()
    if existing is not None:
        return existing
    operation = services.create_operation(
        mo,
        commune,
        OperationEntry(
            title,
            kind=OperationKind.RESTAURATION,
            description=(
                "Fourniture des denrées des deux écoles et du multi-accueil (environ 420 repas "
                "par jour), dans le respect des objectifs EGAlim."
            ),
        ),
    )
    access = operation_access(mo, operation.pk)
    services.share_operation(access, mo, amo_firm)
    shared = operation_access(amo, operation.pk)
    services.save_need(
        shared,
        amo,
        NeedEntry(
            object="Fourniture de denrées alimentaires pour la restauration scolaire",
            nature=Nature.FOURNITURES,
            estimated_amount_ht=sum((amount for _, amount in CATERING_LOTS), Decimal(0)),
            duration_months=12,
            renewals=3,
            renewal_duration_months=12,
            options_amount_ht=Decimal(0),
            social_and_specific_services=False,
            constraints="Continuité du service les jours d'école ; 50 % de produits durables.",
        ),
    )
    for name, amount in CATERING_LOTS:
        services.add_lot(
            shared,
            amo,
            LotEntry(name, amount, description=CATERING_LOT_DESCRIPTIONS[name]),
        )
    # Launched some weeks ago: the offers are in and being analysed (award's demo).
    launch = story_day(reference_day, RENEWAL_LAUNCH_DAYS)
    services.analyse_procedure(shared, amo, Circumstances(launch, electronic_submission=True))
    # The maître d'ouvrage chose the procedure before the launch.
    services.validate_procedure(operation_access(mo, operation.pk), mo)
    return operation


def _software(commune: Organisation, amo_firm: Organisation, mo: AuthenticatedUser) -> Operation:
    title = "Nouveau logiciel de gestion RH"
    existing = Operation.objects.filter(organisation=commune, title=title).first()
    if existing is not None:
        return existing
    operation = services.create_operation(
        mo,
        commune,
        OperationEntry(
            title,
            kind=OperationKind.INFORMATIQUE,
            description="Remplacement du logiciel de paie et de gestion des carrières.",
        ),
    )
    access = operation_access(mo, operation.pk)
    services.share_operation(access, mo, amo_firm)
    services.save_need(
        access,
        mo,
        NeedEntry(
            object="Acquisition, paramétrage et maintenance d'un logiciel de gestion RH",
            nature=Nature.SERVICES,
            estimated_amount_ht=Decimal("38000.00"),
            duration_months=48,
            renewals=0,
            options_amount_ht=Decimal("6000.00"),
            social_and_specific_services=False,
        ),
    )
    # Its procedure was chosen and validated before the consultation of December 2025, so its
    # contract (notified in March 2026) follows a decision the file shows.
    services.analyse_procedure(
        access, mo, Circumstances(datetime.date(2025, 12, 1), electronic_submission=True)
    )
    services.validate_procedure(access, mo)
    return operation


def demo_loaders() -> list[Callable[[DemoContext], None]]:
    """Each app's demonstration data, in the order they run (a contract needs its award, an
    amendment its contract). Imported in the function: the apps' modules import this one."""
    from openamo.web.amendments import demo as amendments
    from openamo.web.award import demo as award
    from openamo.web.catering import demo as catering
    from openamo.web.construction import demo as construction
    from openamo.web.contracts import demo as contracts
    from openamo.web.steering import demo as steering

    return [
        award.load,
        steering.load,
        contracts.load,
        amendments.load,
        catering.load,
        construction.load,
    ]


def _apps_demo(context: DemoContext) -> None:
    for load in demo_loaders():
        load(context)


@transaction.atomic
def load_demo(credentials_file: Path) -> list[Credential]:
    if settings.OPENAMO_PRODUCTION:
        # Known usernames with passwords printed on a terminal have no place in a real service.
        raise OpenAMOError(
            "Les comptes de démonstration ne sont jamais chargés en production.",
            code="demo_in_production",
        )
    known: dict[str, str] = {}
    if credentials_file.exists():
        known = json.loads(credentials_file.read_text(encoding="utf-8"))
    orgs = _organisations()
    credentials = _users(orgs, known)
    users = {c.username: get_user_model().objects.get(username=c.username) for c in credentials}
    mo, amo = users["marie.dupont"], users["alice.bernard"]
    reference_day = timezone.localdate()
    catering = _catering(orgs[COMMUNE], orgs[AMO_FIRM], mo, amo, reference_day)
    software = _software(orgs[COMMUNE], orgs[AMO_FIRM], mo)
    previous = _previous_catering(orgs[COMMUNE], orgs[AMO_FIRM], mo, amo)
    _apps_demo(
        DemoContext(
            orgs[COMMUNE],
            orgs[AMO_FIRM],
            orgs[CONTRACTOR],
            users,
            catering,
            software,
            previous_catering=previous,
            reference_day=reference_day,
        )
    )
    credentials_file.parent.mkdir(parents=True, exist_ok=True)
    credentials_file.write_text(
        json.dumps({c.username: c.password for c in credentials}, indent=2), encoding="utf-8"
    )
    credentials_file.chmod(0o600)
    return credentials
