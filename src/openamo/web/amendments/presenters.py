"""Turn amendments and the domain's results into what the DSFR templates display."""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.urls import reverse
from django.utils import timezone

from openamo.amendments import Action as Step
from openamo.amendments import (
    AmendmentCheckResult,
    AmendmentHistory,
    Basis,
    Lifecycle,
    Role,
    Stage,
    Verdict,
    allowed_actions,
    amendment_history,
    attributed_by_cao,
    step_index,
    steps,
)
from openamo.documents.avenant import cao_reason
from openamo.errors import OpenAMOError
from openamo.money import format_euros, format_percent
from openamo.procurement.enums import Nature
from openamo.web.amendments.access import lifecycle_role, may_take
from openamo.web.amendments.mappers import (
    contract_input,
    previous_input,
    stored_check_input,
    stored_check_result,
)
from openamo.web.amendments.models import ACTION_LABELS, Amendment, AmendmentEvent
from openamo.web.charts import Chart, Series, Threshold, line_chart
from openamo.web.contracts.access import ContractAccess
from openamo.web.contracts.models import Contract
from openamo.web.tables import Cell, Table

IN_FORCE = (Stage.SIGNE, Stage.NOTIFIE, Stage.PUBLIE)
CAPPED = (Basis.PRESTATIONS_SUPPLEMENTAIRES.value, Basis.CIRCONSTANCES_IMPREVUES.value)
STAGE_BADGES = {
    Stage.BROUILLON: "new",
    Stage.RAPPORT: "info",
    Stage.AVIS_CAO: "info",
    Stage.SIGNATURE: "warning",
    Stage.SIGNE: "success",
    Stage.NOTIFIE: "success",
    Stage.PUBLIE: "success",
    Stage.ABANDONNE: "error",
}
STEP_BUTTONS = {
    Step.REDIGER_RAPPORT: "Rédiger le rapport de présentation",
    Step.RECUEILLIR_AVIS_CAO: "Enregistrer l'avis de la CAO",
    Step.SIGNER: "Signer l'avenant",
    Step.NOTIFIER: "Notifier l'avenant au titulaire",
    Step.PUBLIER: "Enregistrer les publications",
    Step.REVISER_PROJET: "Réviser le projet",
    Step.ABANDONNER: "Abandonner le projet",
}


def euros(amount: Decimal) -> str:
    return format_euros(amount)


def percent_text(value: Decimal | str) -> str:
    return format_percent(Decimal(value))


def is_in_force(amendment: Amendment) -> bool:
    return Stage(amendment.stage) in IN_FORCE


def stage_badge(amendment: Amendment) -> dict[str, str]:
    stage = Stage(amendment.stage)
    return {"label": stage.label, "type": STAGE_BADGES[stage]}


def verdict(result: AmendmentCheckResult) -> dict[str, object]:
    """Labels for a stored or fresh verdict of the domain."""
    basis = result.basis
    drift = result.price_drift
    limits = result.limits
    return {
        "allowed": result.verdict is Verdict.AUTORISEE,
        "label": result.verdict.label,
        "basis": basis.value if basis else None,
        "basis_label": basis.label if basis else None,
        "figures": [
            ("Part du montant initial", percent_text(result.modification_percent)),
            ("Variation cumulée du marché", percent_text(result.cumulative_percent)),
            (
                "Cumul des modifications de faible montant (R2194-9)",
                percent_text(result.faible_montant_cumulative_percent),
            ),
            ("Nouveau montant du marché", f"{euros(result.new_amount_ht)} HT"),
        ],
        "limits": [
            (
                "Modifications de faible montant (R2194-8)",
                f"moins de {percent_text(limits.faible_montant_percent)} du montant initial "
                f"et moins de {euros(limits.eu_threshold_ht)} HT (seuil européen)",
            ),
            *(
                [
                    (
                        "Plafond de chaque modification R2194-2 / R2194-5 (R2194-3)",
                        f"{percent_text(limits.cap_percent)}, soit {euros(limits.cap_limit_ht)} HT",
                    )
                ]
                if limits.cap_percent is not None and limits.cap_limit_ht is not None
                else []
            ),
            (
                "Avis préalable de la CAO (CGCT L1414-4)",
                f"augmentation de plus de {percent_text(limits.cao_percent)}",
            ),
        ],
        "new_procedure": result.new_procedure_required,
        "new_procedure_reasons": result.new_procedure_reasons,
        "duties": _duties(result),
        "price_drift": (
            {
                "label": drift.route.label,
                "route": drift.route.value,
                "explanation": drift.explanation,
                "references": drift.references,
            }
            if drift is not None
            else None
        ),
        "warnings": result.warnings,
        "ambiguities": result.ambiguities,
        "reasons": result.reasons,
        "bases": [
            {
                "basis": item.basis.value,
                "label": item.basis.label,
                "available": item.available,
                "reasons": item.reasons,
            }
            for item in result.bases_examined
        ],
        "regime": result.regime,
        "explanation": result.explanation,
        "references": result.references,
    }


