"""After the award: every date from the award decision to the notification, and the remedies.

Rules (figures in ``law/parameters/procurement/attribution``): the rejected candidates and
tenderers are notified without delay, with the reasons, the winner's name and the date from which
the buyer may sign (R2181-1, R2181-3); a formalised procedure's contract is signed at the
earliest 11 days after that notification (16 when not sent electronically, R2182-1), except for a
single tenderer or a contract based on a framework agreement or a dynamic purchasing system
(R2182-2); the contract is notified to the holder and takes effect on receipt (R2182-4); the award
notice is sent within 30 days of signature when the value reaches the EU threshold (R2183-1);
essential data are published within 2 months of notification (R2196-1). Remedies: référé
précontractuel until signature (CJA L551-1, R551-5), référé contractuel within 31 days of the
award notice or else 6 months (R551-7), third parties' appeal within 2 months of the publicity
(CE, 4 avril 2014, Tarn-et-Garonne).

Days are counted « de date à date » (DAJ): the day the notifications are sent is the first day of
the standstill period, the signature can take place the day after its last day.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import Field, StrictBool, model_validator

from openamo import law
from openamo.dates import add_months
from openamo.errors import LawDataError, OpenAMOError
from openamo.findings import Findings
from openamo.money import format_euros
from openamo.procurement.enums import Buyer, Nature, ProcedureKind
from openamo.procurement.thresholds import eu_path
from openamo.validation import Amount, InputModel, OutputModel, parse_input

_DECP_THRESHOLD = "opendata.decp_seuil"
_GROUPED_NOTICES = "procurement.attribution.avis_attribution_regroupement_trimestriel"
_DECP_DELAY = "opendata.decp_delai_publication"
_PREFECTURE = "procurement.thresholds.eu_fournitures_services_autres_pouvoirs_adjudicateurs"
PREFECTURE_REFERENCE = (
    "CGCT L2131-2 et D2131-5-1 (transmission au représentant de l'État des marchés d'un montant "
    "au moins égal au seuil européen des fournitures et services des collectivités)"
)
L551_15 = (
    "CJA L551-15 (référé contractuel fermé lorsque l'acheteur a rendu publique son intention de "
    "conclure et observé un délai de 11 jours, ou respecté le délai de suspension)"
)


class AwardCalendarInput(InputModel):
    """Input of ``amo attribution calendrier`` (all dates ``AAAA-MM-JJ``)."""

    decision_on: dt.date
    buyer: Buyer
    nature: Nature
    procedure: ProcedureKind
    estimated_value_ht: Amount
    consultation_launched_on: dt.date | None = None
    amount_ht: Amount | None = None
    notifications_electronic: StrictBool = True
    single_tenderer: StrictBool = False
    social_and_specific_services: StrictBool = False
    """Services sociaux et autres services spécifiques (R2123-1 3°): their own EU threshold, the
    notice in the JOUE only (R2183-1 3°), quarterly grouping allowed (R2183-4)."""
    award_notices_grouped_quarterly: StrictBool = False
    """The buyer groups the award notices of its services sociaux by quarter (R2183-4): sent at
    the latest 30 days after the end of the quarter of the signature."""
    based_on_framework: StrictBool = False
    framework_agreement: StrictBool = False
    rejected_count: int | None = Field(default=None, ge=0, le=10000)
    signature_on: dt.date | None = None
    notification_on: dt.date | None = None
    award_notice_published_on: dt.date | None = None
    rejections_sent_on: dt.date | None = None
    """The day the rejection notifications are sent (the standstill runs from it, R2182-1);
    the day of the decision when absent."""
    reference: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _chronology(self) -> AwardCalendarInput:
        launched = self.consultation_launched_on
        if launched is not None and launched > self.decision_on:
            raise ValueError(
                "la consultation ne peut pas être lancée après la décision d'attribution"
            )
        if self.signature_on is not None and self.signature_on < self.decision_on:
            raise ValueError("la signature ne peut pas précéder la décision d'attribution")
        if self.rejections_sent_on is not None and self.rejections_sent_on < self.decision_on:
            raise ValueError(
                "les notifications de rejet ne peuvent pas être envoyées avant la décision "
                "d'attribution"
            )
        if self.notification_on is not None:
            if self.signature_on is None:
                raise ValueError("indiquez la date de signature avant celle de la notification")
            if self.notification_on < self.signature_on:
                raise ValueError("la notification ne peut pas précéder la signature du marché")
        published = self.award_notice_published_on
        if published is not None and (self.signature_on is None or published < self.signature_on):
            raise ValueError("l'avis d'attribution est publié après la signature du marché")
        return self


class CalendarStep(OutputModel):
    key: str
    label: str
    date: dt.date | None
    timing: str
    """``le`` (a fact), ``au_plus_tot``, ``au_plus_tard`` or ``prevu`` (what the user plans)."""
    explanation: str
    references: list[str]


class Remedy(OutputModel):
    key: str
    label: str
    until_on: dt.date | None
    explanation: str
    notice: str
    """The same remedy told to an evicted tenderer (rejection letter): its articles and its
    time limit, without the buyer-side advice of ``explanation``."""
    references: list[str]


class AwardCalendarResult(OutputModel):
    decision_on: dt.date
    standstill_required: bool
    standstill_days: int | None
    standstill_last_day_on: dt.date | None
    earliest_signature_on: dt.date
    award_notice_required: bool
    award_notice_deadline_on: dt.date | None
    decp_required: bool
    decp_deadline_on: dt.date | None
    prefecture_transmission_required: bool
    rejection_letter_contents: list[str]
    steps: list[CalendarStep]
    remedies: list[Remedy]
    warnings: list[str]
    ambiguities: list[str]
    references: list[str]
    explanation: str


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _get(day: dt.date, path: str) -> tuple[int, str]:
    try:
        found = law.at(day).get(path)
    except LawDataError as exc:
        raise OpenAMOError(
            f"Règle d'achèvement de la procédure inconnue au {_d(day)} : {exc.message}",
            code="date_out_of_range",
        ) from None
    assert isinstance(found.value, int)
    return found.value, found.reference


def award_calendar_from_dict(data: Any) -> AwardCalendarResult:
    return award_calendar(parse_input(AwardCalendarInput, data))


def award_calendar(data: AwardCalendarInput) -> AwardCalendarResult:
    notes = Findings()
    day = data.decision_on
    formal = data.procedure is ProcedureKind.FORMALISEE
    eu_threshold, eu_reference = _eu_threshold(data)
    above_eu = data.estimated_value_ht >= eu_threshold
    steps: list[CalendarStep] = []

    contents = _rejection_letters(data, formal, notes)
    steps.append(
        CalendarStep(
            key="notification_rejets",
            label="Notification du rejet aux candidats et soumissionnaires évincés",
            date=data.rejections_sent_on or day,
            timing="le",
            explanation=(
                "Dès la décision d'attribution, chaque évincé reçoit sans délai la décision de "
                "rejet motivée"
                + (
                    ", le nom de l'attributaire, les motifs du choix de son offre et la date à "
                    "partir de laquelle le marché peut être signé."
                    if formal
                    else " (en procédure adaptée, les motifs sont en tout cas dus sur demande)."
                )
            ),
            references=["CCP R2181-1", "CCP R2181-3" if formal else "CCP R2181-2"],
        )
    )
    standstill_days, last_day, earliest = _standstill(data, formal, notes, steps)
    signature = data.signature_on
    if signature is not None and signature < earliest:
        notes.warnings.append(
            f"Signature prévue le {_d(signature)}, avant la fin du délai de suspension : le "
            f"marché ne peut pas être signé avant le {_d(earliest)} (R2182-1) ; signé plus tôt, "
            "il s'expose à l'annulation par le juge du référé contractuel (CJA L551-18)."
        )
        notes.cite("CCP R2182-1", "CJA L551-18")
    steps.append(
        CalendarStep(
            key="signature",
            label="Signature du marché par l'acheteur",
            date=signature or earliest,
            timing="prevu" if signature else "au_plus_tot",
            explanation=(
                "Signature par la personne habilitée (pour une collectivité, après la "
                "délibération ou dans le cadre de la délégation à l'exécutif) ; elle peut être "
                "électronique."
            ),
            references=["CCP R2182-3"],
        )
    )
    prefecture = _prefecture(data, day, steps, notes)
    notified = data.notification_on
    steps.append(
        CalendarStep(
            key="notification_marche",
            label="Notification du marché au titulaire",
            date=notified or signature or earliest,
            timing="le" if notified else ("au_plus_tot" if not signature else "prevu"),
            explanation=(
                "L'acheteur remet au titulaire une copie du marché signé ; le marché prend effet "
                "à la date de réception de cette notification, avant tout commencement "
                "d'exécution."
                + (
                    " Pour une collectivité, après la transmission au contrôle de légalité."
                    if prefecture
                    else ""
                )
            ),
            references=["CCP R2182-4"],
        )
    )
    notice_deadline = _award_notice(data, formal, above_eu, signature or earliest, steps, notes)
    notice_required = notice_deadline is not None
    decp_required, decp_deadline = _decp(data, notified or signature or earliest, steps, notes)
    remedies = _remedies(data, formal, above_eu, signature, notice_deadline, notes)
    for step in steps:
        notes.cite(*step.references)
    for remedy in remedies:
        notes.cite(*remedy.references)
    notes.cite(eu_reference)
    explanation = _explain(data, formal, above_eu, eu_threshold, standstill_days, earliest, steps)
    return AwardCalendarResult(
        decision_on=day,
        standstill_required=standstill_days is not None,
        standstill_days=standstill_days,
        standstill_last_day_on=last_day,
        earliest_signature_on=earliest,
        award_notice_required=notice_required,
        award_notice_deadline_on=notice_deadline,
        decp_required=decp_required,
        decp_deadline_on=decp_deadline,
        prefecture_transmission_required=prefecture,
        rejection_letter_contents=contents,
        steps=steps,
        remedies=remedies,
        warnings=notes.warnings,
        ambiguities=notes.ambiguities,
        references=notes.references,
        explanation=explanation,
    )


def award_notice_deadline(
    *,
    signed_on: dt.date,
    launched_on: dt.date,
    buyer: Buyer,
    nature: Nature,
    estimated_value_ht: Decimal,
    social: bool = False,
) -> tuple[dt.date, str] | None:
    """The last day to send the award notice of a signed contract (R2183-1) with the article
    cited, or ``None`` when its estimated value is below the EU threshold of its launch. The
    same rule as the calendar's step ``avis_attribution``, for a contract already signed."""
    threshold, _ = _threshold_at(launched_on, buyer, nature, social)
    if estimated_value_ht < threshold:
        return None
    days, reference = _get(signed_on, "procurement.attribution.avis_attribution")
    return signed_on + dt.timedelta(days=days), reference


