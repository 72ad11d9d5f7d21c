"""The letters of a procedure, from the file's data, in Word and PDF.

- request to complete a candidacy (CCP R2144-2: within an appropriate period, the same for all);
- request to justify an abnormally low price (L2152-5, R2152-3, which lists what may justify it);
- rejection of a candidacy or of an offer with its reasons (R2181-1 to R2181-4): in a formalised
  procedure the winner's name, the reasons for choosing its offer (characteristics and relative
  advantages) and the date from which the contract may be signed (end of the standstill period,
  R2182-1) — that date and the remedies come from the award calendar
  (:func:`openamo.award.calendar.award_calendar`), never recomputed here;
- notification of the award to the winner.

Each letter is a list of blocks written once and laid out twice: ``lettre.docx`` (the DOCX
foundation of :mod:`openamo.documents.layout`) and ``lettre.html`` (printed by WeasyPrint).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from openamo.award.calendar import AwardCalendarInput, AwardCalendarResult, award_calendar
from openamo.dates import long_date
from openamo.documents.finish import Properties
from openamo.documents.render import PageHeader, render_docx, render_pdf
from openamo.documents.signatory import signature
from openamo.errors import OpenAMOError
from openamo.law.courts import administrative_court
from openamo.money import format_euros
from openamo.postal import commune
from openamo.validation import Amount, InputModel, OutputModel, Siret, parse_input
from openamo.wording import count

DOCX_TEMPLATE = "lettre.docx"
HTML_TEMPLATE = "lettre.html"

Name = Annotated[str, Field(min_length=1, max_length=300)]
Text = Annotated[str, Field(min_length=1, max_length=3000)]
Kind = Literal["completion", "offre_anormalement_basse", "rejet", "attribution"]


class Addressee(InputModel):
    name: Name
    address: Name | None = None
    postcode: Annotated[str, Field(max_length=10)] | None = None
    city: Name | None = None
    siret: Siret | None = None
    email: Annotated[str, Field(max_length=254)] | None = None


class Signatory(InputModel):
    name: Name
    title: Name


class Sender(Addressee):
    """The buyer: its ``city`` is the town of its postal address, CEDEX mention included
    (« Nantes Cedex 1 », printed in the address block); its commune, without that mention,
    gives the « À <commune>, le … » line; its administrative court
    (« tribunal administratif de Rennes »), optional, is named with the remedies."""

    city: Name
    signatory: Signatory
    court: Name | None = None


class CompletionRequest(InputModel):
    """R2144-2: the missing or incomplete documents of one candidacy."""

    candidate: Addressee
    missing: list[Text] = Field(min_length=1, max_length=50)
    due_on: dt.date
    sent_on: dt.date | None = None
    """Date of the letter when it is not the input's ``date``."""


class AbnormalPriceRequest(InputModel):
    """R2152-3: the tenderer must justify its price."""

    tenderer: Addressee
    lot: int | None = Field(default=None, ge=1, le=999)
    price_ht: Amount
    due_on: dt.date
    sent_on: dt.date | None = None
    points: list[Text] = Field(default_factory=list, max_length=30)


class Rejected(InputModel):
    tenderer: Addressee
    stage: Literal["candidature", "offre"] = "offre"
    reasons: list[Text] = Field(min_length=1, max_length=30)
    rank: int | None = Field(default=None, ge=1, le=10000)
    score: Annotated[Decimal, Field(ge=0, le=1000, allow_inf_nan=False)] | None = None


class Winner(InputModel):
    tenderer: Addressee
    amount_ht: Amount
    score: Annotated[Decimal, Field(ge=0, le=1000, allow_inf_nan=False)] | None = None
    advantages: list[Text] = Field(min_length=1, max_length=30)
    """Characteristics and relative advantages of the winning offer (R2181-3, R2181-4)."""
    documents_due_on: dt.date | None = None


class LotAward(InputModel):
    lot: int | None = Field(default=None, ge=1, le=999)
    lot_name: Name | None = None
    winner: Winner
    rejected: list[Rejected] = Field(default_factory=list, max_length=500)
    max_score: Annotated[Decimal, Field(gt=0, le=1000, allow_inf_nan=False)] = Decimal(100)
    min_amount_ht: Amount | None = None
    max_amount_ht: Amount | None = None
    """Minimum and maximum of a framework agreement (R2162-4), from the consultation's documents;
    the winner's ``amount_ht`` is then only its offer's estimate (DQE)."""

    @model_validator(mode="after")
    def _bounds(self) -> LotAward:
        if self.min_amount_ht and self.max_amount_ht and self.min_amount_ht > self.max_amount_ht:
            raise ValueError("le minimum de l'accord-cadre dépasse son maximum")
        return self


