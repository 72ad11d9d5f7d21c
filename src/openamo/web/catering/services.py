"""Recording purchases, importing ma cantine files and forecasting from a DQE: load rows, check
the user's role, call ``openamo.catering``, save and write the audit trail.

Views call these functions and nothing else that writes.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from openamo.catering import (
    ForecastInput,
    ImportedPurchase,
    import_purchases,
    parse_purchases,
)
from openamo.catering import (
    forecast as forecast_of,
)
from openamo.catering.importer import MAX_BYTES
from openamo.errors import OpenAMOError
from openamo.validation import parse_input
from openamo.web.audit.models import Action
from openamo.web.audit.services import (
    JSONValue,
    audited_update,
    entry_fields,
    record,
    snapshot,
)
from openamo.web.catering import dqe, queries
from openamo.web.catering.access import BuyerAccess
from openamo.web.catering.mappers import columns, purchase_from_domain
from openamo.web.catering.models import (
    CateringProfile,
    Forecast,
    Purchase,
    PurchaseImport,
    PurchaseLabel,
)
from openamo.web.catering.requests import PurchaseEntry, Targets
from openamo.web.contracts.models import Contract
from openamo.web.operations.access import PermissionRefused, visible_operations
from openamo.web.operations.kinds import OperationKind
from openamo.web.operations.models import Operation
from openamo.web.users import AuthenticatedUser
from openamo.wording import count

PURCHASE_FIELDS = entry_fields(PurchaseEntry)
IMPORT_FIELDS = ["file_name", "status", "lines", "valid_lines", "invalid_lines", "partial"]
MAX_STORED_ERRORS = 2000
"""Errors kept for the preview page; the count of all of them is kept too."""


def buyer_contracts(access: BuyerAccess) -> list[Contract]:
    """The buyer's live contracts a purchase may be linked to."""
    return list(
        Contract.objects.alive()
        .filter(organisation=access.organisation)
        .order_by("-notified_on", "pk")
    )


def buyer_operations(access: BuyerAccess, user: AuthenticatedUser) -> list[Operation]:
    """The buyer's live catering operations a forecast may be attached to (those the user
    sees): a forecast of EGAlim ratios belongs to a restauration operation only."""
    return list(
        visible_operations(user)
        .filter(organisation=access.organisation, kind=OperationKind.RESTAURATION)
        .order_by("-updated_at", "pk")
    )


def _save(user: AuthenticatedUser, purchase: Purchase, entry: PurchaseEntry) -> None:
    # Filed under the buyer's catering history only (``catering.history``): the operation and
    # contract histories list their own objects, and a year of purchases would drown them.
    audited_update(
        user,
        purchase,
        columns(entry),
        operation_id=None,
        fields=PURCHASE_FIELDS,
        after_save=lambda: _set_labels(purchase, list(entry.labels)),
    )


def _check_contract(access: BuyerAccess, contract: Contract | None) -> None:
    if contract is not None and (
        contract.organisation_id != access.organisation.pk or contract.is_deleted
    ):
        raise PermissionRefused("Ce marché n'est pas un marché de cet acheteur.")


def _set_labels(purchase: Purchase, codes: list[str]) -> None:
    PurchaseLabel.objects.filter(purchase=purchase).exclude(code__in=codes).delete()
    existing = set(PurchaseLabel.objects.filter(purchase=purchase).values_list("code", flat=True))
    PurchaseLabel.objects.bulk_create(
        PurchaseLabel(purchase=purchase, code=code) for code in codes if code not in existing
    )
    # Drop the prefetched rows so that ``label_codes`` reads the new ones.
    getattr(purchase, "_prefetched_objects_cache", {}).pop("label_rows", None)


@transaction.atomic
def create_purchase(access: BuyerAccess, user: AuthenticatedUser, entry: PurchaseEntry) -> Purchase:
    access.require_edit()
    _check_contract(access, entry.contract)
    purchase = Purchase(organisation=access.organisation, created_by=user)
    _save(user, purchase, entry)
    return purchase


@transaction.atomic
def update_purchase(
    access: BuyerAccess, user: AuthenticatedUser, purchase: Purchase, entry: PurchaseEntry
) -> Purchase:
    """Replace what was typed of the purchase by ``entry``, its labels included."""
    access.require_edit()
    _check_contract(access, entry.contract)
    _save(user, purchase, entry)
    return purchase


@transaction.atomic
def delete_purchase(access: BuyerAccess, user: AuthenticatedUser, purchase: Purchase) -> None:
    """Soft delete: the purchase leaves the ratios and lists; its data and history are kept."""
    access.require_edit()
    purchase.soft_delete()
    record(
        user, Action.DELETE, purchase, operation_id=None, before=snapshot(purchase, PURCHASE_FIELDS)
    )


