"""Forms of the steering pages: they parse what people type; the rules stay in the domain.

The framing questionnaire is one form for the scalar answers and three formsets for the lists
(success indicators, user irritants, features); ``framing_answers`` turns them into the framing
record of ``openamo.steering`` and ``framing_initial`` does the reverse for editing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import format_html

from openamo.money import format_euros
from openamo.steering.changes import MAX_DELAY_DAYS, SAVING_ONLY, TIME_SAVING_ONLY
from openamo.steering.enums import (
    ChangeKind,
    Decision,
    ImpactAssessment,
    IrritantSource,
    KpiDirection,
    Priority,
)
from openamo.web.forms import NumberField, OpenAMOForm, amount_field, date_field
from openamo.web.steering.models import (
    CHANGE_KIND_CHOICES,
    CHANGE_VALUE_CHOICES,
    RISK_STATUS_CHOICES,
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
SCALE = [(n, str(n)) for n in range(1, 6)]
HUNDRED = Decimal(100)


def decimal_input(
    label: str,
    *,
    required: bool = False,
    min_value: Decimal | None = None,
    max_value: Decimal | None = None,
    places: int = 4,
    help_text: str = "",
) -> NumberField:
    return NumberField(
        label=label,
        required=required,
        min_value=min_value,
        max_value=max_value,
        max_digits=16,
        decimal_places=places,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class LinesField(forms.CharField):
    """A list typed one item per line."""

    def __init__(self, label: str, help_text: str = "") -> None:
        super().__init__(
            label=label,
            required=False,
            help_text=help_text or "Un élément par ligne.",
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        return [line.strip() for line in str(text).splitlines() if line.strip()]


def _text(label: str, *, max_length: int = 200, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length, help_text=help_text)


def _area(label: str, *, max_length: int = 2000, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _tri_state(value: bool | None) -> str:
    return "" if value is None else ("oui" if value else "non")


def _tri_state_value(text: str) -> bool | None:
    return None if not text else text == "oui"


def _percent_text(fraction: Decimal) -> str:
    """A fraction for the domain, computed from a percentage typed by the user."""
    return format((fraction / HUNDRED).normalize(), "f")


class FramingForm(OpenAMOForm):
    """The scalar answers of the ten questions (the lists are in the formsets below)."""

    # 1. Objectif métier chiffré
    objective_statement = _area(
        "Objectif métier",
        help_text="Le résultat attendu, chiffré : par exemple « diviser par trois le délai de "
        "traitement des demandes de congés ».",
    )
    # 4. Données
    data_inputs = LinesField("Données en entrée", "Reprise de l'existant, sources ; une par ligne.")
    data_outputs = LinesField("Données en sortie", "États, exports, interfaces ; une par ligne.")
    data_migration_from = _text("Logiciel ou fichiers repris", max_length=500)
    data_export_format = _text(
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
    hosting = _text("Hébergement des données")
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
    sponsor = _text("Sponsor métier", help_text="Nom ou fonction de la personne qui arbitre.")
    project_lead = _text("Chef de projet du maître d'ouvrage")
    key_users = LinesField("Référents métier (utilisateurs clés)")
    days_per_month = decimal_input(
        "Disponibilité des référents (jours par mois)",
        min_value=Decimal(0),
        max_value=Decimal(31),
        places=1,
    )
    # 9. Stratégie d'adoption
    training_starts_on = date_field("Début de la formation des utilisateurs", required=False)
    training_plan = _area("Plan de formation")
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
    value_owner = _text("Responsable de la mesure")
    value_method = _area("Méthode de mesure")

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

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        budget = data.get("budget_maximum_ht")
        if budget is not None and budget <= 0:
            self.add_error("budget_maximum_ht", "Le budget maximal doit être supérieur à zéro.")
        return data


class RowForm(OpenAMOForm):
    """One row of a list of the framing; a row left blank is ignored."""

    noun = "ligne"
    key_field = ""
    required_with_key: tuple[str, ...] = ()
    widths: dict[str, int] = {}
    """Width of each field's column (out of 12) on a medium screen."""
    always_sent: tuple[str, ...] = ()
    """Fields a browser always sends (a select without a blank choice): not a sign of input."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
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
        return data


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

    name = _text("Nom de l'indicateur")
    unit = _text("Unité", max_length=40, help_text="%, jours, €…")
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

    description = _text("Description de l'irritant", max_length=1000)
    users = _text("Utilisateurs concernés")
    source = forms.ChoiceField(label="Recueilli par", choices=IRRITANT_SOURCES, required=False)


class FeatureRowForm(RowForm):
    noun = "fonctionnalité"
    widths = {"name": 6, "priority": 3, "estimated_cost_ht": 3}
    key_field = "name"
    required_with_key = ("priority",)

    name = _text("Intitulé de la fonctionnalité")
    priority = forms.ChoiceField(label="Priorité", choices=PRIORITIES, required=False)
    estimated_cost_ht = amount_field("Coût estimé HT (€)", required=False)


def row_formset(form: type[RowForm], extra: int = 3) -> type[forms.BaseFormSet[Any]]:
    return forms.formset_factory(form, extra=extra, max_num=100, validate_max=True)


KpiFormSet = row_formset(KpiRowForm, extra=2)
IrritantFormSet = row_formset(IrritantRowForm)
FeatureFormSet = row_formset(FeatureRowForm)
FORMSETS = {"kpi": KpiFormSet, "irritant": IrritantFormSet, "feature": FeatureFormSet}
"""Prefix → formset of the three lists of the questionnaire."""


def _rows(formset: forms.BaseFormSet[Any]) -> list[dict[str, Any]]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.is_blank]


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _drop_empty(block: dict[str, Any]) -> dict[str, Any] | None:
    """An answer block with something in it, or None (the question is then unanswered)."""
    kept = {k: v for k, v in block.items() if v not in (None, "", [], False)}
    return kept or None


def framing_answers(
    form: FramingForm, formsets: dict[str, forms.BaseFormSet[Any]]
) -> dict[str, Any]:
    """The framing record (``FramingInput`` without ``project``) from the validated forms."""
    d = form.cleaned_data
    kpis = [
        {
            "name": row["name"],
            "unit": row["unit"],
            "baseline_value": _decimal(row["baseline_value"]),
            "target_value": _decimal(row["target_value"]),
            "direction": row["direction"] or KpiDirection.HAUSSE.value,
            "is_adoption": row["is_adoption"],
            "due_months_after_go_live": row["due_months_after_go_live"],
        }
        for row in _rows(formsets["kpi"])
    ]
    answers: dict[str, Any] = {
        "objective": _drop_empty({"statement": d["objective_statement"], "kpis": kpis}),
        "irritants": [
            {"description": r["description"], "users": r["users"] or None, "source": r["source"]}
            for r in _rows(formsets["irritant"])
        ],
        "features": [
            {
                "name": r["name"],
                "priority": r["priority"],
                "estimated_cost_ht": _decimal(r["estimated_cost_ht"]),
            }
            for r in _rows(formsets["feature"])
        ],
        "data": _drop_empty(
            {
                "inputs": d["data_inputs"],
                "outputs": d["data_outputs"],
                "migration_from": d["data_migration_from"] or None,
                "export_format": d["data_export_format"] or None,
                "interfaces": d["data_interfaces"],
            }
        ),
        "compliance": _compliance(d),
        "budget": _budget(d),
        "schedule": _drop_empty(
            {
                "kickoff_on": _date(d["kickoff_on"]),
                "acceptance_on": _date(d["acceptance_on"]),
                "go_live_on": _date(d["go_live_on"]),
            }
        ),
        "resources": _drop_empty(
            {
                "sponsor": d["sponsor"] or None,
                "project_lead": d["project_lead"] or None,
                "key_users": d["key_users"],
                "days_per_month": _decimal(d["days_per_month"]),
            }
        ),
        "adoption": _drop_empty(
            {
                "training_starts_on": _date(d["training_starts_on"]),
                "training_plan": d["training_plan"] or None,
                "communication": d["communication"],
                "champions": d["champions"],
            }
        ),
        "value_measurement": _drop_empty(
            {
                "review_after_months": d["review_after_months"],
                "owner": d["value_owner"] or None,
                "method": d["value_method"] or None,
            }
        ),
    }
    return {k: v for k, v in answers.items() if v not in (None, [])}


def _compliance(d: dict[str, Any]) -> dict[str, Any] | None:
    block = {
        "personal_data": _tri_state_value(d["personal_data"]),
        "sensitive_data": d["sensitive_data"],
        "dpo_consulted": d["dpo_consulted"],
        "impact_assessment": d["impact_assessment"] or None,
        "hosting": d["hosting"] or None,
        "other_constraints": d["other_constraints"],
    }
    if _drop_empty(block) is None:
        return None
    return {k: v for k, v in block.items() if v is not None}


def _budget(d: dict[str, Any]) -> dict[str, Any] | None:
    if d["budget_maximum_ht"] is None:
        return None
    block: dict[str, Any] = {"maximum_ht": f"{d['budget_maximum_ht']:.2f}"}
    if d["margin_percent"] is not None:
        block["margin_rate"] = _percent_text(d["margin_percent"])
    funding = _tri_state_value(d["funding_confirmed"])
    if funding is not None:
        block["funding_confirmed"] = funding
    return block


def framing_initial(answers: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Initial values of the questionnaire from a stored framing record (the reverse mapping)."""
    objective = answers.get("objective") or {}
    data = answers.get("data") or {}
    compliance = answers.get("compliance") or {}
    budget = answers.get("budget") or {}
    schedule = answers.get("schedule") or {}
    resources = answers.get("resources") or {}
    adoption = answers.get("adoption") or {}
    value = answers.get("value_measurement") or {}
    margin = budget.get("margin_rate")
    initial = {
        "objective_statement": objective.get("statement"),
        "data_inputs": data.get("inputs", []),
        "data_outputs": data.get("outputs", []),
        "data_migration_from": data.get("migration_from"),
        "data_export_format": data.get("export_format"),
        "data_interfaces": data.get("interfaces", []),
        "personal_data": _tri_state(compliance.get("personal_data")),
        "sensitive_data": compliance.get("sensitive_data", False),
        "dpo_consulted": compliance.get("dpo_consulted", False),
        "impact_assessment": compliance.get("impact_assessment") or "",
        "hosting": compliance.get("hosting"),
        "other_constraints": compliance.get("other_constraints", []),
        "budget_maximum_ht": _to_decimal(budget.get("maximum_ht")),
        "margin_percent": Decimal(margin) * HUNDRED if margin is not None else Decimal(10),
        "funding_confirmed": _tri_state(budget.get("funding_confirmed")),
        "kickoff_on": schedule.get("kickoff_on"),
        "acceptance_on": schedule.get("acceptance_on"),
        "go_live_on": schedule.get("go_live_on"),
        "sponsor": resources.get("sponsor"),
        "project_lead": resources.get("project_lead"),
        "key_users": resources.get("key_users", []),
        "days_per_month": _to_decimal(resources.get("days_per_month")),
        "training_starts_on": adoption.get("training_starts_on"),
        "training_plan": adoption.get("training_plan"),
        "communication": adoption.get("communication", []),
        "champions": adoption.get("champions", []),
        "review_after_months": value.get("review_after_months"),
        "value_owner": value.get("owner"),
        "value_method": value.get("method"),
    }
    rows = {
        "kpi": [
            {
                "name": k["name"],
                "unit": k.get("unit", ""),
                "baseline_value": _to_decimal(k.get("baseline_value")),
                "target_value": _to_decimal(k.get("target_value")),
                "direction": k.get("direction", KpiDirection.HAUSSE.value),
                "is_adoption": k.get("is_adoption", False),
                "due_months_after_go_live": k.get("due_months_after_go_live"),
            }
            for k in [*objective.get("kpis", []), *value.get("kpis", [])]
        ],
        "irritant": [dict(i) for i in answers.get("irritants", [])],
        "feature": [
            {
                "name": f["name"],
                "priority": f["priority"],
                "estimated_cost_ht": _to_decimal(f.get("estimated_cost_ht")),
            }
            for f in answers.get("features", [])
        ],
    }
    return initial, rows


