"""Subcontracting: direct payment from 600 € TTC (L2193-10, R2193-10) and, in the defence
services' contracts with installation or services, only from a share of the whole contract
(10 % for an SME, 50 % for a firm linked to the holder, 20 % otherwise: R2193-10 2e alinéa,
R2393-33), tacit acceptance of the subcontractor after 21 days of the buyer's silence (R2193-4),
and the holder's 15 days to accept or refuse a direct-payment request (R2193-12, R2193-13)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from openamo import law
from openamo.findings import Findings
from openamo.money import format_euros, format_share, to_cents
from openamo.pricing.enums import DefenceSubcontractor
from openamo.pricing.execution_models import SubcontractingInput, SubcontractingResult
from openamo.validation import parse_input

THRESHOLD = "payment.subcontracting.seuil_paiement_direct"
TACIT = "payment.subcontracting.acceptation_tacite"
HOLDER = "payment.subcontracting.delai_titulaire"
DEFENCE_SHARE = {
    DefenceSubcontractor.PME: "payment.subcontracting.defense_part_pme",
    DefenceSubcontractor.LIE_AU_TITULAIRE: "payment.subcontracting.defense_part_lie_au_titulaire",
    DefenceSubcontractor.AUTRE: "payment.subcontracting.defense_part_autre",
}


def subcontracting(data: SubcontractingInput) -> SubcontractingResult:
    rules = law.at(data.date)
    findings = Findings()
    threshold = Decimal(str(rules.value(THRESHOLD)))
    if data.defence_services:
        threshold = max(threshold, _defence_threshold(rules, data, findings))
    reaches = data.subcontract_amount_ttc >= threshold
    direct = reaches and data.accepted
    if reaches:
        findings.explain(
            f"Sous-traité de {format_euros(data.subcontract_amount_ttc)} TTC, au moins égal à "
            f"{format_euros(threshold)} TTC : le sous-traitant accepté, dont les conditions de "
            "paiement sont agréées, est payé directement par l'acheteur pour sa part (L2193-10, "
            "R2193-10).",
            rules.reference(THRESHOLD),
        )
    else:
        findings.explain(
            f"Sous-traité de {format_euros(data.subcontract_amount_ttc)} TTC, inférieur à "
            f"{format_euros(threshold)} TTC : pas de paiement direct ; le sous-traitant est payé "
            "par le titulaire et dispose, s'il ne l'est pas un mois après une mise en demeure, de "
            "l'action directe contre l'acheteur (loi n° 75-1334 du 31 décembre 1975, art. 12).",
            rules.reference(THRESHOLD),
            "Loi n° 75-1334 du 31 décembre 1975, art. 6 et 12",
        )
    if reaches and not data.accepted:
        findings.warn(
            "Sous-traitant non encore accepté : le paiement direct ne vaut que pour les prestations "
            "exécutées après son acceptation et l'agrément de ses conditions de paiement "
            "(L2193-11)."
        )
    tacit = _tacit_acceptance(rules, data, findings)
    holder = _holder_deadline(rules, data, direct, findings)
    return SubcontractingResult(
        direct_payment=direct, threshold_ttc=threshold, tacit_acceptance_on=tacit,
        holder_deadline_on=holder, warnings=findings.warnings, references=findings.references,
        explanation=" ".join(findings.lines),
    )  # fmt: skip


def _defence_threshold(
    rules: law.LawSnapshot, data: SubcontractingInput, findings: Findings
) -> Decimal:
    assert data.subcontractor is not None and data.contract_amount_ttc is not None
    path = DEFENCE_SHARE[data.subcontractor]
    share = Decimal(str(rules.value(path)))
    needed = to_cents(data.contract_amount_ttc * share)
    findings.explain(
        f"Marché des services de la défense comportant pose, installation ou prestations : le "
        f"sous-traitant ({data.subcontractor.label}) n'est payé directement que si son contrat "
        f"atteint {format_share(share)} du montant total du marché de "
        f"{format_euros(data.contract_amount_ttc)} TTC, soit {format_euros(needed)} TTC "
        "(R2193-10, 2e alinéa ; R2393-33, 2e alinéa, pour un marché de défense ou de sécurité).",
        rules.reference(path),
    )
    return needed


def _tacit_acceptance(
    rules: law.LawSnapshot, data: SubcontractingInput, findings: Findings
) -> dt.date | None:
    if data.declaration_received_on is None:
        return None
    days = int(rules.value(TACIT))
    end = data.declaration_received_on + dt.timedelta(days=days)
    findings.explain(
        f"Déclaration de sous-traitance reçue le {data.declaration_received_on:%d/%m/%Y} : sans "
        f"réponse de l'acheteur pendant {days} jours, le sous-traitant est accepté et ses "
        f"conditions de paiement agréées à l'expiration du {end:%d/%m/%Y} (R2193-4).",
        rules.reference(TACIT),
    )
    return end


def _holder_deadline(
    rules: law.LawSnapshot, data: SubcontractingInput, direct: bool, findings: Findings
) -> dt.date | None:
    if data.payment_request_received_on is None:
        return None
    if not direct:
        findings.warn(
            "Demande de paiement direct indiquée alors que le sous-traitant n'y a pas droit : "
            "aucun délai ne court contre le titulaire."
        )
        return None
    days = int(rules.value(HOLDER))
    end = data.payment_request_received_on + dt.timedelta(days=days)
    findings.explain(
        f"Demande de paiement reçue par le titulaire le "
        f"{data.payment_request_received_on:%d/%m/%Y} : il l'accepte ou la refuse (refus motivé, "
        f"notifié au sous-traitant et à l'acheteur) au plus tard le {end:%d/%m/%Y} ({days} jours) ; "
        "à défaut, il est réputé l'avoir acceptée et le délai de paiement de l'acheteur court "
        "(R2193-12, R2193-13) ; le délai de paiement est alors celui du titulaire.",
        rules.reference(HOLDER),
    )
    return end


def subcontracting_from_dict(data: Any) -> SubcontractingResult:
    return subcontracting(parse_input(SubcontractingInput, data))
