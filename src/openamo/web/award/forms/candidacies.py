"""The candidacies of a lot: who applied and the checklist of their application."""

from __future__ import annotations

from dataclasses import asdict

from django import forms

from openamo.web.award.forms.fields import from_tri_state, text_area, tri_state
from openamo.web.award.requests import (
    CandidacyEntry,
)
from openamo.web.forms import OpenAMOForm, check_siret, date_field

TRI_STATE = [("", "Non demandé dans le RC"), ("oui", "Fourni"), ("non", "Manquant")]


def clean_siret(value: str) -> str:
    """The SIRET checked by the shared rule; « » when left blank."""
    return check_siret(value) if (value or "").strip() else ""


class SiretField(forms.CharField):
    def __init__(self) -> None:
        super().__init__(
            label="SIRET",
            required=False,
            max_length=20,
            help_text="14 chiffres ; laissez vide pour une entreprise étrangère sans SIRET.",
        )

    def clean(self, value: object) -> str:
        return clean_siret(super().clean(value))


def postal_address_field(label: str) -> forms.CharField:
    return text_area(
        label,
        rows=2,
        max_length=1000,
        help_text="Numéro et rue, puis code postal et commune sur la dernière ligne (exemple : « 35000 "
        "Rennes ») : les courriers et l'avenant l'impriment ; sans elle, ils la signalent à compléter.",
    )


class CandidacyForm(OpenAMOForm):
    bidder = forms.CharField(label="Candidat (raison sociale)", max_length=200)
    siret = SiretField()
    postal_address = postal_address_field("Adresse postale du candidat")
    application_form = forms.BooleanField(
        label="Lettre de candidature (DC1) ou DUME fournie", required=False
    )
    declaration_form = forms.BooleanField(
        label="Déclaration du candidat (DC2) ou DUME fournie", required=False
    )
    sworn_statement = forms.BooleanField(
        label="Déclaration sur l'honneur de non-exclusion (L2141-1 à L2141-5 et L2141-7 à "
        "L2141-11, R2143-3) fournie",
        required=False,
    )
    powers_of_signatory = forms.ChoiceField(
        label="Pouvoir de la personne habilitée à engager le candidat",
        choices=TRI_STATE,
        required=False,
    )
    economic_capacity = forms.ChoiceField(
        label="Capacité économique et financière", choices=TRI_STATE, required=False
    )
    technical_capacity = forms.ChoiceField(
        label="Capacités techniques et professionnelles", choices=TRI_STATE, required=False
    )
    capacities_sufficient = forms.BooleanField(
        label="Capacités suffisantes au regard des niveaux minimaux exigés",
        required=False,
        initial=True,
    )
    exclusion_ground = forms.BooleanField(
        label="Un motif d'exclusion de la procédure est établi", required=False
    )
    regularisation_requested = forms.BooleanField(
        label="Régularisation des pièces manquantes demandée (R2144-2)", required=False
    )
    regularisation_requested_on = date_field(
        "Compléments demandés le",
        required=False,
        not_after_today=True,
        help_text="Date de la lettre demandant de compléter la candidature. Format : JJ/MM/AAAA",
    )
    regularisation_due_on = date_field(
        "Compléments attendus au plus tard le",
        required=False,
        help_text="Délai approprié, le même pour tous les candidats invités à compléter leur "
        "dossier (R2144-2). Format : JJ/MM/AAAA",
    )
    regularised = forms.BooleanField(
        label="Pièces complétées dans le délai accordé", required=False
    )
    comment = text_area("Commentaire", help_text="Par exemple : pièces reçues et leur date.")

    TRI_STATE_FIELDS = ("powers_of_signatory", "economic_capacity", "technical_capacity")

    def clean(self) -> None:
        """A request to complete (R2144-2) is a letter: its date and the deadline it gives, the
        deadline after the letter; the dates without the request are refused."""
        super().clean()
        data = self.cleaned_data
        requested = data.get("regularisation_requested")
        sent = data.get("regularisation_requested_on")
        due = data.get("regularisation_due_on")
        if (sent or due) and not requested:
            self.add_error(
                "regularisation_requested",
                "Cochez la demande de régularisation : les dates en sont la lettre et son délai.",
            )
        if requested and not sent:
            self.add_error(
                "regularisation_requested_on",
                "Indiquez la date de la demande de compléments : la lettre est datée de ce jour.",
            )
        if requested and not due:
            self.add_error(
                "regularisation_due_on",
                "Indiquez le délai accordé pour compléter le dossier (R2144-2).",
            )
        if sent and due and due <= sent:
            self.add_error(
                "regularisation_due_on", "Le délai accordé doit suivre la date de la demande."
            )

    def request(self) -> CandidacyEntry:
        """The checklist typed (tri-states as ``None`` / ``True`` / ``False``)."""
        data = self.cleaned_data
        return CandidacyEntry(
            bidder=data["bidder"],
            siret=data["siret"],
            postal_address=data["postal_address"],
            application_form=data["application_form"],
            declaration_form=data["declaration_form"],
            sworn_statement=data["sworn_statement"],
            powers_of_signatory=from_tri_state(data["powers_of_signatory"]),
            economic_capacity=from_tri_state(data["economic_capacity"]),
            technical_capacity=from_tri_state(data["technical_capacity"]),
            capacities_sufficient=data["capacities_sufficient"],
            exclusion_ground=data["exclusion_ground"],
            regularisation_requested=data["regularisation_requested"],
            regularisation_requested_on=data["regularisation_requested_on"],
            regularisation_due_on=data["regularisation_due_on"],
            regularised=data["regularised"],
            comment=data["comment"],
        )


def candidacy_initial(entry: CandidacyEntry) -> dict[str, object]:
    """The form's initial values: the checklist, its tri-states as the choices name them."""
    initial: dict[str, object] = asdict(entry)
    for name in CandidacyForm.TRI_STATE_FIELDS:
        initial[name] = tri_state(getattr(entry, name))
    return initial
