"""Forms of the construction pages: they parse what people type; the rules stay in the domain."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Unpack

from django import forms

from openamo.construction.enums import (
    Organisation,
    PhaseDecision,
    ReceptionDecision,
    WorkKind,
)
from openamo.construction.models import Programme, Space
from openamo.pricing.enums import RetentionSubstitute
from openamo.validation import chronology_error, french_errors
from openamo.web.construction.models import (
    DECISION_CHOICES,
    RECEPTION_CHOICES,
    SUBSTITUTE_CHOICES,
    WORK_KIND_CHOICES,
    Project,
)
from openamo.web.construction.requests import (
    EnvelopeDecision,
    FinalAccountDates,
    GuaranteeRequest,
    MoeEstimates,
    NoticeRequest,
    OrganisationAnswers,
    OrganisationDecision,
    PhaseProposal,
    PhaseVerdict,
    PossessionRequest,
    ProgrammeRequest,
    ProjectStart,
    ReservesAnswer,
    ReservesReceived,
    StatementPayment,
    StatementRequest,
)
from openamo.web.contracts.models import Contract
from openamo.web.forms import Files, FormOptions, OpenAMOForm, Posted, amount_field
from openamo.web.forms import date_field as shared_date_field

LIST_FIELDS = {
    "objectives": "Objectifs de l'opération",
    "needs": "Besoins à satisfaire",
    "constraints": "Contraintes (site, urbanisme, exploitation pendant le chantier)",
    "functional_requirements": "Exigences fonctionnelles",
    "technical_requirements": "Exigences techniques",
    "environmental_targets": "Objectifs environnementaux",
    "performance_targets": "Objectifs de performance",
}
SPACE_LINE = re.compile(r"^(?P<name>.+?)\s*[:;]\s*(?P<area>[\d\s  ]+(?:[.,]\d+)?)\s*(?:m²|m2)?$")
SKILLS = [
    ("aucune", "Aucune : pas de technicien du bâtiment"),
    ("partielles", "Partielles : un technicien, sans expérience de la maîtrise d'ouvrage"),
    ("completes", "Complètes : un service qui conduit des opérations"),
]


def date_field(
    label: str, *, required: bool = False, not_after_today: bool = False, help_text: str = ""
) -> forms.DateField:
    """The shared date field (``openamo.web.forms``), optional unless said otherwise."""
    return shared_date_field(
        label, required=required, not_after_today=not_after_today, help_text=help_text
    )


def done_on(label: str, *, required: bool = False) -> forms.DateField:
    """The date of what has taken place (a decision, a notification): never in the future."""
    return date_field(label, required=required, not_after_today=True)


class _Dated(OpenAMOForm):
    """Every date typed in these forms is plausible: the shared field refuses 1900 and 2100
    (``openamo.validation.implausible_date``) before the law sees them; dates in order."""

    chronology: list[tuple[str, str, str]] = []
    """(earlier field, later field, French sentence when the later one comes first)."""

    def clean(self) -> None:
        super().clean()
        cleaned = self.cleaned_data
        for earlier, later, sentence in self.chronology:
            error = chronology_error(cleaned.get(earlier), cleaned.get(later), sentence)
            if error and later not in self.errors:
                self.add_error(later, error)


class _Works(OpenAMOForm):
    work_kind = forms.ChoiceField(label="Nature de l'ouvrage", choices=WORK_KIND_CHOICES)
    complex_operation = forms.BooleanField(
        label="Ouvrage complexe",
        required=False,
        help_text="Annoncé comme tel dans la consultation de maîtrise d'œuvre, il permet de "
        "poursuivre le programme pendant l'avant-projet.",
    )


class StartForm(_Works):
    def request(self) -> ProjectStart:
        d = self.cleaned_data
        return ProjectStart(WorkKind(d["work_kind"]), complex_operation=d["complex_operation"])


class ProgrammeForm(_Works):
    def __init__(
        self, data: Posted | None = None, files: Files | None = None, **options: Unpack[FormOptions]
    ) -> None:
        super().__init__(data, files, **options)
        for name, label in LIST_FIELDS.items():
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                max_length=10000,
                help_text="Un élément par ligne.",
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.fields["spaces"] = forms.CharField(
            label="Surfaces par espace",
            required=False,
            max_length=20000,
            help_text="Une ligne par espace : « Nom : surface en m² », par exemple « Cuisine : 180 ».",
            widget=forms.Textarea(attrs={"rows": 5}),
        )

    def clean_spaces(self) -> list[Space]:
        spaces: list[Space] = []
        for number, line in enumerate(self.cleaned_data["spaces"].splitlines(), 1):
            if not line.strip():
                continue
            match = SPACE_LINE.match(line.strip())
            area = _area(match.group("area")) if match else None
            try:
                if match is None or area is None:
                    raise ValueError(line)
                spaces.append(Space(name=match.group("name").strip(), area_m2=area))
            except ValueError:  # pydantic's ValidationError is one too
                raise forms.ValidationError(
                    f"Ligne {number} illisible : « {line.strip()} » (attendu « Nom : surface »)."
                ) from None
        return spaces

    def request(self) -> ProgrammeRequest:
        """The programme in the domain's shape; :class:`~openamo.errors.OpenAMOError` (French)
        if the domain refuses it (too many lines under a heading)."""
        lines = {
            name: [line.strip() for line in self.cleaned_data[name].splitlines() if line.strip()]
            for name in LIST_FIELDS
        }
        with french_errors():
            programme = Programme(
                objectives=lines["objectives"],
                needs=lines["needs"],
                constraints=lines["constraints"],
                functional_requirements=lines["functional_requirements"],
                technical_requirements=lines["technical_requirements"],
                environmental_targets=lines["environmental_targets"],
                performance_targets=lines["performance_targets"],
                spaces=self.cleaned_data["spaces"],
            )
        return ProgrammeRequest(
            WorkKind(self.cleaned_data["work_kind"]),
            programme,
            complex_operation=self.cleaned_data["complex_operation"],
        )


def _area(text: str) -> Decimal | None:
    cleaned = re.sub(r"[\s  ]", "", text).replace(",", ".")
    try:
        area = Decimal(cleaned)
    except InvalidOperation:
        return None
    return area if 0 < area <= 1_000_000 else None


def programme_initial(project: Project) -> dict[str, object]:
    programme = project.programme or {}
    initial: dict[str, object] = {
        "work_kind": project.work_kind,
        "complex_operation": project.complex_operation,
    }
    for name in LIST_FIELDS:
        initial[name] = "\n".join(programme.get(name, []))
    initial["spaces"] = "\n".join(
        f"{s['name']} : {s['area_m2']}".replace(".", ",") for s in programme.get("spaces", [])
    )
    return initial


class EnvelopeForm(_Dated):
    date = done_on("Date de la décision", required=True)
    works_ht = amount_field("Part affectée aux travaux, HT (€)")
    total_ht = amount_field(
        "Enveloppe financière prévisionnelle totale, HT (€)",
        required=False,
        help_text="Travaux, honoraires, études, aléas et frais divers.",
    )
    decided_by_label = forms.CharField(
        label="Décidée par",
        required=False,
        max_length=200,
        help_text="Par exemple « Conseil municipal, délibération n° 2026-118 ». À défaut : vous.",
    )
    reason = forms.CharField(
        label="Motif",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire pour une évolution : il est conservé dans l'historique.",
    )

    def __init__(
        self,
        data: Posted | None = None,
        files: Files | None = None,
        *,
        first: bool = True,
        **options: Unpack[FormOptions],
    ) -> None:
        super().__init__(data, files, **options)
        if first:
            del self.fields["reason"], self.fields["decided_by_label"]
        else:
            self.fields["reason"].required = True

    def clean_works_ht(self) -> Decimal:
        value: Decimal = self.cleaned_data["works_ht"]
        if value <= 0:
            raise forms.ValidationError("La part travaux doit être strictement positive.")
        return value

    def request(self) -> EnvelopeDecision:
        d = self.cleaned_data
        return EnvelopeDecision(
            date=d["date"],
            works_ht=d["works_ht"],
            total_ht=d["total_ht"],
            decided_by_label=d.get("decided_by_label", ""),
            reason=d.get("reason", ""),
        )


class MoeForm(OpenAMOForm):
    moe_fee_estimate_ht = amount_field(
        "Honoraires de maîtrise d'œuvre estimés, HT (€)",
        help_text="Toutes les missions de l'opération (base et complémentaires), options et primes.",
    )
    studies_estimate_ht = amount_field(
        "Prix estimé des études demandées à chaque candidat, HT (€)",
        required=False,
        help_text="Esquisse ou niveau de rendu du concours ; sert à calculer la prime.",
    )
    jury_members = forms.IntegerField(
        label="Nombre de membres du jury", required=False, min_value=3, max_value=40
    )

    def request(self) -> MoeEstimates:
        d = self.cleaned_data
        return MoeEstimates(d["moe_fee_estimate_ht"], d["studies_estimate_ht"], d["jury_members"])


class OrganisationForm(OpenAMOForm):
    in_house_skills = forms.ChoiceField(
        label="Compétences de vos services", choices=SKILLS, widget=forms.RadioSelect
    )
    wants_acts_in_its_name = forms.BooleanField(
        label="Vous souhaitez qu'un tiers signe les marchés, paie et réceptionne en votre nom",
        required=False,
    )
    complex_operation = forms.BooleanField(label="Opération complexe", required=False)
    organisation_choice = forms.ChoiceField(
        label="Organisation retenue",
        required=False,
        choices=[("", "Celle que conseille OpenAMO"), *((o.value, o.label) for o in Organisation)],
    )

    def request(self) -> OrganisationDecision:
        d = self.cleaned_data
        answers = OrganisationAnswers(
            in_house_skills=d["in_house_skills"],
            wants_acts_in_its_name=d["wants_acts_in_its_name"],
            complex_operation=d["complex_operation"],
        )
        choice = d["organisation_choice"]
        return OrganisationDecision(answers, Organisation(choice) if choice else None)


class PhaseForm(_Dated):
    started_on = done_on("Démarrée le")
    submitted_on = done_on("Remise au maître d'ouvrage le")
    estimate_ht = amount_field("Estimation des travaux à ce stade, HT (€)", required=False)
    chronology = [
        ("started_on", "submitted_on", "La remise ne peut pas précéder le démarrage."),
    ]

    def request(self) -> PhaseProposal:
        d = self.cleaned_data
        return PhaseProposal(d["started_on"], d["submitted_on"], d["estimate_ht"])


class PhaseDecisionForm(_Dated):
    decision = forms.ChoiceField(
        label="Décision du maître d'ouvrage", choices=DECISION_CHOICES, widget=forms.RadioSelect
    )
    decided_on = done_on("Date de la décision", required=True)
    note = forms.CharField(
        label="Observations",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def request(self) -> PhaseVerdict:
        d = self.cleaned_data
        return PhaseVerdict(PhaseDecision(d["decision"]), d["decided_on"], d["note"])


class FinalAccountForm(_Dated):
    reception_notified_on = done_on("Décision de réception notifiée le", required=True)
    reception_decision = forms.ChoiceField(label="Décision de réception", choices=RECEPTION_CHOICES)
    reserves_lifted_on = done_on("Réserves levées le")
    final_draft_received_by_moe_on = done_on(
        "Projet de décompte final reçu par le maître d'œuvre le"
    )
    final_draft_received_by_buyer_on = done_on(
        "Projet de décompte final reçu par le maître d'ouvrage le"
    )
    general_account_notified_on = done_on("Décompte général notifié au titulaire le")
    contractor_returned_on = done_on("Décompte général renvoyé par le titulaire le")
    contractor_reserves = forms.BooleanField(label="Renvoyé avec réserves", required=False)
    claim_received_on = done_on("Mémoire en réclamation reçu par le maître d'ouvrage le")
    tacit_draft_notified_on = done_on("Projet de décompte général du titulaire notifié le")
    chronology = [
        (
            "reception_notified_on",
            "reserves_lifted_on",
            "Les réserves ne peuvent être levées avant la décision de réception.",
        ),
        (
            "final_draft_received_by_moe_on",
            "final_draft_received_by_buyer_on",
            "Le maître d'ouvrage reçoit le projet de décompte final après le maître d'œuvre.",
        ),
        (
            "general_account_notified_on",
            "contractor_returned_on",
            "Le titulaire ne peut renvoyer le décompte général avant sa notification.",
        ),
        (
            "general_account_notified_on",
            "claim_received_on",
            "Le mémoire en réclamation sur le décompte général ne peut être reçu avant sa "
            "notification.",
        ),
    ]

    def request(self) -> FinalAccountDates:
        d = self.cleaned_data
        return FinalAccountDates(
            reception_notified_on=d["reception_notified_on"],
            reception_decision=ReceptionDecision(d["reception_decision"]),
            reserves_lifted_on=d["reserves_lifted_on"],
            final_draft_received_by_moe_on=d["final_draft_received_by_moe_on"],
            final_draft_received_by_buyer_on=d["final_draft_received_by_buyer_on"],
            general_account_notified_on=d["general_account_notified_on"],
            contractor_returned_on=d["contractor_returned_on"],
            contractor_reserves=d["contractor_reserves"],
            claim_received_on=d["claim_received_on"],
            tacit_draft_notified_on=d["tacit_draft_notified_on"],
        )


class OrderReservesForm(_Dated):
    received_on = done_on("Réserves du titulaire reçues le", required=True)
    text = forms.CharField(
        label="Réserves du titulaire",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Ce que le titulaire conteste (prix, délai, faisabilité), tel qu'il l'a écrit.",
    )

    def request(self) -> ReservesReceived:
        return ReservesReceived(self.cleaned_data["received_on"], self.cleaned_data["text"])


class ReservesAnswerForm(_Dated):
    answered_on = done_on("Réponse notifiée le", required=True)
    answer = forms.CharField(
        label="Réponse du maître d'ouvrage",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Acceptation (prix nouveau, délai prolongé) ou rejet motivé.",
    )

    def request(self) -> ReservesAnswer:
        return ReservesAnswer(self.cleaned_data["answered_on"], self.cleaned_data["answer"])


class StatementForm(_Dated):
    month = date_field("Mois des travaux (dernier jour du mois)", required=True)
    received_by_moe_on = done_on("Projet de décompte reçu par le maître d'œuvre le", required=True)
    claimed_cumulative_ht = amount_field(
        "Cumul demandé par le titulaire HT (€)",
        help_text="Travaux exécutés depuis le début, aux prix initiaux, hors révision et hors TVA.",
    )
    accepted_cumulative_ht = amount_field(
        "Cumul accepté par le maître d'œuvre HT (€)",
        required=False,
        help_text="Le montant de l'état d'acompte ; laissez vide tant que le projet n'est pas "
        "vérifié.",
    )
    note = forms.CharField(
        label="Observations",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def request(self) -> StatementRequest:
        d = self.cleaned_data
        return StatementRequest(
            month=d["month"],
            received_by_moe_on=d["received_by_moe_on"],
            claimed_cumulative_ht=d["claimed_cumulative_ht"],
            accepted_cumulative_ht=d["accepted_cumulative_ht"],
            note=d["note"],
        )


class StatementDecisionForm(_Dated):
    decided_on = done_on("Paiement ordonné le", required=True)
    paid_on = done_on("Payé le (mandat réglé)")
    chronology = [("decided_on", "paid_on", "Le paiement ne peut précéder l'ordre de payer.")]

    def request(self) -> StatementPayment:
        return StatementPayment(self.cleaned_data["decided_on"], self.cleaned_data["paid_on"])


class RetentionGuaranteeForm(_Dated):
    kind = forms.ChoiceField(
        label="Garantie remplaçant la retenue",
        choices=SUBSTITUTE_CHOICES,
        widget=forms.RadioSelect,
        help_text="La garantie à première demande est au choix du titulaire ; la caution "
        "personnelle et solidaire suppose que le maître d'ouvrage ne s'y oppose pas.",
    )
    guarantor = forms.CharField(label="Établissement garant ou caution", max_length=200)
    provided_on = done_on("Constituée le", required=True)

    def request(self) -> GuaranteeRequest:
        d = self.cleaned_data
        return GuaranteeRequest(RetentionSubstitute(d["kind"]), d["guarantor"], d["provided_on"])


class CompletionNoticeForm(_Dated):
    notice_on = done_on("Avis d'achèvement du titulaire reçu le", required=True)
    announced_completion_on = date_field(
        "Date d'achèvement annoncée, si elle est postérieure",
        help_text="Les opérations préalables ont lieu dans les vingt jours de l'avis ou de "
        "cette date, si elle est postérieure (CCAG-Travaux 2021, art. 41.1).",
    )

    def request(self) -> NoticeRequest:
        d = self.cleaned_data
        return NoticeRequest(d["notice_on"], d["announced_completion_on"])


class PossessionForm(_Dated):
    possession_on = done_on("Prise de possession des ouvrages le", required=True)
    condition_survey_on = done_on("État des lieux contradictoire dressé le")
    urgency = forms.CharField(
        label="Motif de l'urgence (prise de possession avant la réception)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Avant la réception, le maître d'ouvrage ne prend possession des ouvrages qu'en "
        "cas d'urgence, après un état des lieux contradictoire (CCAG-Travaux 2021, art. 41.8).",
    )

    def request(self) -> PossessionRequest:
        d = self.cleaned_data
        return PossessionRequest(d["possession_on"], d["condition_survey_on"], d["urgency"].strip())


class MoeContractForm(OpenAMOForm):
    contract = forms.TypedChoiceField(
        label="Marché de maîtrise d'œuvre",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Les membres de l'organisation titulaire proposent les phases, les acomptes et "
        "les réserves reçues ; ils ne décident de rien et ne voient que le suivi des travaux.",
    )

    def __init__(
        self,
        data: Posted | None = None,
        files: Files | None = None,
        *,
        candidates: list[Contract],
        **options: Unpack[FormOptions],
    ) -> None:
        super().__init__(data, files, **options)
        field = self.fields["contract"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Aucun (le maître d'œuvre n'a pas de compte)")] + [
            (c.pk, f"{c.title} — {c.holder_name}"
             + ("" if c.holder_organisation_id else " (titulaire sans compte sur OpenAMO)"))
            for c in candidates
        ]  # fmt: skip
