"""The DCE: règlement de la consultation, actes d'engagement, CCAP, CCTP (DOCX from docxtpl
templates) and BPU/DQE per lot (XLSX with formulas), from one checked consultation.

The consultation is checked first (:mod:`openamo.award.dossier`); a consultation that breaks a
rule is refused with a French error. The templates are files under ``templates/`` (``dce_*``,
``bpu_dqe.xlsx``); this module only prepares their data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openamo import law
from openamo.award._format import fr_number, fr_plain
from openamo.award.consultation import ContractForm, DceLot, PriceForm
from openamo.award.dossier import ConsultationFile, prepare_consultation_from_dict
from openamo.award.enums import CheckLevel
from openamo.award.methods import METHODS
from openamo.award.models import Check, CriterionInput
from openamo.construction._calendar import previous_working_day
from openamo.dates import MONTH_NAMES
from openamo.documents.finish import Properties
from openamo.documents.pagination import PageCache, enabled, number_toc_pages
from openamo.documents.render import PageHeader, render_docx
from openamo.documents.signatory import represented, signature
from openamo.documents.xlsx import Bounds, Line, bounds_warning, write_bpu_dqe
from openamo.errors import LawDataError, OpenAMOError
from openamo.law.courts import administrative_court
from openamo.money import format_euros
from openamo.postal import parse_postal_address
from openamo.procurement.enums import Buyer, Publicity
from openamo.validation import OutputModel

PARIS = ZoneInfo("Europe/Paris")
MINIMUM_HOLDERS = "procurement.accords_cadres.titulaires_minimum_multi_attributaire"


class GeneratedDocuments(OutputModel):
    files: list[str]
    procedure: str | None = None
    min_response_days: int | None = None
    response_days: int | None = None
    checks: list[Check] = []
    warnings: list[str] = []
    ambiguities: list[str] = []
    references: list[str]
    explanation: str


def generate_dce_from_dict(data: Any, out_dir: str | Path) -> GeneratedDocuments:
    return generate_dce(prepare_consultation_from_dict(data), Path(out_dir))


def dce_archive_from_dict(data: Any) -> tuple[bytes, GeneratedDocuments]:
    """The whole DCE as one ZIP (what the web page offers for download), and its summary."""
    return dce_archive(prepare_consultation_from_dict(data))


def dce_archive(
    file: ConsultationFile, toc_cache: PageCache | None = None
) -> tuple[bytes, GeneratedDocuments]:
    """The ZIP of the checked consultation file ``file`` (:func:`prepare_consultation`);
    ``toc_cache`` keeps the pages of the tables of contents between two downloads."""
    import tempfile
    import zipfile
    from io import BytesIO

    buffer = BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        result = generate_dce(file, Path(tmp), toc_cache)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in result.files:
                archive.write(name, arcname=Path(name).name)
    files = [Path(name).name for name in result.files]
    return buffer.getvalue(), result.model_copy(update={"files": files})


def write_dce_archive(data: Any, out: str | Path) -> GeneratedDocuments:
    """The ZIP the web page downloads, written to ``out`` (same function as the web)."""
    target = Path(out)
    content, result = dce_archive_from_dict(data)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    except OSError as exc:
        raise OpenAMOError(
            f"Écriture impossible de « {target} » : {exc.strerror}.", code="io"
        ) from None
    return result.model_copy(
        update={
            "files": [str(target)],
            "explanation": result.explanation.split(" documents écrits")[0]
            + f" documents réunis dans {target}.",
        }
    )


def generate_dce(
    file: ConsultationFile, out_dir: Path, toc_cache: PageCache | None = None
) -> GeneratedDocuments:
    if out_dir.exists() and not out_dir.is_dir():
        raise OpenAMOError(f"« {out_dir} » existe et n'est pas un dossier.", code="io")
    context = _common(file)
    long_pieces = [  # the pieces with a table of contents
        _docx(file, "dce_rc.docx", context | _rc(file), out_dir / "RC.docx"),
        _docx(file, "dce_ccap.docx", context | _ccap(file), out_dir / "CCAP.docx"),
    ]
    written = [*long_pieces, _docx(file, "dce_cctp.docx", context, out_dir / "CCTP.docx")]
    bounds_warnings: list[str] = []
    for lot, lot_context in zip(file.data.lots, context["lots"], strict=True):
        written.append(
            _docx(
                file,
                "dce_ae.docx",
                context | {"lot": lot_context},
                out_dir / f"AE_lot_{lot.number}.docx",
                lot=f"Lot n° {lot.number}",
            )
        )
        workbook, bounds = _workbook(file, lot, out_dir / f"BPU_DQE_lot_{lot.number}.xlsx")
        written.append(workbook)
        if bounds:
            bounds_warnings.append(bounds)
    findings = file.findings
    missing = missing_information(file)
    toc_warnings = []
    if enabled() and len(number_toc_pages(long_pieces, toc_cache)) < len(long_pieces):
        toc_warnings.append(
            "Les numéros de page du sommaire du RC et du CCAP n'ont pas pu être calculés "
            "(LibreOffice ou poppler-utils absent) : Word les écrit à l'ouverture, LibreOffice "
            "par Outils › Mettre à jour › Tout mettre à jour."
        )
    return GeneratedDocuments(
        files=[str(path) for path in written],
        procedure=file.procedure_type.value,
        min_response_days=file.procedure.min_response_days,
        response_days=file.response_days,
        checks=findings.checks,
        warnings=[*findings.warnings, *missing, *bounds_warnings, *toc_warnings],
        ambiguities=findings.ambiguities,
        references=findings.references,
        explanation=(
            f"DCE de la consultation « {file.data.object} » : {len(written)} documents écrits "
            f"dans {out_dir} ({file.procedure_type.label} ; délai de réponse de "
            f"{file.response_days} jours). Relisez-les et adaptez-les avant publication."
        ),
    )


PIECE_NAMES = {
    "dce_rc.docx": "Règlement de la consultation",
    "dce_ccap.docx": "Cahier des clauses administratives particulières",
    "dce_cctp.docx": "Cahier des clauses techniques particulières",
    "dce_ae.docx": "Acte d'engagement",
}


def missing_information(file: ConsultationFile) -> list[str]:
    """What the buyer has not given and the pieces cannot invent: each gap is highlighted
    (« À compléter ») in the document and listed here, never replaced by made-up text."""
    data = file.data
    gaps = []
    if not data.delivery_sites:
        gaps.append(
            "Les sites de livraison ou d'exécution manquent ; le CCTP les "
            "signale en surligné « À compléter »."
        )
    if not data.buyer.accountant:
        gaps.append(
            "Le comptable public assignataire manque ; chaque acte "
            "d'engagement le signale en surligné « À compléter »."
        )
    if data.price.revision:
        for index, term in enumerate(data.price.revision.terms, 1):
            if not term.index_reference:
                gaps.append(
                    f"L'indice I{index} « {term.index_name} » n'a pas d'identifiant de série "
                    "INSEE (idBank) ; le CCAP le signale en surligné « À compléter »."
                )
    if social_condition_mandatory(file) and not data.social_conditions:
        gaps.append(
            "Marché d'une valeur au moins égale aux seuils européens lancé à partir du "
            "21/08/2026 : une condition d'exécution sociale ou relative à l'emploi est "
            "obligatoire (CCP L2112-2-1) et manque."
        )
    for lot in file.data.lots:
        if not lot.description:
            gaps.append(
                f"Lot n° {lot.number} : la description des prestations manque ; le CCTP la "
                "signale en surligné « À compléter » — ajoutez-la avant publication."
            )
        if not lot.requirements:
            gaps.append(
                f"Lot n° {lot.number} : les exigences techniques manquent ; le CCTP les "
                "signale en surligné « À compléter » — ajoutez-les avant publication."
            )
    return gaps


def _docx(
    file: ConsultationFile, template: str, context: dict[str, Any], out: Path, lot: str = ""
) -> Path:
    data = file.data
    name = PIECE_NAMES[template]
    header = PageHeader(
        buyer=data.buyer.name,
        reference=f"Consultation n° {data.reference}",
        object=data.object,
        name=name,
        lot=lot,
    )
    properties = Properties(
        title=f"{name}{f' — {lot}' if lot else ''} — {data.object}",
        subject=f"{data.object} (consultation n° {data.reference})",
        author=data.buyer.name,
        category="Dossier de consultation des entreprises",
        keywords=[data.reference, *([data.cpv] if data.cpv else [])],
        references=file.findings.references,
        extra=[f"Procédure : {file.procedure_type.label}."],
    )
    try:
        return render_docx(template, context, out, header=header, properties=properties)
    except OSError as exc:
        raise OpenAMOError(
            f"Écriture impossible de « {out} » : {exc.strerror}.", code="io"
        ) from None


def _workbook(file: ConsultationFile, lot: DceLot, out: Path) -> tuple[Path, str | None]:
    """The lot's BPU/DQE and, when the DQE at the buyer's prices falls outside the lot's
    minimum or maximum, the warning returned with the result — never printed on the sheet the
    bidders receive: it gives away the buyer's estimate and speaks to the buyer."""
    data = file.data
    lines = [
        Line(
            code=item.code or str(index + 1),
            designation=item.designation,
            unit=item.unit,
            quantity=item.quantity,
            label=item.egalim_label or "",
            estimated_unit_price=item.estimated_unit_price_ht,
        )
        for index, item in enumerate(lot.items)
    ]
    warning = bounds_warning(
        f"Lot {lot.number}", lines, Bounds(lot.min_amount_ht, lot.max_amount_ht)
    )
    path = write_bpu_dqe(
        out,
        title=f"Lot {lot.number} — {lot.name}",
        subtitle=f"{data.buyer.name} — {data.object} — consultation n° {data.reference}",
        lines=lines,
    )
    return path, warning


