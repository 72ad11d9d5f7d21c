"""The cost-of-drift simulation with and without AMO: the domain's ``RoiInput`` as typed."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from django import forms

from openamo.steering import RoiInput, RoiResult
from openamo.web.forms import OpenAMOForm, amount_field
from openamo.web.steering.forms.fields import HUNDRED, decimal_input, fraction, normal, percent
from openamo.web.steering.inputs import RoiFigures

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

    def clean(self) -> None:
        super().clean()
        data = self.cleaned_data
        if data.get("mode") == "monte_carlo" and not data.get("runs") and "runs" not in self.errors:
            self.add_error("runs", "Indiquez le nombre de tirages de la simulation.")
        delays = (data.get("delay_without_percent"), data.get("delay_with_percent"))
        if any(v is not None for v in delays) and not data.get("baseline_duration_months"):
            self.add_error(
                "baseline_duration_months", "Indiquez la durée prévue pour simuler le retard."
            )

    def roi_input(self, project: str) -> RoiInput:
        """The input of ``amo projet roi`` (fractions computed from the percentages typed)."""
        d = self.cleaned_data
        monte_carlo = d["mode"] == "monte_carlo"
        return RoiInput(
            project=project,
            baseline_budget_ht=d["baseline_budget_ht"].quantize(CENT),
            amo_cost_ht=d["amo_cost_ht"].quantize(CENT),
            margin_rate=fraction(d["margin_percent"]),
            drift_without_amo=fraction(d["drift_without_percent"]),
            drift_with_amo=fraction(d["drift_with_percent"]),
            histogram_bins=12,
            runs=d["runs"] if monte_carlo else None,
            seed=(d["seed"] if d["seed"] is not None else 0) if monte_carlo else None,
            cost_dispersion=normal(d["cost_dispersion"]) if monte_carlo else None,
            baseline_duration_months=d["baseline_duration_months"],
            delay_without_amo=fraction(d["delay_without_percent"]),
            delay_with_amo=fraction(d["delay_with_percent"]),
            adoption_without_amo=fraction(d["adoption_without_percent"]),
            claimed_drift_prevented_per_euro=normal(d["claimed_ratio"]),
        )


CENT = Decimal("0.01")


def roi_initial(
    defaults: RoiFigures, simulated: RoiInput | None, result: RoiResult | None
) -> dict[str, object]:
    """The form's initial values (Django's ``initial``): the project's figures and the domain's
    defaults, then, for a stored simulation, what was typed and the hypotheses the domain
    resolved (its published defaults) for what was left blank."""
    initial = asdict(defaults)
    if simulated is None or result is None:
        return initial
    values = {
        "mode": "monte_carlo" if simulated.runs else "deterministe",
        "runs": simulated.runs,
        "seed": simulated.seed,
        "baseline_budget_ht": simulated.baseline_budget_ht,
        "amo_cost_ht": simulated.amo_cost_ht,
        "margin_percent": percent(result.margin_rate),
        "drift_without_percent": percent(result.drift_without_amo),
        "drift_with_percent": percent(result.drift_with_amo),
        "cost_dispersion": simulated.cost_dispersion,
        "baseline_duration_months": simulated.baseline_duration_months,
        "delay_without_percent": percent(result.delay.delay_without_amo) if result.delay else None,
        "delay_with_percent": percent(result.delay.delay_with_amo) if result.delay else None,
        "adoption_without_percent": percent(result.adoption.adoption_without_amo)
        if result.adoption
        else None,
        "claimed_ratio": simulated.claimed_drift_prevented_per_euro,
    }
    initial.update({k: v for k, v in values.items() if v is not None})
    return initial