def _eu_threshold(data: AwardCalendarInput) -> tuple[Decimal, str]:
    return _threshold_at(
        data.consultation_launched_on or data.decision_on,
        data.buyer,
        data.nature,
        data.social_and_specific_services,
    )


def _threshold_at(
    launched: dt.date, buyer: Buyer, nature: Nature, social: bool = False
) -> tuple[Decimal, str]:
    """The EU threshold of the launch; for services sociaux et autres services spécifiques,
    theirs (directive 2014/24/UE art. 4 d), the one art. 75 §2 sets for their award notice)."""
    path = eu_path(buyer, nature, social)
    try:
        found = law.at(launched).get(path)
    except LawDataError as exc:
        raise OpenAMOError(
            f"Seuil européen inconnu au {_d(launched)} : {exc.message}", code="date_out_of_range"
        ) from None
    assert isinstance(found.value, Decimal)
    return found.value, found.reference


def _rejection_letters(data: AwardCalendarInput, formal: bool, notes: Findings) -> list[str]:
    days, reference = _get(data.decision_on, "procurement.attribution.communication_motifs")
    contents = ["La décision de rejet de la candidature ou de l'offre et ses motifs."]
    if formal:
        contents += [
            "Le nom de l'attributaire et les motifs qui ont conduit au choix de son offre "
            "(notes et classement de l'intéressé et de l'attributaire).",
            "La date à compter de laquelle l'acheteur est susceptible de signer le marché "
            "(fin du délai de suspension).",
            f"Sur demande d'un soumissionnaire dont l'offre n'était ni irrégulière, ni "
            f"inacceptable, ni inappropriée : les caractéristiques et avantages relatifs de "
            f"l'offre retenue et, le cas échéant, le déroulement des négociations ou du "
            f"dialogue, dans les {days} jours de la demande.",
        ]
        notes.cite("CCP R2181-3", reference)
    else:
        contents += [
            f"Sur demande, dans les {days} jours de sa réception : les motifs du rejet et, pour "
            "une offre ni irrégulière, ni inacceptable, ni inappropriée, les caractéristiques "
            "et avantages de l'offre retenue et le nom de l'attributaire.",
        ]
        notes.cite(reference)
    contents.append(
        "Les voies et délais de recours (référé précontractuel jusqu'à la signature, recours "
        "contre le contrat dans les deux mois de sa publicité) — bonne pratique, qui fait "
        "courir les délais."
    )
    return contents


