"""The procedure choice the maître d'ouvrage validated, and when it is to be validated again.

The validated choice keeps the input it was made on (``Consultation.input``: the need, the
lots and the wizard's answers). When the need or a lot changes afterwards, the choice shows
« à revalider » with what changed, waits on the dashboard of the buyer's maître d'ouvrage, and
the DCE, the award and the contracts of the operation wait for it (``revalidation``).
"""

from __future__ import annotations

from django.urls import reverse

from openamo.procurement.models import ProcedureInput
from openamo.web import revalidation
from openamo.web.decisions import PendingDecision
from openamo.web.operations.mappers import procedure_input, stored_procedure_input
from openamo.web.operations.models import Consultation, ConsultationStatus, Lot, Need
from openamo.web.operations.requests import Circumstances
from openamo.web.organisations.access import deciding_organisation_ids
from openamo.web.revalidation import day, euros, plain, yes_no
from openamo.web.softdelete import alive_through
from openamo.web.users import AuthenticatedUser

DECISION = "Le choix de la procédure"
STALE_TRIGGERS = frozenset({"need", "lot", "operation", "consultation"})

_ANSWERS = (
    ("urgency", "Urgence dûment justifiée"),
    ("electronic_submission", "Offres transmises par voie électronique"),
    ("prior_information_notice", "Avis de préinformation publié"),
    ("site_visit", "Visite de site obligatoire"),
)


def describe(data: ProcedureInput) -> dict[str, str]:
    """The procedure input in French, label → value, as the buyer would compare it (an answer
    to the wizard the input was not given is not shown)."""
    given = data.model_fields_set
    shown: dict[str, str] = {
        "Date de lancement envisagée": day(data.date),
        "Catégorie d'acheteur": str(data.buyer.label),
        "Nature des prestations": str(data.nature.label),
        "Montant estimé HT de la période initiale": euros(data.estimated_amount_ht),
        "Durée de la période initiale (mois)": plain(data.duration_months),
        "Nombre de reconductions": plain(data.renewals),
        "Durée d'une reconduction (mois)": plain(data.renewal_duration_months),
        "Montant des options HT": euros(data.options_amount_ht),
        "Services sociaux et autres services spécifiques": yes_no(
            data.social_and_specific_services
        ),
        "Nombre de lots": str(len(data.lots or [])),
    }
    for index, lot in enumerate(data.lots or [], start=1):
        shown[f"Lot {index} « {lot.name} » : montant estimé HT"] = euros(lot.estimated_amount_ht)
    for key, label in _ANSWERS:
        if key in given:
            shown[label] = yes_no(getattr(data, key))
    if "planned_response_days" in given:
        shown["Délai de réponse prévu (jours)"] = plain(data.planned_response_days)
    return shown


def current_input(consultation: Consultation) -> ProcedureInput | None:
    """The input an analysis would be made on now (``None``: no need, or no launch date)."""
    need = Need.objects.filter(operation_id=consultation.operation_id).first()
    answers = Circumstances.from_stored(consultation.answers)
    if need is None or answers is None:
        return None
    lots = Lot.objects.alive().filter(operation_id=consultation.operation_id)
    return procedure_input(consultation.operation, need, lots, answers)


def changes(consultation: Consultation) -> list[dict[str, str]]:
    """What changed since the validated analysis (nothing for a choice not validated)."""
    if consultation.status != ConsultationStatus.VALIDEE or not consultation.input:
        return []
    current = current_input(consultation)
    if current is None:
        return [{"what": "Besoin", "before": "décrit", "after": "supprimé"}]
    return revalidation.diff(describe(stored_procedure_input(consultation)), describe(current))


def refresh_stale(operation_id: int | None, contract_id: int | None) -> None:
    if operation_id is None:
        return
    consultation = (
        Consultation.objects.filter(operation_id=operation_id)
        .select_related("operation__organisation")
        .first()
    )
    if consultation is None:
        return
    found = changes(consultation)
    if found != consultation.stale_changes:
        Consultation.objects.filter(pk=consultation.pk).update(stale_changes=found)
        consultation.stale_changes = found


def refuse_if_stale(operation_id: int, step: str) -> None:
    """Refuse a step of the operation (the DCE, the award, a contract) while the validated
    procedure choice is to be validated again."""
    stored = (
        Consultation.objects.filter(operation_id=operation_id)
        .values_list("stale_changes", flat=True)
        .first()
    )
    revalidation.refuse_if_stale(DECISION, stored, step)


def pending(user: AuthenticatedUser) -> list[PendingDecision]:
    """Validated procedure choices to validate again (one SQL query)."""
    deciding = deciding_organisation_ids(user)
    if not deciding:
        return []
    stale = (
        Consultation.objects.filter(
            alive_through("operation"), operation__organisation_id__in=deciding
        )
        .exclude(stale_changes=[])
        .select_related("operation")
        .only("operation_id", "operation__title", "stale_changes")
        .order_by("operation__title")
    )
    return [
        PendingDecision(
            what=f"Choix de la procédure {revalidation.STALE_LABEL} — "
            + revalidation.changes_of(consultation.stale_changes)[0].sentence(),
            subject=consultation.operation.title,
            url=reverse("operations:consultation", args=[consultation.operation_id]),
        )
        for consultation in stale
    ]
