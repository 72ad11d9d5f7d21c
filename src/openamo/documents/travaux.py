"""Documents of a construction operation, in Word (.docx) or PDF (.pdf, same content): the programme and envelope synthesis, the letter
to a works contractor on its final account's calendar (CCAG-Travaux 2021, art. 12), an ordre de
service (art. 3.8) and the reception report with its reserves (art. 41 and 44).

It reads the same input and verdict as the page (``openamo.construction.review_phases``): the
programme of L2421-2, the envelope of L2421-3 with each change (date, who, why), and the
maître d'œuvre's estimates phase after phase against the envelope in force.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openamo import law
from openamo.construction import review_phases
from openamo.construction.dgd import STATES as DGD_STATES
from openamo.construction.enums import ReceptionDecision, WorkKind
from openamo.construction.models import (
    DgdResult,
    MoeResult,
    OrderRow,
    OrdersResult,
    PhasesInput,
    PhasesResult,
    ReceptionResult,
)
from openamo.construction.orders import reserves_answer_days
from openamo.documents.finish import Properties
from openamo.documents.render import (
    FOOTER_OBJECT_LENGTH,
    PageHeader,
    render_docx,
    render_pdf,
    shorten,
)
from openamo.errors import OpenAMOError
from openamo.money import format_euros, format_percent
from openamo.pricing.execution_models import RetentionResult
from openamo.wording import count

PROGRAMME_TEMPLATE = "travaux_programme"
PROGRAMME_SECTIONS = [
    ("objectives", "Objectifs de l'opération"),
    ("needs", "Besoins à satisfaire"),
    ("constraints", "Contraintes du site et de l'opération"),
    ("functional_requirements", "Exigences fonctionnelles"),
    ("technical_requirements", "Exigences techniques"),
    ("environmental_targets", "Objectifs environnementaux"),
    ("performance_targets", "Objectifs de performance"),
]


#: The documents whose headings are lettered (A., B.…), as their Word templates are.
LETTERED = {"travaux_os", "travaux_pv_reception", "travaux_dgd"}


def _render(
    stem: str, context: dict[str, Any], out: Path, *, header: PageHeader, properties: Properties
) -> Path:
    """``templates/<stem>.docx`` for a .docx, ``templates/<stem>.html`` printed for a .pdf: the
    same running header (buyer, name of the document) and footer (object, page X / Y)."""
    suffix = out.suffix.lower()
    if suffix == ".docx":
        return render_docx(f"{stem}.docx", context, out, header=header, properties=properties)
    if suffix == ".pdf":
        pdf = {
            "title": properties.title,
            "author": properties.author or header.buyer,
            "references": " ; ".join(properties.references),
            "buyer": header.buyer,
            "name": header.name,
            "footer": shorten(header.object or header.name, FOOTER_OBJECT_LENGTH),
            "letters": stem in LETTERED,
        }
        return render_pdf(f"{stem}.html", context | {"pdf": pdf}, out)
    raise OpenAMOError(
        f"Format de sortie non pris en charge « {out.name} » : utilisez .docx ou .pdf.",
        code="invalid_output",
    )


def _signed(amount: Any) -> str:
    return ("+ " if amount > 0 else "") + format_euros(amount).replace("-", "− ")


def _area(value: Any) -> str:
    return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")


def programme_context(
    data: PhasesInput, review: PhasesResult, title: str, buyer: str
) -> dict[str, Any]:
    programme = data.programme.model_dump() if data.programme else {}
    spaces = [{"name": s["name"], "area": _area(s["area_m2"])} for s in programme.get("spaces", [])]
    current = (
        review.envelope_history[-1].works_ht if review.envelope_history else data.envelope_works_ht
    )
    return {
        "title": title,
        "buyer": buyer,
        "date": f"{review.date:%d/%m/%Y}",
        "work_kind": WorkKind(data.work_kind).label,
        "programme": programme,
        "spaces": spaces,
        "total_area": _area(review.surface_total_m2) if review.surface_total_m2 else "",
        "envelope": {
            "initial": format_euros(data.envelope_works_ht),
            "current": format_euros(current),
            "set_on": f"{data.envelope_set_on:%d/%m/%Y}",
            "total": format_euros(data.envelope_total_ht) if data.envelope_total_ht else "",
        },
        "changes": [
            {
                "date": f"{c.date:%d/%m/%Y}",
                "works": format_euros(c.works_ht),
                "change": _signed(c.change_ht),
                "by": c.decided_by,
                "reason": c.reason,
            }
            for c in review.envelope_history
        ],
        "phases": [
            {
                "label": row.label,
                "estimate": format_euros(row.estimate_ht) if row.estimate_ht is not None else "—",
                "share": format_percent(row.share_percent)
                if row.share_percent is not None
                else "—",
                "decision": (
                    f"{row.decision.label} le {row.decided_on:%d/%m/%Y}"
                    + (f" ({row.decided_by})" if row.decided_by else "")
                    if row.decision and row.decided_on
                    else "à décider"
                    if row.estimate_ht is not None
                    else "pas encore remise"
                ),
            }
            for row in review.rows
        ],
        "warnings": review.warnings,
        "references": " ; ".join(review.references),
        "sections": PROGRAMME_SECTIONS,
    }


def make_programme(data: PhasesInput, out: Path, *, title: str, buyer: str) -> Path:
    """Write the synthesis to ``out`` (.docx or .pdf) and return its path."""
    review = review_phases(data)
    context = programme_context(data, review, title, buyer)
    return _render(
        PROGRAMME_TEMPLATE,
        context,
        out,
        header=PageHeader(buyer=buyer, name="Programme et enveloppe financière", object=title),
        properties=Properties(
            title=f"Programme et enveloppe financière — {title}",
            subject=title,
            author=buyer,
            category="Programme de l'opération (CCP L2421-2)",
            references=review.references,
        ),
    )


DGD_TEMPLATE = "travaux_dgd"
STEP_STATUS = {
    "a_venir": "à venir",
    "respecte": "fait dans le délai",
    "depasse": "fait en retard",
    "en_retard": "en retard",
    "sans_objet": "sans objet",
}


def _start_sentence(result: DgdResult, reception: ReceptionDecision) -> str:
    """What started the calendar: the notified decision, or for a reception « sous réserve » the
    execution of the missing works (art. 12.3.2), never called a notification."""
    day = f"{result.start_on:%d/%m/%Y}"
    if reception is ReceptionDecision.SOUS_RESERVE and result.start_on:
        return (
            f"La réception a été prononcée sous réserve de l'exécution de prestations ; leur "
            f"exécution, constatée le {day}, fait courir les délais du décompte général rappelés "
            "ci-dessous"
        )
    return (
        f"La décision de réception des travaux vous a été notifiée le {day} — {reception.label} ; "
        "elle fait courir les délais du décompte général rappelés ci-dessous"
    )


def dgd_context(
    result: DgdResult,
    *,
    buyer: str,
    holder: str,
    contract: str,
    reception: ReceptionDecision,
    date: str,
) -> dict[str, Any]:
    steps = [
        {
            "due": f"{s.due_on:%d/%m/%Y}" if s.due_on else "—",
            "label": s.label,
            "by": s.by,
            "status": STEP_STATUS[s.status] + (f" (le {s.done_on:%d/%m/%Y})" if s.done_on else ""),
            "consequence": s.consequence,
        }
        for s in result.steps
    ]
    upcoming = [
        row
        | {
            "intro": "Échéance dépassée" if s.status == "en_retard" else "Prochaine échéance",
            "when": f"au plus tard le {row['due']}",
        }
        for row, s in zip(steps, result.steps, strict=True)
        if s.status in {"a_venir", "en_retard"}
    ]
    later = [
        {"due": f"{s.due_on:%d/%m/%Y}" if s.due_on else "—", "label": s.label, "by": s.by,
         "consequence": s.consequence}
        for s in result.later_steps
    ]  # fmt: skip
    deadline = (
        f"Vous renvoyez le décompte général signé, avec ou sans réserves, ou vous transmettez votre "
        f"mémoire en réclamation au maître d'ouvrage (copie au maître d'œuvre) au plus tard le "
        f"{result.contractor_deadline_on:%d/%m/%Y} ; à défaut, vous serez réputé l'avoir accepté "
        f"le {result.deemed_accepted_on:%d/%m/%Y} et il deviendra définitif (CCAG-Travaux 2021, "
        "art. 12.4.3 et 55.1.1)."
        if result.contractor_deadline_on and result.deemed_accepted_on
        else ""
    )
    return {
        "buyer": buyer,
        "holder": holder,
        "contract": contract,
        "deadline": deadline,
        "later": later,
        "start": _start_sentence(result, reception),
        "date": date,
        "start_on": f"{result.start_on:%d/%m/%Y}",
        "state": DGD_STATES[result.state],
        "next_step": upcoming[0] if upcoming else None,
        "steps": steps,
        "warnings": result.warnings,
        "references": " ; ".join(result.references),
    }


def make_dgd_letter(
    result: DgdResult,
    out: Path,
    *,
    buyer: str,
    holder: str,
    contract: str,
    reception: ReceptionDecision,
    as_of: dt.date,
) -> Path:
    """The letter to the holder on its final account's calendar (.docx or .pdf at ``out``)."""
    context = dgd_context(
        result,
        buyer=buyer,
        holder=holder,
        contract=contract,
        reception=reception,
        date=f"{as_of:%d/%m/%Y}",
    )
    return _render(
        DGD_TEMPLATE,
        context,
        out,
        header=PageHeader(buyer=buyer, name="Décompte général — calendrier", object=contract),
        properties=Properties(
            title=f"Décompte général — {contract}",
            subject=contract,
            author=buyer,
            category="Décompte général (CCAG-Travaux 2021, art. 12)",
            references=result.references,
        ),
    )


