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
        "Après mise en demeure restée sans effet pendant "
        f"{days(snapshot, 'construction.ccag_travaux.decompte_final_mise_en_demeure')} jours, le maître d'œuvre établit "
        "d'office le décompte final aux frais du titulaire, qui ne peut plus le contester. Un envoi "
        "tardif ne fait pas obstacle à la suite de la procédure (CE, 25 juin 2018, n° 417738).",
        reference(snapshot, "construction.ccag_travaux.decompte_final_delai"),
    ))  # fmt: skip
    state, final_on = "en_cours", None
    if received is not None:
        state, final_on = _general_account(data, snapshot, ccap, received, as_of, steps, warnings)
    payment_due = _payment_due(data, final_on) if final_on else None
    references = [
        reference(snapshot, key)
        for key in (
            "construction.ccag_travaux.decompte_final_delai",
            "construction.ccag_travaux.decompte_final_mise_en_demeure",
            "construction.ccag_travaux.decompte_general_notification",
            "construction.ccag_travaux.decompte_general_retour_titulaire",
            "construction.ccag_travaux.decompte_general_tacite",
        )
    ] + [cal.CCAG_COUNTING]  # fmt: skip
    if state == "reclamation":
        references.append(CLAIM)
    if payment_due:
        references.append(law.at(final_on or start).reference(PAYMENT))
    return DgdResult(
        consultation_date=data.consultation_date, start_on=start, state=state,
        final_account_on=final_on, balance_payment_due_on=payment_due, steps=steps,
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
            "Délai de la mise en demeure avant le décompte final établi d'office ("
            f"{days(snapshot, 'construction.ccag_travaux.decompte_final_mise_en_demeure')} jours) "
            "non confirmé : le CCAG de 2009 modifié en 2014 (art. 13.3.4, lu) n'en fixait aucun "
            "et le texte de 2021 n'a pas été relu ; laissez au titulaire le délai écrit dans la "
            "mise en demeure."
        ],
        references=list(dict.fromkeys(references)),
        explanation=_explain(data, start, draft_due, state, final_on, payment_due),
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
    return _contractor_return(data, snapshot, ccap, notified, as_of, steps)


def _contractor_return(
    data: DgdInput,
    snapshot: law.LawSnapshot,
    ccap: CcapDays,
    notified: date,
    as_of: date | None,
    steps: list[Step],
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
    steps.append(step(
        "retour_titulaire", "Décompte général renvoyé signé (avec ou sans réserves) par le "
        "titulaire", TITULAIRE, due, returned, as_of,
        "Faute de renvoi dans le délai, ou en cas de refus non motivé, le titulaire est réputé "
        "avoir accepté le décompte général, qui devient définitif ; ses réserves doivent prendre la "
        "forme d'un mémoire en réclamation motivé et chiffré.",
        reference(snapshot, "construction.ccag_travaux.decompte_general_retour_titulaire"),
    ))  # fmt: skip
    if returned is not None and returned <= due:
        return ("reclamation", None) if data.contractor_reserves else ("dgd", returned)
    if returned is not None or (as_of is not None and as_of > due):
        return "dgd", due + timedelta(days=1)
    return "en_cours", None


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
    return "\n".join(lines)
