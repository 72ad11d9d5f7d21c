"""Operations, need, lots, consultation and history: the pages' services, as JSON."""

from __future__ import annotations

from django.http import Http404
from ninja import Query, Router, Status
from pydantic import Field

from openamo.web.api.schemas import (
    AnalyseIn,
    ConsultationOut,
    ErrorOut,
    HistoryOut,
    In,
    LotIn,
    LotOut,
    LotPatch,
    NeedIn,
    NeedOut,
    OperationIn,
    OperationOut,
    OperationPage,
    OperationPatch,
)
from openamo.web.operations import presenters, queries, services
from openamo.web.operations.access import OperationAccess, live_lot, operation_access
from openamo.web.operations.kinds import OperationKind
from openamo.web.operations.models import (
    Consultation,
    ConsultationStatus,
    Lot,
    Need,
    Operation,
    Stage,
)
from openamo.web.organisations.access import memberships
from openamo.web.page_cache import cached_data
from openamo.web.users import AuthenticatedRequest

router = Router(tags=["opérations"])
ERRORS: dict[int, type[ErrorOut]] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
MAX_ID = 2**62


class ListQuery(In):
    page: int = Field(default=1, ge=1, le=100000)
    page_size: int = Field(default=25, ge=1, le=100)
    search: str = Field(default="", max_length=200)
    stage: Stage | None = None


def _out(op: Operation) -> OperationOut:
    consultation: Consultation | None = getattr(op, "consultation", None)
    return OperationOut(
        id=op.pk,
        organisation_id=op.organisation_id,
        organisation=op.organisation.name,
        title=op.title,
        description=op.description,
        kind=OperationKind(op.kind),
        stage=Stage(op.stage),
        consultation_status=ConsultationStatus(consultation.status) if consultation else None,
        created_at=op.created_at,
        updated_at=op.updated_at,
    )


def _access(request: AuthenticatedRequest, operation_id: int) -> OperationAccess:
    if not 1 <= operation_id <= MAX_ID:
        raise Http404("Opération introuvable.")
    return operation_access(request.user, operation_id)


@router.get("", response={200: OperationPage, **ERRORS}, summary="Opérations visibles")
def list_operations(request: AuthenticatedRequest, filters: Query[ListQuery]) -> OperationPage:
    def compute() -> OperationPage:
        operations = queries.operation_list(request.user, filters.search, filters.stage or "")
        page, rows = queries.paginate(operations, filters.page, filters.page_size)
        return OperationPage(
            count=page.paginator.count,
            page=page.number,
            page_size=filters.page_size,
            results=[_out(op) for op in rows],
        )

    return cached_data(request, "api:operations", compute)


@router.post("", response={201: OperationOut, **ERRORS}, summary="Créer une opération")
def create_operation(request: AuthenticatedRequest, payload: OperationIn) -> Status[OperationOut]:
    organisation = next(
        (
            m.organisation
            for m in memberships(request.user)
            if m.organisation_id == payload.organisation_id
        ),
        None,
    )
    if organisation is None:
        raise Http404("Organisation introuvable.")
    operation = services.create_operation(request.user, organisation, payload.to_input())
    return Status(201, _out(operation))


@router.get("/{operation_id}", response={200: OperationOut, **ERRORS}, summary="Une opération")
def get_operation(request: AuthenticatedRequest, operation_id: int) -> OperationOut:
    access = _access(request, operation_id)
    return _out(access.operation)


@router.patch("/{operation_id}", response={200: OperationOut, **ERRORS}, summary="Modifier")
def patch_operation(
    request: AuthenticatedRequest, operation_id: int, payload: OperationPatch
) -> OperationOut:
    access = _access(request, operation_id)
    return _out(services.update_operation(access, request.user, payload.changes()))


@router.delete("/{operation_id}", response={204: None, **ERRORS}, summary="Supprimer (logique)")
def delete_operation(request: AuthenticatedRequest, operation_id: int) -> Status[None]:
    services.delete_operation(_access(request, operation_id), request.user)
    return Status(204, None)