OS_TEMPLATE = "travaux_os"


def _day(value: dt.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else "…………"


def _reserves_followup(row: OrderRow) -> str:
    """The holder's reserves on the order and the maître d'ouvrage's answer, once received."""
    if row.reserves_on is None:
        return ""
    timing = {
        "reserves_tardives": "après le délai : le titulaire est forclos",
        "reserves_dans_le_delai": "dans le délai",
    }.get(row.status, "")
    text = f"Réserves du titulaire reçues le {_day(row.reserves_on)}" + (
        f", {timing}" if timing else ""
    )
    if row.answered_on:
        return f"{text} ; réponse du maître d'ouvrage notifiée le {_day(row.answered_on)}."
    if row.answer_due_on:
        return f"{text} ; réponse du maître d'ouvrage attendue au plus tard le {_day(row.answer_due_on)}."
    return f"{text}."


def make_service_order(
    row: OrderRow,
    result: OrdersResult,
    out: Path,
    *,
    buyer: str,
    holder: str,
    contract: str,
    lot: str,
    subject: str,
    description: str,
    issued_on: dt.date | None,
    signatory: str = "",
) -> Path:
    """An ordre de service as the maître d'ouvrage notifies it to the holder (CCAG-Travaux
    2021, art. 3.8.1: written, dated, numbered, acknowledged with a date), with the window for
    its reserves, the holder's right to refuse an unsafe or unlawful order and, once they came,
    its reserves and their answer."""
    context = {
        "buyer": buyer, "holder": holder, "contract": contract, "lot": lot,
        "number": row.number, "subject": subject, "kind": row.label, "description": description,
        "effective_on": _day(row.effective_on), "effect": row.effect,
        "reserves_days": result.reserves_days,
        "answer_days": reserves_answer_days(result.consultation_date),
        "reserves_reference": "CCAG-Travaux 2021, art. 3.8.2",
        "issued_on": _day(issued_on), "received_on": _day(row.received_on),
        "signatory": signatory,
        "reserves_due": _day(row.reserves_due_on) if row.reserves_due_on else "",
        "followup": _reserves_followup(row),
        "references": " ; ".join([row.reference, *result.references[:2]]),
    }  # fmt: skip
    return _render(
        OS_TEMPLATE,
        context,
        out,
        header=PageHeader(buyer=buyer, name=f"Ordre de service n° {row.number}", object=contract),
        properties=Properties(
            title=f"Ordre de service n° {row.number} — {contract}",
            subject=subject,
            author=buyer,
            category="Ordre de service (CCAG-Travaux 2021, art. 3.8)",
            references=[row.reference, *result.references],
        ),
    )


PV_TEMPLATE = "travaux_pv_reception"


def _decision(label: str) -> str:
    """« Prononcée avec réserves » → « réception prononcée avec réserves » in the sentence
    « Décision : … »; a decision still to take is said so once."""
    if label.lower().startswith("décision"):
        return "à prendre"
    return f"réception {label[:1].lower()}{label[1:]}"


REFUND = "payment.retention.remboursement_delai"
RELEASE = "payment.retention.liberation_garantie_delai"


def _retention_release(
    retention: RetentionResult | None, guarantor: str, consultation_date: dt.date
) -> tuple[str, str]:
    """(sentence, reference) on when the retention money is refunded, or the guarantor of what
    replaces it released (R2191-35, R2191-42), from the end of the guarantee or the lifting of
    the reserves notified during it; ("", "") without either."""
    snapshot = law.at(consultation_date)
    events = (
        "après l'expiration du délai de garantie, ou après la levée des réserves notifiées "
        "pendant ce délai si elle est postérieure"
    )
    if retention is not None and retention.substitute and retention.substitute_release_on:
        months = int(snapshot.value(RELEASE))
        label = retention.substitute.label
        by = f" de {guarantor}" if guarantor else ""
        return (
            f"{label[0].upper()}{label[1:]}{by} remplaçant la retenue de garantie : le garant est "
            f"libéré {count(months, 'mois', 'mois')} au plus tard {events}, soit le "
            f"{_day(retention.substitute_release_on)} si aucune réserve ne reste à lever "
            "(CCP R2191-42).",
            snapshot.reference(RELEASE),
        )
    if retention is not None and retention.release_on and retention.retention_ht:
        refund = int(snapshot.value(REFUND))
        return (
            f"Retenue de garantie remboursée dans les {refund} jours qui suivent l'expiration du "
            "délai de garantie, ou la levée des réserves notifiées pendant ce délai si elle est "
            f"postérieure, soit au plus tard le {_day(retention.release_on)} si aucune réserve ne "
            "reste à lever ; un retard ouvre droit aux intérêts moratoires (CCP R2191-35).",
            snapshot.reference(REFUND),
        )
    return "", ""


def make_reception_report(
    out: Path,
    *,
    buyer: str,
    holder: str,
    contract: str,
    label: str,
    inspected_on: dt.date,
    notice_on: dt.date | None = None,
    decision: str,
    effective_on: dt.date | None,
    decided_on: dt.date | None,
    note: str,
    reserves: list[tuple[str, dt.date | None, dt.date | None]],
    result: ReceptionResult | None,
    retention: RetentionResult | None = None,
    guarantor: str = "",
    possession_on: dt.date | None = None,
    condition_survey_on: dt.date | None = None,
    urgency: str = "",
) -> Path:
    """The reception report and decision (CCAG-Travaux 2021, art. 41), reserves listed with
    their deadlines and lifting, the buyer's taking possession of the works and its condition
    survey (art. 41.8, 42.2), the guarantees that run from the reception (art. 44) and when
    the retention money or its substitute is released (CCP R2191-35, R2191-42)."""
    release, release_reference = (
        _retention_release(retention, guarantor, result.consultation_date)
        if result and result.guarantee_ends_on
        else ("", "")
    )
    open_reserves = sum(1 for _, _, lifted in reserves if lifted is None)
    references = [*(result.references if result else ["CCAG-Travaux 2021, art. 41"])]
    if release_reference:
        references.append(release_reference)
    context = {
        "buyer": buyer, "holder": holder, "contract": contract, "label": label,
        "inspected_on": _day(inspected_on), "decision": _decision(decision),
        "notice_on": _day(notice_on) if notice_on else "",
        "effective_on": _day(effective_on) if effective_on else "", "decided_on": _day(decided_on),
        "note": note,
        "reserves": [
            {"number": n, "description": text, "due": _day(due) if due else "—",
             "lifted": _day(lifted) if lifted else "non levée"}
            for n, (text, due, lifted) in enumerate(reserves, 1)
        ],
        "guarantee_ends_on": _day(result.guarantee_ends_on)
        if result and result.guarantee_ends_on else "",
        "equipment_ends_on": _day(result.equipment_guarantee_ends_on if result else None),
        "ten_year_ends_on": _day(result.ten_year_liability_ends_on if result else None),
        "final_draft_due_on": _day(result.final_draft_due_on)
        if result and result.final_draft_due_on else "",
        "reserves_state": f"{count(len(reserves) - open_reserves, 'réserve levée', 'réserves levées')}"
        f" sur {len(reserves)}" if reserves else "",
        "release": release,
        "possession": _possession_sentence(possession_on, condition_survey_on, urgency, effective_on),
        "warnings": result.warnings if result else [],
        "references": " ; ".join(references),
    }  # fmt: skip
    return _render(
        PV_TEMPLATE,
        context,
        out,
        header=PageHeader(buyer=buyer, name="Réception des travaux", object=contract),
        properties=Properties(
            title=f"Réception des travaux — {contract}",
            subject=label,
            author=buyer,
            category="Réception (CCAG-Travaux 2021, art. 41)",
            references=references,
        ),
    )


def _possession_sentence(
    possession_on: dt.date | None,
    survey_on: dt.date | None,
    urgency: str,
    effective_on: dt.date | None,
) -> str:
    """The possession as the report states it: after the reception, or before it in an emergency
    with the contradictory condition survey that must precede it (art. 41.8)."""
    if possession_on is None:
        return ""
    sentence = f"Prise de possession des ouvrages par le maître d'ouvrage le {_day(possession_on)}"
    if effective_on is None or possession_on < effective_on:
        sentence += ", avant la réception" + (
            f" (motif de l'urgence : {urgency})" if urgency else ""
        )
        sentence += (
            f" ; état des lieux contradictoire dressé le {_day(survey_on)}"
            if survey_on
            else " ; aucun état des lieux contradictoire n'est enregistré"
        )
        return sentence + " (CCAG-Travaux 2021, art. 41.8 et 42.2)."
    if survey_on:
        sentence += f" ; état des lieux contradictoire dressé le {_day(survey_on)}"
    return sentence + ", après la réception (CCAG-Travaux 2021, art. 41.8)."


MOE_TEMPLATE = "travaux_moe"


def make_moe_elements(
    result: MoeResult,
    out: Path,
    *,
    title: str,
    buyer: str,
    work_kind: WorkKind,
    mission: list[str],
    envelope_works_ht: Any,
    reduction_cap: str,
) -> Path:
    """The RC and CCAP elements of the MOE contract that follow from the verdict. Where the
    contest is allowed but not mandatory, its jury and steps are the buyer's option, not the
    procedure: the document says so. ``envelope_works_ht`` is the works' share in force."""
    optional = bool(result.steps) and not result.contest_mandatory
    context = {
        "title": title, "buyer": buyer, "date": f"{result.date:%d/%m/%Y}",
        "work_kind": work_kind.label, "fee": format_euros(result.estimated_fee_ht),
        "procedure": result.procedure.label[0].lower() + result.procedure.label[1:],
        "explanation": result.explanation.splitlines(), "contest_optional": optional,
        "jury_heading": "Si le concours est retenu : jury" if optional else "Jury",
        "steps_heading": "Si le concours est retenu : déroulement" if optional else "Déroulement",
        "exception": result.contest_exception or "",
        "prime": format_euros(result.prime_minimum_ht) if result.prime_minimum_ht else "",
        "primes_total": format_euros(result.primes_total_minimum_ht)
        if result.primes_total_minimum_ht else "",
        "jury": result.jury.composition if result.jury else [],
        "steps": result.steps, "mission": mission,
        "envelope": format_euros(envelope_works_ht) if envelope_works_ht is not None
        else "……… €",
        "cap": reduction_cap, "references": " ; ".join(result.references),
    }  # fmt: skip
    return _render(
        MOE_TEMPLATE,
        context,
        out,
        header=PageHeader(buyer=buyer, name="Marché de maîtrise d'œuvre", object=title),
        properties=Properties(
            title=f"Marché de maîtrise d'œuvre — {title}",
            subject=title,
            author=buyer,
            category="Règlement de la consultation et CCAP (CCP R2172-2, L2431-1, R2432-1)",
            references=result.references,
        ),
    )
