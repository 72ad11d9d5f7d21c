"""French text output of the ``amo travaux`` commands."""

from __future__ import annotations

from openamo.construction._calendar import fr_date
from openamo.construction.models import (
    DgdResult,
    Explained,
    FeeResult,
    MoeResult,
    OrdersResult,
    OrganisationResult,
    PhasesResult,
    ReceptionResult,
    StatementsResult,
    Step,
    WorksIncreaseResult,
)
from openamo.money import format_euros

STATUS = {
    "a_venir": "à venir",
    "respecte": "fait dans le délai",
    "depasse": "fait en retard",
    "en_retard": "en retard",
    "sans_objet": "sans objet",
}


ORDER_STATUS = {
    "delai_ouvert": "délai de réserves ouvert",
    "reserves_dans_le_delai": "réserves notifiées dans le délai",
    "reserves_tardives": "réserves tardives (forclusion)",
    "sans_reserves": "délai expiré sans réserves",
    "sans_accuse": "accusé de réception à obtenir",
}


def _tail(result: Explained) -> list[str]:
    lines: list[str] = []
    for title, items, mark in (
        ("Avertissements", result.warnings, "!"),
        ("Points d'interprétation", result.ambiguities, "?"),
        ("Ce que le droit laisse au choix du maître d'ouvrage", result.buyer_choices, "-"),
    ):
        if items:
            lines.append(f"{title} :")
            lines += [f"  {mark} {item}" for item in items]
    lines.append("Explication :")
    lines += [f"  {line}" for line in result.explanation.splitlines()]
    lines.append("Références : " + " ; ".join(result.references))
    return lines


def _steps(steps: list[Step]) -> list[str]:
    lines = ["Calendrier :"]
    for item in steps:
        due = fr_date(item.due_on) if item.due_on else "—"
        done = f", fait le {fr_date(item.done_on)}" if item.done_on else ""
        lines.append(f"  - {due} {item.label} ({item.by}) : {STATUS[item.status]}{done}")
        if item.status in {"depasse", "en_retard"}:
            lines.append(f"      → {item.consequence}")
    return lines


def render_moe(result: MoeResult) -> str:
    lines = [
        f"Procédure : {result.procedure.label}",
        f"Valeur estimée du marché de maîtrise d'œuvre : {format_euros(result.estimated_fee_ht)} HT "
        f"(seuil européen : {format_euros(result.eu_threshold_ht)} HT)",
    ]
    if result.contest_exception:
        lines.append(f"Exception au concours : {result.contest_exception}")
    if result.prime_minimum_ht is not None:
        lines.append(f"Prime minimale par candidat : {format_euros(result.prime_minimum_ht)} HT")
    if result.jury:
        lines.append("Jury :")
        lines += [f"  - {item}" for item in result.jury.composition]
    if result.steps:
        lines.append("Déroulement du concours :")
        lines += [f"  {n}. {item}" for n, item in enumerate(result.steps, 1)]
    return "\n".join(lines + _tail(result))


def render_fee(result: FeeResult) -> str:
    lines = [f"Taux de rémunération : {result.fee_rate_percent} %".replace(".", ",")]
    if result.definitive_fee_ht is not None:
        lines.append(f"Forfait définitif : {format_euros(result.definitive_fee_ht)} HT")
    if result.studies_adaptation_may_be_required:
        lines.append(
            "Premier contrôle : tolérance dépassée, reprise des études sans supplément possible"
        )
    if result.penalty_ht:
        lines.append(f"Réduction de rémunération : {format_euros(result.penalty_ht)} HT")
    return "\n".join(lines + _tail(result))