def _standstill(
    data: AwardCalendarInput, formal: bool, notes: Findings, steps: list[CalendarStep]
) -> tuple[int | None, dt.date | None, dt.date]:
    day = data.rejections_sent_on or data.decision_on
    if not formal:
        days, reference = _get(day, "procurement.attribution.delai_suspension_electronique")
        notes.warnings.append(
            "Procédure adaptée : aucun délai de suspension n'est imposé, le marché peut être "
            "signé dès la décision. Publier un avis d'intention de conclure et attendre "
            f"{days} jours avant de signer ferme cependant le référé contractuel."
        )
        notes.cite(reference, L551_15)
        return None, None, day
    if data.single_tenderer or data.based_on_framework:
        why = (
            "le marché est attribué au seul opérateur ayant participé à la consultation (1°)"
            if data.single_tenderer
            else "il s'agit d'un marché subséquent d'un accord-cadre ou d'un marché spécifique "
            "d'un système d'acquisition dynamique (2°)"
        )
        notes.warnings.append(
            f"Délai de suspension non exigé : {why}. La signature peut suivre la décision."
        )
        notes.cite("CCP R2182-2")
        if data.based_on_framework:
            days, _ = _get(day, "procurement.attribution.delai_suspension_electronique")
            notes.ambiguities.append(
                "Marché subséquent d'un accord-cadre au-dessus du seuil européen : respecter "
                f"volontairement un délai après la notification de l'attribution aux titulaires "
                f"({days} jours par voie électronique) ferme le référé contractuel (CJA L551-15, "
                "2e alinéa) ; OpenAMO ne l'impose pas."
            )
            notes.cite(L551_15)
        return None, None, day
    name = (
        "procurement.attribution.delai_suspension_electronique"
        if data.notifications_electronic
        else "procurement.attribution.delai_suspension"
    )
    days, reference = _get(day, name)
    last_day = day + dt.timedelta(days=days - 1)
    earliest = day + dt.timedelta(days=days)
    how = (
        "par voie électronique"
        if data.notifications_electronic
        else "autrement que par voie électronique"
    )
    steps.append(
        CalendarStep(
            key="fin_delai_suspension",
            label=f"Fin du délai de suspension ({days} jours)",
            date=last_day,
            timing="le",
            explanation=(
                f"Notifications envoyées {how} le {_d(day)} : délai de {days} jours compté de "
                f"date à date, jour d'envoi compris (DAJ), dernier jour le {_d(last_day)}. "
                "Pendant ce délai, un évincé peut saisir le juge du référé précontractuel."
            ),
            references=[reference],
        )
    )
    notes.ambiguities.append(
        "Décompte du délai de suspension : OpenAMO suit la fiche de la DAJ (de date à date, jour "
        f"d'envoi compris) et propose la signature le {_d(earliest)} ; attendre un jour de plus "
        "ne coûte rien si l'on veut écarter toute discussion sur le décompte."
    )
    return days, last_day, earliest