def _to_decimal(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


class ChangeRequestForm(OpenAMOForm):
    title = forms.CharField(label="Intitulé de la demande", max_length=300)
    kind = forms.ChoiceField(label="Nature", choices=CHANGE_KIND_CHOICES)
    feature = forms.CharField(
        label="Fonctionnalité concernée",
        required=False,
        max_length=200,
        help_text="Pour une modification ou une suppression : la fonctionnalité de la base.",
    )
    requested_on = date_field("Date de la demande", not_after_today=True)
    requested_by = forms.CharField(
        label="Demandeur", required=False, max_length=200, help_text="Service ou personne."
    )
    cost_ht = amount_field(
        "Coût HT (€)",
        minimum=None,
        help_text="Négatif pour une économie (suppression ou simplification d'une "
        "fonctionnalité), dans la limite du budget. Exemple : 2 400,00",
    )
    delay_days = forms.IntegerField(
        label="Délai supplémentaire (jours)",
        min_value=-MAX_DELAY_DAYS,
        max_value=MAX_DELAY_DAYS,
        initial=0,
        help_text="Glissement de la mise en service si la demande est acceptée (0 si aucun ; "
        "négatif si une suppression l'avance).",
    )
    value = forms.ChoiceField(label="Valeur métier", choices=CHANGE_VALUE_CHOICES)
    justification = forms.CharField(
        label="Justification",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Pourquoi cette évolution, et ce qui se passe si elle est refusée.",
    )

    def __init__(self, *args: Any, budget_ht: Decimal | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget_ht = budget_ht
        self.fields["requested_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        delay = data.get("delay_days")
        if delay is not None and delay < 0 and data.get("kind") == ChangeKind.AJOUT.value:
            self.add_error("delay_days", TIME_SAVING_ONLY)
        cost = data.get("cost_ht")
        if cost is None or cost >= 0:
            return data
        if data.get("kind") == ChangeKind.AJOUT.value:
            self.add_error("cost_ht", SAVING_ONLY)
        elif self.budget_ht is not None and -cost > self.budget_ht:
            self.add_error(
                "cost_ht",
                f"Une économie de {format_euros(-cost)} dépasse le budget du projet "
                f"({format_euros(self.budget_ht)} HT) : vérifiez le montant.",
            )
        return data


DECISIONS = [
    (Decision.ACCEPTEE.value, "Accepter la demande"),
    (Decision.REFUSEE.value, "Refuser la demande"),
    (Decision.REPORTEE.value, "Reporter à une version ultérieure"),
]


class DecisionForm(OpenAMOForm):
    decision = forms.ChoiceField(
        label="Décision du maître d'ouvrage", choices=DECISIONS, widget=forms.RadioSelect
    )
    decided_on = date_field("Date de la décision", not_after_today=True)
    decision_note = forms.CharField(
        label="Motif de la décision",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()


class MilestoneForm(OpenAMOForm):
    forecast_on = date_field(
        "Nouvelle date prévue",
        required=False,
        help_text="Laissez vide pour reporter les délais des évolutions acceptées. "
        "Format : JJ/MM/AAAA",
    )
    actual_on = date_field("Date à laquelle le jalon a été atteint", required=False)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        actual = data.get("actual_on")
        if actual is not None and actual > timezone.localdate():
            self.add_error(
                "actual_on",
                "Un jalon ne peut pas être atteint dans le futur : indiquez plutôt une nouvelle "
                "date prévue.",
            )
        return data


class RiskForm(OpenAMOForm):
    title = forms.CharField(label="Intitulé du risque", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    probability = forms.TypedChoiceField(
        label="Probabilité", choices=SCALE, coerce=int, help_text="De 1 (rare) à 5 (quasi certain)."
    )
    impact = forms.TypedChoiceField(
        label="Impact", choices=SCALE, coerce=int, help_text="De 1 (négligeable) à 5 (majeur)."
    )
    owner = forms.CharField(label="Responsable", required=False, max_length=200)
    mitigation = forms.CharField(
        label="Mesures de maîtrise",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Une mesure par ligne.",
    )
    status = forms.ChoiceField(label="Statut", choices=RISK_STATUS_CHOICES)
    review_on = date_field("Prochaine revue", required=False)


class MeasurementForm(OpenAMOForm):
    kpi = forms.ChoiceField(label="Indicateur", choices=[])
    measured_on = date_field("Date de la mesure", not_after_today=True)
    value = decimal_input("Valeur mesurée", required=True, help_text="Exemple : 66,5")
    comment = forms.CharField(label="Commentaire", required=False, max_length=300)

    def __init__(self, *args: Any, kpis: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kpi"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = kpis
        self.fields["measured_on"].initial = timezone.localdate()


MODES = [
    ("monte_carlo", "Monte-Carlo (distribution des coûts, percentiles)"),
    ("deterministe", "Déterministe (calcul direct, exemple chiffré)"),
]
MAX_WEB_RUNS = 100_000
"""Tirages par simulation dans une requête web (mesuré bien en dessous d'une seconde)."""


class RoiForm(OpenAMOForm):
    mode = forms.ChoiceField(label="Mode de calcul", choices=MODES, widget=forms.RadioSelect)
    runs = forms.IntegerField(
        label="Nombre de tirages",
        min_value=1000,
        max_value=MAX_WEB_RUNS,
        required=False,
        help_text="Monte-Carlo : de 1 000 à 100 000.",
    )
    seed = forms.IntegerField(
        label="Graine du générateur aléatoire",
        min_value=0,
        max_value=2**63 - 1,
        required=False,
        help_text="Même graine, mêmes résultats : la simulation est reproductible.",
    )
    baseline_budget_ht = amount_field("Budget de référence HT (€)")
    amo_cost_ht = amount_field("Coût de l'AMO HT (€)", help_text="Honoraires de l'AMO.")
    margin_percent = decimal_input(
        "Marge budgétaire (%)", required=True, min_value=Decimal(0), max_value=HUNDRED, places=2
    )
    drift_without_percent = decimal_input(
        "Dérive budgétaire moyenne sans AMO (%)",
        required=True,
        min_value=Decimal(-90),
        max_value=Decimal(1000),
        places=8,
        help_text="Pré-remplie avec le chiffre publié (exemple chiffré de l'article, moyenne des "
        "projets « challenged » du Standish Group) : remplacez-la par vos données.",
    )
    drift_with_percent = decimal_input(
        "Dérive budgétaire moyenne avec AMO (%)",
        required=True,
        min_value=Decimal(-90),
        max_value=Decimal(1000),
        places=8,
        help_text="Pré-remplie avec l'exemple chiffré de l'article (source unique et "
        "intéressée, confiance faible).",
    )
    cost_dispersion = decimal_input(
        "Dispersion du coût final (σ log-normal)",
        min_value=Decimal(0),
        max_value=Decimal(2),
        help_text="Monte-Carlo seulement.",
    )
    baseline_duration_months = forms.IntegerField(
        label="Durée prévue du projet (mois)",
        min_value=1,
        max_value=240,
        required=False,
        help_text="Pour simuler aussi le retard.",
    )
    delay_without_percent = decimal_input(
        "Retard moyen sans AMO (%)", min_value=Decimal(-90), max_value=Decimal(1000), places=8
    )
    delay_with_percent = decimal_input(
        "Retard moyen avec AMO (%)", min_value=Decimal(-90), max_value=Decimal(1000), places=8
    )
    adoption_without_percent = decimal_input(
        "Adoption à M+3 attendue sans AMO (%)",
        min_value=Decimal(0),
        max_value=HUNDRED,
        places=8,
        help_text="Facultatif : l'effet de l'AMO sur l'adoption n'est pas valorisé en euros.",
    )
    claimed_ratio = decimal_input(
        "Ratio annoncé de dérive évitée par euro d'AMO",
        min_value=Decimal("0.01"),
        max_value=Decimal(1000),
        help_text="Facultatif : OpenAMO en déduit le coût d'AMO implicite (l'article annonce 1,7).",
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("mode") == "monte_carlo" and not data.get("runs") and "runs" not in self.errors:
            self.add_error("runs", "Indiquez le nombre de tirages de la simulation.")
        delays = (data.get("delay_without_percent"), data.get("delay_with_percent"))
        if any(v is not None for v in delays) and not data.get("baseline_duration_months"):
            self.add_error(
                "baseline_duration_months", "Indiquez la durée prévue pour simuler le retard."
            )
        return data

    def roi_input(self, project: str) -> dict[str, Any]:
        """The input of ``amo projet roi`` (fractions computed from the percentages typed)."""
        d = self.cleaned_data
        data: dict[str, Any] = {
            "project": project,
            "baseline_budget_ht": f"{d['baseline_budget_ht']:.2f}",
            "amo_cost_ht": f"{d['amo_cost_ht']:.2f}",
            "margin_rate": _percent_text(d["margin_percent"]),
            "drift_without_amo": _percent_text(d["drift_without_percent"]),
            "drift_with_amo": _percent_text(d["drift_with_percent"]),
            "histogram_bins": 12,
        }
        if d["mode"] == "monte_carlo":
            data["runs"] = d["runs"]
            data["seed"] = d["seed"] if d["seed"] is not None else 0
            if d["cost_dispersion"] is not None:
                data["cost_dispersion"] = _decimal(d["cost_dispersion"])
        optional = {
            "baseline_duration_months": d["baseline_duration_months"],
            "delay_without_amo": _fraction(d["delay_without_percent"]),
            "delay_with_amo": _fraction(d["delay_with_percent"]),
            "adoption_without_amo": _fraction(d["adoption_without_percent"]),
            "claimed_drift_prevented_per_euro": _decimal(d["claimed_ratio"]),
        }
        data.update({k: v for k, v in optional.items() if v is not None})
        return data


def _fraction(percent: Decimal | None) -> str | None:
    return None if percent is None else _percent_text(percent)


def roi_initial(data: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """The form as it was for a stored simulation: what was typed, and the hypotheses the
    domain resolved (its published defaults) for what was left blank."""

    def pct(value: Any) -> Decimal | None:
        return None if value is None else Decimal(value) * HUNDRED

    delay = result.get("delay") or {}
    adoption = result.get("adoption") or {}
    values = {
        "mode": "monte_carlo" if data.get("runs") else "deterministe",
        "runs": data.get("runs"),
        "seed": data.get("seed"),
        "baseline_budget_ht": _to_decimal(data.get("baseline_budget_ht")),
        "amo_cost_ht": _to_decimal(data.get("amo_cost_ht")),
        "margin_percent": pct(result.get("margin_rate")),
        "drift_without_percent": pct(result.get("drift_without_amo")),
        "drift_with_percent": pct(result.get("drift_with_amo")),
        "cost_dispersion": _to_decimal(data.get("cost_dispersion")),
        "baseline_duration_months": data.get("baseline_duration_months"),
        "delay_without_percent": pct(delay.get("delay_without_amo")),
        "delay_with_percent": pct(delay.get("delay_with_amo")),
        "adoption_without_percent": pct(adoption.get("adoption_without_amo")),
        "claimed_ratio": _to_decimal(data.get("claimed_drift_prevented_per_euro")),
    }
    return {k: v for k, v in values.items() if v is not None}
