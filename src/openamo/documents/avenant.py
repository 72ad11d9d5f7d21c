"""The avenant itself: a document shaped like the official EXE10 form, in DOCX or PDF.

Sections (as in EXE10): A buyer, B contractor, C contract (object, notification, initial
amount, previous avenants), D this avenant (object, legal basis, amounts HT / TVA / TTC,
percentages, new total, effect on deadlines, clauses unchanged), E–F signatures of both
parties, G notification. The legal check runs first: a forbidden modification gets no avenant.

Templates are files: ``templates/avenant.docx`` (docxtpl tags, built by
``templates/avenant_build.py``) and ``templates/avenant.html`` (WeasyPrint).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field

from openamo.amendments import (
    AmendmentCheckInput,
    AmendmentCheckResult,
    Basis,
    ContractInput,
    ModificationInput,
    PreviousModification,
    Verdict,
    check_amendment,
)
from openamo.documents.finish import Properties
from openamo.documents.render import PageHeader, render_docx, render_pdf
from openamo.documents.signatory import represented, signature
from openamo.errors import OpenAMOError
from openamo.money import format_euros, format_percent, percent, to_cents
from openamo.procurement.enums import Buyer
from openamo.validation import InputModel, OutputModel, SignedAmount, Siret, parse_input
from openamo.wording import count

DOCX_TEMPLATE = "avenant.docx"
HTML_TEMPLATE = "avenant.html"

Text = Annotated[str, Field(min_length=1, max_length=500)]
LongText = Annotated[str, Field(min_length=1, max_length=5000)]

UNCHANGED_CLAUSES = (
    "Toutes les clauses du marché initial et de ses avenants antérieurs qui ne sont pas "
    "modifiées par le présent avenant demeurent applicables."
)


class Party(InputModel):
    """One party to the contract, as it appears at the head of the avenant."""

    name: Text
    address: Text | None = None
    siret: Siret | None = None
    representative: Text | None = None
    representative_title: Text | None = None


class ContractDocument(ContractInput):
    reference: Text
    object: Text
    duration: Text | None = None


class PreviousModificationDocument(PreviousModification):
    number: int | None = Field(default=None, ge=1, le=999)


class ModificationDocument(ModificationInput):
    object: Text
    number: int = Field(ge=1, le=999)
    description: LongText | None = None
    deadline_effect: Text | None = None


class CaoOpinion(InputModel):
    date: dt.date
    opinion: Literal["favorable", "defavorable"]


class AvenantDocumentInput(InputModel):
    contract: ContractDocument
    previous_modifications: list[PreviousModificationDocument] = Field(
        default_factory=list, max_length=500
    )
    modification: ModificationDocument
    buyer: Party
    contractor: Party
    vat_rate: Decimal = Field(ge=0, lt=1)
    place: Text | None = None
    cao_opinion: CaoOpinion | None = None


class AvenantDocumentResult(OutputModel):
    output: str
    format: Literal["docx", "pdf"]
    title: str
    verdict: Verdict
    basis: Basis | None
    modification_percent: str
    cumulative_percent: str
    new_amount_ht: SignedAmount
    cao_opinion_required: bool
    duties: list[str]
    """The buyer's formalities after signature (JOUE notice, essential data): told to the
    user, not printed in the avenant both parties sign."""
    missing: list[str]
    """What the file does not give and the avenant highlights (« À compléter »)."""
    references: list[str]
    explanation: str


def make_avenant_from_dict(data: Any, out: Path) -> AvenantDocumentResult:
    """Validate the JSON input, check the modification, then write the avenant to ``out``."""
    return make_avenant(parse_input(AvenantDocumentInput, data), out)


def make_avenant(data: AvenantDocumentInput, out: Path) -> AvenantDocumentResult:
    kind = _format_of(out)
    check = check_amendment(
        AmendmentCheckInput(
            contract=data.contract,
            previous_modifications=list(data.previous_modifications),
            modification=data.modification,
        )
    )
    if check.verdict is Verdict.INTERDITE:
        raise OpenAMOError(
            "La modification n'est pas autorisée : l'avenant n'est pas rédigé. "
            + (check.new_procedure_reasons[0] if check.new_procedure_reasons else ""),
            code="modification_interdite",
            extra={"check": check.model_dump(mode="json")},
        )
    context = avenant_context(data, check)
    try:
        if kind == "docx":
            render_docx(
                DOCX_TEMPLATE,
                context,
                out,
                header=PageHeader(
                    buyer=data.buyer.name,
                    reference=f"Marché n° {data.contract.reference}",
                    object=data.contract.object,
                    name=f"Avenant n° {data.modification.number} (EXE10)",
                ),
                properties=Properties(
                    title=context["title"],
                    subject=data.modification.object,
                    author=data.buyer.name,
                    category="Avenant (EXE10)",
                    keywords=[data.contract.reference],
                    references=check.references,
                ),
            )
        else:
            render_pdf(HTML_TEMPLATE, context, out)
    except OSError as exc:
        raise OpenAMOError(
            f"Impossible d'écrire « {out} » : {exc.strerror or exc}.", code="io"
        ) from None
    return AvenantDocumentResult(
        output=str(out),
        format=kind,
        title=context["title"],
        verdict=check.verdict,
        basis=check.basis,
        modification_percent=f"{check.modification_percent:.2f}",
        cumulative_percent=f"{check.cumulative_percent:.2f}",
        new_amount_ht=check.new_amount_ht,
        cao_opinion_required=check.cao_opinion_required,
        duties=_duties(check),
        missing=missing_information(data),
        references=check.references,
        explanation=check.explanation,
    )


def missing_information(data: AvenantDocumentInput) -> list[str]:
    """Each party's postal address the file lacks: the avenant highlights it, never blank."""
    return [
        f"L'adresse postale {whose} « {party.name} » manque : l'avenant la signale en surligné "
        f"« À compléter »."
        for whose, party in (("de l'acheteur", data.buyer), ("du titulaire", data.contractor))
        if not party.address
    ]


