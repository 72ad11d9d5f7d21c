"""What a check needs, computed once: the dated rules and the amounts of the contract.

Two dates decide the law: the *regime date* (launch of the consultation when known, otherwise
notification of the contract) fixes which text and which percentages govern the contract; the
*modification date* fixes the EU threshold of R2194-8 and the formalities (CAO, DECP).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from openamo import law
from openamo.amendments.enums import Basis
from openamo.amendments.models import AmendmentCheckInput, ContractInput
from openamo.errors import LawDataError, OpenAMOError
from openamo.money import format_euros, percent
from openamo.procurement.enums import Buyer, Nature
from openamo.procurement.thresholds import eu_path

REGIME = "amendments.articles.regime"


@dataclass(frozen=True, slots=True)
class Rules:
    """The figures and references in force for this contract and this modification."""

    regime_date: date
    modification_date: date
    regime_reference: str
    faible_montant_rate: Decimal
    faible_montant_reference: str
    eu_threshold: Decimal
    eu_reference: str
    launch_eu_threshold: Decimal | None
    launch_eu_reference: str
    cap_rate: Decimal
    cap_reference: str
    cao_rate: Decimal
    cao_reference: str
    article_references: dict[str, str]

    def article(self, name: str) -> str:
        """Dated reference of ``amendments.articles.<name>`` (the text governing the contract)."""
        return self.article_references[name]

    def basis_reference(self, basis: Basis) -> str:
        return self.article(basis.article_path.rsplit(".", 1)[1])


_ARTICLES = {
    "nature_globale": "amendments.articles.nature_globale",
    "clause_reexamen": "amendments.articles.clause_reexamen",
    "prestations_supplementaires": "amendments.articles.prestations_supplementaires",
    "variation_prix": "amendments.articles.variation_prix",
    "circonstances_imprevues": "amendments.articles.circonstances_imprevues",
    "nouveau_titulaire": "amendments.articles.nouveau_titulaire",
    "non_substantielle": "amendments.articles.non_substantielle",
    "faible_montant": "amendments.articles.faible_montant",
    "cumul_faible_montant": "amendments.articles.cumul_faible_montant",
    "avis_modification": "amendments.articles.avis_modification",
}


def regime_date(data: AmendmentCheckInput) -> date:
    return data.contract.consultation_launched_on or data.contract.notified_on


def load_rules(data: AmendmentCheckInput) -> Rules:
    return rules_for_contract(data.contract, data.modification.date)


def rules_for_contract(contract: ContractInput, modification_day: date) -> Rules:
    return _rules(
        contract.consultation_launched_on or contract.notified_on,
        modification_day,
        contract.buyer,
        contract.nature,
        contract.consultation_launched_on is not None,
    )


@lru_cache(maxsize=2048)
def _rules(
    regime_day: date, modification_day: date, buyer: Buyer, nature: Nature, launched: bool
) -> Rules:
    """The rules for one contract profile and one pair of dates (law data is immutable)."""
    regime = _regime_snapshot(regime_day, launched)
    modification = law.at(modification_day)
    rate_path = (
        "amendments.faible_montant_travaux"
        if nature is Nature.TRAVAUX
        else "amendments.faible_montant_fournitures_services"
    )
    threshold_path = eu_path(buyer, nature)
    try:
        eu_threshold = _decimal(modification, threshold_path)
    except LawDataError as exc:
        raise OpenAMOError(
            "Seuil européen inconnu à la date de la modification "
            f"({modification_day:%d/%m/%Y}) : {exc.message}",
            code="date_out_of_range",
        ) from None
    try:
        launch_eu_threshold: Decimal | None = _decimal(regime, threshold_path)
        launch_eu_reference = regime.reference(threshold_path)
    except LawDataError:
        launch_eu_threshold, launch_eu_reference = None, ""
    return Rules(
        regime_date=regime_day,
        modification_date=modification_day,
        regime_reference=regime.reference(REGIME),
        faible_montant_rate=_decimal(regime, rate_path),
        faible_montant_reference=regime.reference(rate_path),
        eu_threshold=eu_threshold,
        eu_reference=modification.reference(threshold_path),
        launch_eu_threshold=launch_eu_threshold,
        launch_eu_reference=launch_eu_reference,
        cap_rate=_decimal(regime, "amendments.plafond_par_modification"),
        cap_reference=regime.reference("amendments.plafond_par_modification"),
        cao_rate=_decimal(modification, "cgct.avis_cao_avenant"),
        cao_reference=modification.reference("cgct.avis_cao_avenant"),
        article_references={name: regime.reference(path) for name, path in _ARTICLES.items()},
    )


def _regime_snapshot(day: date, launched: bool) -> law.LawSnapshot:
    snapshot = law.at(day)
    try:
        snapshot.get(REGIME)
    except LawDataError:
        first = law.parameter(REGIME).values[0].start
        which = "lancé" if launched else "notifié"
        raise OpenAMOError(
            f"Le marché a été {which} le {day:%d/%m/%Y}, avant le {first:%d/%m/%Y} : ses "
            "avenants relèvent du Code des marchés publics de 2006 (article 20 : pas de "
            "bouleversement de l'économie du marché ni de changement d'objet, sauf sujétions "
            "techniques imprévues), qui ne fixe aucun pourcentage et qu'OpenAMO ne couvre pas. "
            "Si la consultation a été lancée après cette date, indiquez sa date de lancement "
            "(date de lancement de la consultation du marché).",
            code="regime_non_couvert",
        ) from None
    return snapshot


def _decimal(snapshot: law.LawSnapshot, path: str) -> Decimal:
    value = snapshot.value(path)
    if not isinstance(value, Decimal):
        raise LawDataError(f"Le paramètre « {path} » devrait être un nombre.")
    return value


@dataclass(frozen=True, slots=True)
class Figures:
    """Amounts of the contract before and after this modification (euros HT, exact)."""

    initial: Decimal
    revised: Decimal
    amount: Decimal
    previous_total: Decimal
    previous_faible_montant: Decimal
    previous_faible_montant_gross: Decimal
    previous_cap_bases_total: Decimal

    @property
    def cumulative_change(self) -> Decimal:
        return self.previous_total + self.amount

    @property
    def new_amount(self) -> Decimal:
        return self.initial + self.cumulative_change

    @property
    def faible_montant_cumul(self) -> Decimal:
        """R2194-9 read with directive 2014/24/UE art. 72 §2: the *net* cumulative value of the
        successive low-value modifications, this one included (a reduction offsets an increase)."""
        return net_cumulation(self.previous_faible_montant, self.amount)

    @property
    def faible_montant_gross(self) -> Decimal:
        """The same modifications added in absolute value (the cautious reading, for comparison)."""
        return self.previous_faible_montant_gross + abs(self.amount)

    def percent(self, part: Decimal) -> Decimal:
        return percent(part, self.initial)


def net_cumulation(*amounts: Decimal) -> Decimal:
    """Net cumulative value of successive modifications (directive 2014/24/UE art. 72 §2):
    the size of their signed sum, so that a reduction offsets an earlier increase."""
    return abs(sum(amounts, Decimal(0)))


def compute_figures(data: AmendmentCheckInput) -> Figures:
    contract = data.contract
    previous = data.previous_modifications
    figures = Figures(
        initial=contract.initial_amount_ht,
        revised=contract.revised_initial_amount_ht or contract.initial_amount_ht,
        amount=data.modification.amount_ht,
        previous_total=sum((m.amount_ht for m in previous), Decimal(0)),
        previous_faible_montant=sum(
            (m.amount_ht for m in previous if m.basis is Basis.FAIBLE_MONTANT), Decimal(0)
        ),
        previous_faible_montant_gross=sum(
            (abs(m.amount_ht) for m in previous if m.basis is Basis.FAIBLE_MONTANT), Decimal(0)
        ),
        previous_cap_bases_total=sum(
            (
                m.amount_ht
                for m in previous
                if m.basis in (Basis.PRESTATIONS_SUPPLEMENTAIRES, Basis.CIRCONSTANCES_IMPREVUES)
            ),
            Decimal(0),
        ),
    )
    before = figures.initial + figures.previous_total
    if before < 0:
        # A state no contract can be in: the error is in the input, not in this modification.
        raise OpenAMOError(
            "Les modifications précédentes ramènent le marché à un montant négatif "
            f"({format_euros(before)} HT) : vérifiez leurs montants.",
            code="invalid_input",
        )
    if figures.new_amount < 0:
        raise OpenAMOError(
            "Les moins-values cumulées dépassent le montant initial du marché : le nouveau "
            f"montant serait de {format_euros(figures.new_amount)} HT.",
            code="invalid_input",
        )
    return figures


@dataclass(frozen=True, slots=True)
class Situation:
    """Everything a rule module reads: the input, the dated rules and the amounts."""

    data: AmendmentCheckInput
    rules: Rules
    figures: Figures

    @property
    def is_pouvoir_adjudicateur(self) -> bool:
        return self.data.contract.buyer is not Buyer.ENTITE_ADJUDICATRICE


def situation_for(data: AmendmentCheckInput) -> Situation:
    figures = compute_figures(data)
    return Situation(data=data, rules=load_rules(data), figures=figures)