@transaction.atomic
def upload_purchases(
    access: BuyerAccess, user: AuthenticatedUser, file_name: str, content: bytes
) -> PurchaseImport:
    """Read the file with the domain and keep it for the preview; nothing is imported yet.

    A file the domain cannot read at all (unknown header, empty, too large) raises its
    :class:`OpenAMOError`; bad lines do not: they are listed on the preview.
    """
    access.require_edit()
    if len(content) > MAX_BYTES:
        raise OpenAMOError("Fichier trop volumineux.", code="too_large")
    parsed = parse_purchases(content)
    bad_lines = {int(str(e["line"])) for e in parsed.errors}
    warnings = list(parsed.warnings)
    already = _already_recorded(access, parsed.purchases)
    if already:
        warnings.append(
            f"{count(already, 'ligne identique')} (date, produit, montant) à des achats déjà "
            "enregistrés pour cet acheteur : vérifiez qu'elles ne sont pas en double."
        )
    purchase_import = PurchaseImport.objects.create(
        organisation=access.organisation,
        file_name=file_name[:255],
        digest=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content=content,
        format=parsed.format,
        encoding=parsed.encoding,
        separator=parsed.separator,
        lines=parsed.lines,
        valid_lines=len(parsed.purchases),
        invalid_lines=len(bad_lines),
        errors=parsed.errors[:MAX_STORED_ERRORS],
        error_count=len(parsed.errors),
        warnings=warnings,
        result=_file_ratios(content, queries.targets(access)) if parsed.purchases else {},
        uploaded_by=user,
    )
    record(
        user,
        Action.CREATE,
        purchase_import,
        operation_id=None,
        after={**snapshot(purchase_import, IMPORT_FIELDS), "digest": purchase_import.digest},
    )
    return purchase_import


def _file_ratios(content: bytes, targets: Targets, partial: bool = True) -> dict[str, JSONValue]:
    """The domain's ratios of the file's valid lines against the buyer's targets (shown on the
    preview, then on the import), as stored."""
    result = import_purchases(
        content, partial=partial, buyer=targets.buyer, territory=targets.territory
    )
    return result.model_dump(mode="json", exclude={"by_month", "errors"})


def _already_recorded(access: BuyerAccess, purchases: list[ImportedPurchase]) -> int:
    if not purchases:
        return 0
    existing = set(
        Purchase.objects.alive()
        .filter(
            organisation=access.organisation,
            date__gte=min(p.date for p in purchases),
            date__lte=max(p.date for p in purchases),
        )
        .values_list("date", "description", "amount_ht")
    )
    return sum(1 for p in purchases if (p.date, p.description[:500], p.amount_ht) in existing)


def previous_import(purchase_import: PurchaseImport) -> PurchaseImport | None:
    """An earlier import of the very same file (same SHA-256) for the same buyer."""
    return (
        PurchaseImport.objects.filter(
            organisation_id=purchase_import.organisation_id,
            digest=purchase_import.digest,
            status=PurchaseImport.Status.IMPORTED,
        )
        .exclude(pk=purchase_import.pk)
        .select_related("imported_by")
        .order_by("-imported_at")
        .first()
    )


@transaction.atomic
def confirm_import(
    access: BuyerAccess,
    user: AuthenticatedUser,
    purchase_import: PurchaseImport,
    *,
    partial: bool,
    again: bool,
) -> PurchaseImport:
    """Import the previewed file: all lines, or — only if ``partial`` — the valid ones.

    The domain decides: a file with a bad line raises its :class:`OpenAMOError` (every bad line
    in ``extra["lines"]``) unless ``partial``. A file already imported needs ``again``.
    """
    access.require_edit()
    locked = PurchaseImport.objects.select_for_update().get(pk=purchase_import.pk)
    if locked.status != PurchaseImport.Status.PREVIEW:
        raise OpenAMOError(
            f"Ce fichier a déjà été traité ({locked.get_status_display().lower()}).",
            code="already_processed",
        )
    earlier = previous_import(locked)
    if earlier is not None and not again:
        raise OpenAMOError(
            f"Ce fichier a déjà été importé le {earlier.imported_at:%d/%m/%Y} "
            f"({count(earlier.imported_count, 'achat')}) : l'importer à nouveau doublerait ces achats. "
            "Cochez « Importer à nouveau ce fichier » si c'est bien voulu.",
            code="already_imported",
        )
    content = bytes(locked.content)
    # The domain refuses a bad line unless partial.
    ratios = _file_ratios(content, queries.targets(access), partial=partial)
    parsed = parse_purchases(content)
    rows = [purchase_from_domain(item) for item in parsed.purchases]
    for row in rows:
        row.organisation, row.source, row.created_by = access.organisation, locked, user
    purchases = Purchase.objects.bulk_create(rows)
    PurchaseLabel.objects.bulk_create(
        PurchaseLabel(purchase=row, code=label.value)
        for row, item in zip(purchases, parsed.purchases, strict=True)
        for label in dict.fromkeys(item.labels)
    )
    # Recorded by hand, not by audited_update: the state after also says what the import
    # added (count, rejected lines, total, digest), which the state before never showed.
    before = snapshot(locked, IMPORT_FIELDS)
    locked.status = PurchaseImport.Status.IMPORTED
    locked.partial = bool(parsed.errors)
    locked.imported_count = len(purchases)
    locked.imported_by = user
    locked.imported_at = timezone.now()
    locked.result = ratios
    locked.save()
    record(
        user,
        Action.IMPORT,
        locked,
        operation_id=None,
        before=before,
        after={
            **snapshot(locked, IMPORT_FIELDS),
            "imported_count": len(purchases),
            "rejected_lines": locked.invalid_lines,
            "total_ht": ratios["total_ht"],
            "digest": locked.digest,
        },
    )
    return locked


