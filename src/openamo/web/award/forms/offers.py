"""The offers of a lot: price, DQE lines, status and the abnormally low procedure."""

from __future__ import annotations

from dataclasses import fields

from django import forms

from openamo.award import OfferStatus
from openamo.award.enums import AbnormalOutcome
from openamo.web.award import lines
from openamo.web.award.forms.candidacies import SiretField, postal_address_field
from openamo.web.award.forms.errors import Routes
from openamo.web.award.forms.fields import text_area
from openamo.web.award.models import ABNORMAL_OUTCOME_CHOICES
from openamo.web.award.requests import (
    OfferEntry,
)
from openamo.web.forms import OpenAMOForm, amount_field, date_field

OFFER_ROUTES: Routes = (
    ("décision motivée", "abnormally_low_note"),
    ("régularis", "regularised"),
    ("prix", "price_ht"),
    ("dqe", "dqe"),
)


class DqeField(forms.CharField):
    def __init__(self) -> None:
        super().__init__(
            label="Lignes du DQE (facultatif)",
            required=False,
            max_length=200_000,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=(
                "Une ligne par article : « désignation ; quantité ; prix unitaire HT » (collez "
                "depuis un tableur). Le total recalculé est comparé au prix déclaré."
            ),
        )

    def prepare_value(self, value: object) -> object:
        return lines.dqe_text(value) if isinstance(value, list | tuple) else value

    def clean(self, value: object) -> list[lines.DqeRow]:
        try:
            return lines.dqe_lines(super().clean(value))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class OfferForm(OpenAMOForm):
    bidder = forms.CharField(label="Soumissionnaire (raison sociale)", max_length=200)
    siret = SiretField()
    postal_address = postal_address_field("Adresse postale du soumissionnaire")
    price_ht = amount_field(
        "Prix de l'offre HT (€)",
        help_text="Montant total du DQE de l'offre, par exemple 58 400,00.",
    )
    dqe = DqeField()
    status = forms.ChoiceField(
        label="Statut de l'offre",
        choices=[(s.value, s.label) for s in OfferStatus],
        initial=OfferStatus.REGULIERE.value,
        help_text=(
            "Irrégulière : incomplète ou non conforme (L2152-2) ; inacceptable : prix au-delà des "
            "crédits ou illégale (L2152-3) ; inappropriée : sans rapport avec le besoin (L2152-4)."
        ),
    )
    status_reason = text_area("Motif du statut", help_text="Ce qui rend l'offre non régulière.")
    regularised = forms.BooleanField(
        label="Offre irrégulière régularisée dans le délai accordé (R2152-2)", required=False
    )
    abnormally_low_requested_on = date_field(
        "Offre anormalement basse : justifications demandées le (R2152-3)",
        required=False,
        not_after_today=True,
        help_text="Date de l'envoi de la demande de précisions au soumissionnaire. "
        "Format : JJ/MM/AAAA",
    )
    abnormally_low_due_on = date_field(
        "Réponse attendue au plus tard le",
        required=False,
        help_text="Délai laissé au soumissionnaire pour justifier son prix. Format : JJ/MM/AAAA",
    )
    abnormally_low_answered_on = date_field(
        "Réponse reçue le",
        required=False,
        not_after_today=True,
        help_text="Laissez vide si le soumissionnaire n'a pas répondu. Format : JJ/MM/AAAA",
    )
    abnormally_low_answer = text_area(
        "Justifications apportées par le soumissionnaire",
        help_text="Ce que le soumissionnaire a répondu (prix, procédés, conditions favorables…).",
    )
    abnormally_low_outcome = forms.ChoiceField(
        label="Décision après examen des justifications (R2152-3 et R2152-4)",
        choices=[("", "Pas d'examen en cours ou à conclure"), *ABNORMAL_OUTCOME_CHOICES],
        required=False,
    )
    abnormally_low_note = text_area(
        "Motifs de la décision",
        help_text="Obligatoires pour rejeter l'offre : le rejet est une décision motivée "
        "(R2152-4). Appréciation des justifications reçues.",
    )

    def clean(self) -> None:
        """The exchange before the decision: a decision follows a request for justifications
        (R2152-3), admitted justifications were received, a rejection gives its reasons
        (R2152-4); the answer comes after the request and the deadline after the request."""
        super().clean()
        data = self.cleaned_data
        requested = data.get("abnormally_low_requested_on")
        due = data.get("abnormally_low_due_on")
        answered = data.get("abnormally_low_answered_on")
        outcome = data.get("abnormally_low_outcome")
        if (due or answered or outcome) and not requested:
            self.add_error(
                "abnormally_low_requested_on",
                "Indiquez la date de la demande de justifications : l'examen d'une offre "
                "anormalement basse commence par cette demande (R2152-3).",
            )
        if requested and due and due < requested:
            self.add_error(
                "abnormally_low_due_on", "La réponse ne peut être attendue avant la demande."
            )
        if requested and answered and answered < requested:
            self.add_error("abnormally_low_answered_on", "La réponse ne peut précéder la demande.")
        if outcome == AbnormalOutcome.JUSTIFIEE.value and not answered:
            self.add_error(
                "abnormally_low_answered_on",
                "Indiquez la date de la réponse : des justifications admises ont été reçues.",
            )
        if (
            outcome == AbnormalOutcome.REJETEE.value
            and not (data.get("abnormally_low_note") or "").strip()
        ):
            self.add_error(
                "abnormally_low_note",
                "Écrivez les motifs du rejet : l'offre anormalement basse n'est rejetée que par "
                "une décision motivée (R2152-4).",
            )

    def request(self) -> OfferEntry:
        data = self.cleaned_data
        outcome = data["abnormally_low_outcome"]
        return OfferEntry(
            bidder=data["bidder"],
            siret=data["siret"],
            postal_address=data["postal_address"],
            price_ht=data["price_ht"],
            dqe=tuple(data["dqe"]),
            status=OfferStatus(data["status"]),
            status_reason=data["status_reason"],
            regularised=data["regularised"],
            abnormally_low_requested_on=data["abnormally_low_requested_on"],
            abnormally_low_due_on=data["abnormally_low_due_on"],
            abnormally_low_answered_on=data["abnormally_low_answered_on"],
            abnormally_low_answer=data["abnormally_low_answer"],
            abnormally_low_outcome=AbnormalOutcome(outcome) if outcome else None,
            abnormally_low_note=data["abnormally_low_note"],
        )


def offer_initial(entry: OfferEntry) -> dict[str, object]:
    """The form's initial values: the offer, its choices as the form names them."""
    initial: dict[str, object] = {item.name: getattr(entry, item.name) for item in fields(entry)}
    initial["status"] = entry.status.value
    outcome = entry.abnormally_low_outcome
    initial["abnormally_low_outcome"] = outcome.value if outcome is not None else ""
    return initial