def _format_of(out: Path) -> Literal["docx", "pdf"]:
    suffix = out.suffix.lower()
    if suffix == ".docx":
        return "docx"
    if suffix == ".pdf":
        return "pdf"
    raise OpenAMOError(
        f"Format de sortie non pris en charge « {out.name} » : utilisez .docx ou .pdf.",
        code="invalid_output",
    )


def _money(amount_ht: Decimal, vat_rate: Decimal) -> dict[str, str]:
    """HT, TVA and TTC of one amount; the TVA is rounded to the cent, half up."""
    vat = to_cents(amount_ht * vat_rate)
    return {
        "ht": format_euros(amount_ht),
        "tva": format_euros(vat),
        "ttc": format_euros(to_cents(amount_ht) + vat),
    }


DOTS = "…………………………"


def _party(party: Party, place: str | None) -> dict[str, str]:
    """One party as the EXE10 shows it: identity, then who signs, in which capacity, where."""
    who = signature(party.representative, party.representative_title)
    return {
        "name": party.name,
        # A missing address is highlighted and listed in the result; a missing SIRET is a
        # line to fill in by hand, never a silent gap.
        "address": party.address or "",
        "address_missing": "" if party.address else "Adresse postale : à compléter",
        "siret": f"SIRET : {_spaced_siret(party.siret)}" if party.siret else f"SIRET : {DOTS}",
        "representative": party.representative or "",
        "signatory": (
            f"{represented(party.name).capitalize()} par {who.represented_by}"
            if who.represented_by
            else ""
        ),
        "signatory_line": f"Nom, prénom et qualité du signataire : {who.inline or DOTS + DOTS}",
        "place_line": f"Fait à {place or DOTS}, le …… / …… / …………",
    }


def _spaced_siret(siret: str) -> str:
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}" if len(siret) == 14 else siret