# --- Context shared by every document -------------------------------------------------------


def _quantity(value: Decimal) -> str:
    """A quantity as a French reader writes it: ``52000`` → « 52 000 », ``12.5`` → « 12,5 »."""
    exponent = value.normalize().as_tuple().exponent
    return fr_number(value, max(0, -exponent) if isinstance(exponent, int) else 0)


def _text(value: str | None) -> str:
    return value or ""


def _court_of(address: str | None) -> str:
    """The tribunal administratif of the buyer's department, read from its postcode; empty
    (the template says « territorialement compétent ») when the address has none."""
    postcode = parse_postal_address(address or "").postcode
    return administrative_court(postcode) or ""


def _deadline(moment: dt.datetime) -> str:
    return f"{moment:%d/%m/%Y} à {moment:%H} h {moment:%M}"


def _deadline_day(moment: dt.datetime) -> str:
    """A « au plus tard le » date of the RC: on a Saturday, Sunday or public holiday (the
    questions ten days before an offer deadline of 11 January fall on 1 January), the working
    day before — never later, the answers are due six days before the deadline (R2132-6)."""
    return f"{previous_working_day(moment.date()):%d/%m/%Y}"


QUESTIONS_DAYS = "procurement.advice.delai_questions_candidats"
ANSWERS_DAYS = "procurement.deadlines.renseignements_complementaires"