def _duties(result: AmendmentCheckResult) -> list[dict[str, object]]:
    """The formalities of an authorised modification, each required or not."""
    deadline = result.decp_deadline_on
    decp = "Mise à jour des données essentielles du marché (CCP R2196-1)"
    if deadline:
        decp += f", au plus tard le {deadline:%d/%m/%Y}"
    return [
        {
            "label": "Avis préalable de la commission d'appel d'offres (CGCT L1414-4)",
            "required": result.cao_opinion_required,
            "why": "" if result.cao_opinion_required else cao_reason(result.reasons),
        },
        {
            "label": "Information de l'assemblée délibérante (avis de la CAO transmis)",
            "required": result.deliberating_body_information_required,
        },
        {
            "label": "Avis de modification au Journal officiel de l'Union européenne (R2194-10)",
            "required": result.modification_notice_required,
        },
        {"label": decp, "required": result.decp_update_required},
    ]


def attach_domain_errors(form: forms.Form, exc: OpenAMOError) -> None:
    """Put the domain's French messages next to the fields they concern (else above the form).

    A message about the whole input names the fields it compares by their labels (« la date de
    la modification ») or, from older data, as « (modification.date) »: it goes next to the
    first of them that the form asks.
    """
    if not exc.details:
        field = "modification_date" if exc.code == "date_out_of_range" else None
        form.add_error(field, exc.message)
        return
    for detail in exc.details:
        names = [detail.location.split(".")[-1].split("[")[0]]
        names += re.findall(r"\((?:modification|contract)\.(\w+)\)", detail.message)
        names += [name for label, name in _LABEL_FIELDS.items() if label in detail.message]
        fields = [_FIELD_ALIASES.get(name, name) for name in names]
        field = next((name for name in fields if name in form.fields), None)
        if field is None:
            where = "Données du marché" if detail.location.startswith("contract") else "Saisie"
            form.add_error(None, f"{where} ({detail.location}) : {detail.message}")
        else:
            form.add_error(field, detail.message)


_FIELD_ALIASES = {"date": "modification_date"}
_LABEL_FIELDS = {
    "date de la modification": "modification_date",
    "date de lancement de la consultation": "consultation_launched_on",
}
"""The labels the domain's messages use (as the form labels its fields) → the form field."""


def amendment_url(amendment: Amendment, name: str = "detail", *args: int | str) -> str:
    return reverse(f"amendments:{name}", args=[amendment.contract_id, amendment.pk, *args])


def amendments_table(amendments: Iterable[Amendment]) -> Table:
    rows: list[list[Cell]] = []
    for amendment in amendments:
        rows.append(
            [
                {"text": str(amendment.number)},
                {"text": amendment.object, "url": amendment_url(amendment)},
                {"text": amendment.basis or "—"},
                {"text": f"{euros(amendment.amount_ht)} HT"},
                {"text": percent_text(amendment.modification_percent)},
                {"text": percent_text(amendment.cumulative_percent)},
                {"text": amendment.modification_date.strftime("%d/%m/%Y")},
                {"text": Stage(amendment.stage).label},
            ]
        )
    header = [
        "N°",
        "Objet",
        "Base légale",
        "Montant HT",
        "Part du montant initial",
        "Variation cumulée",
        "Date",
        "Étape",
    ]
    return {"header": header, "rows": rows}


