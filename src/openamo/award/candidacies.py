"""Admissibility checklist of candidacies (before the offers are examined).

A candidacy contains the candidate's forms (DC1 and DC2, or the DUME), the sworn statement that
no exclusion ground applies (L2141-1 to L2141-5 and L2141-7 to L2141-11), and the capacities
the consultation asks for.
Missing documents may be completed when the buyer asks every candidate concerned to do so within
the same appropriate time (R2144-2); otherwise, and when an exclusion ground applies or the
capacities are insufficient, the candidacy is irrecevable (R2144-7) and the offer is not
examined.
"""

from __future__ import annotations

from collections.abc import Sequence

from openamo.award.enums import CandidacyVerdict
from openamo.award.models import CandidacyInput, CandidacyResult

_DOCUMENTS = (
    ("application_form", "lettre de candidature (DC1) ou DUME", "CCP R2143-3"),
    ("declaration_form", "déclaration du candidat (DC2) ou DUME", "CCP R2143-3"),
    (
        "sworn_statement",
        "déclaration sur l'honneur de non-exclusion (L2141-1 à L2141-5 et L2141-7 à L2141-11)",
        "CCP R2143-3",
    ),
    ("powers_of_signatory", "pouvoir de la personne habilitée à engager le candidat", None),
    ("economic_capacity", "capacité économique et financière demandée", "CCP R2142-6"),
    ("technical_capacity", "capacités techniques et professionnelles demandées", "CCP R2142-13"),
)


def check_candidacy(candidacy: CandidacyInput) -> CandidacyResult:
    missing: list[str] = []
    references: list[str] = []
    for field, label, reference in _DOCUMENTS:
        value = getattr(candidacy, field)
        if value is False:
            missing.append(label)
            if reference and reference not in references:
                references.append(reference)
    reasons: list[str] = []
    verdict = CandidacyVerdict.RECEVABLE
    if candidacy.exclusion_ground:
        verdict = CandidacyVerdict.IRRECEVABLE
        reasons.append("un motif d'exclusion de la procédure est établi")
        references += ["CCP L2141-1", "CCP R2144-7"]
    elif not candidacy.capacities_sufficient:
        verdict = CandidacyVerdict.IRRECEVABLE
        reasons.append("capacités insuffisantes au regard des niveaux minimaux exigés")
        references += ["CCP L2142-1", "CCP R2144-7"]
    elif missing and candidacy.regularised:
        reasons.append("pièces manquantes complétées à la demande de l'acheteur")
        references.append("CCP R2144-2")
    elif missing and candidacy.regularisation_requested:
        verdict = CandidacyVerdict.A_REGULARISER
        reasons.append(
            "régularisation demandée : pièces à compléter dans le délai approprié, identique "
            "pour tous les candidats concernés"
        )
        references.append("CCP R2144-2")
    elif missing:
        verdict = CandidacyVerdict.A_REGULARISER
        reasons.append(
            "pièces manquantes : l'acheteur peut demander à tous les candidats concernés de "
            "compléter leur dossier dans un délai approprié et identique ; à défaut la "
            "candidature sera irrecevable"
        )
        references += ["CCP R2144-2", "CCP R2144-7"]
    return CandidacyResult(
        bidder=candidacy.bidder,
        verdict=verdict,
        missing=missing,
        reasons=reasons,
        references=references,
    )


def check_candidacies(candidacies: Sequence[CandidacyInput]) -> list[CandidacyResult]:
    return [check_candidacy(candidacy) for candidacy in candidacies]