def _questions_and_answers(file: ConsultationFile) -> dict[str, Any]:
    """The last days for the bidders' questions (the buyer's choice) and for the answers
    (R2132-6), counted back from the offer deadline, in force on the launch date."""
    rules = law.at(file.data.launch_date)
    questions = int(rules.value(QUESTIONS_DAYS))
    answers = int(rules.value(ANSWERS_DAYS))
    deadline = file.data.response_deadline
    return {
        "questions_until": _deadline_day(deadline - dt.timedelta(days=questions)),
        "answers_until": _deadline_day(deadline - dt.timedelta(days=answers)),
        "answers_days": answers,
        "answers_reference": rules.reference(ANSWERS_DAYS),
    }


STANDSTILL_ELECTRONIC_DAYS = "procurement.attribution.delai_suspension_electronique"
STANDSTILL_DAYS = "procurement.attribution.delai_suspension"
CONTRACT_REFERRAL_DAYS = "procurement.attribution.refere_contractuel_apres_avis"
CONTRACT_REFERRAL_MONTHS = "procurement.attribution.refere_contractuel_sans_avis"
THIRD_PARTY_MONTHS = "procurement.attribution.recours_tiers"


def _remedies(file: ConsultationFile) -> dict[str, int]:
    """The time limits the RC gives for each remedy, in force on the launch date."""
    rules = law.at(file.data.launch_date)
    return {
        "standstill_electronic_days": int(rules.value(STANDSTILL_ELECTRONIC_DAYS)),
        "standstill_days": int(rules.value(STANDSTILL_DAYS)),
        "contract_referral_days": int(rules.value(CONTRACT_REFERRAL_DAYS)),
        "contract_referral_months": int(rules.value(CONTRACT_REFERRAL_MONTHS)),
        "third_party_months": int(rules.value(THIRD_PARTY_MONTHS)),
    }


def _spaced_siret(siret: str) -> str:
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"


def _is_it(file: ConsultationFile) -> bool:
    """A purchase of IT services or software: CCAG-TIC, or CPV division 48 or 72."""
    data = file.data
    return "TIC" in (data.ccag or "").upper() or (data.cpv or "")[:2] in {"48", "72"}


def _duration(file: ConsultationFile) -> str:
    data = file.data
    text = f"{data.duration_months} mois à compter de la notification"
    if data.renewals:
        text += (
            f", reconductible tacitement {data.renewals} fois pour {data.renewal_months} mois ; "
            "l'acheteur peut refuser la reconduction, le titulaire ne le peut pas (article R2112-4)"
        )
    return text + "."


_FRAMEWORK_SHORT = {
    ContractForm.ACCORD_CADRE_BONS_DE_COMMANDE: "Accord-cadre à bons de commande",
    ContractForm.ACCORD_CADRE_MARCHES_SUBSEQUENTS: "Accord-cadre à marchés subséquents",
    ContractForm.ACCORD_CADRE_MIXTE: (
        "Accord-cadre exécuté par bons de commande et par marchés subséquents"
    ),
}


def _amounts(file: ConsultationFile, lot: DceLot) -> str:
    short = _FRAMEWORK_SHORT.get(file.data.contract_form)
    if short is not None:
        low = (
            f"minimum {format_euros(lot.min_amount_ht)} HT" if lot.min_amount_ht else "sans minimum"
        )
        high = (
            f"maximum {format_euros(lot.max_amount_ht)} HT"
            if lot.max_amount_ht
            else "maximum à fixer"
        )
        return f"{short}, {low}, {high} par période."
    return "Marché ordinaire à prix unitaires."