def _prefecture(
    data: AwardCalendarInput, day: dt.date, steps: list[CalendarStep], notes: Findings
) -> bool:
    if data.buyer is Buyer.ETAT:
        return False
    try:
        threshold = law.at(day).value(_PREFECTURE)
    except LawDataError:
        return False
    assert isinstance(threshold, Decimal)
    amount = data.amount_ht if data.amount_ht is not None else data.estimated_value_ht
    if amount < threshold:
        return False
    steps.append(
        CalendarStep(
            key="controle_legalite",
            label="Transmission au contrôle de légalité (préfecture)",
            date=None,
            timing="au_plus_tard",
            explanation=(
                f"Marché d'une collectivité d'au moins {format_euros(threshold)} HT : il est "
                "transmis au représentant de l'État, avec les pièces, avant sa notification au "
                "titulaire ; il n'est exécutoire qu'après cette transmission."
            ),
            references=[PREFECTURE_REFERENCE],
        )
    )
    notes.ambiguities.append(
        "Contrôle de légalité : le seuil de transmission est défini par renvoi au seuil européen "
        "des fournitures et services des collectivités (D2131-5-1 CGCT), y compris pour les "
        "travaux ; une entité adjudicatrice qui n'est pas une collectivité n'y est pas soumise."
    )
    return True