@dataclass(frozen=True)
class Summary:
    """The contract's amendments in a few figures (contract page, list page)."""

    live: int
    in_force: int
    pending: int
    initial: str
    current: str
    cumulative: str
    error: str

    @property
    def counts(self) -> str:
        """« 2 avenants signés, 1 projet en cours » (French: 0 and 1 take the singular)."""
        signed = {0: "aucun avenant signé", 1: "1 avenant signé"}.get(
            self.in_force, f"{self.in_force} avenants signés"
        )
        if not self.pending:
            return signed
        return f"{signed}, {self.pending} projet{'s' if self.pending > 1 else ''} en cours"


def history_of(
    contract: Contract, amendments: list[Amendment]
) -> tuple[AmendmentHistory | None, str]:
    """The domain's series of cumulative percentages, or a French reason why there is none."""
    try:
        data = contract_input(contract)
        modifications = previous_input(amendments)
        return amendment_history(data, modifications, timezone.localdate()), ""
    except OpenAMOError as exc:
        return None, exc.message


@dataclass(frozen=True)
class Figures:
    """What an avenant's own verdict says of the contract once it is signed: the one source of
    the amendment page, the chart, the list and the EXE10 (all read the stored check, whose
    previous modifications are the signed avenants only, ``services.previous_of``)."""

    modification_percent: Decimal
    cumulative_percent: Decimal
    faible_montant_cumulative_percent: Decimal
    new_amount_ht: Decimal


def figures_of(amendment: Amendment) -> Figures:
    result = stored_check_result(amendment)
    return Figures(
        modification_percent=result.modification_percent,
        cumulative_percent=result.cumulative_percent,
        faible_montant_cumulative_percent=result.faible_montant_cumulative_percent,
        new_amount_ht=result.new_amount_ht,
    )


def summary(contract: Contract, amendments: list[Amendment]) -> Summary:
    live = [a for a in amendments if a.stage != Stage.ABANDONNE.value]
    in_force = [a for a in live if is_in_force(a)]
    _, error = history_of(contract, in_force)
    last = figures_of(in_force[-1]) if in_force else None
    return Summary(
        live=len(live),
        in_force=len(in_force),
        pending=len(live) - len(in_force),
        initial=euros(contract.initial_amount_ht),
        current=euros(last.new_amount_ht if last else contract.initial_amount_ht),
        cumulative=percent_text(last.cumulative_percent if last else Decimal(0)),
        error=error,
    )


def history_chart(contract: Contract, amendments: list[Amendment]) -> tuple[Chart | None, str]:
    """The signed avenants' cumulative percentages against the limits that apply to them; each
    project in preparation is shown apart, with what its own verdict says once signed (it adds
    to the signed avenants only, never to another project)."""
    live = [a for a in amendments if a.stage != Stage.ABANDONNE.value]
    if not live:
        return None, ""
    signed = [a for a in live if is_in_force(a)]
    projects = [a for a in live if not is_in_force(a)]
    history, error = history_of(contract, signed)
    if history is None:
        return None, error
    figures = {a.pk: figures_of(a) for a in live}
    label = {a.pk: f"n° {a.number}" + ("" if is_in_force(a) else " (projet)") for a in live}
    series = []
    if signed:
        series += [
            Series(
                "Variation cumulée du montant du marché (avenants signés)",
                [(label[a.pk], figures[a.pk].cumulative_percent) for a in signed],
            ),
            Series(
                "Cumul des modifications de faible montant (R2194-9)",
                [(label[a.pk], figures[a.pk].faible_montant_cumulative_percent) for a in signed],
            ),
        ]
    if projects:
        series.append(
            Series(
                "Variation cumulée si le projet est signé (avenants signés et ce projet)",
                [(label[a.pk], figures[a.pk].cumulative_percent) for a in projects],
            )
        )
    nature = "travaux" if contract.nature == Nature.TRAVAUX.value else "fournitures et services"
    thresholds = [
        Threshold(
            f"Limite des modifications de faible montant, {nature} (R2194-8)",
            history.faible_montant_percent,
        )
    ]
    if _cao_applies(live[-1]):
        thresholds.append(Threshold("Avis préalable de la CAO (CGCT L1414-4)", history.cao_percent))
    capped = [(label[a.pk], figures[a.pk].modification_percent) for a in live if a.basis in CAPPED]
    if capped and history.cap_percent is not None:
        series.append(Series("Part de chaque modification R2194-2 / R2194-5", capped))
        thresholds.append(
            Threshold(
                "Plafond de chaque modification R2194-2 / R2194-5 (R2194-3)", history.cap_percent
            )
        )
    title = "Variation cumulée du marché face aux limites légales"
    return line_chart(title, series, thresholds=thresholds, unit="%"), ""