def _minimum_holders(file: ConsultationFile) -> int | None:
    try:
        return int(law.at(file.data.launch_date).value(MINIMUM_HOLDERS))
    except LawDataError:
        return None


def _winners(file: ConsultationFile) -> str:
    data = file.data
    if data.winners == 1:
        return (
            "Chaque lot est attribué au soumissionnaire ayant présenté l'offre économiquement la "
            "plus avantageuse."
        )
    text = (
        f"Chaque lot est attribué à {data.winners} titulaires au plus (accord-cadre "
        "multi-attributaire), dans l'ordre du classement"
    )
    minimum = _minimum_holders(file) if data.contract_form.is_framework else None
    if minimum is not None:
        text += (
            f" ; l'accord-cadre multi-attributaire compte au moins {minimum} titulaires, sous "
            "réserve d'un nombre suffisant d'offres régulières, acceptables et appropriées "
            "(article L2125-1 du code de la commande publique)"
        )
    return text + "."


def _subsequent_scope(file: ConsultationFile) -> str:
    if not file.data.contract_form.by_subsequent_contracts:
        return ""
    return (
        "Les marchés subséquents précisent les caractéristiques et les modalités d'exécution des "
        "prestations demandées qui n'ont pas été fixées dans l'accord-cadre ; ils ne peuvent "
        "entraîner de modification substantielle de ses termes (article R2162-7 du code de la "
        "commande publique). Ils sont conclus au fur et à mesure des besoins, dans la limite du "
        "maximum de l'accord-cadre ; fondés sur l'accord-cadre, ils ne sont pas précédés du "
        "délai de suspension de l'article R2182-1 (article R2182-2, 2°)."
    )


def _subsequent_award(file: ConsultationFile) -> str:
    data = file.data
    if not data.contract_form.by_subsequent_contracts:
        return ""
    if data.winners == 1:
        return (
            "L'accord-cadre étant conclu avec un seul titulaire, les marchés subséquents lui sont "
            "attribués dans les conditions fixées par l'accord-cadre ; préalablement à leur "
            "conclusion, l'acheteur peut lui demander par écrit de compléter son offre (article "
            "R2162-9 du code de la commande publique)."
        )
    deadline = (
        f"dans un délai de {data.subsequent_response_days} jours à compter de l'envoi de la "
        "consultation"
        if data.subsequent_response_days is not None
        else "dans le délai que fixe la consultation, suffisant compte tenu de la complexité de "
        "l'objet du marché subséquent et du temps nécessaire à la transmission des offres"
    )
    return (
        "L'accord-cadre étant conclu avec plusieurs titulaires, chaque marché subséquent est "
        "attribué après remise en concurrence des titulaires (article R2162-10 du code de la "
        "commande publique) : l'acheteur consulte par écrit les titulaires de l'accord-cadre ou, "
        f"s'il est alloti, ceux du lot concerné ; ceux-ci remettent une offre écrite {deadline} ; "
        "les offres ne sont pas ouvertes avant l'expiration de ce délai ; le marché subséquent est "
        "attribué au titulaire qui a présenté l'offre économiquement la plus avantageuse sur la "
        "base des critères d'attribution de l'accord-cadre."
    )


def _orders_text(file: ConsultationFile) -> str:
    data = file.data
    if not data.contract_form.by_orders:
        return ""
    scope = (
        "Les prestations qui relèvent des bons de commande sont commandées"
        if data.contract_form.by_subsequent_contracts
        else "L'accord-cadre est exécuté"
    )
    return (
        f"{scope} par bons de commande successifs, émis par l'acheteur au fur et à mesure de ses "
        "besoins, sans négociation ni remise en concurrence préalable des titulaires, et "
        "notifiés par voie électronique (articles R2162-13 et R2162-14). Chaque bon précise les "
        "prestations, leur quantité, le lieu et la date de livraison et le montant calculé "
        "d'après les prix du BPU. Les minimums et maximums de chaque lot s'entendent en valeur "
        "hors taxes pour chaque période d'exécution."
    )


def _framework_note(file: ConsultationFile) -> str:
    """What the AE of an accord-cadre commits to: the accord-cadre itself, not each contract."""
    form = file.data.contract_form
    if not form.is_framework:
        return ""
    text = (
        "Le présent acte d'engagement est celui de l'accord-cadre : il engage le titulaire sur "
        "les termes de l'accord-cadre pour toute sa durée et dans la limite de son maximum"
    )
    if form.by_subsequent_contracts:
        text += (
            " ; chaque marché subséquent est un contrat distinct, conclu dans les conditions de "
            "l'accord-cadre, qui fixe les prestations, leurs prix et leurs délais"
        )
    if form.by_orders:
        text += " ; les bons de commande sont émis dans les conditions de l'accord-cadre"
    return text + "."