def _award_notice(
    data: AwardCalendarInput,
    formal: bool,
    above_eu: bool,
    signed: dt.date,
    steps: list[CalendarStep],
    notes: Findings,
) -> dt.date | None:
    days, reference = _get(data.decision_on, "procurement.attribution.avis_attribution")
    social = data.social_and_specific_services and data.nature is Nature.SERVICES
    if data.social_and_specific_services and not social:
        notes.warnings.append(
            "« Services sociaux et autres services spécifiques » ne concerne que des marchés de "
            "services : l'indication est ignorée pour des fournitures ou des travaux."
        )
        notes.cite("CCP R2123-1 3°")
    if data.award_notices_grouped_quarterly and not social:
        notes.warnings.append(
            "Regroupement trimestriel des avis d'attribution indiqué : R2183-4 ne le permet que "
            "pour les services sociaux et autres services spécifiques (et les marchés d'un "
            "système d'acquisition dynamique) ; il est ignoré ici."
        )
        notes.cite("CCP R2183-4")
    if not above_eu or data.based_on_framework:
        why = (
            "marché subséquent d'un accord-cadre, R2183-3"
            if data.based_on_framework
            else "valeur estimée sous le seuil européen"
        )
        notes.warnings.append(
            f"Avis d'attribution non obligatoire ({why}) : le publier quand même fait courir le "
            "délai de deux mois des recours des tiers, qui sinon reste ouvert."
        )
        notes.cite(reference)
        if data.based_on_framework:
            notes.cite("CCP R2183-3 (marchés subséquents dispensés d'avis d'attribution)")
        return None
    deadline = signed + dt.timedelta(days=days)
    grouped = social and data.award_notices_grouped_quarterly
    timing_text = f"au plus tard {days} jours après la signature"
    references = [reference]
    if grouped:
        after, grouped_reference = _get(data.decision_on, _GROUPED_NOTICES)
        quarter_end = _quarter_end(signed)
        deadline = quarter_end + dt.timedelta(days=after)
        timing_text = (
            f"avec les avis du trimestre, au plus tard {after} jours après la fin du trimestre de "
            f"la signature ({_d(quarter_end)})"
        )
        references.append(grouped_reference)
    extra = ""
    if social and not grouped:
        after, grouped_reference = _get(data.decision_on, _GROUPED_NOTICES)
        references.append(grouped_reference)
        extra = (
            f" Services sociaux et autres services spécifiques : l'acheteur peut aussi regrouper "
            f"leurs avis d'attribution par trimestre et les envoyer au plus tard {after} jours "
            f"après la fin du trimestre (R2183-4, directive 2014/24/UE art. 75, §2) ; sans "
            f"regroupement indiqué, l'échéance retenue est celle de R2183-1, {days} jours après "
            "la signature."
        )
    published = data.award_notice_published_on
    if published is not None and published > deadline:
        notes.warnings.append(
            f"Avis d'attribution publié le {_d(published)}, après l'échéance du "
            f"{_d(deadline)} ({timing_text})."
            if grouped
            else f"Avis d'attribution publié le {_d(published)}, après le délai de {days} jours "
            f"suivant la signature ({_d(deadline)})."
        )
    steps.append(
        CalendarStep(
            key="avis_attribution",
            label=f"Envoi de l'avis d'attribution à la publication ({_notice_media(data, social)})",
            date=published or deadline,
            timing="le" if published else "au_plus_tard",
            explanation=(
                f"Valeur au moins égale au seuil européen : avis d'attribution envoyé {timing_text}"
                + ("" if data.signature_on else " (calculé ici sur la signature au plus tôt)")
                + " ; il fait courir les délais du référé contractuel et des recours des tiers."
                + extra
            ),
            references=references,
        )
    )
    if not formal and not social:
        notes.ambiguities.append(
            "Marché d'une valeur au moins égale au seuil européen passé hors procédure "
            "formalisée (services sociaux, petits lots…) : l'avis d'attribution reste dû."
        )
    return deadline


