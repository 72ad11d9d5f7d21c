"""The final account of a works contract (CCAG-Travaux 2021, art. 12.3 and 12.4).

Projet de décompte final within 30 days of the reception decision (of the lifting of the reserves
for a reception « sous réserve »), sent to both MOE and buyer; décompte général notified by the
buyer within 30 days of the later receipt; the contractor returns it signed within 30 days or is
deemed to accept it, which makes it final (DGD); reserves take the form of a mémoire en
réclamation (art. 55). If the buyer is late, the contractor notifies its own signed draft, which
becomes the DGD unless the buyer notifies a décompte général within 10 days (tacit DGD).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from openamo import law
from openamo.construction import _calendar as cal
from openamo.construction._law import days, reference, rules
from openamo.construction._steps import step
from openamo.construction.enums import ReceptionDecision
from openamo.construction.models import CcapDays, DgdInput, DgdResult, Step
from openamo.validation import parse_input

MO, MOE, TITULAIRE = "maître d'ouvrage", "maître d'œuvre", "titulaire"
CLAIM = "CCAG-Travaux 2021, art. 12.4.3 et 55 (réserves sur le décompte général : mémoire en réclamation)"
NOTIFY = "construction.ccag_travaux.decompte_general_notification"
RETURN = "construction.ccag_travaux.decompte_general_retour_titulaire"
TACIT = "construction.ccag_travaux.decompte_general_tacite"
CLAIM_DELAY = "construction.ccag_travaux.reclamation_decompte_general_delai"
CLAIM_ANSWER = "construction.ccag_travaux.reclamation_delai_decision"


def final_account(data: DgdInput) -> DgdResult:
    snapshot = rules(data.consultation_date, "Décompte général")
    ccap = data.ccap_days or CcapDays()
    as_of = data.as_of
    start = (
        data.reserves_lifted_on
        if data.reception_decision is ReceptionDecision.SOUS_RESERVE and data.reserves_lifted_on
        else data.reception_notified_on
    )
    warnings: list[str] = []
    steps: list[Step] = []
    received = _draft_received(data, start, warnings)
    draft_due = cal.add_days(
        start, days(snapshot, "construction.ccag_travaux.decompte_final_delai", ccap.final_draft)
    )
    steps.append(step(
        "projet_decompte_final", "Projet de décompte final transmis au maître d'œuvre et au "
        "maître d'ouvrage", TITULAIRE, draft_due, received, as_of,
        "Après une mise en demeure restée sans effet dans le délai qu'elle fixe (voir les points "
        "à vérifier), le maître d'œuvre établit d'office le décompte final aux frais du "
        "titulaire, qui ne peut plus le contester. Un envoi "
        "tardif ne fait pas obstacle à la suite de la procédure (CE, 25 juin 2018, n° 417738).",
        reference(snapshot, "construction.ccag_travaux.decompte_final_delai"),
    ))  # fmt: skip
    state, final_on = "en_cours", None
    if received is not None:
        state, final_on = _general_account(data, snapshot, ccap, received, as_of, steps, warnings)
    payment_due = _payment_due(data, final_on) if final_on else None
    later = _later_steps(data, snapshot, ccap, steps, state)
    returned = next((s for s in steps if s.key == "retour_titulaire"), None)
    deadline = returned.due_on if returned and state == "en_cours" else None
    deemed = deadline + timedelta(days=1) if deadline else None
    references = [
        reference(snapshot, key)
        for key in (
            "construction.ccag_travaux.decompte_final_delai",
            "construction.ccag_travaux.decompte_final_mise_en_demeure",
            "construction.ccag_travaux.decompte_general_notification",
            "construction.ccag_travaux.decompte_general_retour_titulaire",
            "construction.ccag_travaux.decompte_general_tacite",
            "construction.ccag_travaux.reclamation_decompte_general_delai",
        )
    ] + [cal.CCAG_COUNTING]  # fmt: skip
    if state == "reclamation":
        references += [CLAIM, reference(snapshot, CLAIM_ANSWER)]
    if payment_due:
        references.append(law.at(final_on or start).reference(PAYMENT))
    return DgdResult(
        consultation_date=data.consultation_date, start_on=start, state=state,
        final_account_on=final_on, balance_payment_due_on=payment_due, steps=steps,
        contractor_deadline_on=deadline, deemed_accepted_on=deemed, later_steps=later,
        buyer_choices=[
            "Déroger aux délais de l'article 12 dans le CCAP (dernier article du CCAP)",
            "Mentionner dans le décompte général les réserves de réception non levées et les "
            "litiges connus, sans quoi le DGD les éteint",
        ],
        warnings=warnings,
        ambiguities=([
            "Le point de départ du délai de paiement du solde (réception du décompte général "
            "signé par le titulaire, ou date à laquelle il devient définitif) est à vérifier dans "
            "le CCAP ; OpenAMO le fait courir de la date où le décompte devient définitif."
        ] if payment_due else []) + [
            "Délai de la mise en demeure avant le décompte final établi d'office : "
            f"{days(snapshot, 'construction.ccag_travaux.decompte_final_mise_en_demeure')} jours "
            "sont parfois cités pour le CCAG-Travaux 2021 (non confirmé), alors que celui de 2009 "
            "modifié en 2014 (art. 13.3.4) n'en fixait aucun ; laissez au titulaire le délai écrit "
            "dans la mise en demeure."
        ] + ([
            "Date de réception du mémoire en réclamation non indiquée : le délai de décision du "
            "maître d'ouvrage est compté du renvoi du décompte général signé avec réserves, en "
            "supposant le mémoire joint ; il court en réalité de la réception du mémoire par le "
            "maître d'ouvrage (art. 55.1.2) — indiquez cette date pour un calendrier exact."
        ] if state == "reclamation" and data.claim_received_on is None else []),
        references=list(dict.fromkeys(references)),
        explanation=_explain(
            data, start, draft_due, state, final_on, payment_due, deadline, later
        ),
    )  # fmt: skip


def final_account_from_dict(data: Any) -> DgdResult:
    return final_account(parse_input(DgdInput, data))


def _draft_received(data: DgdInput, start: date, warnings: list[str]) -> date | None:
    moe, mo = data.final_draft_received_by_moe_on, data.final_draft_received_by_buyer_on
    if (moe is None) != (mo is None):
        missing = "maître d'œuvre" if moe is None else "maître d'ouvrage"
        warnings.append(
            f"Projet de décompte final non reçu par le {missing} : le délai de notification du "
            "décompte général ne court pas tant que les deux ne l'ont pas reçu (CE, 25 juin 2018, "
            "n° 417738) ; aucun décompte tacite ne peut naître."
        )
        return None
    if moe is None or mo is None:
        return None
    received = max(moe, mo)
    if received < start:
        warnings.append(
            f"Projet de décompte final reçu le {cal.fr_date(received)}, avant le point de départ "
            f"({cal.fr_date(start)}) : envoi prématuré, il ne fait courir aucun délai (CE, "
            "1er juin 2023, n° 469268) ; le titulaire doit le renvoyer."
        )
        return None
    return received


def _general_account(
    data: DgdInput,
    snapshot: law.LawSnapshot,
    ccap: CcapDays,
    received: date,
    as_of: date | None,
    steps: list[Step],
    warnings: list[str],
) -> tuple[str, date | None]:
    notify_due = cal.add_days(
        received,
        days(
            snapshot,
            "construction.ccag_travaux.decompte_general_notification",
            ccap.general_account,
        ),
    )
    notified = data.general_account_notified_on
    steps.append(step(
        "decompte_general", "Décompte général signé par le maître d'ouvrage et notifié au "
        "titulaire", MO, notify_due, notified, as_of,
        "En cas de retard, le titulaire peut notifier au maître d'ouvrage, avec copie au maître "
        "d'œuvre, un projet de décompte général signé, qui devient définitif si le maître "
        "d'ouvrage ne notifie pas de décompte général dans le délai qui suit.",
        reference(snapshot, "construction.ccag_travaux.decompte_general_notification"),
    ))  # fmt: skip
    tacit = data.tacit_draft_notified_on
    if tacit is not None:
        if tacit <= notify_due:
            warnings.append(
                f"Projet de décompte général du titulaire notifié le {cal.fr_date(tacit)}, avant la "
                f"fin du délai du maître d'ouvrage ({cal.fr_date(notify_due)}) : prématuré, il ne "
                "peut pas devenir définitif."
            )
        else:
            tacit_due = cal.add_days(
                tacit,
                days(snapshot, "construction.ccag_travaux.decompte_general_tacite", ccap.tacit),
            )
            blocked = notified is not None and notified <= tacit_due
            steps.append(step(
                "decompte_general_tacite", "Décompte général notifié en réponse au projet du "
                "titulaire", MO, tacit_due, notified if blocked else None, as_of,
                "Sans décompte général notifié dans ce délai, le projet signé du titulaire devient "
                "le décompte général et définitif (DGD tacite). Un décompte général notifié à temps, "
                "même irrégulier, y fait obstacle.",
                reference(snapshot, "construction.ccag_travaux.decompte_general_tacite"),
            ))  # fmt: skip
            if not blocked and (notified is not None or (as_of is not None and as_of > tacit_due)):
                return "dgd_tacite", tacit_due + timedelta(days=1)
    if notified is None:
        return "en_cours", None
    return _contractor_return(data, snapshot, ccap, notified, as_of, steps, warnings)


def _contractor_return(
    data: DgdInput,
    snapshot: law.LawSnapshot,
    ccap: CcapDays,
    notified: date,
    as_of: date | None,
    steps: list[Step],
    warnings: list[str],
) -> tuple[str, date | None]:
    due = cal.add_days(
        notified,
        days(
            snapshot,
            "construction.ccag_travaux.decompte_general_retour_titulaire",
            ccap.contractor_return,
        ),
    )
    returned = data.contractor_returned_on
    claim_due = cal.add_days(notified, days(snapshot, CLAIM_DELAY))
    steps.append(step(
        "retour_titulaire", "Décompte général renvoyé signé (avec ou sans réserves) par le "
        "titulaire", TITULAIRE, due, returned, as_of,
        "Faute de renvoi dans le délai, ou en cas de refus non motivé, le titulaire est réputé "
        f"avoir accepté le décompte général, qui devient définitif le {cal.fr_date(due + ONE_DAY)} ; "
        "ses réserves prennent la forme d'un mémoire en réclamation motivé et chiffré, notifié au "
        "maître d'ouvrage avec copie au maître d'œuvre au plus tard le "
        f"{cal.fr_date(claim_due)} (art. 55.1.1).",
        reference(snapshot, "construction.ccag_travaux.decompte_general_retour_titulaire"),
    ))  # fmt: skip
    if returned is not None and returned <= due:
        if not data.contractor_reserves:
            return "dgd", returned
        claim_on = data.claim_received_on
        if claim_on is not None and claim_on > claim_due:
            warnings.append(
                f"Mémoire en réclamation reçu le {cal.fr_date(claim_on)}, après le "
                f"{cal.fr_date(claim_due)} (trente jours de la notification du décompte général, "
                "art. 55.1.1) : tardif, il ne fait pas obstacle au caractère définitif du décompte "
                "général, réputé accepté."
            )
            return "dgd", claim_due + ONE_DAY
        # 55.1.2: the thirty days run from the receipt of the mémoire, not from the return of
        # the signed account; without that date, the return is taken as the receipt (said).
        answer_due = cal.add_days(claim_on or returned, days(snapshot, CLAIM_ANSWER))
        steps.append(step(
            "decision_reclamation", "Décision motivée du maître d'ouvrage sur le mémoire en "
            "réclamation, après avis du maître d'œuvre", MO, answer_due, None, as_of,
            "Sans décision notifiée dans ce délai, la réclamation est rejetée (art. 55.1.3) ; le "
            "différend se règle ensuite à l'amiable ou devant le juge (art. 55.2 à 55.4).",
            reference(snapshot, CLAIM_ANSWER),
        ))  # fmt: skip
        return "reclamation", None
    if returned is not None or (as_of is not None and as_of > due):
        return "dgd", due + timedelta(days=1)
    return "en_cours", None


ONE_DAY = timedelta(days=1)


def _later_steps(
    data: DgdInput, snapshot: law.LawSnapshot, ccap: CcapDays, steps: list[Step], state: str
) -> list[Step]:
    """The steps after the last one the calendar knows, each dated as if the one before it took
    its whole period (or were done today, when that period is already over): what the holder
    and the buyer can expect at the latest, from the same parameters."""
    if state != "en_cours" or not steps:
        return []
    last, later = steps[-1], []
    assert last.due_on is not None  # every step of this calendar has a deadline
    anchor = max(last.due_on, data.as_of) if data.as_of else last.due_on
    if last.key == "decompte_general_tacite":
        return [step(
            "dgd_tacite_prevu", "Projet de décompte général du titulaire devenu le décompte "
            "général et définitif, faute de décompte général notifié avant", MO,
            last.due_on + ONE_DAY, None, None,
            "Le solde se paie alors sur le projet du titulaire.", reference(snapshot, TACIT),
        )]  # fmt: skip
    if last.key == "retour_titulaire":
        notified = data.general_account_notified_on
        assert notified is not None  # the step exists once the décompte général is notified
        claim_due = cal.add_days(notified, days(snapshot, CLAIM_DELAY))
        return [
            step(
                "memoire_reclamation", "Mémoire en réclamation du titulaire, s'il conteste le "
                "décompte général (au maître d'ouvrage, copie au maître d'œuvre)", TITULAIRE,
                claim_due, None, None,
                "Une réclamation tardive est irrecevable : le décompte général devient définitif.",
                reference(snapshot, CLAIM_DELAY),
            ),
            _deemed_accepted(snapshot, last.due_on),
        ]  # fmt: skip
    if last.key == "projet_decompte_final":
        general_due = cal.add_days(anchor, days(snapshot, NOTIFY, ccap.general_account))
        later.append(step(
            "decompte_general_prevu", "Décompte général notifié au titulaire, si le projet de "
            f"décompte final est reçu le {cal.fr_date(anchor)} par le maître d'œuvre et le maître "
            "d'ouvrage", MO, general_due, None, None,
            "En cas de retard, le titulaire peut notifier son propre projet de décompte général.",
            reference(snapshot, NOTIFY),
        ))  # fmt: skip
        anchor = general_due
    elif last.key != "decompte_general":
        return []
    contractor_draft = anchor + ONE_DAY
    later.append(step(
        "decompte_general_tacite_prevu", f"Si le décompte général n'est pas notifié le "
        f"{cal.fr_date(anchor)} : projet de décompte général du titulaire notifié au plus tôt le "
        f"{cal.fr_date(contractor_draft)}, décompte général à notifier en réponse", MO,
        cal.add_days(contractor_draft, days(snapshot, TACIT, ccap.tacit)), None, None,
        "Faute de décompte général notifié dans ce délai, le projet du titulaire devient le "
        "décompte général et définitif (DGD tacite).",
        reference(snapshot, TACIT),
    ))  # fmt: skip
    return_due = cal.add_days(anchor, days(snapshot, RETURN, ccap.contractor_return))
    claim_due = cal.add_days(anchor, days(snapshot, CLAIM_DELAY))
    later.append(step(
        "retour_titulaire_prevu", "Décompte général renvoyé signé par le titulaire"
        + (" ou mémoire en réclamation" if claim_due == return_due else "")
        + f", si le décompte général est notifié le {cal.fr_date(anchor)}", TITULAIRE,
        return_due, None, None,
        "Faute de renvoi ou de réserves motivées dans le délai, le titulaire est réputé accepter "
        "le décompte général.", reference(snapshot, RETURN),
    ))  # fmt: skip
    if claim_due != return_due:
        later.append(step(
            "memoire_reclamation_prevu", "Mémoire en réclamation du titulaire, s'il conteste le "
            f"décompte général notifié le {cal.fr_date(anchor)}", TITULAIRE, claim_due, None, None,
            "Une réclamation tardive est irrecevable.", reference(snapshot, CLAIM_DELAY),
        ))  # fmt: skip
    later.append(_deemed_accepted(snapshot, return_due))
    return later


def _deemed_accepted(snapshot: law.LawSnapshot, return_due: date) -> Step:
    return step(
        "acceptation_tacite", "Décompte général réputé accepté par le titulaire, et devenu "
        "définitif, faute de renvoi signé ou de mémoire en réclamation dans le délai", TITULAIRE,
        return_due + ONE_DAY, None, None,
        "Le décompte général et définitif ne peut plus être contesté ; le solde se paie sur lui.",
        reference(snapshot, RETURN),
    )  # fmt: skip


PAYMENT = "payment.deadlines.etat_collectivites"  # State and local authorities: same period


def _payment_due(data: DgdInput, final_on: date) -> date:
    period = int(law.at(final_on).value(PAYMENT))
    return final_on + timedelta(days=period)


STATES = {
    "en_cours": "le décompte est en cours d'établissement",
    "dgd": "le décompte général est devenu définitif (DGD)",
    "dgd_tacite": "le projet de décompte général du titulaire est devenu définitif (DGD tacite)",
    "reclamation": "le titulaire a signé avec réserves : différend à régler par mémoire en "
    "réclamation (art. 55)",
}


def _explain(
    data: DgdInput,
    start: date,
    draft_due: date,
    state: str,
    final_on: date | None,
    payment_due: date | None,
    deadline: date | None,
    later: list[Step],
) -> str:
    origin = (
        "levée des réserves"
        if data.reception_decision is ReceptionDecision.SOUS_RESERVE
        else "notification de la décision de réception"
    )
    lines = [
        f"Point de départ : {origin} le {cal.fr_date(start)} ; projet de décompte final attendu au "
        f"plus tard le {cal.fr_date(draft_due)} (CCAG-Travaux 2021, art. 12.3.2).",
        f"État : {STATES[state]}" + (f" le {cal.fr_date(final_on)}." if final_on else "."),
    ]
    if payment_due:
        lines.append(
            f"Solde à payer au plus tard le {cal.fr_date(payment_due)} (délai global de paiement)."
        )
    if deadline is not None:
        lines.append(
            f"Le titulaire renvoie le décompte général signé, ou transmet son mémoire en "
            f"réclamation, au plus tard le {cal.fr_date(deadline)} ; à défaut, il est réputé "
            f"l'avoir accepté le {cal.fr_date(deadline + ONE_DAY)} (art. 12.4.3 et 55.1.1)."
        )
    last = later[-1] if later else None
    if last is not None and last.due_on is not None and last.key == "acceptation_tacite":
        lines.append(
            "Échéances suivantes : si chaque étape a lieu le dernier jour de son délai, le "
            "titulaire est réputé accepter le décompte général, qui devient définitif, le "
            f"{cal.fr_date(last.due_on)} faute de renvoi signé ou de mémoire en réclamation."
        )
    elif last is not None and last.due_on is not None:
        lines.append(
            "Échéance suivante : faute de décompte général notifié avant, le projet du titulaire "
            f"devient le décompte général et définitif le {cal.fr_date(last.due_on)}."
        )
    return "\n".join(lines)