def _egalim_lines(file: ConsultationFile, lot: DceLot) -> list[str]:
    if not lot.catering or lot.egalim is None:
        return []
    labels = {
        "quality_percent": "produits durables et de qualité",
        "organic_percent": "produits issus de l'agriculture biologique",
        "meat_fish_percent": "produits durables et de qualité parmi les viandes et poissons",
    }
    lines = []
    for field, label in labels.items():
        value = getattr(lot.egalim, field)
        if value is not None:
            lines.append(
                f"Lot {lot.number} : au moins {fr_number(value, 0)} % de {label}, en valeur HT "
                "des livraisons de chaque année d'exécution (engagement contractuel)."
            )
    return lines


def _lot_context(file: ConsultationFile, lot: DceLot) -> dict[str, Any]:
    return {
        "number": lot.number,
        "name": lot.name,
        "description": _text(lot.description),
        "amounts": _amounts(file, lot),
        "min_amount": format_euros(lot.min_amount_ht) if lot.min_amount_ht else "",
        "max_amount": format_euros(lot.max_amount_ht) if lot.max_amount_ht else "",
        "advance": advance_for(file, lot) or "",
        "catering": lot.catering,
        "requirements": list(lot.requirements),
        "lines": [
            {
                "code": _text(item.code) or str(index + 1),
                "designation": item.designation,
                "unit": item.unit,
                "quantity": _quantity(item.quantity),
                "label": _text(item.egalim_label),
            }
            for index, item in enumerate(lot.items)
        ],
        "egalim": _egalim_lines(file, lot),
    }


def _publicity(file: ConsultationFile) -> str:
    labels = {tier.value: tier.label for tier in Publicity}
    return labels.get(file.procedure.publicity, file.procedure.publicity)


def _common(file: ConsultationFile) -> dict[str, Any]:
    data = file.data
    buyer = data.buyer
    return {
        "buyer": {
            "name": buyer.name,
            "address": _text(buyer.address),
            "representative": signature(None, buyer.representative).represented_by,
            "profile_url": _text(buyer.profile_url),
            "court": buyer.court or _court_of(buyer.address),
            "contact": _text(buyer.contact),
            "siret": _spaced_siret(buyer.siret) if buyer.siret else "",
            "accountant": _text(buyer.accountant),
            "represented": represented(buyer.name),
        },
        "consultation": {
            "object": data.object,
            "reference": data.reference,
            "cpv": _text(data.cpv),
            "nature": data.nature.label.lower(),
            "contract_form": data.contract_form.label,
            "ccag": data.ccag or "aucun CCAG (toutes les clauses figurent au CCAP)",
            "deadline": _deadline(data.response_deadline),
            "validity_days": data.validity_days,
            "duration": _duration(file),
            "variants": "Les variantes sont autorisées."
            if data.variants_allowed
            else "Les variantes ne sont pas autorisées.",
            "negotiation": data.negotiation,
            "site_visit": data.site_visit,
            **_questions_and_answers(file),
            "remedies": _remedies(file),
            "delivery_sites": list(data.delivery_sites),
            "payment_days": payment_days(file),
            "it": _is_it(file),
            "contract_form_orders": data.contract_form.by_orders,
            "contract_form_subsequent": data.contract_form.by_subsequent_contracts,
            "subsequent_only": data.contract_form is ContractForm.ACCORD_CADRE_MARCHES_SUBSEQUENTS,
            "orders_text": _orders_text(file),
            "subsequent_scope": _subsequent_scope(file),
            "subsequent_award": _subsequent_award(file),
            "mixed_split": _text(data.mixed_split),
            "framework_note": _framework_note(file),
        },
        "procedure": {
            "label": file.procedure_type.label + ".",
            "short": file.procedure_type.label,
            "publicity": _publicity(file),
            "dce_on_profile": file.procedure.dce_on_buyer_profile,
        },
        "price": _price(file),
        "advance": _advance(file),
        "lots": [_lot_context(file, lot) for lot in data.lots],
        "contractor_fields": [
            "Nom, prénom et qualité du signataire",
            "Raison sociale et forme juridique",
            "Adresse du siège",
            "Numéro SIRET",
            "Adresse électronique",
            "Téléphone",
        ],
        "bank_fields": [
            "Titulaire du compte",
            "Établissement bancaire",
            "IBAN",
            "BIC",
        ],
    }