class LettersInput(InputModel):
    """Input of ``amo attribution lettres``."""

    date: dt.date
    reference: Name
    object: Name
    buyer: Sender
    electronic: bool = True
    calendar: AwardCalendarInput | None = None
    completions: list[CompletionRequest] = Field(default_factory=list, max_length=500)
    abnormal_prices: list[AbnormalPriceRequest] = Field(default_factory=list, max_length=500)
    awards: list[LotAward] = Field(default_factory=list, max_length=999)

    @model_validator(mode="after")
    def _coherent(self) -> LettersInput:
        if not (self.completions or self.abnormal_prices or self.awards):
            raise ValueError(
                "aucune lettre demandée (compléments de candidature, offres anormalement basses "
                "ou attribution)"
            )
        if self.awards and self.calendar is None:
            raise ValueError(
                "les lettres d'attribution et de rejet demandent le calendrier de l'attribution "
                "(« calendar », comme pour amo attribution calendrier)"
            )
        if self.awards and self.calendar is not None and self.date < self.calendar.decision_on:
            raise ValueError(
                "les lettres de rejet et d'attribution ne peuvent pas être datées avant la "
                "décision d'attribution"
            )
        requests: list[CompletionRequest | AbnormalPriceRequest] = [
            *self.completions,
            *self.abnormal_prices,
        ]
        for request in requests:
            if request.due_on <= (request.sent_on or self.date):
                raise ValueError("la date de réponse attendue doit suivre la date de la lettre")
        return self


class WrittenLetter(OutputModel):
    kind: Kind
    recipient: str
    lot: int | None
    docx: str
    pdf: str


class LettersResult(OutputModel):
    letters: list[WrittenLetter]
    standstill_last_day_on: dt.date | None
    earliest_signature_on: dt.date | None
    warnings: list[str]
    references: list[str]
    explanation: str


@dataclass(frozen=True)
class Block:
    text: str
    kind: Literal["paragraph", "heading", "bullet"] = "paragraph"


@dataclass
class Letter:
    kind: Kind
    title: str
    subject: str
    recipient: Addressee
    blocks: list[Block]
    references: list[str]
    lot: int | None = None
    sent_on: dt.date | None = None


# --- Entry points ---------------------------------------------------------------------------


def make_letters_from_dict(data: Any, out_dir: str | Path) -> LettersResult:
    return make_letters(parse_input(LettersInput, data), Path(out_dir))


def make_letters(data: LettersInput, out_dir: Path) -> LettersResult:
    if out_dir.exists() and not out_dir.is_dir():
        raise OpenAMOError(f"« {out_dir} » existe et n'est pas un dossier.", code="io")
    calendar = None
    if data.calendar is not None:
        # The standstill runs from the day the rejection letters are sent (R2182-1), which is
        # the date they bear, not necessarily the day of the decision.
        sent = data.calendar.rejections_sent_on or data.date
        calendar = award_calendar(data.calendar.model_copy(update={"rejections_sent_on": sent}))
    letters = build_letters(data, calendar)
    written = []
    for index, letter in enumerate(letters, start=1):
        stem = f"{index:02d}_{letter.kind}_{_slug(letter.recipient.name)}"
        docx, pdf = write_letter(data, letter, out_dir / f"{stem}.docx", out_dir / f"{stem}.pdf")
        written.append(
            WrittenLetter(
                kind=letter.kind,
                recipient=letter.recipient.name,
                lot=letter.lot,
                docx=str(docx),
                pdf=str(pdf),
            )
        )
    references = sorted({ref for letter in letters for ref in letter.references})
    warnings = list(calendar.warnings) if calendar else []
    warnings += [
        f"L'adresse postale de « {name} » manque : sa lettre la signale en surligné "
        f"« Adresse postale à compléter »."
        for name in dict.fromkeys(
            letter.recipient.name for letter in letters if not _has_postal_address(letter.recipient)
        )
    ]
    return LettersResult(
        letters=written,
        standstill_last_day_on=calendar.standstill_last_day_on if calendar else None,
        earliest_signature_on=calendar.earliest_signature_on if calendar else None,
        warnings=warnings,
        references=references,
        explanation=(
            f"{count(len(written), 'lettre')} de la consultation n° {data.reference} écrites dans "
            f"{out_dir}, chacune en Word et en PDF. Relisez-les et signez-les ; les lettres de "
            f"rejet et d'attribution d'un lot partent le même jour, qui ouvre le délai de "
            f"suspension."
        ),
    )


