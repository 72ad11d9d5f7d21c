"""The buyer's essential data: what is ready to publish, what is missing, each publication."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from openamo.opendata.publish import PublicationInput, PublicationResult, build_publication
from openamo.validation import french_errors
from openamo.web.amendments.models import Amendment
from openamo.web.audit.models import Action
from openamo.web.audit.services import record, snapshot
from openamo.web.contracts.models import Contract
from openamo.web.opendata.access import BuyerAccess
from openamo.web.opendata.mappers import ESSENTIAL_FIELDS, ContractEntry, entry
from openamo.web.opendata.models import EssentialData, Publication
from openamo.web.opendata.requests import EssentialEntry
from openamo.web.users import AuthenticatedUser

ESSENTIAL_AUDITED = [
    "cpv",
    "procedure",
    "place_code",
    "place_type",
    "ccag",
    "offers_received",
    "price_shape",
]


def _visible(access: BuyerAccess) -> QuerySet[Contract]:
    """The buyer's live contracts; for an AMO firm, those of the operations shared with it."""
    found = Contract.objects.alive().filter(organisation=access.organisation)
    if access.shared_operations is not None:
        found = found.filter(operation_id__in=access.shared_operations)
    return found


def contracts_of(access: BuyerAccess) -> list[ContractEntry]:
    """The buyer's live contracts with their essential data and avenants (three queries)."""
    contracts = (
        _visible(access)
        .select_related("essential_data")
        .prefetch_related(
            Prefetch(
                "amendments",
                queryset=Amendment.objects.prefetch_related("events"),
                to_attr="all_amendments",
            )
        )
        .order_by("notified_on", "pk")
    )
    found = []
    for contract in contracts:
        essential = getattr(contract, "essential_data", None)
        found.append(entry(contract, essential, list(contract.all_amendments)))
    return found


def live_contract(access: BuyerAccess, pk: int) -> Contract:
    from django.http import Http404

    contract = _visible(access).filter(pk=pk).first()
    if contract is None:
        raise Http404("Marché introuvable.")
    return contract


@dataclass
class Gap:
    label: str
    url: str
    where: str


@dataclass
class ContractStatus:
    entry: ContractEntry
    gaps: list[Gap]
    published: bool
    not_subject: str | None
    deadlines: list[dict[str, str]]


def _where(access: BuyerAccess, contract: Contract, decp_field: str) -> tuple[str, str]:
    if decp_field in ESSENTIAL_FIELDS:
        return (
            reverse("opendata:essential", args=[access.organisation.pk, contract.pk]),
            "page Données essentielles du marché",
        )
    return reverse("contracts:edit", args=[contract.pk]), "fiche du marché"


def publication(
    access: BuyerAccess, entries: list[ContractEntry], today: dt.date
) -> tuple[PublicationResult, list[ContractStatus]]:
    """The DECP file of every complete contract, and per contract what is missing and where."""
    siret = access.organisation.siret
    with french_errors():
        data = PublicationInput(
            buyer_siret=siret or "00000000000000",
            date=today,
            contracts=[
                item.data.model_copy(update={"where": str(item.contract.pk)}) for item in entries
            ],
        )
    result = build_publication(data)
    by_pk = {str(item.contract.pk): item for item in entries}
    gaps: dict[str, list[Gap]] = {pk: [] for pk in by_pk}
    for missing in result.missing:
        item = by_pk[missing.where]
        url, where = _where(access, item.contract, missing.field)
        gaps[missing.where].append(Gap(missing.label, url, where))
    for pk, item in by_pk.items():
        for decp_field, label in item.extra_missing:
            url, where = _where(access, item.contract, decp_field)
            gaps[pk].append(Gap(label, url, where))
    labels = {str(item.contract.pk): item for item in entries}
    not_subject = {n["marche"]: n["motif"] for n in result.not_subject}
    statuses = []
    for pk, item in labels.items():
        label = item.data.reference or item.data.title or "(marché sans numéro)"
        statuses.append(
            ContractStatus(
                item,
                gaps[pk],
                published=False,
                not_subject=not_subject.get(label),
                deadlines=[d for d in result.deadlines if d["marche"] == label],
            )
        )
    return result, statuses


def publishable(result: PublicationResult, statuses: list[ContractStatus]) -> bool:
    return (
        result.valid
        and bool(result.published)
        and all(not s.gaps for s in statuses if not s.not_subject)
    )


def save_essential(
    access: BuyerAccess, user: AuthenticatedUser, contract: Contract, entry: EssentialEntry
) -> EssentialData:
    access.require_edit()
    with transaction.atomic():
        essential, created = EssentialData.objects.select_for_update().get_or_create(
            contract=contract
        )
        before = None if created else snapshot(essential, ESSENTIAL_AUDITED)
        for name, value in entry.columns().items():
            setattr(essential, name, value)
        essential.save()
        record(
            user,
            Action.CREATE if created else Action.UPDATE,
            essential,
            operation_id=contract.operation_id,
            contract_id=contract.pk,
            before=before,
            after=snapshot(essential, ESSENTIAL_AUDITED),
        )
    return essential


def publish(
    access: BuyerAccess, user: AuthenticatedUser, result: PublicationResult, today: dt.date
) -> Publication:
    """Keep the file produced and write it in the audit trail (date, file, fingerprint)."""
    access.require_publish()
    content = json.dumps(result.document, ensure_ascii=False, indent=2).encode()
    filename = f"decp-{access.organisation.siret}-{today:%Y%m%d}.json"
    with transaction.atomic():
        item = Publication.objects.create(
            organisation=access.organisation,
            created_by=user,
            filename=filename,
            sha256=hashlib.sha256(content).hexdigest(),
            contracts=result.published,
            content=content,
        )
        record(
            user,
            Action.GENERATE,
            item,
            operation_id=None,
            after={
                "fichier": filename,
                "empreinte_sha256": item.sha256,
                "marches": result.published,
                "date": today.isoformat(),
            },
        )
    return item


def publications_of(access: BuyerAccess, rows: int = 20) -> list[Publication]:
    if access.via_share:  # a publication covers all the buyer's contracts
        return []
    return list(
        Publication.objects.filter(organisation=access.organisation)
        .defer("content")
        .select_related("created_by")[:rows]
    )