def _quarter_end(day: dt.date) -> dt.date:
    """The last day of the calendar quarter of ``day`` (31/03, 30/06, 30/09, 31/12)."""
    first_of_next = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return add_months(first_of_next, 3) - dt.timedelta(days=1)


def _notice_media(data: AwardCalendarInput, social: bool) -> str:
    """Where the award notice is published (R2183-1): BOAMP and JOUE for the State, its public
    establishments other than industrial and commercial ones and the collectivités (1°), the
    JOUE only for other buyers (2°) and for services sociaux (3°)."""
    if social:
        return "JOUE seul, R2183-1 3°"
    if data.buyer is Buyer.ENTITE_ADJUDICATRICE:
        return (
            "JOUE, et BOAMP si l'entité est l'État, une collectivité ou leur établissement public"
        )
    return "JOUE et BOAMP"


def _decp(
    data: AwardCalendarInput, notified: dt.date, steps: list[CalendarStep], notes: Findings
) -> tuple[bool, dt.date | None]:
    try:
        snapshot = law.at(notified)
        threshold = snapshot.value(_DECP_THRESHOLD)
        months = snapshot.value(_DECP_DELAY)
        references = [snapshot.reference(_DECP_THRESHOLD), snapshot.reference(_DECP_DELAY)]
    except LawDataError as exc:
        notes.ambiguities.append(f"Données essentielles : règles inconnues ({exc.message}).")
        return False, None
    assert isinstance(threshold, Decimal) and isinstance(months, int)
    amount = data.amount_ht if data.amount_ht is not None else data.estimated_value_ht
    if amount < threshold:
        notes.warnings.append(
            f"Données essentielles : marché de moins de {format_euros(threshold)} HT, pas de "
            "publication individuelle obligatoire."
        )
        notes.cite(*references)
        return False, None
    deadline = add_months(notified, months)
    steps.append(
        CalendarStep(
            key="donnees_essentielles",
            label="Publication des données essentielles (data.gouv.fr)",
            date=deadline,
            timing="au_plus_tard",
            explanation=(
                f"Dans les {months} mois de la notification du marché"
                + ("" if data.notification_on else " (calculé sur la notification au plus tôt)")
                + "."
            ),
            references=references,
        )
    )
    return True, deadline


def _months_words(months: int) -> str:
    return "deux mois" if months == 2 else f"{months} mois"


