"""The framing questionnaire: one form for the scalar answers of the ten questions and three
formsets for the lists (success indicators, user irritants, features). ``framing_answers``
turns them into the domain's :class:`~openamo.steering.FramingAnswers` and ``framing_initial``
does the reverse for editing."""

from __future__ import annotations

from decimal import Decimal
from typing import TypeVar, Unpack

from django import forms
from django.utils.html import format_html

from openamo.steering import FramingAnswers
from openamo.steering.baseline import Feature, KpiTarget
from openamo.steering.enums import ImpactAssessment, IrritantSource, KpiDirection, Priority
from openamo.steering.framing import (
    AdoptionAnswer,
    BudgetAnswer,
    Compliance,
    DataFlows,
    Irritant,
    Objective,
    Resources,
    ScheduleAnswer,
    ValueMeasurement,
)
from openamo.validation import InputModel, french_errors
from openamo.web.forms import Files, FormOptions, OpenAMOForm, Posted, amount_field, date_field
from openamo.web.steering.forms.fields import (
    HUNDRED,
    LinesField,
    area,
    decimal_input,
    fraction,
    normal,
    percent,
    text,
)

TRI_STATE = [("", "Non renseigné"), ("oui", "Oui"), ("non", "Non")]
IRRITANT_SOURCES = [
    ("", "—"),
    (IrritantSource.ENTRETIEN.value, "Entretiens avec des utilisateurs"),
    (IrritantSource.ATELIER.value, "Atelier avec des utilisateurs"),
    (IrritantSource.ENQUETE.value, "Enquête auprès des utilisateurs"),
    (IrritantSource.OBSERVATION.value, "Observation du travail des utilisateurs"),
    (IrritantSource.ENCADREMENT.value, "Remontée de l'encadrement"),
    (IrritantSource.HYPOTHESE.value, "Hypothèse de l'équipe projet"),
]
PRIORITIES = [("", "—"), *((p.value, p.label) for p in Priority)]
DIRECTIONS = [
    (KpiDirection.HAUSSE.value, "Plus haut est mieux"),
    (KpiDirection.BAISSE.value, "Plus bas est mieux"),
]
IMPACT_ASSESSMENTS = [
    ("", "Non renseigné"),
    (ImpactAssessment.REQUISE.value, "Requise"),
    (ImpactAssessment.NON_REQUISE.value, "Non requise"),
    (ImpactAssessment.A_DETERMINER.value, "À déterminer"),
]
DEFAULT_MARGIN_PERCENT = Decimal(10)
"""Shown in an empty questionnaire: the domain's default margin (``steering/data``) is 10 %."""


def _tri_state(value: bool | None) -> str:
    return "" if value is None else ("oui" if value else "non")


def _tri_state_value(text: str) -> bool | None:
    return None if not text else text == "oui"