def _price(file: ConsultationFile) -> dict[str, Any]:
    price = file.data.price
    context: dict[str, Any] = {
        "form": price.form.label,
        "revisable": price.form is PriceForm.REVISABLE,
        "actualisable": price.form is PriceForm.FERME_ACTUALISABLE,
    }
    revision = price.revision
    if revision is None:
        return context
    parts = [fr_plain(revision.fixed_part)] if revision.fixed_part else []
    parts += [
        f"{fr_plain(term.weight)} × I{index}/I{index}₀"
        for index, term in enumerate(revision.terms, 1)
    ]
    context |= {
        "formula": "P = P0 × (" + " + ".join(parts) + ")",
        "terms": [
            f"I{index} : {term.index_name}"
            + (f" ({term.index_reference})" if term.index_reference else "")
            + f", I{index}₀ sa valeur du mois zéro"
            for index, term in enumerate(revision.terms, 1)
        ],
        "base_month": _month(revision.base_month),
        "periodicity": revision.periodicity,
        "places": revision.coefficient_places,
        "fixed_part_note": (
            f"La partie fixe de {fr_plain(revision.fixed_part)} n'est pas révisée ; la circulaire "
            "du 29 septembre 2022 recommande de ne prévoir de terme fixe que dans des cas "
            "particuliers."
            if revision.fixed_part
            else "La formule ne comporte pas de partie fixe."
        ),
    }
    return context


def _month(value: str) -> str:
    year, month = value.split("-")
    return f"{MONTH_NAMES[int(month) - 1]} {year}"


def _advance_rule(file: ConsultationFile) -> tuple[Decimal, int]:
    rules = law.at(file.data.launch_date)
    return (
        Decimal(str(rules.value("payment.advance.seuil_montant"))),
        int(rules.value("payment.advance.seuil_duree")),
    )


def advance_for(file: ConsultationFile, lot: DceLot) -> str | None:
    """When an avance can be due on this lot, the sentence that says how; None when it cannot
    (R2191-3 for a contract, R2191-16 and R2191-17 for a framework agreement by orders)."""
    threshold, months = _advance_rule(file)
    data = file.data
    if data.duration_months <= months:
        return None
    rate = (
        f"de {fr_number(data.advance_percent)} % "
        if data.advance_percent is not None
        else "au taux minimal réglementaire "
    )
    limit = format_euros(threshold)
    subsequent = (
        f"Une avance {rate}est versée pour chaque marché subséquent d'un montant supérieur à "
        f"{limit} HT et d'une durée d'exécution supérieure à {months} mois (article R2191-3), "
        "sauf renonciation du titulaire."
    )
    if data.contract_form is ContractForm.ACCORD_CADRE_MARCHES_SUBSEQUENTS:
        return subsequent
    if data.contract_form is ContractForm.ACCORD_CADRE_MIXTE:
        return (
            f"Une avance {rate}est versée pour chaque bon de commande et chaque marché "
            f"subséquent d'un montant supérieur à {limit} HT et d'une durée d'exécution "
            f"supérieure à {months} mois (articles R2191-3 et R2191-17), sauf renonciation du "
            "titulaire."
        )
    if data.contract_form is ContractForm.ACCORD_CADRE_BONS_DE_COMMANDE:
        if lot.min_amount_ht is not None and lot.min_amount_ht > threshold:
            return (
                f"Une avance {rate}est versée en une fois sur la base du montant minimum du lot, "
                f"supérieur à {limit} HT (article R2191-16), sauf renonciation du titulaire."
            )
        if lot.max_amount_ht is not None and lot.max_amount_ht <= threshold:
            return None
        return (
            f"Une avance {rate}est versée pour chaque bon de commande d'un montant supérieur à "
            f"{limit} HT et d'une durée d'exécution supérieure à {months} mois (article "
            "R2191-17), sauf renonciation du titulaire."
        )
    if lot.estimated_amount_ht <= threshold:
        return None
    return (
        f"Une avance {rate}du montant initial TTC est versée au titulaire (articles R2191-3 et "
        "R2191-7), sauf renonciation de sa part."
    )


def _advance(file: ConsultationFile) -> str:
    texts = [(lot.number, text) for lot in file.data.lots if (text := advance_for(file, lot))]
    threshold, months = _advance_rule(file)
    if not texts:
        return (
            f"Aucune avance n'est prévue : aucun lot ne peut atteindre les conditions de l'avance "
            f"(montant supérieur à {format_euros(threshold)} HT et durée supérieure à {months} "
            "mois, articles R2191-3, R2191-16 et R2191-17)."
        )
    if len({text for _, text in texts}) == 1 and len(texts) == len(file.data.lots):
        return texts[0][1]
    return " ".join(f"Lot {number} : {text}" for number, text in texts)


def payment_days(file: ConsultationFile) -> int:
    """The maximum payment period of this buyer on the launch date (R2192-10, R2192-11)."""
    rules = law.at(file.data.launch_date)
    path = {
        Buyer.ENTITE_ADJUDICATRICE: "payment.deadlines.entreprises_publiques",
    }.get(file.data.buyer.buyer_type, "payment.deadlines.etat_collectivites")
    return int(rules.value(path))


def social_condition_mandatory(file: ConsultationFile) -> bool:
    """Whether the execution conditions must include a social consideration (L2112-2-1): the
    domain decides it (value against the EU threshold, launch date, exception invoked)."""
    return file.social_conditions_mandatory


# --- Règlement de la consultation -----------------------------------------------------------