@router.get("/{operation_id}/besoin", response={200: NeedOut, **ERRORS}, summary="Le besoin")
def get_need(request: AuthenticatedRequest, operation_id: int) -> Need:
    need = services.need_of(_access(request, operation_id).operation)
    if need is None:
        raise Http404("Besoin introuvable : il n'a pas encore été décrit.")
    return need


@router.put("/{operation_id}/besoin", response={200: NeedOut, **ERRORS}, summary="Décrire")
def put_need(request: AuthenticatedRequest, operation_id: int, payload: NeedIn) -> Need:
    access = _access(request, operation_id)
    return services.save_need(access, request.user, payload.to_input())


@router.get("/{operation_id}/lots", response={200: list[LotOut], **ERRORS}, summary="Lots")
def list_lots(request: AuthenticatedRequest, operation_id: int) -> list[Lot]:
    return services.live_lots(_access(request, operation_id).operation)


@router.post("/{operation_id}/lots", response={201: LotOut, **ERRORS}, summary="Ajouter un lot")
def add_lot(request: AuthenticatedRequest, operation_id: int, payload: LotIn) -> Status[Lot]:
    access = _access(request, operation_id)
    return Status(201, services.add_lot(access, request.user, payload.to_input()))


@router.patch(
    "/{operation_id}/lots/{lot_id}", response={200: LotOut, **ERRORS}, summary="Modifier un lot"
)
def patch_lot(
    request: AuthenticatedRequest, operation_id: int, lot_id: int, payload: LotPatch
) -> Lot:
    access = _access(request, operation_id)
    lot = live_lot(access, min(lot_id, MAX_ID))
    return services.update_lot(access, request.user, lot, payload.changes())


@router.delete(
    "/{operation_id}/lots/{lot_id}", response={204: None, **ERRORS}, summary="Supprimer un lot"
)
def delete_lot(request: AuthenticatedRequest, operation_id: int, lot_id: int) -> Status[None]:
    access = _access(request, operation_id)
    services.delete_lot(access, request.user, live_lot(access, min(lot_id, MAX_ID)))
    return Status(204, None)


def _consultation_out(consultation: Consultation) -> ConsultationOut:
    validator = consultation.validated_by
    return ConsultationOut(
        status=ConsultationStatus(consultation.status),
        procedure=consultation.procedure,
        launch_date=consultation.launch_date,
        response_deadline=consultation.response_deadline,
        analysed_at=consultation.analysed_at,
        validated_at=consultation.validated_at,
        validated_by=validator.username if validator else None,
        input=consultation.input,
        result=consultation.result,
    )


@router.get(
    "/{operation_id}/consultation",
    response={200: ConsultationOut, **ERRORS},
    summary="Analyse de procédure et décision",
)
def get_consultation(request: AuthenticatedRequest, operation_id: int) -> ConsultationOut:
    consultation = services.consultation_of(_access(request, operation_id).operation)
    if consultation is None:
        raise Http404("Consultation introuvable : la procédure n'a pas encore été analysée.")
    return _consultation_out(consultation)


@router.post(
    "/{operation_id}/consultation/analyse",
    response={200: ConsultationOut, **ERRORS},
    summary="Analyser la procédure (besoin et lots enregistrés)",
)
def analyse(
    request: AuthenticatedRequest, operation_id: int, payload: AnalyseIn
) -> ConsultationOut:
    access = _access(request, operation_id)
    consultation = services.analyse_procedure(access, request.user, payload.circumstances())
    return _consultation_out(consultation)


@router.post(
    "/{operation_id}/consultation/validation",
    response={200: ConsultationOut, **ERRORS},
    summary="Valider le choix de procédure (maître d'ouvrage)",
)
def validate(request: AuthenticatedRequest, operation_id: int) -> ConsultationOut:
    access = _access(request, operation_id)
    return _consultation_out(services.validate_procedure(access, request.user))


@router.get(
    "/{operation_id}/historique",
    response={200: list[HistoryOut], **ERRORS},
    summary="Historique des modifications",
)
def history(request: AuthenticatedRequest, operation_id: int) -> list[HistoryOut]:
    events = presenters.history_events(_access(request, operation_id).operation)[:500]
    return [
        HistoryOut(
            created_at=e.created_at,
            actor=e.actor_label,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            object_label=e.object_label,
            before=e.before,
            after=e.after,
        )
        for e in events
    ]
