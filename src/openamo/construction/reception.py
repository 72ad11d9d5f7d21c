"""Reception of works (CCAG-Travaux 2021, art. 41 to 44): OPR, decision, reserves, guarantees.

The contractor announces completion; the MOE holds the pre-acceptance inspection (OPR) within 20
days (or the buyer, seized by the contractor, within 30 days of its letter); the buyer decides
within 30 days of the OPR report, failing which the MOE's proposals prevail. Reserves are lifted
within the period the buyer sets, or three months before the guarantee ends; works not executed
must be within three months at most. The one-year guarantee runs from the effective date of the
reception; the legal guarantees (2 and 10 years) too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from openamo import law
from openamo.construction import _calendar as cal
from openamo.construction._law import days, reference, rules
from openamo.construction._steps import step
from openamo.construction.enums import ReceptionDecision
from openamo.construction.models import ReceptionInput, ReceptionResult, Step
from openamo.validation import parse_input

MO, MOE, TITULAIRE = "maître d'ouvrage", "maître d'œuvre", "titulaire"


def reception_calendar(data: ReceptionInput) -> ReceptionResult:
    snapshot = rules(data.consultation_date, "Réception")
    as_of = data.as_of
    start = max(
        data.completion_notice_on, data.announced_completion_on or data.completion_notice_on
    )
    steps: list[Step] = []
    warnings: list[str] = []
    opr_tacit_due: date | None = None
    opr_due = cal.add_days(start, days(snapshot, "construction.ccag_travaux.reception_delai_opr"))
    steps.append(step(
        "opr", "Opérations préalables à la réception (OPR), titulaire convoqué", MOE, opr_due,
        data.opr_on, as_of,
        "Faute de date fixée par le maître d'œuvre, le titulaire en informe le maître d'ouvrage, "
        "qui fixe lui-même les opérations préalables.",
        reference(snapshot, "construction.ccag_travaux.reception_delai_opr"),
    ))  # fmt: skip
    if data.contractor_letter_on is not None:
        due = cal.add_days(
            data.contractor_letter_on,
            days(snapshot, "construction.ccag_travaux.reception_delai_fixation_par_maitre_ouvrage"),
        )
        steps.append(step(
            "opr_par_maitre_ouvrage", "Date des opérations préalables fixée par le maître d'ouvrage",
            MO, due, data.opr_on, as_of,
            "Le maître d'ouvrage, saisi par lettre du titulaire, fixe et notifie la date ; si le "
            "maître d'œuvre est absent, il procède lui-même aux constatations. À défaut de date "
            "fixée dans ce délai, la réception est réputée acquise à son expiration.",
            reference(snapshot, "construction.ccag_travaux.reception_delai_fixation_par_maitre_ouvrage"),
        ))  # fmt: skip
        if data.opr_on is None:
            opr_tacit_due = due
        if data.opr_on is None and as_of is not None and as_of > due:
            warnings.append(
                f"Aucune date d'opérations préalables fixée par le maître d'ouvrage au "
                f"{cal.fr_date(due)} : la réception des travaux est réputée acquise à l'expiration "
                "de ce délai de trente jours (art. 41.1.3 du CCAG-Travaux de 2009, lu ; "
                "maintien en 2021 non relu mot à mot)."
            )
    decision_due = effective = proposals_due = None
    if data.opr_on is not None:
        proposals = "construction.ccag_travaux.reception_delai_propositions_maitre_oeuvre"
        proposals_due = cal.add_days(data.opr_on, days(snapshot, proposals))
        if data.decision_notified_on is None or data.moe_proposals_on:
            # Once the decision is notified, the MOE's proposals only matter if they are recorded.
            steps.append(step(
                "propositions_moe",
                "Propositions du maître d'œuvre sur la réception (prononcer ou non, date "
                "d'achèvement, réserves) portées à la connaissance du titulaire", MOE,
                proposals_due, data.moe_proposals_on, as_of,
                "Faute de propositions dans ce délai, le titulaire peut transmettre lui-même un "
                "exemplaire du procès-verbal au maître d'ouvrage pour qu'il prononce la réception.",
                reference(snapshot, proposals),
            ))  # fmt: skip
        decision_due = cal.add_days(
            data.opr_on, days(snapshot, "construction.ccag_travaux.reception_delai_decision")
        )
        steps.append(step(
            "decision", "Décision de réception notifiée au titulaire", MO, decision_due,
            data.decision_notified_on, as_of,
            "À défaut de décision notifiée dans le délai, les propositions du maître d'œuvre "
            "s'imposent au maître d'ouvrage et au titulaire (date d'effet comprise).",
            reference(snapshot, "construction.ccag_travaux.reception_delai_decision"),
        ))  # fmt: skip
        if data.decision_notified_on is None and as_of and as_of > decision_due:
            warnings.append(
                f"Aucune décision notifiée au {cal.fr_date(decision_due)} : les propositions du "
                "maître d'œuvre s'imposent désormais (art. 41.3)."
            )
    if data.decision and data.decision is not ReceptionDecision.REFUS:
        effective = data.effective_on or data.decision_notified_on
        if data.effective_on is None and data.decision_notified_on is not None:
            warnings.append(
                "Date d'effet de la réception non indiquée : la réception prend effet à la date "
                "d'achèvement des travaux retenue par la décision du maître d'ouvrage (art. 41.3), "
                "souvent antérieure à sa notification ; OpenAMO compte les garanties à partir de "
                f"la notification ({cal.fr_date(data.decision_notified_on)}), ce qui peut les "
                "prolonger à tort : indiquez la date d'effet."
            )
    months = data.guarantee_months
    if months is None:
        months = int(snapshot.value("construction.ccag_travaux.garantie_parfait_achevement"))
    guarantee_end = cal.add_months(effective, months) if effective else None
    steps += _reserves(data, snapshot, effective, guarantee_end, as_of, warnings)
    lapsed = None
    if data.decision_notified_on is None and as_of is not None:
        if decision_due is not None and as_of > decision_due:
            lapsed = decision_due
        elif opr_tacit_due is not None and as_of > opr_tacit_due:
            lapsed = opr_tacit_due
    final_draft_due = _final_draft_due(data, snapshot, lapsed)
    if lapsed is not None and final_draft_due is not None:
        warnings.append(
            f"Sans décision notifiée, le délai du projet de décompte final court de la fin du délai "
            f"de trente jours ({cal.fr_date(lapsed)}) : projet à transmettre au plus tard le "
            f"{cal.fr_date(final_draft_due)} "
            f"({reference(snapshot, 'construction.ccag_travaux.decompte_final_delai')})."
        )
    if guarantee_end is not None:
        steps.append(step(
            "fin_garantie", "Fin du délai de garantie de parfait achèvement", MO, guarantee_end,
            None, as_of,
            "Si des réserves ne sont pas levées à cette date, le maître d'ouvrage prolonge le délai "
            "par décision expresse ; sans prolongation, les relations contractuelles se "
            "poursuivent jusqu'à la levée expresse des réserves (CE, 26 janvier 2007, n° 260306). "
            "Les sûretés (retenue de garantie ou garantie à première demande) sont libérées après "
            "l'expiration du délai de garantie (R2191-32 à R2191-35).",
            reference(snapshot, "construction.ccag_travaux.garantie_parfait_achevement"),
        ))  # fmt: skip
    ambiguities = [
        "Les délais sont ceux du CCAG-Travaux 2021 ; le CCAP peut y déroger (dernier article) "
        "et le numéro de certains alinéas de 2021 n'a pas été relu mot à mot."
    ]
    notes: list[str] = []
    if data.possession_on is not None:
        steps[:0] = _possession(data, snapshot, effective, warnings, ambiguities, notes)
    legal = law.at(effective) if effective else None
    equipment = decennial = None
    references = [*(item.reference for item in steps), cal.CCAG_COUNTING]
    if final_draft_due is not None:
        references.append(reference(snapshot, "construction.ccag_travaux.decompte_final_delai"))
    if legal is not None and effective is not None:
        equipment = cal.add_months(
            effective, 12 * int(legal.value("construction.garanties.bon_fonctionnement"))
        )
        decennial = cal.add_months(
            effective, 12 * int(legal.value("construction.garanties.decennale"))
        )
        references += [
            legal.reference("construction.garanties.bon_fonctionnement"),
            legal.reference("construction.garanties.decennale"),
        ]
    if data.decision is ReceptionDecision.REFUS:
        warnings.append(
            "Réception refusée : le titulaire reste gardien de l'ouvrage ; il doit reprendre les "
            "travaux et présenter un nouvel avis d'achèvement (art. 41.3) ; les pénalités de "
            "retard peuvent courir jusqu'à la nouvelle date d'achèvement."
        )
    return ReceptionResult(
        consultation_date=data.consultation_date, decision=data.decision,
        reception_effective_on=effective, guarantee_ends_on=guarantee_end,
        final_draft_due_on=final_draft_due, equipment_guarantee_ends_on=equipment,
        ten_year_liability_ends_on=decennial, steps=steps,
        buyer_choices=[
            "Prononcer la réception avec réserves, sous réserve ou la refuser, et fixer la date "
            "d'effet (date d'achèvement retenue)",
            "Le délai de levée des réserves (à défaut : "
            f"{snapshot.value('construction.ccag_travaux.reserves_delai_defaut_avant_fin_garantie')}"
            " mois avant la fin de la garantie)",
            "La durée du délai de garantie, si le CCAP déroge à l'article 44.1, et sa prolongation",
            "Une réfaction de prix plutôt que la reprise d'imperfections sans gravité (art. 41.7), "
            "à décider à la réception",
        ],
        warnings=warnings,
        ambiguities=ambiguities,
        references=list(dict.fromkeys(references)),
        explanation="\n".join([
            _explain(data, opr_due, decision_due, effective, guarantee_end, proposals_due), *notes
        ]),
    )  # fmt: skip


def reception_calendar_from_dict(data: Any) -> ReceptionResult:
    return reception_calendar(parse_input(ReceptionInput, data))


POSSESSION = "construction.ccag_travaux.prise_possession_etat_des_lieux_prealable"


def _possession(
    data: ReceptionInput,
    snapshot: law.LawSnapshot,
    effective: date | None,
    warnings: list[str],
    ambiguities: list[str],
    notes: list[str],
) -> list[Step]:
    """Taking possession: after the reception, or before it only as the CCAG allows (41.8, 42.2)."""
    assert data.possession_on is not None  # checked by the caller
    possession = data.possession_on
    if effective is not None and possession >= effective:
        notes.append(
            f"Prise de possession le {cal.fr_date(possession)}, après la réception (effet le "
            f"{cal.fr_date(effective)}) : elle suit la réception, comme le veut l'article 41.8."
        )
        return []
    if not snapshot.value(POSSESSION):
        return []
    survey = data.condition_survey_on
    warnings.append(
        f"Prise de possession le {cal.fr_date(possession)} avant la réception : le CCAG ne "
        "l'admet qu'en cas d'urgence, après un état des lieux contradictoire (art. 41.8). Si elle "
        "ne porte que sur certains ouvrages ou parties d'ouvrages avant l'achèvement de "
        "l'ensemble, elle doit être précédée d'une réception partielle, aux conditions fixées par "
        "le marché et notifiées par ordre de service, et elle transfère au maître d'ouvrage la "
        "garde de ces ouvrages (art. 42.2)."
    )
    if survey is not None and survey > possession:
        warnings.append(
            f"État des lieux contradictoire du {cal.fr_date(survey)}, postérieur à la prise de "
            f"possession du {cal.fr_date(possession)} : il devait la précéder (art. 41.8)."
        )
    notes.append(
        f"Prise de possession le {cal.fr_date(possession)} : elle ne tient pas lieu de réception ; "
        "le délai de garantie ne court que de la date d'effet de la réception, ou de la réception "
        "partielle pour les ouvrages qu'elle vise (art. 42.3)."
    )
    ambiguities.append(
        "Prise de possession anticipée : l'article 41.8 a été lu dans le texte de 2009 (son "
        "maintien en 2021 est rapporté par des commentateurs) et l'article 42.2 dans celui de "
        "2021 ; le transfert de la garde n'y est écrit que pour la prise de possession partielle. "
        "La jurisprudence sur une réception tacite par prise de possession n'a pas été relue : "
        "faites prononcer la réception, au besoin partielle, avant d'occuper les ouvrages."
    )
    return [step(
        "etat_des_lieux", "État des lieux contradictoire préalable à la prise de possession des "
        "ouvrages avant leur réception", MO, possession, survey, data.as_of,
        "Sans état des lieux contradictoire préalable, la prise de possession avant réception "
        "méconnaît le CCAG (art. 41.8) : le titulaire peut en demander réparation, et l'état des "
        "ouvrages remis au maître d'ouvrage reste à prouver.",
        reference(snapshot, POSSESSION),
    )]  # fmt: skip


def _reserves(
    data: ReceptionInput,
    snapshot: law.LawSnapshot,
    effective: date | None,
    guarantee_end: date | None,
    as_of: date | None,
    warnings: list[str],
) -> list[Step]:
    if effective is None or data.decision not in {
        ReceptionDecision.AVEC_RESERVES, ReceptionDecision.SOUS_RESERVE,
    }:  # fmt: skip
        return []
    if data.decision is ReceptionDecision.SOUS_RESERVE:
        months = int(
            snapshot.value("construction.ccag_travaux.prestations_non_executees_delai_maximal")
        )
        longest = cal.add_months(effective, months)
        due = min(data.reserves_deadline_on, longest) if data.reserves_deadline_on else longest
        if data.reserves_deadline_on and data.reserves_deadline_on > longest:
            warnings.append(
                f"Le délai fixé ({cal.fr_date(data.reserves_deadline_on)}) dépasse le maximum de "
                f"{months} mois pour les prestations non exécutées : {cal.fr_date(longest)} retenu."
            )
        return [step(
            "prestations_non_executees", "Exécution des prestations non exécutées", TITULAIRE, due,
            data.reserves_lifted_on, as_of,
            "Le décompte final ne court qu'à partir de la levée de ces réserves ; à défaut "
            "d'exécution, le maître d'ouvrage peut les faire exécuter aux frais du titulaire.",
            reference(snapshot, "construction.ccag_travaux.prestations_non_executees_delai_maximal"),
        )]  # fmt: skip
    assert guarantee_end is not None
    months = int(
        snapshot.value("construction.ccag_travaux.reserves_delai_defaut_avant_fin_garantie")
    )
    due = data.reserves_deadline_on or cal.add_months(guarantee_end, -months)
    return [step(
        "levee_reserves", "Levée des réserves (imperfections et malfaçons)", TITULAIRE, due,
        data.reserves_lifted_on, as_of,
        "Faute de levée dans le délai, le maître d'ouvrage peut faire exécuter les travaux aux frais "
        "et risques du titulaire après mise en demeure ; les réserves couvertes par la retenue de "
        "garantie restent dues.",
        reference(snapshot, "construction.ccag_travaux.reserves_delai_defaut_avant_fin_garantie"),
    )]  # fmt: skip


def _final_draft_due(
    data: ReceptionInput, snapshot: law.LawSnapshot, lapsed: date | None
) -> date | None:
    """``lapsed``: the end of the thirty days after which, without a notified decision, the
    reception stands (art. 41.1.3 or 41.3) — the draft final account's clock then starts there
    (art. 13.3.2 of 2014, read; 12.3.2 in 2021)."""
    if data.decision is ReceptionDecision.REFUS:
        return None
    if data.decision is None or data.decision_notified_on is None:
        start = lapsed
    elif data.decision is ReceptionDecision.SOUS_RESERVE:
        start = data.reserves_lifted_on
    else:
        start = data.decision_notified_on
    return (
        cal.add_days(start, days(snapshot, "construction.ccag_travaux.decompte_final_delai"))
        if start
        else None
    )


def _explain(
    data: ReceptionInput,
    opr_due: date,
    decision_due: date | None,
    effective: date | None,
    guarantee_end: date | None,
    proposals_due: date | None,
) -> str:
    lines = [
        f"Avis d'achèvement reçu le {cal.fr_date(data.completion_notice_on)} : opérations préalables "
        f"à tenir au plus tard le {cal.fr_date(opr_due)} (CCAG-Travaux 2021, art. 41.1)."
    ]
    if data.opr_on and proposals_due:
        lines.append(
            f"Procès-verbal des opérations préalables du {cal.fr_date(data.opr_on)} : le maître "
            f"d'œuvre fait connaître au titulaire ses propositions (réception ou non, date "
            f"d'achèvement, réserves) au plus tard le {cal.fr_date(proposals_due)} (art. 41.2) ; "
            "à défaut, le titulaire peut transmettre le procès-verbal au maître d'ouvrage."
        )
    if decision_due:
        lines.append(
            f"Décision du maître d'ouvrage à notifier au plus tard le {cal.fr_date(decision_due)} "
            "(art. 41.3) ; à défaut, les propositions du maître d'œuvre s'imposent."
        )
    if data.decision:
        lines.append(f"Décision : {data.decision.label}.")
    if effective and guarantee_end:
        lines.append(
            f"Réception effective le {cal.fr_date(effective)} : garantie de parfait achèvement "
            f"jusqu'au {cal.fr_date(guarantee_end)}, bon fonctionnement deux ans et responsabilité "
            "décennale dix ans à compter de la même date."
        )
    return "\n".join(lines)