class FramingForm(OpenAMOForm):
    """The scalar answers of the ten questions (the lists are in the formsets below)."""

    # 1. Objectif métier chiffré
    objective_statement = area(
        "Objectif métier",
        help_text="Le résultat attendu, chiffré : par exemple « diviser par trois le délai de "
        "traitement des demandes de congés ».",
    )
    # 4. Données
    data_inputs = LinesField("Données en entrée", "Reprise de l'existant, sources ; une par ligne.")
    data_outputs = LinesField("Données en sortie", "États, exports, interfaces ; une par ligne.")
    data_migration_from = text("Logiciel ou fichiers repris", max_length=500)
    data_export_format = text(
        "Format d'export complet des données",
        help_text="La réversibilité en dépend : par exemple « CSV et JSON décrits par un schéma ».",
    )
    data_interfaces = LinesField("Interfaces avec d'autres logiciels")
    # 5. Contraintes RGPD et réglementaires
    personal_data = forms.ChoiceField(
        label="Le logiciel traite-t-il des données personnelles ?",
        choices=TRI_STATE,
        required=False,
    )
    sensitive_data = forms.BooleanField(
        label="Données sensibles (santé, sanctions, etc.)", required=False
    )
    dpo_consulted = forms.BooleanField(
        label="Le délégué à la protection des données a été consulté", required=False
    )
    impact_assessment = forms.ChoiceField(
        label="Analyse d'impact (AIPD)", choices=IMPACT_ASSESSMENTS, required=False
    )
    hosting = text("Hébergement des données")
    other_constraints = LinesField("Autres contraintes réglementaires")
    # 6. Budget
    budget_maximum_ht = amount_field(
        "Budget maximal HT (€)", required=False, help_text="Exemple : 38 000,00"
    )
    margin_percent = decimal_input(
        "Marge budgétaire (%)",
        min_value=Decimal(0),
        max_value=HUNDRED,
        places=2,
        help_text="10 % par défaut (« budget maximal + 10 % de marge »).",
    )
    funding_confirmed = forms.ChoiceField(
        label="Financement confirmé (inscription budgétaire)", choices=TRI_STATE, required=False
    )
    # 7. Planning
    kickoff_on = date_field("Lancement (kick-off)", required=False)
    acceptance_on = date_field("Recette", required=False)
    go_live_on = date_field("Mise en service (go-live)", required=False)
    # 8. Ressources internes
    sponsor = text("Sponsor métier", help_text="Nom ou fonction de la personne qui arbitre.")
    project_lead = text("Chef de projet du maître d'ouvrage")
    key_users = LinesField("Référents métier (utilisateurs clés)")
    days_per_month = decimal_input(
        "Disponibilité des référents (jours par mois)",
        min_value=Decimal(0),
        max_value=Decimal(31),
        places=1,
    )
    # 9. Stratégie d'adoption
    training_starts_on = date_field("Début de la formation des utilisateurs", required=False)
    training_plan = area("Plan de formation")
    communication = LinesField("Actions de communication")
    champions = LinesField("Relais dans les services")
    # 10. Mesure de la valeur
    review_after_months = forms.IntegerField(
        label="Mesure de la valeur après la mise en service (mois)",
        required=False,
        min_value=1,
        max_value=60,
        help_text="Par exemple 3 pour l'adoption à M+3.",
    )
    value_owner = text("Responsable de la mesure")
    value_method = area("Méthode de mesure")

    QUESTIONS: dict[str, list[str]] = {
        "objectif_metier": ["objective_statement"],
        "irritants_utilisateurs": [],
        "fonctionnalites_indispensables": [],
        "donnees": [
            "data_inputs",
            "data_outputs",
            "data_migration_from",
            "data_export_format",
            "data_interfaces",
        ],
        "contraintes_reglementaires": [
            "personal_data",
            "sensitive_data",
            "dpo_consulted",
            "impact_assessment",
            "hosting",
            "other_constraints",
        ],
        "budget": ["budget_maximum_ht", "margin_percent", "funding_confirmed"],
        "planning": ["kickoff_on", "acceptance_on", "go_live_on"],
        "ressources_internes": ["sponsor", "project_lead", "key_users", "days_per_month"],
        "strategie_adoption": ["training_starts_on", "training_plan", "communication", "champions"],
        "mesure_valeur": ["review_after_months", "value_owner", "value_method"],
    }
    """The fields of each question, in the order of the domain's ten questions."""

    def clean(self) -> None:
        super().clean()
        budget = self.cleaned_data.get("budget_maximum_ht")
        if budget is not None and budget <= 0:
            self.add_error("budget_maximum_ht", "Le budget maximal doit être supérieur à zéro.")


class RowForm(OpenAMOForm):
    """One row of a list of the framing; a row left blank is ignored."""

    noun = "ligne"
    key_field = ""
    required_with_key: tuple[str, ...] = ()
    widths: dict[str, int] = {}
    """Width of each field's column (out of 12) on a medium screen."""
    always_sent: tuple[str, ...] = ()
    """Fields a browser always sends (a select without a blank choice): not a sign of input."""

    def __init__(
        self, data: Posted | None = None, files: Files | None = None, **options: Unpack[FormOptions]
    ) -> None:
        super().__init__(data, files, **options)
        index = str(self.prefix or "0").rsplit("-", 1)[-1]
        self.number = int(index) + 1 if index.isdigit() else 0
        for name, field in self.fields.items():
            # Seen: « Intitulé » in its column; heard: « Intitulé (fonctionnalité 2) ».
            label = format_html(
                '{} <span class="fr-sr-only">({} {})</span>', field.label, self.noun, self.number
            )
            field.label = label
            self[name].label = label

    @property
    def is_blank(self) -> bool:
        return not self.cleaned_data.get(self.key_field)

    def clean(self) -> None:
        super().clean()
        data = self.cleaned_data
        filled = [
            name
            for name, value in data.items()
            if value not in (None, "", False) and name not in self.always_sent
        ]
        if filled and not data.get(self.key_field) and self.key_field not in self.errors:
            self.add_error(self.key_field, "Renseignez ce champ ou videz toute la ligne.")
        if data.get(self.key_field):
            for name in self.required_with_key:
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, "Ce champ est obligatoire pour cette ligne.")