def build_letters(data: LettersInput, calendar: AwardCalendarResult | None) -> list[Letter]:
    letters = [_completion(data, request) for request in data.completions]
    letters += [_abnormal(data, request) for request in data.abnormal_prices]
    for award in data.awards:
        assert calendar is not None  # checked by LettersInput
        letters += [_rejection(data, award, rejected, calendar) for rejected in award.rejected]
        letters.append(_award(data, award, calendar))
    return letters


def write_letter(data: LettersInput, letter: Letter, docx: Path, pdf: Path) -> tuple[Path, Path]:
    context = letter_context(data, letter)
    header = PageHeader(
        buyer=data.buyer.name,
        name=letter.title,
        reference=f"Consultation n° {data.reference}",
        object=data.object,
        lot=f"Lot n° {letter.lot}" if letter.lot else "",
    )
    properties = Properties(
        title=f"{letter.title} — {letter.recipient.name}",
        subject=letter.subject,
        author=data.buyer.name,
        category="Courrier de la procédure de passation",
        keywords=[data.reference],
        references=letter.references,
    )
    try:
        render_docx(DOCX_TEMPLATE, context, docx, header=header, properties=properties)
        _keep_together(docx)
        render_pdf(HTML_TEMPLATE, context, pdf)
    except OSError as exc:
        raise OpenAMOError(
            f"Écriture impossible dans « {docx.parent} » : {exc.strerror}.", code="io"
        ) from None
    return docx, pdf


CLOSING = "Nous vous prions d'agréer"


def _keep_together(docx: Path) -> None:
    """The last paragraph of the text goes to the next page with the closing formula and the
    signature block (already kept together by the template): a signature never stands alone
    at the top of a page. Each of these paragraphs is also kept whole. A paragraph that
    announces a list (« … les recours suivants : ») stays with its first item."""
    from docx import Document

    document = Document(str(docx))
    paragraphs = document.paragraphs
    for paragraph in paragraphs:
        if paragraph.text.rstrip().endswith(":"):
            paragraph.paragraph_format.keep_with_next = True
    closing = next((i for i, p in enumerate(paragraphs) if p.text.startswith(CLOSING)), None)
    if closing is None:
        return
    before = next((i for i in range(closing - 1, -1, -1) if paragraphs[i].text.strip()), closing)
    for paragraph in paragraphs[before:]:
        paragraph.paragraph_format.keep_together = True
        if paragraph is not paragraphs[-1]:
            paragraph.paragraph_format.keep_with_next = True
    document.save(str(docx))


def letter_context(data: LettersInput, letter: Letter) -> dict[str, Any]:
    buyer = data.buyer
    return {
        "sender": {"name": buyer.name, "lines": _address_lines(buyer)},
        "recipient": {
            "name": letter.recipient.name,
            "lines": _address_lines(letter.recipient),
            "missing": (
                "" if _has_postal_address(letter.recipient) else "Adresse postale à compléter"
            ),
        },
        "place_and_date": f"À {commune(buyer.city)}, le {long_date(letter.sent_on or data.date)}",
        "sending": _sending(data, letter.recipient),
        "title": letter.title,
        "subject": letter.subject,
        "reference": data.reference,
        "object": data.object,
        "blocks": [{"kind": block.kind, "text": block.text} for block in letter.blocks],
        "signatory": _signatory(buyer.signatory),
        "references": " ; ".join(letter.references),
    }


def _signatory(signatory: Signatory) -> dict[str, str]:
    """« Le Maire, » over « Claire MARTIN »: the shared form of every signature block."""
    who = signature(signatory.name, signatory.title)
    return {"closing": who.closing, "name": who.name}


# --- The letters ----------------------------------------------------------------------------