def _cao_applies(amendment: Amendment) -> bool:
    """Whether the contract is one the CAO attributed (the domain's rule, on the stored input)."""
    try:
        return attributed_by_cao(stored_check_input(amendment).contract)
    except OpenAMOError:
        return False


def stepper(amendment: Amendment) -> dict[str, object] | None:
    stage = Stage(amendment.stage)
    position = step_index(stage, amendment.cao_opinion_required)
    if position is None:
        return None
    path = steps(amendment.cao_opinion_required)
    following = path[position + 1] if position + 1 < len(path) else None
    next_titles = {
        Stage.RAPPORT: "Rapport de présentation",
        Stage.AVIS_CAO: "Avis de la commission d'appel d'offres",
        Stage.SIGNATURE: "Signature par les deux parties",
        Stage.NOTIFIE: "Notification au titulaire",
        Stage.PUBLIE: "Publications (données essentielles, avis de modification)",
    }
    return {
        "current_step_id": position + 1,
        "total_steps": len(path),
        "current_step_title": stage.label,
        "next_step_title": next_titles.get(following) if following else "",
    }


def lifecycle_actions(
    access: ContractAccess, amendment: Amendment, lifecycle: Lifecycle
) -> list[dict[str, str]]:
    """Buttons for what the user may do now: the domain's allowed actions for the user's role,
    filtered by the user's place in the organisations."""
    role = lifecycle_role(access)
    if role is None:
        return []
    buttons = []
    for step in allowed_actions(lifecycle, role):
        if step is Step.AJOUTER_ECHANGE or not may_take(access, step):
            continue
        if role is Role.TITULAIRE and step is Step.SIGNER:
            url = amendment_url(amendment, "respond")
            buttons.append({"label": "Répondre au projet d'avenant", "url": url, "primary": "1"})
            continue
        url = amendment_url(amendment, "step", step.value)
        primary = "" if step in (Step.REVISER_PROJET, Step.ABANDONNER) else "1"
        buttons.append({"label": STEP_BUTTONS[step], "url": url, "primary": primary})
    return buttons


def journal(events: list[AmendmentEvent]) -> list[dict[str, object]]:
    """The avenant's log, most recent first, with French labels for the details."""
    rows = []
    for event in reversed(events):
        rows.append(
            {
                "at": event.at,
                "actor": event.actor_label,
                "role": Role(event.role).label,
                "action": _action_label(event),
                "note": event.note,
                "details": _details(event.details),
                "attachments": [
                    {
                        "name": a.filename,
                        "size": _size(a.size),
                        "url": amendment_url(event.amendment, "attachment", a.pk),
                    }
                    for a in event.attachments.all()
                ],
            }
        )
    return rows


def _action_label(event: AmendmentEvent) -> str:
    if event.details.get("position") == "refus":
        return "Refus du titulaire"
    if event.details.get("position") == "observations":
        return "Observations du titulaire"
    if event.action == Step.SIGNER.value and event.role == Role.TITULAIRE.value:
        return "Acceptation et signature du titulaire"
    if event.action == Step.SIGNER.value:
        return "Signature de l'acheteur"
    return ACTION_LABELS[Step(event.action)]


_DETAIL_LABELS = {
    "avis": "Avis",
    "date": "Date",
    "decp": "Données essentielles publiées le",
    "avis_modification": "Avis de modification publié le",
    "piece": "Pièce jointe",
    "qualite": "Qualité du signataire",
}
_VALUE_LABELS = {"favorable": "favorable", "defavorable": "défavorable"}


def _details(details: dict[str, str]) -> list[str]:
    shown = []
    for key, value in details.items():
        if key == "position":
            continue
        text = _VALUE_LABELS.get(value, value)
        with contextlib.suppress(ValueError):
            text = datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        shown.append(f"{_DETAIL_LABELS.get(key, key)} : {text}")
    return shown


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")
    return f"{max(size // 1024, 1)} ko"


def signer_label(role: str) -> str:
    return Role(role).label