class KpiRowForm(RowForm):
    noun = "indicateur"
    widths = {
        "name": 6,
        "unit": 2,
        "baseline_value": 2,
        "target_value": 2,
        "direction": 4,
        "is_adoption": 4,
        "due_months_after_go_live": 4,
    }
    key_field = "name"
    required_with_key = ("target_value",)
    always_sent = ("direction",)

    name = text("Nom de l'indicateur")
    unit = text("Unité", max_length=40, help_text="%, jours, €…")
    baseline_value = decimal_input("Valeur de départ")
    target_value = decimal_input("Cible")
    direction = forms.ChoiceField(label="Sens", choices=DIRECTIONS, required=False)
    is_adoption = forms.BooleanField(label="Indicateur d'adoption", required=False)
    due_months_after_go_live = forms.IntegerField(
        label="Échéance (mois après la mise en service)",
        required=False,
        min_value=0,
        max_value=120,
    )


class IrritantRowForm(RowForm):
    noun = "irritant"
    widths = {"description": 6, "users": 3, "source": 3}
    key_field = "description"
    required_with_key = ("source",)

    description = text("Description de l'irritant", max_length=1000)
    users = text("Utilisateurs concernés")
    source = forms.ChoiceField(label="Recueilli par", choices=IRRITANT_SOURCES, required=False)


class FeatureRowForm(RowForm):
    noun = "fonctionnalité"
    widths = {"name": 6, "priority": 3, "estimated_cost_ht": 3}
    key_field = "name"
    required_with_key = ("priority",)

    name = text("Intitulé de la fonctionnalité")
    priority = forms.ChoiceField(label="Priorité", choices=PRIORITIES, required=False)
    estimated_cost_ht = amount_field("Coût estimé HT (€)", required=False)


def row_formset(form: type[RowForm], extra: int = 3) -> type[forms.BaseFormSet[RowForm]]:
    return forms.formset_factory(form, extra=extra, max_num=100, validate_max=True)


KpiFormSet = row_formset(KpiRowForm, extra=2)
IrritantFormSet = row_formset(IrritantRowForm)
FeatureFormSet = row_formset(FeatureRowForm)
FORMSETS = {"kpi": KpiFormSet, "irritant": IrritantFormSet, "feature": FeatureFormSet}
"""Prefix → formset of the three lists of the questionnaire."""


def _rows(formset: forms.BaseFormSet[RowForm]) -> list[RowForm]:
    return [f for f in formset.forms if f.cleaned_data and not f.is_blank]


B = TypeVar("B", bound=InputModel)


def _answered(block: B) -> B | None:
    """An answer block with something in it, or None (the question is then unanswered)."""
    return block if block.model_dump(exclude_defaults=True) else None


def framing_answers(
    form: FramingForm, formsets: dict[str, forms.BaseFormSet[RowForm]]
) -> FramingAnswers:
    """The domain's framing answers from the validated forms (French error if it refuses)."""
    d = form.cleaned_data
    with french_errors():
        kpis = [
            KpiTarget(
                name=row["name"],
                unit=row["unit"],
                baseline_value=normal(row["baseline_value"]),
                target_value=normal(row["target_value"]),
                direction=KpiDirection(row["direction"] or KpiDirection.HAUSSE.value),
                is_adoption=row["is_adoption"],
                due_months_after_go_live=row["due_months_after_go_live"],
            )
            for row in (f.cleaned_data for f in _rows(formsets["kpi"]))
        ]
        irritants = [
            Irritant(
                description=row["description"],
                users=row["users"] or None,
                source=IrritantSource(row["source"]),
            )
            for row in (f.cleaned_data for f in _rows(formsets["irritant"]))
        ]
        features = [
            Feature(
                name=row["name"],
                priority=Priority(row["priority"]),
                estimated_cost_ht=normal(row["estimated_cost_ht"]),
            )
            for row in (f.cleaned_data for f in _rows(formsets["feature"]))
        ]
        maximum = d["budget_maximum_ht"]
        impact = d["impact_assessment"]
        return FramingAnswers(
            objective=_answered(Objective(statement=d["objective_statement"] or None, kpis=kpis)),
            irritants=irritants,
            features=features,
            data=_answered(
                DataFlows(
                    inputs=d["data_inputs"],
                    outputs=d["data_outputs"],
                    migration_from=d["data_migration_from"] or None,
                    export_format=d["data_export_format"] or None,
                    interfaces=d["data_interfaces"],
                )
            ),
            compliance=_answered(
                Compliance(
                    personal_data=_tri_state_value(d["personal_data"]),
                    sensitive_data=d["sensitive_data"],
                    dpo_consulted=d["dpo_consulted"],
                    impact_assessment=ImpactAssessment(impact) if impact else None,
                    hosting=d["hosting"] or None,
                    other_constraints=d["other_constraints"],
                )
            ),
            budget=None
            if maximum is None
            else BudgetAnswer(
                maximum_ht=maximum,
                margin_rate=fraction(d["margin_percent"]),
                funding_confirmed=_tri_state_value(d["funding_confirmed"]),
            ),
            schedule=_answered(
                ScheduleAnswer(
                    kickoff_on=d["kickoff_on"],
                    acceptance_on=d["acceptance_on"],
                    go_live_on=d["go_live_on"],
                )
            ),
            resources=_answered(
                Resources(
                    sponsor=d["sponsor"] or None,
                    project_lead=d["project_lead"] or None,
                    key_users=d["key_users"],
                    days_per_month=normal(d["days_per_month"]),
                )
            ),
            adoption=_answered(
                AdoptionAnswer(
                    training_starts_on=d["training_starts_on"],
                    training_plan=d["training_plan"] or None,
                    communication=d["communication"],
                    champions=d["champions"],
                )
            ),
            value_measurement=_answered(
                ValueMeasurement(
                    review_after_months=d["review_after_months"],
                    owner=d["value_owner"] or None,
                    method=d["value_method"] or None,
                )
            ),
        )


