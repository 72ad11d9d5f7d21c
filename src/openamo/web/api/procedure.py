"""Stateless procedure choice: the ``amo procedure choose`` JSON contract over HTTP."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from openamo.procurement import ProcedureInput, ProcedureResult, choose_procedure
from openamo.web.api.schemas import ErrorOut

router = Router(tags=["procédure"])


@router.post(
    "/choix",
    response={200: ProcedureResult, 400: ErrorOut, 422: ErrorOut},
    summary="Choisir la procédure d'un besoin (sans l'enregistrer)",
)
def choose(request: HttpRequest, payload: ProcedureInput) -> ProcedureResult:
    return choose_procedure(payload)
