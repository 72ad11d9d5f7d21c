"""Forms of the operation pages; validation of legal substance stays in the domain."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from openamo.web.forms import OpenAMOForm, amount_field, date_field
from openamo.web.operations.kinds import OperationKind
from openamo.web.operations.models import NATURE_CHOICES, Stage
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
        *args: Any,
        organisations: list[Organisation] | None = None,
        can_change_stage: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"] = forms.TypedChoiceField(
                label="Acheteur",
                choices=[(o.pk, o.name) for o in organisations],
                coerce=int,
            )
            self.order_fields(["organisation", "title", "kind", "description", "stage"])
        if not can_change_stage:
            del self.fields["stage"]


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
    duration_months = forms.IntegerField(
        label="Durée de la période initiale (mois)", required=False, min_value=1, max_value=600
    )
    renewals = forms.IntegerField(
        label="Nombre de reconductions", required=False, min_value=0, max_value=50, initial=0
    )
    renewal_duration_months = forms.IntegerField(
        label="Durée d'une reconduction (mois)",
        required=False,
        min_value=1,
        max_value=600,
        help_text="Par défaut, la durée de la période initiale.",
    )
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

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("renewals") and not data.get("duration_months"):
            self.add_error(
                "duration_months",
                "Indiquez la durée de la période initiale pour valoriser les reconductions.",
            )
        return data


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["constraints"]
        self.fields["date"].initial = timezone.localdate()

    NEED_KEYS = (
        "object",
        "nature",
        "estimated_amount_ht",
        "duration_months",
        "renewals",
        "renewal_duration_months",
        "options_amount_ht",
        "social_and_specific_services",
    )

    def need_data(self) -> dict[str, Any]:
        return {key: self.cleaned_data.get(key) for key in self.NEED_KEYS}

    def answers(self) -> dict[str, Any]:
        keys = (
            "date",
            "electronic_submission",
            "urgency",
            "prior_information_notice",
            "site_visit",
            "planned_response_days",
        )
        return {key: self.cleaned_data.get(key) for key in keys}


class ShareForm(OpenAMOForm):
    organisation = forms.TypedChoiceField(label="Cabinet d'AMO", coerce=int, choices=[])

    def __init__(self, *args: Any, candidates: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(o.pk, o.name) for o in candidates]