def framing_initial(
    answers: FramingAnswers,
) -> tuple[dict[str, object], dict[str, list[dict[str, object]]]]:
    """Initial values of the questionnaire (Django's ``initial``: field name → value) and of its
    formsets' rows, from a stored framing."""
    objective = answers.objective or Objective()
    data = answers.data or DataFlows()
    compliance = answers.compliance or Compliance()
    budget = answers.budget
    schedule = answers.schedule or ScheduleAnswer()
    resources = answers.resources or Resources()
    adoption = answers.adoption or AdoptionAnswer()
    value = answers.value_measurement or ValueMeasurement()
    margin = budget.margin_rate if budget else None
    initial: dict[str, object] = {
        "objective_statement": objective.statement,
        "data_inputs": data.inputs,
        "data_outputs": data.outputs,
        "data_migration_from": data.migration_from,
        "data_export_format": data.export_format,
        "data_interfaces": data.interfaces,
        "personal_data": _tri_state(compliance.personal_data),
        "sensitive_data": compliance.sensitive_data,
        "dpo_consulted": compliance.dpo_consulted,
        "impact_assessment": compliance.impact_assessment.value
        if compliance.impact_assessment
        else "",
        "hosting": compliance.hosting,
        "other_constraints": compliance.other_constraints,
        "budget_maximum_ht": budget.maximum_ht if budget else None,
        "margin_percent": percent(margin) if margin is not None else DEFAULT_MARGIN_PERCENT,
        "funding_confirmed": _tri_state(budget.funding_confirmed if budget else None),
        "kickoff_on": schedule.kickoff_on,
        "acceptance_on": schedule.acceptance_on,
        "go_live_on": schedule.go_live_on,
        "sponsor": resources.sponsor,
        "project_lead": resources.project_lead,
        "key_users": resources.key_users,
        "days_per_month": resources.days_per_month,
        "training_starts_on": adoption.training_starts_on,
        "training_plan": adoption.training_plan,
        "communication": adoption.communication,
        "champions": adoption.champions,
        "review_after_months": value.review_after_months,
        "value_owner": value.owner,
        "value_method": value.method,
    }
    rows: dict[str, list[dict[str, object]]] = {
        "kpi": [
            {
                "name": k.name,
                "unit": k.unit,
                "baseline_value": k.baseline_value,
                "target_value": k.target_value,
                "direction": k.direction.value,
                "is_adoption": k.is_adoption,
                "due_months_after_go_live": k.due_months_after_go_live,
            }
            for k in [*objective.kpis, *value.kpis]
        ],
        "irritant": [
            {"description": i.description, "users": i.users, "source": i.source.value}
            for i in answers.irritants
        ],
        "feature": [
            {
                "name": f.name,
                "priority": f.priority.value,
                "estimated_cost_ht": f.estimated_cost_ht,
            }
            for f in answers.features
        ],
    }
    return initial, rows