def _completion(data: LettersInput, request: CompletionRequest) -> Letter:
    due = long_date(request.due_on)
    blocks = [
        Block(
            "L'examen de votre dossier de candidature fait apparaître que les pièces ou "
            "informations suivantes sont absentes ou incomplètes :"
        ),
        *[Block(item, "bullet") for item in request.missing],
        Block(
            f"En application de l'article R2144-2 du code de la commande publique, nous vous "
            f"invitons à compléter votre dossier au plus tard le {due}, par le profil "
            f"d'acheteur. Ce délai est le même pour tous les candidats invités à régulariser."
        ),
        Block(
            "Cette demande ne vous autorise pas à modifier votre offre. Faute de réponse "
            "complète dans ce délai, votre candidature sera déclarée irrecevable (R2144-7)."
        ),
    ]
    return Letter(
        kind="completion",
        title="Demande de compléments de candidature",
        subject="demande de compléter votre dossier de candidature",
        recipient=request.candidate,
        blocks=blocks,
        references=["CCP R2144-2", "CCP R2144-7"],
        sent_on=request.sent_on,
    )


_R2152_3 = (
    "le mode de fabrication des produits, les modalités de la prestation des services ou le "
    "procédé de construction",
    "les solutions techniques adoptées ou les conditions exceptionnellement favorables dont "
    "vous disposez pour exécuter les prestations",
    "l'originalité de l'offre",
    "la réglementation applicable en matière environnementale, sociale et du travail en "
    "vigueur au lieu d'exécution des prestations",
    "l'obtention éventuelle d'une aide d'État",
)


def _abnormal(data: LettersInput, request: AbnormalPriceRequest) -> Letter:
    lot = f" pour le lot n° {request.lot}" if request.lot else ""
    blocks = [
        Block(
            f"Votre offre{lot}, d'un montant de {format_euros(request.price_ht)} HT, paraît "
            f"anormalement basse au regard des prestations demandées et des autres offres."
        ),
        Block(
            f"En application des articles L2152-5 et R2152-3 du code de la commande publique, "
            f"nous vous demandons de justifier le prix ou les coûts proposés au plus tard le "
            f"{long_date(request.due_on)}. Vos justifications peuvent notamment porter sur :"
        ),
        *[Block(item, "bullet") for item in _R2152_3],
    ]
    if request.points:
        blocks.append(Block("Nous vous remercions de préciser en particulier :"))
        blocks += [Block(item, "bullet") for item in request.points]
    blocks.append(
        Block(
            "Si les éléments fournis ne justifient pas de façon satisfaisante le bas niveau du "
            "prix ou des coûts proposés, ou si l'offre est anormalement basse parce qu'elle "
            "contrevient aux obligations environnementales, sociales ou du travail, elle sera "
            "rejetée (R2152-3, L2152-6). Cette demande ne vous autorise pas à modifier votre "
            "offre."
        )
    )
    return Letter(
        kind="offre_anormalement_basse",
        title="Demande de justification d'une offre anormalement basse",
        subject=f"justification du prix de votre offre{lot}",
        recipient=request.tenderer,
        blocks=blocks,
        references=["CCP L2152-5", "CCP L2152-6", "CCP R2152-3"],
        lot=request.lot,
        sent_on=request.sent_on,
    )


def _lot_words(award: LotAward) -> str:
    if award.lot is None:
        return ""
    return f" pour le lot n° {award.lot}" + (f" « {award.lot_name} »" if award.lot_name else "")


def _score(value: Decimal | None, award: LotAward) -> str:
    if value is None:
        return ""
    text = f"{value.normalize():f}".replace(".", ",")
    return f"{text} / {award.max_score.normalize():f}".replace(".", ",")


def _amount_words(amount: Decimal, framework: bool) -> str:
    """« un montant de … HT »; for a framework agreement the amount is only the estimate of the
    offer from the DQE, never the value of the contract, and the letter says so."""
    if framework:
        return (
            f"un montant estimé de {format_euros(amount)} HT d'après le détail quantitatif "
            "estimatif (DQE)"
        )
    return f"un montant de {format_euros(amount)} HT"


def _framework_bounds(award: LotAward) -> str:
    """What binds the buyer under a framework agreement: the orders, within its bounds."""
    low, high = award.min_amount_ht, award.max_amount_ht
    if low and high:
        limits = (
            f"dans la limite d'un montant minimum de {format_euros(low)} HT et d'un montant "
            f"maximum de {format_euros(high)} HT"
        )
    elif high:
        limits = f"dans la limite d'un montant maximum de {format_euros(high)} HT"
    elif low:
        limits = f"avec un montant minimum de {format_euros(low)} HT"
    else:
        limits = "dans les limites (minimum, maximum) fixées par les documents de la consultation"
    return (
        "S'agissant d'un accord-cadre, ce montant est une estimation donnée à titre indicatif : "
        "il n'engage l'acheteur ni sur les quantités ni sur le montant des commandes. Seuls les "
        "bons de commande (ou marchés subséquents) émis en exécution de l'accord-cadre "
        f"l'engagent, {limits} sur sa durée."
    )