def _criteria_rows(criteria: Sequence[CriterionInput]) -> list[dict[str, str]]:
    rows = []
    for criterion in criteria:
        if criterion.kind.is_price:
            detail = METHODS[criterion.price_method].label
        else:
            detail = f"Note sur {fr_number(criterion.scale, 0)}" + (
                f" — {criterion.description}" if criterion.description else ""
            )
        rows.append(
            {"name": criterion.name, "weight": f"{fr_number(criterion.weight)} %", "detail": detail}
        )
        for sub in criterion.sub_criteria:
            rows.append(
                {
                    "name": f"    — {sub.name}",
                    "weight": f"{fr_number(sub.weight)} %",
                    "detail": _text(sub.description)
                    + (" (critère environnemental)" if sub.environmental else ""),
                }
            )
    return rows


def _criteria_blocks(file: ConsultationFile) -> list[dict[str, Any]]:
    data = file.data
    shared = [lot.number for lot in data.lots if lot.criteria is None]
    blocks = []
    if shared:
        title = (
            "Critères des lots " + ", ".join(str(n) for n in shared)
            if len(shared) < len(data.lots)
            else "Critères (tous les lots)"
        )
        blocks.append({"title": title, "rows": _criteria_rows(data.criteria)})
    for lot in data.lots:
        if lot.criteria is not None:
            blocks.append(
                {"title": f"Critères du lot {lot.number}", "rows": _criteria_rows(lot.criteria)}
            )
    return blocks


def _price_methods(file: ConsultationFile) -> list[dict[str, str]]:
    seen: dict[str, dict[str, str]] = {}
    all_criteria = list(file.data.criteria) + [
        c for lot in file.data.lots for c in lot.criteria or []
    ]
    for criterion in all_criteria:
        if criterion.kind.is_price and criterion.name not in seen:
            info = METHODS[criterion.price_method]
            seen[criterion.name] = {
                "criterion": criterion.name,
                "label": info.label,
                "formula": info.formula,
            }
    return list(seen.values())


def _rc(file: ConsultationFile) -> dict[str, Any]:
    data = file.data
    tie = (
        f"En cas d'égalité de note globale, l'offre la mieux notée sur le critère « {data.tie_break} » est classée en premier."
        if data.tie_break
        else "En cas d'égalité de note globale, les offres ex aequo sont classées au même rang ; l'acheteur peut demander aux soumissionnaires concernés de préciser la teneur de leur offre sans la modifier."
    )
    winners = _winners(file)
    return {
        "dce_documents": [
            "Le présent règlement de la consultation (RC)",
            "L'acte d'engagement (AE) de chaque lot",
            "Le cahier des clauses administratives particulières (CCAP)",
            "Le cahier des clauses techniques particulières (CCTP)",
            "Le bordereau des prix unitaires (BPU) et le détail quantitatif estimatif (DQE) de chaque lot (tableur)",
        ],
        "candidacy_documents": _candidacy_documents(file),
        "offer_documents": [
            "L'acte d'engagement du lot, complété et signé par la personne habilitée",
            "Le BPU complété (tous les prix unitaires renseignés) et le DQE correspondant",
            "Un mémoire technique répondant à chaque critère et sous-critère",
        ],
        "technical_memo": list(data.technical_memo),
        "criteria_blocks": _criteria_blocks(file),
        "publish_price_method": data.publish_price_method,
        "price_methods": _price_methods(file),
        "tie_break": tie,
        "winners": winners,
    }


def _candidacy_documents(file: ConsultationFile) -> list[str]:
    data = file.data
    items = [
        "Lettre de candidature (DC1) ou DUME, avec l'habilitation du mandataire en cas de groupement",
        "Déclaration sur l'honneur que le candidat n'entre dans aucun des cas d'interdiction de soumissionner mentionnés aux articles L2141-1 à L2141-5 et L2141-7 à L2141-11 du code de la commande publique, et qu'il est en règle au regard des articles L5212-1 à L5212-11 du code du travail (emploi des travailleurs handicapés) (article R2143-3)",
        "Déclaration du candidat (DC2) ou DUME",
    ]
    if data.economic_capacity:
        items.append(f"Capacité économique et financière : {data.economic_capacity}")
    if data.technical_capacity:
        items.append(f"Capacités techniques et professionnelles : {data.technical_capacity}")
    return items


# --- CCAP -----------------------------------------------------------------------------------


