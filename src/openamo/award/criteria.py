"""Legal checks on a set of award criteria, each with its citation.

Rules evaluated at the consultation's launch date: price or cost among the criteria (L2152-7),
single price criterion only where allowed (R2152-7), environmental criterion from 21 August 2026
(L2152-7 as amended by the loi Climat et résilience), weighting in formalised procedures
(R2152-12), publication of influential sub-criteria (CE 18 juin 2010, n° 337377), and warnings on
criteria a judge rejects (geographic preference, candidacy criteria, criteria unrelated to the
object of the contract).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from openamo.award import _law
from openamo.award._findings import Findings
from openamo.award.enums import CheckLevel, CriterionKind
from openamo.award.models import CriterionInput
from openamo.law import LawSnapshot
from openamo.procurement.enums import Nature, ProcedureKind

_GEOGRAPHIC = re.compile(
    r"\b(local|locale|locaux|locales|localement|proximite|implantation|implante|implantee|"
    r"region|regional|regionale|regionaux|departement|departemental|departementale|"
    r"territoire|territorial|territoriale|made in france|origine france|"
    r"distance|kilometres?|km)\b"
)
_SHORT_CIRCUIT = re.compile(r"\bcircuits? courts?\b")
_CANDIDACY = re.compile(
    r"\b(chiffre d.affaires|references?|effectifs?|anciennete|capacites? financieres?|"
    r"capacites? techniques?|experience de l.entreprise|nombre de salaries|solidite financiere)\b"
)
_CORPORATE = re.compile(
    r"\b(politique (generale|rse|sociale|environnementale) de l.entreprise|rse)\b"
)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def check_criteria(
    law: LawSnapshot,
    criteria: Sequence[CriterionInput],
    findings: Findings,
    procedure: ProcedureKind | None = None,
    nature: Nature | None = None,
    standardised: bool | None = None,
) -> None:
    """Append to ``findings.checks`` every rule the criteria break or should be reviewed for."""
    _check_price_present(criteria, findings)
    if len(criteria) == 1:
        _check_single_criterion(law, criteria[0], findings, nature, standardised)
    _check_environment(law, criteria, findings)
    _check_weighting(law, criteria, findings, procedure)
    for criterion in criteria:
        _check_wording(criterion, findings)


def _check_price_present(criteria: Sequence[CriterionInput], findings: Findings) -> None:
    if not any(criterion.kind.is_price for criterion in criteria):
        findings.check(
            CheckLevel.ERREUR,
            "prix_ou_cout_absent",
            "Aucun critère prix ou coût : l'offre économiquement la plus avantageuse est "
            "déterminée sur la base du prix ou du coût, seul ou parmi plusieurs critères.",
            "CCP L2152-7",
        )


def _check_single_criterion(
    law: LawSnapshot,
    criterion: CriterionInput,
    findings: Findings,
    nature: Nature | None,
    standardised: bool | None,
) -> None:
    path = "award.criteres.critere_unique_prix_autorise"
    reference = law.reference(path)
    environmental = _law.flag(law, "award.criteres.critere_environnemental_obligatoire")
    if criterion.kind is CriterionKind.COUT:
        if environmental and not criterion.environmental:
            findings.check(
                CheckLevel.ERREUR,
                "cout_unique_sans_environnement",
                "Critère unique du coût : pour une consultation lancée à partir du 21 août 2026, "
                "il doit prendre en compte les caractéristiques environnementales de l'offre "
                "(indiquez-le avec « environmental »: true et décrivez-le dans le RC).",
                reference,
            )
        return
    if criterion.kind is not CriterionKind.PRIX:
        return
    if not _law.flag(law, path):
        findings.check(
            CheckLevel.ERREUR,
            "prix_seul_interdit",
            f"Critère unique du prix interdit pour une consultation lancée le "
            f"{law.day:%d/%m/%Y} : le critère unique ne peut plus être que le coût, déterminé "
            "selon une approche globale qui prend en compte les caractéristiques "
            "environnementales de l'offre (fin du « prix seul » au 21 août 2026).",
            reference,
            "CCP L2152-7",
        )
        return
    if nature is Nature.TRAVAUX or standardised is False:
        findings.check(
            CheckLevel.ERREUR,
            "prix_seul_non_standardise",
            "Critère unique du prix admis seulement pour l'achat de services ou de fournitures "
            "standardisés dont la qualité ne varie pas d'un opérateur à l'autre : ce n'est pas le "
            "cas ici (travaux ou prestations non standardisées).",
            reference,
        )
    elif standardised is None:
        findings.check(
            CheckLevel.AVERTISSEMENT,
            "prix_seul_a_verifier",
            "Critère unique du prix : vérifiez que le marché a pour seul objet des services ou "
            "fournitures standardisés dont la qualité ne varie pas d'un opérateur à l'autre "
            "(indiquez « standardised_purchase »).",
            reference,
        )
    else:
        findings.check(
            CheckLevel.INFORMATION,
            "prix_seul_admis",
            "Critère unique du prix admis pour des fournitures ou services standardisés.",
            reference,
        )


def _check_environment(
    law: LawSnapshot, criteria: Sequence[CriterionInput], findings: Findings
) -> None:
    path = "award.criteres.critere_environnemental_obligatoire"
    reference = law.reference(path)
    present = any(criterion.takes_environment_into_account for criterion in criteria)
    mandatory = _law.flag(law, path)
    if _law.flag(law, "award.criteres.revue_manuelle_entree_en_vigueur_climat"):
        findings.flag_ambiguity(
            "Consultation lancée les 21 ou 22 août 2026 : la loi Climat et résilience vise le "
            "22 août, le décret n° 2022-767 le 21 août ; l'outil applique le 21 août, à faire "
            "confirmer.",
            reference,
        )
    if present:
        sub_only = not any(
            c.kind is CriterionKind.ENVIRONNEMENT or c.environmental for c in criteria
        )
        findings.check(
            CheckLevel.INFORMATION,
            "critere_environnemental_present",
            "Les caractéristiques environnementales de l'offre sont prises en compte"
            + (
                " au travers d'un sous-critère ; un critère distinct est plus sûr en cas de "
                "contestation."
                if sub_only
                else "."
            ),
            reference,
        )
    elif mandatory:
        findings.check(
            CheckLevel.ERREUR,
            "critere_environnemental_absent",
            f"Consultation lancée le {law.day:%d/%m/%Y} : au moins un critère d'attribution doit "
            "prendre en compte les caractéristiques environnementales de l'offre (obligation "
            "applicable aux consultations lancées à partir du 21 août 2026).",
            reference,
        )
    else:
        findings.check(
            CheckLevel.INFORMATION,
            "critere_environnemental_recommande",
            "Aucun critère environnemental : c'est permis pour une consultation lancée avant le "
            "21 août 2026, obligatoire ensuite.",
            reference,
        )


def _check_weighting(
    law: LawSnapshot,
    criteria: Sequence[CriterionInput],
    findings: Findings,
    procedure: ProcedureKind | None,
) -> None:
    path = "award.criteres.ponderation_obligatoire_formalisee"
    if procedure is ProcedureKind.FORMALISEE and _law.flag(law, path):
        findings.check(
            CheckLevel.INFORMATION,
            "ponderation_formalisee",
            "Procédure formalisée : les critères doivent être pondérés dans les documents de la "
            "consultation (règlement de la consultation) ; les poids fournis totalisent 100.",
            law.reference(path),
        )
    for criterion in criteria:
        hidden = [sub.name for sub in criterion.sub_criteria if not sub.disclosed]
        if hidden:
            findings.check(
                CheckLevel.AVERTISSEMENT,
                "sous_criteres_non_publies",
                f"Critère « {criterion.name} » : la pondération des sous-critères "
                f"{', '.join(hidden)} n'est pas portée à la connaissance des candidats. Elle doit "
                "l'être dès qu'elle peut influencer la présentation des offres ou leur sélection.",
                "CCP R2152-12 (CE 18 juin 2010, Commune de Saint-Pal-de-Mons, n° 337377)",
            )


def _check_wording(criterion: CriterionInput, findings: Findings) -> None:
    names = [criterion.name, criterion.description or ""]
    names += [f"{sub.name} {sub.description or ''}" for sub in criterion.sub_criteria]
    text = _plain(" ".join(names))
    label = f"Critère « {criterion.name} »"
    if not criterion.linked_to_object:
        findings.check(
            CheckLevel.ERREUR,
            "critere_sans_lien",
            f"{label} : déclaré sans lien avec l'objet du marché ou ses conditions d'exécution ; "
            "un tel critère est illégal.",
            "CCP L2152-7",
            "CCP L2112-3",
        )
    if _SHORT_CIRCUIT.search(text):
        findings.check(
            CheckLevel.AVERTISSEMENT,
            "circuit_court",
            f"{label} : « circuit court » désigne un nombre réduit d'intermédiaires, pas une "
            "proximité géographique. Formulez-le comme la performance en matière de "
            "développement des approvisionnements directs de produits de l'agriculture, "
            "admise par R2152-7, sans référence à l'implantation des entreprises.",
            "CCP R2152-7",
        )
    elif _GEOGRAPHIC.search(text):
        findings.check(
            CheckLevel.AVERTISSEMENT,
            "critere_geographique",
            f"{label} : formulation géographique (« local », implantation, proximité, "
            "origine…). La préférence locale est illégale ; seul un élément objectivement "
            "justifié par l'objet ou les conditions d'exécution (délai d'intervention, coût "
            "environnemental du transport) et non discriminatoire peut être admis.",
            "CCP L3 — égalité de traitement (CE 29 juillet 1994, n° 131562 ; CE 14 janvier 1998, "
            "Société Martin-Fourquin, n° 168688)",
            "CCP L2152-7 — lien avec l'objet (CE 12 septembre 2018, Département de la "
            "Haute-Garonne, n° 420585)",
        )
    if _CANDIDACY.search(text):
        findings.check(
            CheckLevel.AVERTISSEMENT,
            "critere_de_candidature",
            f"{label} : chiffre d'affaires, références ou effectifs de l'entreprise servent à "
            "apprécier les candidatures, pas les offres. Seules l'organisation, la qualification "
            "et l'expérience du personnel affecté à l'exécution peuvent être notées, lorsqu'elles "
            "influencent significativement la qualité d'exécution.",
            "CCP R2152-7 2° b (CJCE 24 janvier 2008, Lianakis, C-532/06)",
        )
    if _CORPORATE.search(text):
        findings.check(
            CheckLevel.AVERTISSEMENT,
            "politique_generale_entreprise",
            f"{label} : la politique générale de l'entreprise (RSE, politique d'achat) n'est pas "
            "liée à l'objet du marché ; notez les engagements pris pour l'exécution de ce "
            "marché.",
            "CCP L2112-3 (CJUE 10 mai 2012, Commission c/ Pays-Bas, C-368/10)",
        )