def _winner_words(winner: Winner, award: LotAward, framework: bool = False) -> str:
    return f"{winner.tenderer.name}, pour {_amount_words(winner.amount_ht, framework)}" + (
        f", avec une note de {_score(winner.score, award)}" if winner.score else ""
    )


def _is_framework(data: LettersInput) -> bool:
    return data.calendar is not None and data.calendar.framework_agreement


def _rejection(
    data: LettersInput, award: LotAward, rejected: Rejected, calendar: AwardCalendarResult
) -> Letter:
    what = "votre candidature" if rejected.stage == "candidature" else "votre offre"
    lot = _lot_words(award)
    winner = award.winner
    blocks = [
        Block(
            f"Nous avons le regret de vous informer que {what}{lot} n'a pas été retenue, "
            f"par décision du {long_date(calendar.decision_on)}."
        ),
        Block("Motifs du rejet", "heading"),
        *[Block(reason, "bullet") for reason in rejected.reasons],
    ]
    if rejected.stage == "offre" and (rejected.rank or rejected.score is not None):
        ranked = [f"classée en position n° {rejected.rank}"] if rejected.rank else []
        if rejected.score is not None:
            ranked.append(f"notée {_score(rejected.score, award)}")
        blocks.append(Block(f"Votre offre est {' et '.join(ranked)}."))
    # Every winner of the same lot (a framework agreement with several holders) is named,
    # with its offer's characteristics and relative advantages (R2181-3, R2181-4).
    winners = [a.winner for a in data.awards if a.lot == award.lot] or [winner]
    several = len(winners) > 1
    blocks += [
        Block("Offres retenues" if several else "Offre retenue", "heading"),
        Block(
            f"Le marché{lot} est attribué à "
            + " et à ".join(_winner_words(w, award, _is_framework(data)) for w in winners)
            + "."
        ),
    ]
    references = ["CCP R2181-1", "CCP R2181-2", "CCP R2181-3", "CCP R2181-4"]
    if rejected.stage == "offre":
        for w in winners:
            blocks.append(
                Block(
                    f"Caractéristiques et avantages relatifs de l'offre de {w.tenderer.name} :"
                    if several
                    else "Caractéristiques et avantages relatifs de l'offre retenue :"
                )
            )
            blocks += [Block(item, "bullet") for item in w.advantages]
    blocks += _signature_date(calendar)
    blocks.append(Block("Voies et délais de recours", "heading"))
    blocks.append(
        Block(
            "La présente décision peut faire l'objet des recours suivants, portés devant le "
            f"{_court(data.buyer.court, data.buyer.postcode)}\u00a0:"
        )
    )
    for remedy in calendar.remedies:
        blocks.append(Block(remedy.notice[:1].upper() + remedy.notice[1:], "bullet"))
        references += remedy.references
    blocks.append(
        Block(
            "Vous pouvez, dans les quinze jours de la réception de votre demande écrite, "
            "obtenir communication des motifs détaillés du rejet et, si votre offre n'était ni "
            "irrégulière, ni inacceptable, ni inappropriée, des caractéristiques et avantages "
            "relatifs de l'offre retenue (R2181-2, R2181-4)."
        )
    )
    return Letter(
        kind="rejet",
        title=(
            "Notification du rejet de la candidature"
            if rejected.stage == "candidature"
            else "Notification du rejet de l'offre"
        ),
        subject=f"rejet de {what}{lot}",
        recipient=rejected.tenderer,
        blocks=blocks,
        references=_unique([*references, *_standstill_references(calendar)]),
        lot=award.lot,
    )


def _court(court: str | None, postcode: str | None = None) -> str:
    """« tribunal administratif de Rennes » as typed (with or without its article), a bare town
    completed into the court's name; without a court, the one of the buyer's department (its
    postcode, CJA R221-3), else the one territorially competent."""
    name = " ".join((court or "").split())
    lowered = name.lower()
    for article in ("le ", "au "):
        if lowered.startswith(article):
            name, lowered = name[len(article) :], lowered[len(article) :]
    if not name:
        return administrative_court(postcode) or "tribunal administratif territorialement compétent"
    if lowered.startswith("tribunal"):
        return name[:1].lower() + name[1:]
    return f"tribunal administratif de {name}"