def _ccap(file: ConsultationFile) -> dict[str, Any]:
    data = file.data
    catering = [lot for lot in data.lots if lot.catering]
    return {
        "contract_documents": [
            "L'acte d'engagement et ses annexes",
            "Le présent CCAP",
            "Le CCTP",
            "Le bordereau des prix unitaires",
            "Le détail quantitatif estimatif (valeur seulement indicative pour l'exécution)",
            f"Le {data.ccag}" if data.ccag else "Aucun CCAG",
            "L'offre technique du titulaire (mémoire technique)",
        ],
        "retention": (
            f"Une retenue de garantie de {fr_number(data.retention_percent)} % est prélevée sur les acomptes ; elle peut être remplacée par une garantie à première demande (article R2191-32 et suivants)."
            if data.retention_percent
            else "Il n'est pas prévu de retenue de garantie."
        ),
        "penalties_intro": (
            "Sans mise en demeure préalable, le titulaire encourt les pénalités suivantes :"
            if data.penalties
            else "Les pénalités sont celles du CCAG applicable."
        ),
        "penalties": [
            {
                "event": penalty.event,
                "amount": f"{format_euros(penalty.amount_ht)} HT {penalty.per}",
                "cap": f"{fr_number(penalty.cap_percent)} % du montant du marché"
                if penalty.cap_percent is not None
                else "—",
            }
            for penalty in data.penalties
        ],
        "environment_intro": (
            "Les conditions d'exécution prennent en compte les considérations environnementales suivantes (article L2112-2 du code de la commande publique) :"
            if data.environmental_conditions
            else "Aucune condition d'exécution environnementale n'est prévue (consultation lancée avant le 21 août 2026)."
        ),
        "environmental_conditions": list(data.environmental_conditions),
        "social_conditions": list(data.social_conditions),
        "social_intro": _social_intro(file),
        "social_missing": social_condition_mandatory(file) and not data.social_conditions,
        "derogations": _derogations(file),
        "revision_missing": [
            f"I{index}"
            for index, term in enumerate(data.price.revision.terms, 1)
            if not term.index_reference
        ]
        if data.price.revision
        else [],
        "catering_lots": ", ".join(f"lot {lot.number} ({lot.name})" for lot in catering),
        "egalim": {
            "legal": _egalim_legal(file),
            "contractual": [line for lot in catering for line in _egalim_lines(file, lot)],
        },
    }


def _social_intro(file: ConsultationFile) -> str:
    if social_condition_mandatory(file):
        return (
            "La valeur estimée du marché atteint les seuils européens : ses conditions "
            "d'exécution prennent en compte des considérations relatives au domaine social ou à "
            "l'emploi (article L2112-2-1 du code de la commande publique) :"
        )
    return "Conditions d'exécution à caractère social (article L2112-2 du code de la commande publique) :"


#: The article of each CCAG that the CCAP's penalties replace (CCAG of 30 March 2021).
_PENALTY_ARTICLES = {
    "FCS": "article 14 (pénalités)",
    "TIC": "article 14 (pénalités)",
    "PI": "article 14 (pénalités)",
    "MI": "article 14 (pénalités)",
}


def _derogations(file: ConsultationFile) -> list[dict[str, str]]:
    """The recapitulative list of the CCAG articles this CCAP departs from, article by article."""
    data = file.data
    if not data.ccag:
        return []
    name = data.ccag.split(" (")[0]
    kind = next((key for key in _PENALTY_ARTICLES if key in name.upper().split("-")), None)
    rows = []
    if data.penalties:
        article = _PENALTY_ARTICLES.get(kind or "", "article relatif aux pénalités")
        rows.append(
            {
                "ccap": "Pénalités",
                "ref": "penalites",
                "ccag": f"{name}, {article}",
                "why": "montants et plafonds propres au marché, appliqués sans mise en demeure",
            }
        )
    return rows


def _egalim_legal(file: ConsultationFile) -> str:
    law = file.egalim
    if law.quality is None:
        return "Les objectifs de l'article L230-5-1 du code rural et de la pêche maritime ne sont pas connus à la date de lancement de la consultation."
    text = f"L'acheteur doit atteindre, sur l'année civile et en valeur hors taxes de ses achats alimentaires, au moins {fr_number(law.quality * 100, 0)} % de produits durables et de qualité"
    if law.organic is not None:
        text += (
            f", dont au moins {fr_number(law.organic * 100, 0)} % issus de l'agriculture biologique"
        )
    if law.meat_fish is not None:
        text += f", et au moins {fr_number(law.meat_fish * 100, 0)} % de produits durables et de qualité parmi les viandes et poissons"
    return (
        text
        + " (article L230-5-1 du code rural et de la pêche maritime). Le titulaire y contribue par ses livraisons."
    )


def render_files(result: GeneratedDocuments) -> str:
    """Plain-text summary for people (``amo dce generate`` and ``amo offres rapport``)."""
    lines = [result.explanation, "Fichiers :"] + [f"  {path}" for path in result.files]
    lines += [
        f"[{c.level}] {c.message}" for c in result.checks if c.level is not CheckLevel.INFORMATION
    ]
    lines += [f"Attention : {warning}" for warning in result.warnings]
    lines += [f"À vérifier : {ambiguity}" for ambiguity in result.ambiguities]
    return "\n".join(lines)


__all__ = [
    "GeneratedDocuments",
    "dce_archive_from_dict",
    "generate_dce",
    "generate_dce_from_dict",
    "render_files",
    "write_dce_archive",
]