def _remedies(
    data: AwardCalendarInput,
    formal: bool,
    above_eu: bool,
    signature: dt.date | None,
    notice_deadline: dt.date | None,
    notes: Findings,
) -> list[Remedy]:
    day = data.decision_on
    judge_days, judge_reference = _get(
        day, "procurement.attribution.refere_precontractuel_jugement"
    )
    remedies = [
        Remedy(
            key="refere_precontractuel",
            label="Référé précontractuel",
            until_on=signature,
            explanation=(
                "Ouvert à tout opérateur qui avait intérêt à conclure le contrat, jusqu'à la "
                "signature du contrat ; sa saisine suspend la signature jusqu'à la décision du "
                f"juge, qui statue dans les {judge_days} jours"
                + (" et pas avant la fin du délai de suspension." if formal else ".")
            ),
            notice=(
                "référé précontractuel (articles L551-1 à L551-12 du code de justice "
                "administrative), qui peut être introduit jusqu'à la signature du contrat ; le "
                f"juge statue dans un délai de {judge_days} jours (article R551-5)."
            ),
            references=["CJA L551-1", judge_reference],
        )
    ]
    days_after, reference_after = _get(day, "procurement.attribution.refere_contractuel_apres_avis")
    months_without, reference_without = _get(
        day, "procurement.attribution.refere_contractuel_sans_avis"
    )
    published = data.award_notice_published_on
    if published is not None:
        after_notice = published + dt.timedelta(days=days_after)
        until: dt.date | None = after_notice
        text = (
            f"Avis d'attribution publié le {_d(published)} : le référé contractuel est ouvert "
            f"jusqu'au {_d(after_notice)} ({days_after} jours)."
        )
    elif signature is not None:
        until = add_months(signature + dt.timedelta(days=1), months_without)
        text = (
            f"Sans avis d'attribution publié, le référé contractuel reste ouvert "
            f"{months_without} mois à compter du lendemain de la signature, soit jusqu'au "
            f"{_d(until)} ; publié, l'avis ramène ce délai à {days_after} jours."
        )
    else:
        until = None
        text = (
            f"{days_after} jours à compter de la publication de l'avis d'attribution, ou "
            f"{months_without} mois à compter du lendemain de la conclusion à défaut d'avis : "
            "la date suivra celles de la signature et de la publication."
        )
    remedies.append(
        Remedy(
            key="refere_contractuel",
            label="Référé contractuel",
            until_on=until,
            notice=(
                "référé contractuel (articles L551-13 à L551-23 du code de justice "
                f"administrative), dans un délai de {days_after} jours à compter de la "
                "publication de l'avis d'attribution ou de la notification de la conclusion du "
                f"contrat et, à défaut, dans un délai de {months_without} mois à compter du "
                "lendemain de la conclusion du contrat (article R551-7)"
                + (f", soit jusqu'au {_d(until)}." if until is not None else ".")
            ),
            explanation=text
            + " Il est fermé si l'acheteur a respecté le délai de suspension ou, hors procédure "
            "formalisée, publié un avis d'intention de conclure suivi de 11 jours.",
            references=[reference_after, reference_without, L551_15],
        )
    )
    months, reference = _get(day, "procurement.attribution.recours_tiers")
    if published is not None:
        two_months = add_months(published, months)
        third_until: dt.date | None = two_months
        third = f"jusqu'au {_d(two_months)}, {months} mois après la publication de l'avis"
    else:
        third_until = None
        third = (
            f"{months} mois à compter des mesures de publicité appropriées (avis d'attribution) "
            "— sans publicité, le délai ne court pas"
        )
    remedies.append(
        Remedy(
            key="recours_tarn_et_garonne",
            label="Recours des tiers contre le contrat (Tarn-et-Garonne)",
            until_on=third_until,
            explanation=(
                f"Tout tiers lésé de façon suffisamment directe et certaine, dont les évincés, "
                f"peut contester la validité du contrat signé : {third}."
            ),
            notice=(
                "recours en contestation de la validité du contrat, dans un délai de "
                f"{_months_words(months)} à compter de l'accomplissement des mesures de publicité "
                "appropriées (délai de droit commun du recours contentieux, article R421-1 du "
                "code de justice administrative ; Conseil d'État, Ass., 4 avril 2014, "
                "Département de Tarn-et-Garonne, n° 358994), ouvert à tout tiers susceptible "
                "d'être lésé dans ses intérêts de façon suffisamment directe et certaine ; la "
                "présente décision et celle de signer le contrat ne peuvent être contestées "
                "qu'à l'occasion de ce recours"
                + (f", soit jusqu'au {_d(third_until)}." if third_until is not None else ".")
            ),
            references=[reference],
        )
    )
    if not above_eu and notice_deadline is None:
        notes.ambiguities.append(
            "Sous le seuil européen, l'avis d'attribution est facultatif : sans lui, ni le "
            "référé contractuel (6 mois) ni le recours des tiers ne sont enfermés dans un délai "
            "court ; OpenAMO conseille de le publier."
        )
    return remedies


def _explain(
    data: AwardCalendarInput,
    formal: bool,
    above_eu: bool,
    eu_threshold: Decimal,
    standstill_days: int | None,
    earliest: dt.date,
    steps: list[CalendarStep],
) -> str:
    value = format_euros(data.estimated_value_ht)
    side = "au moins égale au" if above_eu else "inférieure au"
    text = (
        f"Décision d'attribution le {_d(data.decision_on)} ({data.procedure.label.lower()}, "
        f"valeur estimée {value} HT, {side} seuil européen de {format_euros(eu_threshold)} HT). "
    )
    if standstill_days is not None:
        text += (
            f"Délai de suspension de {standstill_days} jours : signature au plus tôt le "
            f"{_d(earliest)}. "
        )
    else:
        text += f"Pas de délai de suspension imposé : signature possible dès le {_d(earliest)}. "
    dated = [f"{s.label} : {_d(s.date)}" for s in steps if s.date is not None]
    return text + "Calendrier — " + " ; ".join(dated) + "."