def _signature_date(calendar: AwardCalendarResult, *, to_winner: bool = False) -> list[Block]:
    blocks = [Block("Date de signature du marché", "heading")]
    earliest = long_date(calendar.earliest_signature_on)
    if calendar.standstill_required and calendar.standstill_last_day_on:
        blocks.append(
            Block(
                f"Conformément à l'article R2182-1 du code de la commande publique, le marché "
                f"ne sera pas signé avant le {earliest} : un délai de suspension de "
                f"{calendar.standstill_days} jours court à compter de l'envoi "
                + (
                    "de la notification du rejet aux autres candidats et soumissionnaires, "
                    if to_winner
                    else "de la présente notification, "
                )
                + f"jusqu'au {long_date(calendar.standstill_last_day_on)} inclus."
            )
        )
    else:
        blocks.append(Block(f"Le marché pourra être signé à compter du {earliest}."))
    return blocks


def _standstill_references(calendar: AwardCalendarResult) -> list[str]:
    return ["CCP R2182-1"] if calendar.standstill_required else []


def _award(data: LettersInput, award: LotAward, calendar: AwardCalendarResult) -> Letter:
    winner = award.winner
    lot = _lot_words(award)
    framework = _is_framework(data)
    blocks = [
        Block(
            f"Nous avons le plaisir de vous informer que votre offre{lot} a été retenue, par "
            f"décision du {long_date(calendar.decision_on)}, pour "
            f"{_amount_words(winner.amount_ht, framework)}."
        ),
    ]
    if framework:
        blocks.append(Block(_framework_bounds(award)))
    if winner.documents_due_on:
        blocks.append(
            Block(
                f"Avant la signature du marché, nous vous remercions de nous transmettre au "
                f"plus tard le {long_date(winner.documents_due_on)} les certificats et "
                f"attestations prouvant que vous n'êtes pas dans un cas d'exclusion (attestations "
                f"fiscale et sociale, attestation de vigilance, extrait K ou Kbis, R2143-6 à "
                f"R2143-10) ; à défaut, votre offre serait rejetée (R2144-7)."
            )
        )
    blocks += _signature_date(calendar, to_winner=True)
    blocks.append(
        Block(
            "Le marché signé vous sera ensuite notifié ; il prendra effet à la date de réception "
            "de cette notification (R2182-4). Aucune prestation ne doit commencer avant."
        )
    )
    return Letter(
        kind="attribution",
        title="Information de l'attributaire",
        subject=f"attribution du marché{lot}",
        recipient=winner.tenderer,
        blocks=blocks,
        references=_unique(
            ["CCP R2144-7", "CCP R2182-4", *_standstill_references(calendar)]
            + (["CCP R2143-6 à R2143-10"] if winner.documents_due_on else [])
            + (["CCP R2162-4"] if framework else [])
        ),
        lot=award.lot,
    )


# --- Helpers --------------------------------------------------------------------------------


def _has_postal_address(party: Addressee) -> bool:
    return bool(party.address and party.city)


def _address_lines(party: Addressee) -> list[str]:
    lines = [party.address] if party.address else []
    town = " ".join(part for part in (party.postcode, party.city) if part)
    if town:
        lines.append(town)
    if party.siret:
        s = party.siret
        lines.append(f"SIRET {s[:3]} {s[3:6]} {s[6:9]} {s[9:]}")
    return lines


def _sending(data: LettersInput, recipient: Addressee) -> str:
    if data.electronic:
        where = f" ({recipient.email})" if recipient.email else ""
        return f"Envoyé par voie électronique, par le profil d'acheteur{where}."
    return "Envoyé par lettre recommandée avec demande d'avis de réception."


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:40] or "destinataire"


def _unique(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(items))


def render_summary(result: LettersResult) -> str:
    lines = [result.explanation]
    for letter in result.letters:
        lot = f" (lot {letter.lot})" if letter.lot else ""
        lines.append(f"- {letter.recipient}{lot} : {letter.docx} ; {letter.pdf}")
    if result.earliest_signature_on:
        lines.append(f"Signature possible à partir du {long_date(result.earliest_signature_on)}.")
    lines += [f"Attention : {warning}" for warning in result.warnings]
    lines.append("Références : " + " ; ".join(result.references))
    return "\n".join(lines)