def _date(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "—"


def avenant_context(data: AvenantDocumentInput, check: AmendmentCheckResult) -> dict[str, Any]:
    """Everything the templates show, already formatted in French (no logic in templates)."""
    contract, modification, rate = data.contract, data.modification, data.vat_rate
    initial = contract.initial_amount_ht
    previous_total = sum((m.amount_ht for m in data.previous_modifications), Decimal(0))
    before = initial + previous_total
    basis = check.basis
    assert basis is not None  # a forbidden modification raised before
    previous = [
        {
            "number": str(m.number or index),
            "date": _date(m.date),
            "object": m.object or "—",
            "basis": m.basis.value,
            "amount": format_euros(m.amount_ht),
            "percent": format_percent(percent(m.amount_ht, initial)),
        }
        for index, m in enumerate(data.previous_modifications, start=1)
    ]
    title = f"Avenant n° {modification.number} au marché n° {contract.reference}"
    return {
        "title": title,
        "number": str(modification.number),
        "buyer_kind": _buyer_kind(contract.buyer),
        "buyer": _party(data.buyer, data.place),
        "contractor": _party(data.contractor, None),
        "contract": {
            "reference": contract.reference,
            "object": contract.object,
            "nature": contract.nature.label,
            "procedure": contract.procedure.label,
            "notified_on": _date(contract.notified_on),
            "duration": contract.duration or "—",
            "initial": _money(initial, rate),
        },
        "vat_rate": format_percent(rate * 100),
        "previous": previous,
        "previous_summary": (
            f"{count(len(previous), 'avenant antérieur')}, pour un total de "
            f"{format_euros(previous_total)} HT."
            if previous
            else "Aucun avenant antérieur."
        ),
        "modification": {
            "object": modification.object,
            "description": modification.description or "",
            "basis": basis.value,
            "basis_label": basis.label,
            "legal_basis": _legal_basis(basis),
            "amount": _money(modification.amount_ht, rate),
            "percent": format_percent(check.modification_percent),
            "cumulative_percent": format_percent(check.cumulative_percent),
            "deadline_effect": modification.deadline_effect
            or "Le présent avenant est sans incidence sur les délais d'exécution.",
        },
        "amounts": {"before": _money(before, rate), "after": _money(check.new_amount_ht, rate)},
        "unchanged_clauses": UNCHANGED_CLAUSES,
        "cao": _cao_text(data, check),
        "references": check.references,
        "place": data.place or "",
    }


def _buyer_kind(buyer: Buyer) -> str:
    if buyer is Buyer.ENTITE_ADJUDICATRICE:
        return "Identification de l'entité adjudicatrice"
    return "Identification du pouvoir adjudicateur"


def _legal_basis(basis: Basis) -> str:
    """The clause itself; the summary of the article the check cites is the tool's note, not
    part of what the parties sign."""
    return (
        f"le présent avenant est conclu sur le fondement de l'article L2194-1 du code de la "
        f"commande publique et de l'article {basis.value} ({basis.label})."
    )


def cao_reason(reasons: Sequence[str]) -> str:
    """Why the CAO's opinion is not required, from the check's reasons (« Avis de la CAO : non
    requis — montant initial … »), or ``""`` when the check gives none. The web page and the
    avenant say the same."""
    reason = next((r for r in reasons if r.startswith("Avis de la CAO")), "")
    why = reason.removeprefix("Avis de la CAO").lstrip(" :—-").strip()
    why = why.removeprefix("non requis").lstrip(" ,:—-").strip()
    return why[:1].upper() + why[1:]


def _cao_text(data: AvenantDocumentInput, check: AmendmentCheckResult) -> str:
    if not check.cao_opinion_required:
        why = cao_reason(check.reasons)
        if not why:
            return "Avis de la commission d'appel d'offres : non requis."
        # The avenant states the reason, not the check's explanation of the law that follows
        # it (« Depuis la loi ELAN… », « Un avis facultatif… reste possible »).
        first = re.split(r"(?<=\.)\s+(?=[A-ZÀ-ÖØ-Þ])", why, maxsplit=1)[0].rstrip(".")
        return (
            "Avis de la commission d'appel d'offres (CGCT L1414-4) : non requis — "
            f"{first[:1].lower()}{first[1:]}."
        )
    if data.cao_opinion is None:
        return (
            "Avis de la commission d'appel d'offres (CGCT L1414-4) : requis avant la signature "
            "— à recueillir."
        )
    opinion = "favorable" if data.cao_opinion.opinion == "favorable" else "défavorable"
    return (
        f"Avis {opinion} de la commission d'appel d'offres du {_date(data.cao_opinion.date)} "
        "(CGCT L1414-4)."
    )


def _duties(check: AmendmentCheckResult) -> list[str]:
    duties = []
    if check.modification_notice_required:
        duties.append("Avis de modification à publier au JOUE (CCP R2194-10).")
    if check.decp_update_required:
        deadline = (
            f" au plus tard le {_date(check.decp_deadline_on)}" if check.decp_deadline_on else ""
        )
        duties.append(f"Données essentielles à mettre à jour{deadline} (CCP R2196-1).")
    return duties or ["Aucune formalité de publication."]


def render_summary(result: Any) -> str:
    assert isinstance(result, AvenantDocumentResult)
    basis = f" ({result.basis.value})" if result.basis else ""
    return (
        f"{result.title} : {result.output} ({result.format.upper()})\n"
        f"Modification {result.verdict.label}{basis} — "
        f"{result.modification_percent.replace('.', ',')} % du montant initial, "
        f"{result.cumulative_percent.replace('.', ',')} % en cumulé ; nouveau montant "
        f"{format_euros(result.new_amount_ht)} HT"
        + ("\nAvis de la CAO requis avant la signature." if result.cao_opinion_required else "")
        + "".join(f"\nFormalité : {duty}" for duty in result.duties)
        + "".join(f"\nÀ compléter : {gap}" for gap in result.missing)
    )
