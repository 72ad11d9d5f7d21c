"""Contracts without prior publicity or competition other than the low-value dispense
(CCP L2122-1, R2122-1 to R2122-11): each case, its conditions, its limits, its paperwork.

The cases are exhaustive and read strictly: the buyer proves every condition, otherwise the
contract is void (fiche DAJ 2020). A condition left unanswered is not presumed: the verdict
lists it as still to be established. Only one operator is consulted, save after a contest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import Field, StrictBool, model_validator

from openamo import law as law_data
from openamo.dates import add_months
from openamo.errors import OpenAMOError
from openamo.findings import Findings
from openamo.money import format_euros
from openamo.procurement.enums import Buyer, Nature
from openamo.procurement.thresholds import dispense_path, eu_path
from openamo.validation import Amount, InputModel, OutputModel, parse_input


class Case(StrEnum):
    URGENCE_IMPERIEUSE = "urgence_imperieuse"
    PROCEDURE_INFRUCTUEUSE = "procedure_infructueuse"
    OPERATEUR_UNIQUE = "operateur_unique"
    LIVRAISONS_COMPLEMENTAIRES = "livraisons_complementaires"
    MATIERES_PREMIERES_COTEES = "matieres_premieres_cotees"
    CONDITIONS_AVANTAGEUSES = "conditions_particulierement_avantageuses"
    FOURNITURES_RECHERCHE = "fournitures_de_recherche"
    LAUREAT_CONCOURS = "laureat_concours"
    PRESTATIONS_SIMILAIRES = "prestations_similaires"
    FAIBLE_MONTANT = "faible_montant"
    LIVRES_NON_SCOLAIRES = "livres_non_scolaires"
    ACHAT_INNOVANT = "achat_innovant"


@dataclass(frozen=True)
class Rule:
    label: str
    article: str
    natures: frozenset[Nature]
    conditions: tuple[tuple[str, str], ...]


ALL = frozenset(Nature)
SUPPLIES = frozenset({Nature.FOURNITURES})

RULES: dict[Case, Rule] = {
    Case.URGENCE_IMPERIEUSE: Rule(
        "urgence impérieuse",
        "CCP R2122-1",
        ALL,
        (
            (
                "circonstances_exterieures_imprevisibles",
                "une urgence impérieuse résulte de "
                "circonstances extérieures à l'acheteur, qu'il ne pouvait pas prévoir",
            ),
            (
                "delais_incompatibles",
                "elle ne permet pas de respecter les délais minimaux des procédures formalisées",
            ),
            (
                "limite_au_strict_necessaire",
                "le marché est limité aux prestations strictement "
                "nécessaires pour faire face à la situation d'urgence",
            ),
        ),
    ),
    Case.PROCEDURE_INFRUCTUEUSE: Rule(
        "procédure infructueuse",
        "CCP R2122-2",
        ALL,
        (
            ("appel_offres_prealable", "une procédure d'appel d'offres a été menée"),
            (
                "aucune_offre_appropriee",
                "aucune candidature ou aucune offre n'a été déposée "
                "dans les délais, ou seules des candidatures irrecevables ou des offres "
                "inappropriées l'ont été",
            ),
            (
                "conditions_initiales_maintenues",
                "les conditions initiales du marché ne sont pas substantiellement modifiées",
            ),
        ),
    ),
    Case.OPERATEUR_UNIQUE: Rule(
        "un seul opérateur économique",
        "CCP R2122-3",
        ALL,
        (
            (
                "un_seul_operateur",
                "les prestations ne peuvent être fournies que par un opérateur "
                "déterminé : création ou acquisition d'une œuvre d'art ou d'une performance "
                "artistique unique, absence de concurrence pour des raisons techniques, ou "
                "protection de droits d'exclusivité",
            ),
            (
                "aucune_alternative_raisonnable",
                "pour les raisons techniques ou les droits "
                "d'exclusivité : il n'existe aucune solution de remplacement raisonnable",
            ),
            (
                "pas_de_restriction_artificielle",
                "l'absence de concurrence ne résulte pas d'une "
                "restriction artificielle des caractéristiques du marché",
            ),
        ),
    ),
    Case.LIVRAISONS_COMPLEMENTAIRES: Rule(
        "livraisons complémentaires",
        "CCP R2122-4",
        SUPPLIES,
        (
            ("fournisseur_initial", "les livraisons sont confiées au fournisseur initial"),
            (
                "renouvellement_ou_extension",
                "elles renouvellent partiellement ou étendent des "
                "fournitures ou installations existantes",
            ),
            (
                "changement_techniquement_difficile",
                "changer de fournisseur obligerait à acquérir "
                "un matériel aux caractéristiques différentes, d'où une incompatibilité ou des "
                "difficultés techniques d'utilisation et d'entretien disproportionnées",
            ),
        ),
    ),
    Case.MATIERES_PREMIERES_COTEES: Rule(
        "matières premières cotées",
        "CCP R2122-4, 2°",
        SUPPLIES,
        (
            (
                "cotees_et_achetees_en_bourse",
                "les matières premières sont cotées et achetées en bourse",
            ),
        ),
    ),
    Case.CONDITIONS_AVANTAGEUSES: Rule(
        "conditions particulièrement avantageuses",
        "CCP R2122-5",
        frozenset({Nature.FOURNITURES, Nature.SERVICES}),
        (
            (
                "cessation_ou_liquidation",
                "l'achat se fait à des conditions particulièrement "
                "avantageuses auprès d'un fournisseur en cessation définitive d'activité ou des "
                "liquidateurs ou administrateurs d'une procédure collective",
            ),
        ),
    ),
    Case.FOURNITURES_RECHERCHE: Rule(
        "fournitures de recherche",
        "CCP R2122-10",
        SUPPLIES,
        (
            (
                "recherche_essai_etude",
                "les produits sont fabriqués uniquement à des fins de "
                "recherche, d'essai, d'étude ou de développement",
            ),
            (
                "pas_de_production_en_serie",
                "le marché ne comprend pas de production en quantités "
                "visant à établir la viabilité commerciale ou à amortir les frais de recherche",
            ),
        ),
    ),
    Case.LAUREAT_CONCOURS: Rule(
        "lauréat d'un concours",
        "CCP R2122-6",
        frozenset({Nature.SERVICES}),
        (
            ("concours_prealable", "un concours a été organisé selon les règles du code"),
            (
                "attribue_a_un_laureat",
                "le marché est attribué au lauréat ou à l'un des lauréats ; "
                "s'ils sont plusieurs, tous sont invités à négocier",
            ),
        ),
    ),
    Case.PRESTATIONS_SIMILAIRES: Rule(
        "prestations similaires",
        "CCP R2122-7",
        frozenset({Nature.SERVICES, Nature.TRAVAUX}),
        (
            ("meme_titulaire", "les prestations sont confiées au titulaire du marché initial"),
            (
                "marche_initial_mis_en_concurrence",
                "le marché initial a été passé après publicité et mise en concurrence",
            ),
            (
                "possibilite_annoncee",
                "le marché initial indiquait la possibilité de recourir à "
                "cette procédure pour des prestations similaires conformes à un projet de base",
            ),
            (
                "montant_pris_en_compte",
                "leur montant a été pris en compte dans la valeur estimée du marché initial",
            ),
        ),
    ),
    Case.FAIBLE_MONTANT: Rule("faible montant", "CCP R2122-8", ALL, ()),
    Case.LIVRES_NON_SCOLAIRES: Rule(
        "livres non scolaires",
        "CCP R2122-9",
        SUPPLIES,
        (
            (
                "livres_non_scolaires_bibliotheque",
                "le marché porte sur des livres non scolaires "
                "destinés à une bibliothèque accessible au public",
            ),
        ),
    ),
    Case.ACHAT_INNOVANT: Rule(
        "achat innovant",
        "CCP R2122-9-1",
        ALL,
        (
            (
                "innovant",
                "les travaux, fournitures ou services sont innovants au sens de "
                "L2172-3 (nouveaux ou sensiblement améliorés)",
            ),
        ),
    ),
}

CAPS = {
    Case.LIVRES_NON_SCOLAIRES: "procurement.sans_concurrence.livres_non_scolaires",
    Case.ACHAT_INNOVANT: "procurement.sans_concurrence.achats_innovants",
}
RESEARCH_CONTRACTING_ENTITY = "CCP R2122-11, 1°"
"""An entité adjudicatrice's research case; R2122-10 is the pouvoir adjudicateur's."""
SUPPLEMENTARY = "procurement.sans_concurrence.livraisons_complementaires_duree"
SIMILAR = "procurement.sans_concurrence.prestations_similaires_delai"
INNOVATIVE_LOT = {
    Nature.TRAVAUX: "procurement.sans_concurrence.achats_innovants_lot_travaux",
}
INNOVATIVE_LOT_DEFAULT = "procurement.sans_concurrence.achats_innovants_lot_fournitures_services"
LOTS_SHARE = "procurement.lots.petits_lots_part_cumulee"
DEFENCE_CEILING = (
    "Marchés de défense ou de sécurité : OpenAMO applique le même plafond de R2122-9-1 ; aucune "
    "source relue le 04/12/2026 ne donne de plafond propre (300 000 € HT ou autre) aux achats "
    "innovants de défense ou de sécurité — vérifiez la partie défense du code sur Légifrance."
)


class InnovativeLot(InputModel):
    """R2122-9-1, 2nd paragraph: one lot of an allotted need whose value reaches the ceiling."""

    amount_ht: Amount
    exempted_lots_total_ht: Amount
    """Cumulated value of every lot passed under this exception, this one included."""


class WithoutCompetitionInput(InputModel):
    date: dt.date
    buyer: Buyer
    nature: Nature
    estimated_amount_ht: Amount
    case: Case
    conditions: dict[str, StrictBool] = Field(default_factory=dict, max_length=20)
    duration_months: int | None = Field(default=None, ge=1, le=600)
    duration_justification: str | None = Field(default=None, min_length=1, max_length=2000)
    initial_contract_on: dt.date | None = None
    lot: InnovativeLot | None = None

    @model_validator(mode="after")
    def _coherent_lot(self) -> WithoutCompetitionInput:
        lot = self.lot
        if lot is None:
            return self
        if self.case is not Case.ACHAT_INNOVANT:
            raise ValueError("le lot (« lot ») ne vaut que pour un achat innovant (R2122-9-1)")
        if lot.amount_ht > lot.exempted_lots_total_ht:
            raise ValueError(
                "le montant cumulé des lots passés sans mise en concurrence comprend ce lot : il "
                "ne peut pas être inférieur à son montant"
            )
        if lot.exempted_lots_total_ht > self.estimated_amount_ht:
            raise ValueError(
                "le montant cumulé des lots dépasse la valeur estimée du besoin (tous les lots)"
            )
        return self


class ConditionCheck(OutputModel):
    key: str
    text: str
    met: bool | None


class WithoutCompetitionResult(OutputModel):
    allowed: bool
    case: Case
    article: str
    conditions: list[ConditionCheck]
    to_establish: list[str]
    limits: dict[str, str]
    documentation: list[str]
    warnings: list[str]
    ambiguities: list[str]
    references: list[str]
    explanation: str


def without_competition(data: WithoutCompetitionInput) -> WithoutCompetitionResult:
    rule = RULES[data.case]
    if data.case is Case.FOURNITURES_RECHERCHE and data.buyer is Buyer.ENTITE_ADJUDICATRICE:
        rule = replace(rule, article=RESEARCH_CONTRACTING_ENTITY)
    rules = law_data.at(data.date)
    findings = Findings()
    findings.cite("CCP L2122-1", rule.article)
    _unknown_keys(data, rule)
    checks = [
        ConditionCheck(key=key, text=text, met=data.conditions.get(key))
        for key, text in rule.conditions
    ]
    failed = [check for check in checks if check.met is False]
    open_ = [check.key for check in checks if check.met is None]
    limits: dict[str, str] = {}
    blocked = _nature_blocks(data, rule, findings)
    blocked |= _limits(data, rules, limits, findings)
    allowed = not blocked and not failed and not open_
    for check in failed:
        findings.warn(f"Condition non remplie ({rule.article}) : {check.text}.")
    if open_:
        findings.warn(
            "Conditions à établir avant de conclure sans mise en concurrence : "
            + " ; ".join(check.text for check in checks if check.met is None)
            + "."
        )
    documentation = _documentation(data, rules, rule)
    verdict = "possible" if allowed else "non établi"
    findings.explain(
        f"Marché sans publicité ni mise en concurrence pour {rule.label} ({rule.article}) : "
        f"{verdict}. Les cas de L2122-1 sont limitatifs et s'interprètent strictement ; "
        "l'acheteur prouve chaque condition, faute de quoi le contrat est nul."
    )
    return WithoutCompetitionResult(
        allowed=allowed, case=data.case, article=rule.article, conditions=checks,
        to_establish=open_, limits=limits, documentation=documentation,
        warnings=findings.warnings, ambiguities=findings.ambiguities,
        references=findings.references, explanation=" ".join(findings.lines),
    )  # fmt: skip


def _unknown_keys(data: WithoutCompetitionInput, rule: Rule) -> None:
    known = {key for key, _ in rule.conditions}
    unknown = sorted(set(data.conditions) - known)
    if unknown:
        expected = ", ".join(sorted(known)) or "aucune condition"
        raise OpenAMOError(
            f"Condition inconnue pour le cas « {rule.label} » : {', '.join(unknown)} "
            f"(conditions attendues : {expected}).",
            code="invalid_input",
        )


def _nature_blocks(data: WithoutCompetitionInput, rule: Rule, findings: Findings) -> bool:
    if data.nature in rule.natures:
        return False
    names = ", ".join(sorted(nature.label.lower() for nature in rule.natures))
    findings.warn(
        f"Le cas « {rule.label} » ({rule.article}) ne vise que les marchés de {names} : il ne "
        f"peut fonder un marché de {data.nature.label.lower()}."
    )
    return True


def _limits(
    data: WithoutCompetitionInput,
    rules: law_data.LawSnapshot,
    limits: dict[str, str],
    findings: Findings,
) -> bool:
    """The figures a case is bound by; True when one of them is not met."""
    blocked = False
    amount = data.estimated_amount_ht
    if data.case is Case.FAIBLE_MONTANT:
        path = dispense_path(data.nature)
        cap = Decimal(str(rules.value(path)))
        limits["plafond_ht"] = f"{cap:.2f}"
        findings.cite(rules.reference(path))
        if amount >= cap:
            blocked = True
            findings.warn(
                f"{format_euros(amount)} HT atteint le seuil de dispense de {format_euros(cap)} "
                "HT : pas de marché sans procédure pour faible montant (voir « amo procedure "
                "choose »)."
            )
    elif data.case in CAPS:
        path = CAPS[data.case]
        try:
            cap = Decimal(str(rules.value(path)))
        except law_data.LawDataError:
            findings.warn(
                f"Ce cas n'existait pas le {data.date:%d/%m/%Y} : aucun marché ne peut s'y fonder."
            )
            return True
        limits["plafond_ht"] = f"{cap:.2f}"
        findings.cite(rules.reference(path))
        if data.case is Case.ACHAT_INNOVANT:
            findings.flag_ambiguity(DEFENCE_CEILING)
        if amount >= cap and data.case is Case.ACHAT_INNOVANT and data.lot is not None:
            blocked = _innovative_lot(data, data.lot, rules, cap, limits, findings)
        elif amount >= cap:
            blocked = True
            findings.warn(
                f"Valeur estimée de {format_euros(amount)} HT : ce cas exige une valeur "
                f"inférieure à {format_euros(cap)} HT"
                + (
                    " ; si le besoin est alloti, un lot peut encore en bénéficier (R2122-9-1, "
                    "2e alinéa) : indiquez-le (« lot »)."
                    if data.case is Case.ACHAT_INNOVANT
                    else "."
                )
            )
        elif data.lot is not None:
            findings.explain(
                f"Besoin entier de {format_euros(amount)} HT, sous le plafond de "
                f"{format_euros(cap)} HT : chaque lot peut être acheté sans mise en concurrence, "
                "la règle des lots de R2122-9-1 (2e alinéa) n'a pas à être appliquée."
            )
    elif data.case in (Case.LIVRAISONS_COMPLEMENTAIRES, Case.PRESTATIONS_SIMILAIRES) and (
        data.buyer is Buyer.ENTITE_ADJUDICATRICE
    ):
        findings.explain(
            "Entité adjudicatrice : la limite de trois ans de ce cas ne vise que les marchés des "
            "pouvoirs adjudicateurs (R2122-4 1°, R2122-7, 2e alinéa)."
        )
    elif data.case is Case.LIVRAISONS_COMPLEMENTAIRES:
        months = int(rules.value(SUPPLEMENTARY))
        limits["duree_maximale_mois"] = str(months)
        findings.cite(rules.reference(SUPPLEMENTARY))
        if data.duration_months is None:
            findings.warn(f"Indiquez la durée : {months} mois au plus, reconductions comprises.")
            blocked = True
        elif data.duration_months > months and data.duration_justification:
            findings.explain(
                f"Durée de {data.duration_months} mois, au-delà des {months} mois de R2122-4 1° : "
                f"cas dûment justifié invoqué (« {data.duration_justification} ») — la "
                "justification est gardée au dossier et reprise dans le rapport de présentation."
            )
            findings.flag_ambiguity(
                "R2122-4 1° ne définit pas les « cas dûment justifiés » qui permettent de "
                "dépasser trois ans (la directive 2014/24/UE, art. 32 §3 b, dit « en règle "
                "générale ») : OpenAMO accepte la justification donnée sans en juger le bien-fondé, "
                "que le juge contrôle."
            )
        elif data.duration_months > months:
            blocked = True
            findings.warn(
                f"Durée de {data.duration_months} mois : un marché de livraisons "
                f"complémentaires ne peut dépasser {months} mois, sauf cas dûment justifié "
                "(R2122-4 1°) — donnez la justification (« duration_justification ») ou "
                "raccourcissez le marché."
            )
    elif data.case is Case.PRESTATIONS_SIMILAIRES:
        months = int(rules.value(SIMILAR))
        limits["delai_mois"] = str(months)
        findings.cite(rules.reference(SIMILAR))
        if data.initial_contract_on is None:
            blocked = True
            findings.warn(
                "Indiquez la date de notification du marché initial : le nouveau marché doit "
                f"être passé dans les {months} mois qui la suivent (R2122-7)."
            )
        else:
            last = add_months(data.initial_contract_on, months)
            limits["au_plus_tard_le"] = last.isoformat()
            if data.date > last:
                blocked = True
                findings.warn(
                    f"Marché initial notifié le {data.initial_contract_on:%d/%m/%Y} : le délai "
                    f"de {months} mois a expiré le {last:%d/%m/%Y}."
                )
    return blocked


def _innovative_lot(
    data: WithoutCompetitionInput,
    lot: InnovativeLot,
    rules: law_data.LawSnapshot,
    cap: Decimal,
    limits: dict[str, str],
    findings: Findings,
) -> bool:
    """R2122-9-1, 2nd paragraph: a lot under 80 000 € HT (supplies, services) or 100 000 € HT
    (works), the lots so passed not exceeding 20 % of all lots (R2123-1 2° b); True if blocked."""
    path = INNOVATIVE_LOT.get(data.nature, INNOVATIVE_LOT_DEFAULT)
    try:
        lot_cap = Decimal(str(rules.value(path)))
    except law_data.LawDataError:
        findings.warn(
            f"Lot d'un achat innovant le {data.date:%d/%m/%Y} : la règle des lots n'est encodée "
            "qu'à partir de la pérennisation de R2122-9-1 (15/12/2021) ; la rédaction de "
            "l'expérimentation de 2018 n'a pas été relue."
        )
        return True
    share = Decimal(str(rules.value(LOTS_SHARE)))
    limits["plafond_lot_ht"] = f"{lot_cap:.2f}"
    limits["part_cumulee_maximale"] = f"{share * 100:.0f}"
    findings.cite(rules.reference(path), rules.reference(LOTS_SHARE))
    blocked = False
    if lot.amount_ht >= lot_cap:
        blocked = True
        findings.warn(
            f"Lot de {format_euros(lot.amount_ht)} HT : un lot innovant de "
            f"{data.nature.label.lower()} doit valoir moins de {format_euros(lot_cap)} HT "
            "(R2122-9-1, 2e alinéa)."
        )
    ceiling = data.estimated_amount_ht * share
    if lot.exempted_lots_total_ht > ceiling:
        blocked = True
        findings.warn(
            f"Lots passés sans mise en concurrence : {format_euros(lot.exempted_lots_total_ht)} "
            f"HT cumulés, au-delà de {share * 100:.0f} % de la valeur de tous les lots "
            f"({format_euros(ceiling)} HT sur {format_euros(data.estimated_amount_ht)} HT) "
            "(R2122-9-1, 2e alinéa, et R2123-1 2° b)."
        )
    if not blocked:
        findings.explain(
            f"Besoin de {format_euros(data.estimated_amount_ht)} HT, au-delà de "
            f"{format_euros(cap)} HT : le lot de {format_euros(lot.amount_ht)} HT (moins de "
            f"{format_euros(lot_cap)} HT) peut être acheté sans mise en concurrence, les lots "
            f"ainsi passés ({format_euros(lot.exempted_lots_total_ht)} HT) restant dans "
            f"{share * 100:.0f} % de la valeur de tous les lots (R2122-9-1, 2e alinéa). Les "
            "autres lots suivent la procédure de la valeur totale."
        )
    return blocked


def _documentation(
    data: WithoutCompetitionInput, rules: law_data.LawSnapshot, rule: Rule
) -> list[str]:
    items = [
        f"Garder au dossier la preuve de chaque condition de {rule.article} (notes, échanges, "
        "études de marché) : le juge contrôle leur réalité.",
    ]
    if data.case is not Case.LAUREAT_CONCOURS:
        items.append("Ne solliciter qu'un opérateur (sinon il s'agit d'une procédure adaptée).")
    if data.case is Case.ACHAT_INNOVANT:
        items.append(
            "Choisir une offre pertinente, faire une bonne utilisation des deniers publics et ne "
            "pas contracter systématiquement avec le même opérateur (R2122-9-1)."
        )
    if data.case is Case.PROCEDURE_INFRUCTUEUSE:
        items.append("Communiquer un rapport à la Commission européenne si elle le demande.")
    if data.case is Case.LIVRAISONS_COMPLEMENTAIRES and data.duration_justification:
        items.append(
            "Garder la justification de la durée au-delà de trois ans (R2122-4 1°) : "
            f"« {data.duration_justification} »."
        )
    eu = Decimal(str(rules.value(eu_path(data.buyer, data.nature))))
    if data.estimated_amount_ht >= eu:
        items.append(
            f"Valeur d'au moins {format_euros(eu)} HT : justifier le recours à ce cas dans le "
            "rapport de présentation (R2184-1 et R2184-2) et publier un avis d'attribution "
            "(R2183-1)."
        )
    decp = Decimal(str(rules.value("opendata.decp_seuil")))
    if data.estimated_amount_ht >= decp:
        items.append(
            f"Publier les données essentielles (marché d'au moins {format_euros(decp)} HT)."
        )
    return items


def without_competition_from_dict(data: Any) -> WithoutCompetitionResult:
    return without_competition(parse_input(WithoutCompetitionInput, data))


def render_text(result: Any) -> str:
    assert isinstance(result, WithoutCompetitionResult)
    lines = [
        f"Sans publicité ni mise en concurrence ({result.article}) : "
        + ("possible" if result.allowed else "non établi"),
        "Conditions :",
    ]
    marks = {True: "oui", False: "non", None: "à établir"}
    lines += [f"  [{marks[check.met]}] {check.text}" for check in result.conditions]
    if result.limits:
        lines.append("Limites : " + ", ".join(_limit_text(k, v) for k, v in result.limits.items()))
    lines.append("À garder au dossier :")
    lines += [f"  - {item}" for item in result.documentation]
    if result.warnings:
        lines += ["Avertissements :", *(f"  ! {w}" for w in result.warnings)]
    if result.ambiguities:
        lines += ["Points d'interprétation :", *(f"  ? {a}" for a in result.ambiguities)]
    lines += ["Explication :", f"  {result.explanation}"]
    lines.append("Références : " + " ; ".join(result.references))
    return "\n".join(lines)


def _limit_text(key: str, value: str) -> str:
    if key == "plafond_ht":
        return f"valeur inférieure à {format_euros(Decimal(value))} HT"
    if key == "plafond_lot_ht":
        return f"lot inférieur à {format_euros(Decimal(value))} HT"
    if key == "part_cumulee_maximale":
        return f"lots ainsi passés dans {value} % de la valeur de tous les lots"
    if key == "au_plus_tard_le":
        return f"au plus tard le {dt.date.fromisoformat(value):%d/%m/%Y}"
    return f"{value} mois au plus"