@transaction.atomic
def abandon_import(
    access: BuyerAccess, user: AuthenticatedUser, purchase_import: PurchaseImport
) -> None:
    access.require_edit()
    locked = PurchaseImport.objects.select_for_update().get(pk=purchase_import.pk)
    if locked.status != PurchaseImport.Status.PREVIEW:
        raise OpenAMOError("Ce fichier a déjà été traité.", code="already_processed")
    audited_update(
        user,
        locked,
        {"status": PurchaseImport.Status.ABANDONED},
        operation_id=None,
        fields=IMPORT_FIELDS,
    )


@transaction.atomic
def create_forecast(
    access: BuyerAccess,
    user: AuthenticatedUser,
    *,
    title: str,
    year: int,
    operation: Operation | None,
    file_name: str,
    content: bytes,
) -> Forecast:
    """Forecast the EGAlim ratios of a DQE with the domain; an input it refuses saves nothing
    (:class:`OpenAMOError` whose ``extra["lines"]`` locates each error in the file)."""
    access.require_edit()
    if operation is not None and operation.organisation_id != access.organisation.pk:
        raise PermissionRefused("Cette opération n'est pas une opération de cet acheteur.")
    found, positions = dqe.read(content)
    targets = queries.targets(access)
    data = {
        **found,
        "year": year,
        "buyer": targets.buyer.value,
        "territory": targets.territory.value,
    }
    try:
        result = forecast_of(parse_input(ForecastInput, data))
    except OpenAMOError as exc:
        exc.extra["lines"] = dqe.locate(exc, positions)
        raise
    forecast = Forecast.objects.create(
        organisation=access.organisation,
        operation=operation,
        title=title,
        year=year,
        file_name=file_name[:255],
        input=data,
        result=result.model_dump(mode="json"),
        created_by=user,
    )
    record(
        user,
        Action.ANALYSE,
        forecast,
        operation_id=operation.pk if operation else None,
        # French keys: the event is also listed in the operation's history, which shows them.
        after={
            "intitulé": title,
            "année prévue": year,
            "lignes du DQE": result.lines,
            "montant du DQE HT": result.model_dump(mode="json")["dqe_total_ht"],
            "objectifs EGAlim": _objectives(result.ratios.compliant.model_dump()),
        },
    )
    return forecast


def _objectives(compliant: dict[str, bool]) -> str:
    names = {
        "quality_50": "durables et de qualité",
        "organic_20": "bio",
        "meat_fish_60": "viandes et poissons",
    }
    return " ; ".join(
        f"{names[key]} : {'atteint' if compliant[key] else 'non atteint'}" for key in names
    )


@transaction.atomic
def delete_forecast(access: BuyerAccess, user: AuthenticatedUser, forecast: Forecast) -> None:
    access.require_edit()
    forecast.soft_delete()
    record(
        user,
        Action.DELETE,
        forecast,
        operation_id=forecast.operation_id,
        before={"intitulé": forecast.title, "année prévue": forecast.year},
    )


@transaction.atomic
def save_profile(access: BuyerAccess, user: AuthenticatedUser, targets: Targets) -> CateringProfile:
    """Set who runs the buyer's restaurants and where (the targets of every later ratio)."""
    access.require_edit()
    values = {"buyer": targets.buyer.value, "territory": targets.territory.value}
    profile = (
        CateringProfile.objects.select_for_update().filter(organisation=access.organisation).first()
    )
    if profile is not None:
        audited_update(user, profile, values, operation_id=None)
        return profile
    profile = CateringProfile.objects.create(organisation=access.organisation, **values)
    record(user, Action.CREATE, profile, operation_id=None, after=snapshot(profile))
    return profile
