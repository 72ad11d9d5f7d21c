"""Accords-cadres at the procedure stage: the maximum R2162-4 requires since 2022, the estimated
value it sets (R2121-8), and the maximum duration of L2125-1 (four years for pouvoirs
adjudicateurs, eight for entités adjudicatrices, save duly justified exceptional cases)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import Field, model_validator

from openamo import law as law_data
from openamo.findings import Findings
from openamo.money import format_euros
from openamo.procurement.enums import Buyer, FrameworkExecution, FrameworkHolders
from openamo.validation import Amount, InputModel, OutputModel

MAXIMUM_REQUIRED = "procurement.accords_cadres.maximum_obligatoire"
MAXIMUM_CASE_LAW = "procurement.accords_cadres.maximum_jurisprudence_europeenne"
DURATION = {
    Buyer.ENTITE_ADJUDICATRICE: "procurement.accords_cadres.duree_maximale_entites_adjudicatrices",
}
DURATION_DEFAULT = "procurement.accords_cadres.duree_maximale_pouvoirs_adjudicateurs"
COMPETITION_EXCEPTION = "procurement.accords_cadres.exception_concurrence_entites_adjudicatrices"


class FrameworkAgreementInput(InputModel):
    execution: FrameworkExecution = FrameworkExecution.BONS_DE_COMMANDE
    holders: FrameworkHolders = FrameworkHolders.MONO_ATTRIBUTAIRE
    holders_count: int | None = Field(default=None, ge=1, le=1000)
    minimum_ht: Amount | None = None
    maximum_ht: Amount | None = None
    maximum_quantity: str | None = Field(default=None, min_length=1, max_length=300)
    duration_justification: str | None = Field(default=None, min_length=1, max_length=2000)

    @model_validator(mode="after")
    def _coherent(self) -> FrameworkAgreementInput:
        low, high = self.minimum_ht, self.maximum_ht
        if low is not None and high is not None and low > high:
            raise ValueError("le minimum dépasse le maximum de l'accord-cadre")
        if self.holders is FrameworkHolders.MONO_ATTRIBUTAIRE and (self.holders_count or 1) > 1:
            raise ValueError("un accord-cadre mono-attributaire n'a qu'un titulaire")
        if self.holders is FrameworkHolders.MULTI_ATTRIBUTAIRE and self.holders_count == 1:
            raise ValueError("un accord-cadre multi-attributaire a au moins deux titulaires")
        return self


class FrameworkVerdict(OutputModel):
    value_basis: str
    maximum_required: bool
    maximum_missing: bool
    deemed_above_thresholds: bool
    total_duration_months: int | None
    duration_limit_months: int
    duration_exceeds_limit: bool
    explanation: str


def framework_value(framework: FrameworkAgreementInput, estimate: Decimal) -> Decimal:
    """R2121-8: the value of an accord-cadre is its maximum (never below the need estimated)."""
    if framework.maximum_ht is None:
        return estimate
    return max(framework.maximum_ht, estimate)


def maximum_is_required(day: date) -> bool:
    return bool(law_data.at(day).value(MAXIMUM_REQUIRED))


def deemed_above_thresholds(day: date, framework: FrameworkAgreementInput) -> bool:
    """Before 2022, an accord-cadre without a maximum was deemed above the formal thresholds."""
    no_maximum = framework.maximum_ht is None and framework.maximum_quantity is None
    return no_maximum and not maximum_is_required(day)


def _execution_lines(
    framework: FrameworkAgreementInput, buyer: Buyer, findings: Findings
) -> list[str]:
    """How its marchés subséquents are awarded and its bons de commande issued (R2162-2,
    R2162-9, R2162-10, R2162-13 and R2162-14), by its execution, its holders and its buyer."""
    multi = framework.holders is FrameworkHolders.MULTI_ATTRIBUTAIRE
    subsequent = framework.execution is not FrameworkExecution.BONS_DE_COMMANDE
    orders = framework.execution is not FrameworkExecution.MARCHES_SUBSEQUENTS
    lines = []
    if subsequent and multi and buyer is Buyer.ENTITE_ADJUDICATRICE:
        lines.append(
            "Plusieurs titulaires, entité adjudicatrice : les marchés subséquents sont attribués "
            "selon des règles et des critères objectifs fixés dans les documents de "
            "l'accord-cadre, qui peuvent prévoir une remise en concurrence des titulaires "
            "(directive 2014/25/UE, art. 51) ; la procédure de R2162-10 vise le pouvoir "
            "adjudicateur."
        )
        findings.flag_ambiguity(
            "Marchés subséquents d'un accord-cadre multi-attributaire d'une entité "
            "adjudicatrice : R2162-10 (lu) organise la remise en concurrence par le pouvoir "
            "adjudicateur ; les articles propres aux entités adjudicatrices (R2162-11 et "
            "R2162-12) n'ont pas été relus. Lecture retenue : la directive 2014/25/UE (art. 51 "
            "et considérant 71) — attribution selon des règles et critères objectifs annoncés "
            "dans l'accord-cadre, remise en concurrence possible.",
            "CCP R2162-10",
        )
    elif subsequent and multi:
        lines.append(
            "Plusieurs titulaires : chaque marché subséquent est remis en concurrence entre les "
            "titulaires de l'accord-cadre (ou du lot concerné) — consultation écrite, délai "
            "suffisant, offres écrites ouvertes après la date limite, attribution à l'offre "
            "économiquement la plus avantageuse sur les critères fixés par l'accord-cadre ; "
            "seule exception : l'accord-cadre peut prévoir qu'un marché subséquent que, pour des "
            "raisons techniques, un seul titulaire peut exécuter lui est attribué sans remise en "
            "concurrence (R2162-10)."
        )
        findings.cite("CCP R2162-10")
    elif subsequent:
        lines.append(
            "Un seul titulaire : les marchés subséquents lui sont attribués dans les conditions "
            "fixées par l'accord-cadre ; l'acheteur peut lui demander par écrit de compléter son "
            "offre (R2162-9)."
        )
        findings.cite("CCP R2162-9")
    if orders:
        lines.append(
            "Les bons de commande, documents écrits adressés aux titulaires, précisent les "
            "prestations demandées et leur quantité ; ils sont émis sans négociation ni remise en "
            "concurrence préalable des titulaires, selon les modalités fixées par l'accord-cadre "
            "(R2162-13 et R2162-14)."
        )
        findings.cite("CCP R2162-13", "CCP R2162-14")
    if framework.execution is FrameworkExecution.MIXTE:
        lines.append(
            "Exécution mixte : l'accord-cadre identifie les prestations qui relèvent des bons de "
            "commande et celles qui relèvent des marchés subséquents (R2162-3)."
        )
        findings.cite("CCP R2162-3")
    return lines


def _case_law_window(
    day: date, estimate: Decimal, eu_threshold: Decimal | None, findings: Findings
) -> None:
    """Before 01/01/2022, an accord-cadre without a maximum was allowed by the code but not by
    the directive as the CJUE read it (Simonsen & Weel, 17/06/2021, with no limit in time), and
    the Conseil d'État (28/01/2022, n° 456418) applied that reading to notices sent before 2022,
    even before the ruling: said as an irregularity when the need reaches the EU threshold (the
    directive's scope)."""
    rules = law_data.at(day)
    if not rules.value(MAXIMUM_CASE_LAW):
        return
    if eu_threshold is None or estimate < eu_threshold:
        return
    findings.warn(
        f"Accord-cadre sans maximum lancé le {day:%d/%m/%Y}, besoin de {format_euros(estimate)} "
        f"HT au moins égal au seuil européen de {format_euros(eu_threshold)} HT : le code le "
        "permettait encore (R2162-4 avant le décret n° 2021-1111), mais la directive 2014/24/UE "
        "exige une quantité ou une valeur maximale dans l'avis ou le cahier des charges (CJUE, "
        "17 juin 2021, Simonsen & Weel, C-23/20, sans limitation dans le temps), et le Conseil "
        "d'État (28 janvier 2022, n° 456418) l'applique aux avis publiés avant le 1er janvier "
        "2022, même avant l'arrêt de la CJUE : l'absence de maximum est un manquement aux "
        "obligations de publicité et de mise en concurrence, sanctionné par le juge si un "
        "candidat a pu en être lésé. Fixez un maximum dans l'avis ou le cahier des charges.",
        rules.reference(MAXIMUM_CASE_LAW),
    )


def _exceptions(day: date, buyer: Buyer, findings: Findings) -> str:
    """The exceptional cases L2125-1 1° names for this buyer on this day: the object and
    investments amortised over a longer period for all, and, for an entité adjudicatrice since
    the loi n° 2023-973, a significant risk of restricted competition or of a failed procedure."""
    reasons = "son objet, des investissements amortissables sur une durée supérieure"
    if buyer is not Buyer.ENTITE_ADJUDICATRICE:
        return reasons
    rules = law_data.at(day)
    if not rules.value(COMPETITION_EXCEPTION):
        return reasons
    findings.cite(rules.reference(COMPETITION_EXCEPTION))
    return (
        f"{reasons} ou un risque important de restriction de concurrence ou de procédure "
        "infructueuse dans la passation de l'accord-cadre"
    )


def check_framework(
    day: date,
    buyer: Buyer,
    framework: FrameworkAgreementInput,
    estimate: Decimal,
    total_months: int | None,
    findings: Findings,
    eu_threshold: Decimal | None = None,
) -> FrameworkVerdict:
    rules = law_data.at(day)
    required = maximum_is_required(day)
    max_reference = rules.reference(MAXIMUM_REQUIRED)
    lines = [
        f"Accord-cadre {framework.holders.value.replace('_', '-')} {framework.execution.label}."
    ]
    findings.cite("CCP R2162-1", "CCP R2162-2")
    missing = framework.maximum_ht is None and framework.maximum_quantity is None
    deemed = deemed_above_thresholds(day, framework)
    if framework.maximum_ht is not None:
        basis = "maximum"
        lines.append(
            f"Valeur estimée : son maximum de {format_euros(framework.maximum_ht)} HT, sur toute "
            "sa durée (R2121-8) ; une fois ce maximum atteint, l'accord-cadre a épuisé ses effets."
        )
        if estimate > framework.maximum_ht:
            findings.warn(
                f"Besoin estimé à {format_euros(estimate)} HT, au-delà du maximum de "
                f"{format_euros(framework.maximum_ht)} HT : le maximum serait atteint avant la fin "
                "de l'accord-cadre ; relevez-le ou réduisez le besoin — la valeur la plus élevée "
                "est retenue pour les seuils.",
                "CCP R2121-8",
            )
    elif framework.maximum_quantity is not None:
        basis = "maximum_en_quantite"
        lines.append(
            f"Maximum en quantité ({framework.maximum_quantity}) : la valeur estimée est celle de "
            f"ces quantités maximales, ici {format_euros(estimate)} HT (R2121-8)."
        )
    elif deemed:
        basis = "reputee_superieure_aux_seuils"
        lines.append(
            f"Accord-cadre sans maximum, consultation du {day:%d/%m/%Y} : permis alors par le "
            "code, mais sa valeur estimée est réputée excéder les seuils de procédure formalisée (R2121-8, "
            "2e alinéa, version antérieure au 01/01/2022)."
        )
        if buyer is not Buyer.ENTITE_ADJUDICATRICE:  # the ruling reads directive 2014/24/UE
            _case_law_window(day, estimate, eu_threshold, findings)
    else:
        basis = "estimation"
        findings.warn(
            f"Accord-cadre sans maximum, consultation du {day:%d/%m/%Y} : irrégulier — pour les "
            "consultations engagées depuis le 01/01/2022, R2162-4 ne permet plus que le minimum "
            "et le maximum, ou le maximum seul, en valeur ou en quantité ; fixez le maximum dans "
            "l'avis et les documents de la consultation avant de lancer (une fois atteint, "
            "l'accord-cadre a épuisé ses effets).",
            max_reference,
        )
    findings.cite(max_reference, "CCP R2121-8")
    if framework.minimum_ht is not None:
        lines.append(
            f"Minimum de {format_euros(framework.minimum_ht)} HT : l'acheteur s'engage à le "
            "commander, faute de quoi le titulaire peut être indemnisé."
        )
    lines += _execution_lines(framework, buyer, findings)
    path = DURATION.get(buyer, DURATION_DEFAULT)
    limit = int(rules.value(path))
    exceeds = total_months is not None and total_months > limit
    if total_months is None:
        lines.append(
            f"Durée non indiquée : au plus {limit // 12} ans, reconductions comprises (L2125-1)."
        )
    elif exceeds and framework.duration_justification:
        lines.append(
            f"Durée totale de {total_months} mois, au-delà de {limit // 12} ans : cas exceptionnel "
            f"invoqué (« {framework.duration_justification} ») — il doit tenir à "
            f"{_exceptions(day, buyer, findings)} ; gardez la justification au dossier et dans "
            "le rapport de présentation (L2125-1, 1°)."
        )
    elif exceeds:
        findings.warn(
            f"Durée totale de {total_months} mois, reconductions comprises, au-delà des "
            f"{limit // 12} ans de L2125-1 : seul un cas exceptionnel dûment justifié "
            f"({_exceptions(day, buyer, findings)}) le permet ; justifiez-le (justification de "
            "la durée) ou raccourcissez l'accord-cadre.",
            rules.reference(path),
        )
    else:
        lines.append(f"Durée totale de {total_months} mois, dans la limite de {limit // 12} ans.")
    findings.cite(rules.reference(path))
    for line in lines:
        findings.explain(line)
    return FrameworkVerdict(
        value_basis=basis, maximum_required=required, maximum_missing=missing and required,
        deemed_above_thresholds=deemed, total_duration_months=total_months,
        duration_limit_months=limit, duration_exceeds_limit=exceeds,
        explanation=" ".join(lines),
    )  # fmt: skip
