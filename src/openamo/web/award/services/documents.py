"""The documents of the passation: the consultation file (DCE) and the analysis report."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.db import transaction
from django.utils import timezone

from openamo.award.consultation import ConsultationInput
from openamo.award.dossier import ConsultationFile, prepare_consultation
from openamo.documents.dce import GeneratedDocuments
from openamo.documents.dce import dce_archive as domain_dce_archive
from openamo.documents.rapport import ReportInfo, ReportInput, write_report
from openamo.errors import OpenAMOError
from openamo.validation import french_errors
from openamo.web.audit.models import Action
from openamo.web.audit.services import record
from openamo.web.award import decisions, history
from openamo.web.award.access import Scope, scopes_of
from openamo.web.award.dce import form as dce_form
from openamo.web.award.dce import mapping as dce_mapping
from openamo.web.award.models import AnalysisStatus, DceSettings, LotAnalysis, TocPages
from openamo.web.award.requests import DceRequest
from openamo.web.award.services.criteria import refuse_if_decisions_stale
from openamo.web.award.services.reading import analysis_of, context_of, is_stale
from openamo.web.operations.access import OperationAccess
from openamo.web.operations.models import Operation
from openamo.web.users import AuthenticatedUser


class StoredTocPages:
    """The pages of the DCE's tables of contents, kept in PostgreSQL by the hash of each
    piece's content (shared by every web process): the LibreOffice print runs once per
    content, not at each download."""

    def get(self, key: str) -> list[str] | None:
        found = TocPages.objects.filter(key=key).values_list("pages", flat=True).first()
        return [str(page) for page in found] if isinstance(found, list) else None

    def put(self, key: str, pages: list[str]) -> None:
        TocPages.objects.update_or_create(key=key, defaults={"pages": pages})


TOC_PAGES = StoredTocPages()


def dce_settings_of(operation: Operation) -> DceSettings | None:
    return DceSettings.objects.filter(operation=operation).first()


def dce_input(access: OperationAccess, request: DceRequest) -> ConsultationInput:
    operation = access.operation
    return dce_mapping.consultation_input(
        operation, context_of(operation), request, scopes_of(access)
    )


def check_dce(access: OperationAccess, request: DceRequest) -> ConsultationFile:
    """The domain's verdict on the consultation file (raises on a blocking rule)."""
    return prepare_consultation(dce_input(access, request))


@transaction.atomic
def save_dce_settings(
    access: OperationAccess, user: AuthenticatedUser, request: DceRequest
) -> DceSettings:
    """Keep the settings as typed, even when the domain refuses the file they describe."""
    access.require_edit()
    stored = dce_settings_of(access.operation)
    form = dce_form.DceSettingsForm(scopes=scopes_of(access), criteria_names=[])
    labels = {name: str(field.label) for name, field in form.fields.items()}
    choices = {
        name: {str(value): str(label) for value, label in field.widget.choices}
        for name, field in form.fields.items()
        if isinstance(field, forms.ChoiceField)
    }
    before = history.labelled(stored.data, labels, choices) if stored else None
    if stored is None:
        stored = DceSettings(operation=access.operation)
    stored.data = request.to_stored()
    stored.updated_by = user
    stored.save()
    record(
        user,
        Action.UPDATE if before else Action.CREATE,
        stored,
        operation_id=access.operation.pk,
        before=before,
        after=history.labelled(stored.data, labels, choices),
    )
    return stored


@transaction.atomic
def dce_archive(
    access: OperationAccess, user: AuthenticatedUser
) -> tuple[bytes, GeneratedDocuments]:
    """The whole DCE as a ZIP, built from the operation's current data; recorded."""
    stored = dce_settings_of(access.operation)
    if stored is None:
        raise OpenAMOError(
            "Renseignez d'abord les paramètres du DCE (clauses, forme des prix).",
            code="dce_settings_missing",
        )
    refuse_if_decisions_stale(access.operation, "produire le DCE")
    archive, summary = domain_dce_archive(check_dce(access, stored.request()), TOC_PAGES)
    record(
        user,
        Action.GENERATE,
        stored,
        operation_id=access.operation.pk,
        after={"document": "DCE (archive ZIP)", "fichiers": summary.files},
    )
    return archive, summary


def report_info(scope: Scope, analysis: LotAnalysis) -> ReportInfo:
    """The report's heading: the buyer, the object, who analysed and who decided, when."""
    operation = scope.access.operation
    context = context_of(operation)
    settings = dce_settings_of(operation)
    consultation = context.consultation
    reference = settings.request().reference if settings is not None else None
    decided = analysis.validated_at is not None and analysis.status == AnalysisStatus.VALIDEE
    # R2184-2 1°: the rapport de présentation names the buyer and its address — the one the
    # DCE settings give, else the organisation's own, on one line.
    typed = settings.request().buyer_address.strip() if settings is not None else ""
    lines = (typed or operation.organisation.postal_address).splitlines()
    address = ", ".join(line.strip() for line in lines if line.strip())
    dce = settings.request() if settings is not None else None
    framework = dce is not None and dce.contract_form.is_framework
    maximum = dce.lot(scope.key).max_amount_ht if dce is not None and framework else None
    with french_errors():
        return ReportInfo(
            buyer_name=operation.organisation.name,
            buyer_address=address[:1000] or None,
            object=((context.need.object if context.need else "") or operation.title)[:500],
            author=_person(analysis.analysed_by) or "l'assistant à maîtrise d'ouvrage",
            decision_maker=f"le maître d'ouvrage de {operation.organisation.name}"[:200],
            analysed_on=timezone.localdate(analysis.analysed_at) if analysis.analysed_at else None,
            decided_on=timezone.localdate(analysis.validated_at)
            if decided and analysis.validated_at
            else None,
            reference=str(reference)[:60] if reference else None,
            framework_agreement=framework,
            framework_maximum_ht=maximum,
            procedure_label=consultation.get_procedure_display()[:300]
            if consultation is not None and consultation.procedure
            else None,
            deadline=f"{consultation.response_deadline:%d/%m/%Y}"
            if consultation is not None and consultation.response_deadline
            else None,
        )


def _person(user: AuthenticatedUser | None) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.username)[:200]


@transaction.atomic
def analysis_report(scope: Scope, user: AuthenticatedUser, suffix: str) -> bytes:
    """The rapport d'analyse des offres of the lot (``.docx`` or ``.pdf``), from the analysis
    as it was run; refused while the data has changed since."""
    analysis = analysis_of(scope)
    analysed = analysis.analysed_input() if analysis is not None else None
    if analysis is None or analysed is None:
        raise OpenAMOError("Lancez d'abord l'analyse des offres du lot.", code="no_analysis")
    decisions.refuse_if_ranking_stale(analysis, "produire le rapport d'analyse")
    if is_stale(scope, analysis):
        raise OpenAMOError(
            "Les données ont changé depuis l'analyse : relancez-la avant de produire le rapport.",
            code="stale",
        )
    with french_errors():
        data = ReportInput(**dict(analysed), report=report_info(scope, analysis))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"rapport{suffix}"
        write_report(data, path)
        content = path.read_bytes()
    record(
        user,
        Action.GENERATE,
        analysis,
        operation_id=scope.access.operation.pk,
        after={"document": f"Rapport d'analyse des offres ({suffix[1:].upper()})"},
    )
    return content
