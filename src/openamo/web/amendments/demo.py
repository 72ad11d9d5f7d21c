"""Demonstration amendments on the catering contract held by « Restauration du Val SAS »:
avenant n° 1, a low-value modification (R2194-8) signed by both parties, and avenant n° 2,
reported and signed by the commune, awaiting the contractor's acceptance.

Everything goes through the services (verdict of the domain, lifecycle, audit trail). Nothing
is done when the contracts app has not created the contract yet; nothing is done twice.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from openamo.amendments import Action as Step
from openamo.amendments import ModificationKind
from openamo.money import to_cents
from openamo.web.amendments import services
from openamo.web.amendments.mappers import Proposal
from openamo.web.amendments.models import Amendment
from openamo.web.contracts.access import contract_access
from openamo.web.contracts.models import Contract
from openamo.web.demo_context import DemoContext
from openamo.web.users import AuthenticatedUser

CHEESE = "Ajout au bordereau des prix de fromages AOP issus de l'agriculture biologique"
NURSERY = "Livraison des repas du multi-accueil « Les Petits Pas », ouvert en septembre"


def load(context: DemoContext) -> None:
    contract = (
        Contract.objects.alive()
        .filter(operation=context.previous_catering, holder_organisation=context.contractor)
        .order_by("lot__number", "pk")
        .first()
    )
    if contract is None:
        return
    mo, amo = context.users["marie.dupont"], context.users["alice.bernard"]
    holder = _holder_signer(context, contract)
    first_day = contract.notified_on + datetime.timedelta(days=90)
    second_day = max(context.reference_day, first_day + datetime.timedelta(days=60))
    if not Amendment.objects.filter(contract=contract, object=CHEESE).exists():
        cheese = _propose(amo, contract, CHEESE, Decimal("0.048"), first_day, _CHEESE_REASONS)
        _step(amo, cheese, Step.REDIGER_RAPPORT, _CHEESE_REPORT)
        if holder is not None:
            _step(
                holder,
                cheese,
                Step.SIGNER,
                "Bon pour accord sur les prix unitaires proposés.",
                HOLDER_CAPACITY,
            )
        _step(mo, cheese, Step.SIGNER, capacity=BUYER_CAPACITY)
    if not Amendment.objects.filter(contract=contract, object=NURSERY).exists():
        nursery = _propose(amo, contract, NURSERY, Decimal("0.039"), second_day, _NURSERY_REASONS)
        _step(amo, nursery, Step.REDIGER_RAPPORT, _NURSERY_REPORT)
        _step(mo, nursery, Step.SIGNER, capacity=BUYER_CAPACITY)
        _step(amo, nursery, Step.AJOUTER_ECHANGE, _NURSERY_MESSAGE)


def _holder_signer(context: DemoContext, contract: Contract) -> AuthenticatedUser | None:
    """A representative of the contractor who may accept on its behalf, if the demo has one."""
    for user in context.users.values():
        access = contract_access(user, contract.pk)
        if access.holder_can_sign:
            return user
    return None


def _propose(
    user: AuthenticatedUser,
    contract: Contract,
    title: str,
    share: Decimal,
    day: datetime.date,
    reasons: str,
) -> Amendment:
    proposal = Proposal(
        object=title,
        description=reasons,
        kind=ModificationKind.FAIBLE_MONTANT,
        amount_ht=to_cents(contract.initial_amount_ht * share),
        modification_date=day,
    )
    return services.propose(contract_access(user, contract.pk), user, proposal)


BUYER_CAPACITY = "Adjointe au maire déléguée aux marchés publics"
HOLDER_CAPACITY = "Président"


def _step(
    user: AuthenticatedUser, amendment: Amendment, step: Step, note: str = "", capacity: str = ""
) -> None:
    access = contract_access(user, amendment.contract_id)
    details = {"qualite": capacity} if capacity else None
    services.act(access, user, amendment, step, note, details)


_CHEESE_REASONS = (
    "La commission des menus du 12 octobre a demandé deux fromages AOP issus de l'agriculture "
    "biologique par semaine, pour atteindre l'objectif EGAlim de 20 % de produits bio. Ces "
    "références ne figuraient pas au bordereau des prix initial."
)
_CHEESE_REPORT = (
    "Ajout de six références de fromages AOP biologiques (comté, saint-nectaire, "
    "pont-l'évêque…) au bordereau des prix. Modification de faible montant au sens de "
    "l'article R2194-8 : inférieure à 10 % du montant initial et au seuil européen ; sans "
    "incidence sur les délais ni sur l'objet du marché."
)
_NURSERY_REASONS = (
    "Le multi-accueil « Les Petits Pas » a ouvert en septembre (24 berceaux) ; ses repas étaient "
    "jusqu'ici préparés par un prestataire de la communauté de communes, dont le contrat a pris "
    "fin. Le titulaire livre déjà l'école voisine."
)
_NURSERY_REPORT = (
    "Extension des livraisons au multi-accueil (environ 20 repas par jour). Cumul des "
    "modifications de faible montant (R2194-9) : moins de 10 % du montant initial avec "
    "l'avenant n° 1. Prix unitaires du bordereau inchangés."
)
_NURSERY_MESSAGE = (
    "Projet signé par Mme la maire et transmis au titulaire pour acceptation ; merci de "
    "confirmer le créneau de livraison de 10 h 30."
)
