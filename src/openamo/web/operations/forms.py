"""Forms of the operation pages; validation of legal substance stays in the domain."""

from __future__ import annotations

from decimal import Decimal
from typing import Unpack

from django import forms
from django.utils import timezone

from openamo.errors import OpenAMOError
from openamo.procurement.enums import FrameworkExecution, FrameworkHolders, Nature
from openamo.web.forms import (
    Files,
    FormOptions,
    OpenAMOForm,
    Posted,
    amount_field,
    date_field,
    period_fields,
)
from openamo.web.operations import mappers
from openamo.web.operations.kinds import OperationKind
from openamo.web.operations.models import (
    FRAMEWORK_EXECUTION_CHOICES,
    FRAMEWORK_HOLDERS_CHOICES,
    NATURE_CHOICES,
    Stage,
)
from openamo.web.operations.requests import (
    NOT_A_FRAMEWORK,
    Circumstances,
    FrameworkTerms,
    LotChanges,
    LotEntry,
    NeedEntry,
    OperationChanges,
    OperationEntry,
)
from openamo.web.organisations.models import Organisation


class OperationForm(OpenAMOForm):
    title = forms.CharField(
        label="Intitulé de l'opération",
        max_length=200,
        help_text="Par exemple : « Renouvellement de la restauration scolaire 2027 ».",
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    kind = forms.ChoiceField(
        label="Type d'opération",
        choices=[("", "Choisissez le type d'opération"), *OperationKind.choices],
        help_text=(
            "Il décide des outils proposés : suivi EGAlim pour la restauration collective, "
            "pilotage pour un projet informatique, suivi de chantier pour des travaux."
        ),
    )
    stage = forms.ChoiceField(label="Étape", choices=Stage.choices, initial=Stage.AMONT)

    def __init__(
        self,
        data: Posted | None = None,
        files: Files | None = None,
        *,
        organisations: list[Organisation] | None = None,
        can_change_stage: bool = True,
        **options: Unpack[FormOptions],
    ) -> None:
        super().__init__(data, files, **options)
        if organisations is not None:
            self.fields["organisation"] = forms.TypedChoiceField(
                label="Acheteur",
                choices=[(o.pk, o.name) for o in organisations],
                coerce=int,
            )
            self.order_fields(["organisation", "title", "kind", "description", "stage"])
        if not can_change_stage:
            del self.fields["stage"]

    def to_input(self) -> OperationEntry:
        """The new operation, typed (once the form is valid)."""
        data = self.cleaned_data
        return OperationEntry(
            title=data["title"],
            description=data.get("description") or "",
            kind=OperationKind(data["kind"]) if data.get("kind") else OperationKind.AUTRE,
            stage=Stage(data["stage"]) if data.get("stage") else Stage.AMONT,
        )

    def changes(self) -> OperationChanges:
        """What the edit changes, typed (the stage only when the user may change it)."""
        data = self.cleaned_data
        return OperationChanges(
            title=data["title"],
            description=data.get("description") or "",
            kind=OperationKind(data["kind"]) if data.get("kind") else None,
            stage=Stage(data["stage"]) if data.get("stage") else None,
        )


class NeedForm(OpenAMOForm):
    object = forms.CharField(
        label="Objet du marché",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce que l'acheteur achète, en une ou deux phrases.",
    )
    nature = forms.ChoiceField(label="Nature des prestations", choices=NATURE_CHOICES)
    estimated_amount_ht = amount_field(
        "Montant estimé HT de la période initiale (€)",
        help_text=(
            "Tous lots confondus, hors reconductions et options, qu'OpenAMO ajoute pour calculer "
            "la valeur estimée du besoin (R2121-1). Exemple : 120 000,00"
        ),
    )
    duration_months, renewals, renewal_duration_months = period_fields(max_renewals=50)
    options_amount_ht = amount_field("Montant des options HT (€)", required=False)
    social_and_specific_services = forms.BooleanField(
        label="Services sociaux et autres services spécifiques (R2123-1 3°)", required=False
    )
    constraints = forms.CharField(
        label="Contraintes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Calendrier, continuité du service, clauses sociales ou environnementales…",
    )
    is_framework = forms.BooleanField(
        label="Accord-cadre",
        required=False,
        help_text="Le besoin sera couvert par un accord-cadre (R2162-1) et non un marché ordinaire.",
    )
    framework_execution = forms.ChoiceField(
        label="Exécution de l'accord-cadre",
        choices=FRAMEWORK_EXECUTION_CHOICES,
        required=False,
        initial=FRAMEWORK_EXECUTION_CHOICES[0][0],
    )
    framework_holders = forms.ChoiceField(
        label="Titulaires de l'accord-cadre",
        choices=FRAMEWORK_HOLDERS_CHOICES,
        required=False,
        initial=FRAMEWORK_HOLDERS_CHOICES[0][0],
    )
    framework_holders_count = forms.IntegerField(
        label="Nombre de titulaires envisagé",
        required=False,
        min_value=1,
        max_value=1000,
        help_text="Pour un accord-cadre multi-attributaire : au moins deux.",
    )
    framework_minimum_ht = amount_field(
        "Minimum HT de l'accord-cadre (€)",
        required=False,
        help_text="Ce que l'acheteur s'engage à commander, sur toute la durée. Facultatif.",
    )
    framework_maximum_ht = amount_field(
        "Maximum HT de l'accord-cadre (€)",
        required=False,
        help_text=(
            "Sur toute la durée, reconductions comprises : c'est la valeur estimée du besoin "
            "(R2121-8). Depuis le 01/01/2022, un maximum en valeur ou en quantité est obligatoire "
            "(R2162-4)."
        ),
    )
    framework_maximum_quantity = forms.CharField(
        label="Ou maximum en quantité",
        required=False,
        max_length=300,
        help_text="Par exemple : « 12 000 repas ». Laissez vide si le maximum est en valeur.",
    )
    framework_duration_justification = forms.CharField(
        label="Justification d'une durée au-delà de quatre ans (huit pour une entité adjudicatrice)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Cas exceptionnel dûment justifié (L2125-1 1°) : objet, investissements à amortir…",
    )

    def clean(self) -> None:
        super().clean()
        data = self.cleaned_data
        if data.get("renewals") and not data.get("duration_months"):
            self.add_error(
                "duration_months",
                "Indiquez la durée de la période initiale pour valoriser les reconductions.",
            )
        if not data.get("is_framework"):
            return
        try:
            self.framework_terms().to_domain()
        except OpenAMOError as exc:
            for detail in exc.details:
                field = mappers.FRAMEWORK_FIELDS.get(detail.location.split(".")[0])
                self.add_error(field if field in self.fields else None, detail.message)

    def framework_terms(self) -> FrameworkTerms:
        """The accord-cadre's terms as typed (a blank field: the domain's default)."""
        data = self.cleaned_data
        execution = data.get("framework_execution")
        holders = data.get("framework_holders")
        return FrameworkTerms(
            execution=FrameworkExecution(execution) if execution else None,
            holders=FrameworkHolders(holders) if holders else None,
            holders_count=data.get("framework_holders_count"),
            minimum_ht=data.get("framework_minimum_ht"),
            maximum_ht=data.get("framework_maximum_ht"),
            maximum_quantity=data.get("framework_maximum_quantity") or "",
            duration_justification=data.get("framework_duration_justification") or "",
        )

    def to_input(self) -> NeedEntry:
        """The need, typed (once the form is valid); the constraints are left as stored when
        the form does not ask them (the wizard)."""
        data = self.cleaned_data
        return NeedEntry(
            nature=Nature(data["nature"]),
            estimated_amount_ht=data["estimated_amount_ht"],
            object=data.get("object") or "",
            duration_months=data.get("duration_months"),
            renewals=data.get("renewals") or 0,
            renewal_duration_months=data.get("renewal_duration_months"),
            options_amount_ht=data.get("options_amount_ht") or Decimal(0),
            social_and_specific_services=bool(data.get("social_and_specific_services")),
            constraints=data.get("constraints") if "constraints" in self.fields else None,
            framework=self.framework_terms() if data.get("is_framework") else NOT_A_FRAMEWORK,
        )


class LotForm(OpenAMOForm):
    number = forms.IntegerField(
        label="Numéro du lot",
        required=False,
        min_value=1,
        max_value=999,
        help_text="Laissez vide pour numéroter à la suite.",
    )
    name = forms.CharField(label="Intitulé du lot", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    estimated_amount_ht = amount_field(
        "Montant estimé HT de la période initiale (€)", help_text="Exemple : 45 000,00"
    )

    def to_input(self) -> LotEntry:
        """The new lot, typed (once the form is valid)."""
        data = self.cleaned_data
        return LotEntry(
            name=data["name"],
            estimated_amount_ht=data["estimated_amount_ht"],
            number=data.get("number"),
            description=data.get("description") or "",
        )

    def changes(self) -> LotChanges:
        """What the edit changes, typed (no number: the lot keeps its own)."""
        data = self.cleaned_data
        return LotChanges(
            number=data.get("number"),
            name=data["name"],
            description=data.get("description") or "",
            estimated_amount_ht=data["estimated_amount_ht"],
        )


class WizardForm(NeedForm):
    """The procedure wizard: the need (pre-filled) and the circumstances of the consultation."""

    date = date_field(
        "Date de lancement envisagée",
        help_text="Les seuils et délais en vigueur à cette date s'appliquent. Format : JJ/MM/AAAA",
    )
    electronic_submission = forms.BooleanField(
        label="Offres transmises par voie électronique", required=False, initial=True
    )
    urgency = forms.BooleanField(label="Urgence dûment justifiée", required=False)
    prior_information_notice = forms.BooleanField(
        label="Un avis de préinformation a été publié", required=False
    )
    site_visit = forms.BooleanField(label="Visite de site obligatoire", required=False)
    planned_response_days = forms.IntegerField(
        label="Délai de réponse prévu (jours)",
        required=False,
        min_value=0,
        max_value=365,
        help_text="Laissez vide pour retenir le délai minimal légal.",
    )

    field_order = ["date"]

    def __init__(
        self, data: Posted | None = None, files: Files | None = None, **options: Unpack[FormOptions]
    ) -> None:
        super().__init__(data, files, **options)
        del self.fields["constraints"]
        self.fields["date"].initial = timezone.localdate()

    def circumstances(self) -> Circumstances:
        """The circumstances of the consultation, typed (once the form is valid)."""
        data = self.cleaned_data
        return Circumstances(
            date=data["date"],
            electronic_submission=bool(data.get("electronic_submission")),
            urgency=bool(data.get("urgency")),
            prior_information_notice=bool(data.get("prior_information_notice")),
            site_visit=bool(data.get("site_visit")),
            planned_response_days=data.get("planned_response_days"),
        )


class ShareForm(OpenAMOForm):
    organisation = forms.TypedChoiceField(label="Cabinet d'AMO", coerce=int, choices=[])

    def __init__(
        self,
        data: Posted | None = None,
        files: Files | None = None,
        *,
        candidates: list[Organisation],
        **options: Unpack[FormOptions],
    ) -> None:
        super().__init__(data, files, **options)
        field = self.fields["organisation"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(o.pk, o.name) for o in candidates]