def render_organisation(result: OrganisationResult) -> str:
    lines = [f"Organisation conseillée : {result.recommended.label}", "Possibilités :"]
    lines += [
        f"  - {o.label}{' (agit en votre nom)' if o.acts_in_buyer_name else ''} : {o.what_it_does}"
        for o in result.options
    ]
    lines.append("Ce que vous ne pouvez pas déléguer :")
    lines += [f"  - {item}" for item in result.non_delegable]
    lines.append("Ce que vous pouvez confier à un mandataire, en tout ou partie (L2422-6) :")
    lines += [f"  - {item}" for item in result.delegable_to_mandatary]
    lines.append("Ce que le contrat de mandat, écrit, prévoit à peine de nullité (L2422-7) :")
    lines += [f"  - {item}" for item in result.mandate_must_state]
    return "\n".join(lines + _tail(result))


def render_reception(result: ReceptionResult) -> str:
    lines = _steps(result.steps)
    if result.final_draft_due_on:
        lines.append(
            f"Projet de décompte final attendu au plus tard le {fr_date(result.final_draft_due_on)}"
        )
    return "\n".join(lines + _tail(result))


def render_dgd(result: DgdResult) -> str:
    later = ["Échéances suivantes (si chaque étape a lieu le dernier jour de son délai) :"] + [
        f"  - {fr_date(item.due_on) if item.due_on else '—'} {item.label} ({item.by})"
        for item in result.later_steps
    ]
    return "\n".join(_steps(result.steps) + (later if result.later_steps else []) + _tail(result))


def render_phases(result: PhasesResult) -> str:
    lines = [
        f"Part travaux de l'enveloppe en vigueur : {format_euros(result.envelope_works_ht)} HT"
    ]
    for row in result.rows:
        estimate = f"{format_euros(row.estimate_ht)} HT" if row.estimate_ht is not None else "—"
        alert = f" ({row.alert.label})" if row.alert else ""
        decision = f", {row.decision.label}" if row.decision else ", en attente de décision"
        lines.append(f"  - {row.label} : {estimate}{alert}{decision}")
    return "\n".join(lines + _tail(result))


def render_orders(result: OrdersResult) -> str:
    lines = ["Ordres de service :"]
    for row in result.orders:
        due = f", réserves jusqu'au {fr_date(row.reserves_due_on)}" if row.reserves_due_on else ""
        lines.append(f"  - n° {row.number} {row.label}{due} : {ORDER_STATUS[row.status]}")
        lines.append(f"      → {row.effect}")
    return "\n".join(lines + _tail(result))


STATEMENT_STATUS = {
    "a_verifier": "à vérifier par le maître d'œuvre",
    "a_payer": "à payer",
    "en_retard": "paiement en retard",
    "payee": "payé dans le délai",
    "payee_en_retard": "payé en retard",
}


def render_statements(result: StatementsResult) -> str:
    lines = [
        f"Marché : {format_euros(result.contract_amount_ht)} HT ; travaux acceptés : "
        f"{format_euros(result.cumulative_ht)} HT",
        "Acomptes :",
    ]
    for row in result.statements:
        due = f", à payer avant le {fr_date(row.payment_due_on)}" if row.payment_due_on else ""
        lines.append(
            f"  - n° {row.number} : {format_euros(row.payable_ttc)} TTC (retenue "
            f"{format_euros(row.retention_ttc)}){due} : {STATEMENT_STATUS[row.status]}"
        )
    return "\n".join(lines + _tail(result))


def render_increase(result: WorksIncreaseResult) -> str:
    lines = [
        f"Montant contractuel : {format_euros(result.contractual_ht)} HT ; montant des travaux : "
        f"{format_euros(result.works_amount_ht)} HT",
        f"Augmentation limite : {format_euros(result.limit_ht)} HT ; plafond : "
        f"{format_euros(result.ceiling_ht)} HT",
    ]
    if result.contractor_notice_due_on:
        lines.append(
            f"Avis du titulaire au plus tard le {fr_date(result.contractor_notice_due_on)}"
        )
    if result.stop_order_due_on:
        lines.append(f"Ordre d'arrêt au plus tard le {fr_date(result.stop_order_due_on)}")
    return "\n".join(lines + _tail(result))
