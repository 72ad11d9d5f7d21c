"""Forms of the passation pages: they parse what people type (numbers with a decimal comma,
lists typed one per line); whether a criterion, a mark or an offer is lawful is the domain's
answer, attached next to the field by :func:`attach_error`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, fields, replace
from decimal import Decimal
from typing import Any, TypedDict

from django import forms

from openamo.award import METHODS, CriterionKind, OfferStatus, PriceMethod, default_grid
from openamo.award.enums import AbnormalOutcome
from openamo.award.models import DEFAULT_MAX_SCORE, CriterionInput, GridLevel
from openamo.web.award import lines
from openamo.web.award.mappers import RankingSettings
from openamo.web.award.marking import MarkEntry, MarkSlot
from openamo.web.award.models import ABNORMAL_OUTCOME_CHOICES
from openamo.web.award.requests import (
    CandidacyEntry,
    CriterionRequest,
    GridRow,
    OfferEntry,
    SubCriterionRow,
    suggested_grid,
)
from openamo.web.forms import NumberField, OpenAMOForm, amount_field, check_siret, date_field

TRI_STATE = [("", "Non demandé dans le RC"), ("oui", "Fourni"), ("non", "Manquant")]
STANDARDISED = [
    ("", "Non précisé"),
    ("oui", "Oui : fournitures ou services standardisés, de qualité égale"),
    ("non", "Non"),
]
KIND_CHOICES = [(kind.value, kind.label) for kind in CriterionKind]
METHOD_CHOICES = [("", "—"), *((m.value, METHODS[m].label) for m in PriceMethod)]


def tri_state(value: bool | None) -> str:
    return "" if value is None else ("oui" if value else "non")


def from_tri_state(value: str) -> bool | None:
    return None if not value else value == "oui"


def number_field(label: str, *, required: bool = False, help_text: str = "") -> NumberField:
    return NumberField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_digits=9,
        decimal_places=4,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def text_area(
    label: str, *, help_text: str = "", rows: int = 3, max_length: int = 5000
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


# --- Domain errors next to the fields ---------------------------------------------------------

Routes = Sequence[tuple[str, str]]
"""(words found in the domain's message, field it concerns), first match wins."""


def attach_error(form: forms.BaseForm, message: str, routes: Routes = ()) -> None:
    """Put the domain's French ``message`` next to the field it concerns, else above the form."""
    lowered = message.lower()
    for words, name in routes:
        if words in lowered and name in form.fields:
            form.add_error(name, message)
            return
    form.add_error(None, message)


# --- Criteria ---------------------------------------------------------------------------------

CRITERION_ROUTES: Routes = (
    ("sans sous-critère", "kind"),
    ("sous-critère", "weight"),
    ("« method »", "method"),
    ("prix ou coût", "kind"),
    ("barème", "max_score"),
    ("grille", "max_score"),
    ("poids", "weight"),
    ("nom", "name"),
)
SUB_CRITERION_ROUTES: Routes = (("poids", "weight"), ("nom", "name"))
GRID_ROUTES: Routes = (("note", "mark"), ("barème", "mark"))


class CriterionForm(OpenAMOForm):
    name = forms.CharField(
        label="Intitulé du critère",
        required=False,
        max_length=200,
        help_text="Laissez vide pour supprimer la ligne.",
    )
    kind = forms.ChoiceField(label="Nature du critère", choices=KIND_CHOICES, required=False)
    weight = number_field("Pondération (%)", help_text="Le total des critères fait 100 %.")
    method = forms.ChoiceField(
        label="Méthode de notation du prix",
        choices=METHOD_CHOICES,
        required=False,
        help_text="Pour un critère prix ou coût seulement ; proportionnelle par défaut.",
    )
    max_score = number_field("Note maximale", help_text="Critère noté : 20 si vide.")
    environmental = forms.BooleanField(
        label="Prend en compte les caractéristiques environnementales de l'offre",
        required=False,
    )
    linked_to_object = forms.BooleanField(
        label="Lié à l'objet du marché ou à ses conditions d'exécution",
        required=False,
        initial=True,
    )
    description = text_area("Ce qui est apprécié", rows=2)

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("name") or "").strip()

    def request(self, stored: CriterionInput | None) -> CriterionRequest:
        """The criterion as typed; sub-criteria and grid are kept from ``stored``."""
        data = self.cleaned_data
        kind = CriterionKind(data.get("kind") or CriterionKind.TECHNIQUE.value)
        typed = CriterionRequest(
            name=data["name"].strip(),
            kind=kind,
            weight=data.get("weight"),
            method=PriceMethod(data["method"]) if data.get("method") else None,
            max_score=data.get("max_score"),
            environmental=bool(data.get("environmental")),
            linked_to_object=bool(data.get("linked_to_object")),
            description=data.get("description") or "",
        )
        if kind.is_price:
            return typed
        # The row keeps the sub-criteria and grid of the criterion it edits; a new criterion,
        # or one whose scale changed under the suggested grid, gets the domain's grid.
        kept = CriterionRequest.from_domain(stored) if stored is not None else None
        grid = kept.grid if kept is not None and kept.grid else None
        if stored is None or stored.grid == default_grid(stored.scale):
            grid = suggested_grid(typed.max_score or DEFAULT_MAX_SCORE)
        return replace(typed, sub_criteria=kept.sub_criteria if kept else (), grid=grid)


def _json_number(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def criterion_initial(criterion: CriterionInput) -> CriterionInitial:
    return {
        "name": criterion.name,
        "kind": criterion.kind.value,
        "weight": _json_number(criterion.weight) or "",
        "method": criterion.method.value if criterion.method else "",
        "max_score": _json_number(criterion.max_score),
        "environmental": criterion.environmental,
        "linked_to_object": criterion.linked_to_object,
        "description": criterion.description or "",
    }


class CriterionInitial(TypedDict):
    """The initial values of a criterion's row (the form's field names; numbers as the stored
    text, so that a row posted back unchanged still counts as filled)."""

    name: str
    kind: str
    weight: str
    method: str
    max_score: str | None
    environmental: bool
    linked_to_object: bool
    description: str


class BlankRow(TypedDict):
    linked_to_object: bool
    kind: str


class SubCriterionInitial(TypedDict):
    name: str
    weight: str
    environmental: bool
    disclosed: bool
    description: str


class BlankSubRow(TypedDict):
    disclosed: bool


class GridInitial(TypedDict):
    mark: Decimal
    label: str
    expected: str


CriteriaFormSet = forms.formset_factory(CriterionForm, extra=0, max_num=30, validate_max=True)


def criteria_formset(data: Any, criteria: list[CriterionInput]) -> Any:
    initial: list[CriterionInitial | BlankRow] = [criterion_initial(c) for c in criteria]
    blanks = max(2, 4 - len(initial))
    initial += [{"linked_to_object": True, "kind": ""} for _ in range(blanks)]
    return CriteriaFormSet(data, initial=initial, prefix="criteres")


class CriteriaSetForm(OpenAMOForm):
    standardised_purchase = forms.ChoiceField(
        label="Achat de fournitures ou services standardisés dont la qualité ne varie pas d'un "
        "opérateur à l'autre ?",
        choices=STANDARDISED,
        required=False,
        help_text="Ne compte que pour un critère unique du prix.",
    )


class SubCriterionForm(OpenAMOForm):
    name = forms.CharField(
        label="Intitulé du sous-critère",
        required=False,
        max_length=200,
        help_text="Laissez vide pour supprimer la ligne.",
    )
    weight = number_field(
        "Poids (en points du total)",
        help_text="La somme des sous-critères est égale au poids du critère.",
    )
    environmental = forms.BooleanField(
        label="Porte sur les caractéristiques environnementales", required=False
    )
    disclosed = forms.BooleanField(
        label="Pondération publiée dans le RC", required=False, initial=True
    )
    description = text_area("Ce qui est apprécié", rows=2)


class GridLevelForm(OpenAMOForm):
    mark = number_field("Note")
    label = forms.CharField(label="Niveau", required=False, max_length=200)
    expected = text_area("Justification attendue pour cette note", rows=2)


SubCriteriaFormSet = forms.formset_factory(SubCriterionForm, extra=0, max_num=20)
GridFormSet = forms.formset_factory(GridLevelForm, extra=0, max_num=20)


def sub_criteria_formset(data: Any, criterion: CriterionInput) -> Any:
    initial: list[SubCriterionInitial | BlankSubRow] = [
        SubCriterionInitial(
            name=sub.name,
            weight=_json_number(sub.weight) or "",
            environmental=sub.environmental,
            disclosed=sub.disclosed,
            description=sub.description or "",
        )
        for sub in criterion.sub_criteria
    ]
    initial += [{"disclosed": True} for _ in range(max(2, 4 - len(initial)))]
    return SubCriteriaFormSet(data, initial=initial, prefix="sous")


def grid_formset(data: Any, criterion: CriterionInput, suggested: list[GridLevel]) -> Any:
    levels = criterion.grid or suggested
    initial: list[GridInitial | dict[str, str]] = [
        {"mark": level.mark, "label": level.label, "expected": level.expected or ""}
        for level in sorted(levels, key=lambda level: level.mark)
    ]
    initial.append({})
    return GridFormSet(data, initial=initial, prefix="grille")


def filled_rows(formset: Any) -> list[Any]:
    return [form for form in formset.forms if (form.cleaned_data.get("name") or "").strip()]


def sub_criterion_row(form: Any) -> SubCriterionRow:
    data = form.cleaned_data
    return SubCriterionRow(
        name=data["name"].strip(),
        weight=data.get("weight"),
        environmental=bool(data.get("environmental")),
        disclosed=bool(data.get("disclosed")),
        description=data.get("description") or "",
    )


def grid_rows(formset: Any) -> list[tuple[Any, GridRow]]:
    """The levels typed (blank rows left out), each with its form."""
    found = []
    for form in formset.forms:
        data = form.cleaned_data
        if data.get("mark") is None and not (data.get("label") or "").strip():
            continue
        level = GridRow(
            mark=data.get("mark"),
            label=(data.get("label") or "").strip(),
            expected=data.get("expected") or "",
        )
        found.append((form, level))
    return found


# --- Candidacies ------------------------------------------------------------------------------


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

    def clean(self, value: Any) -> str:
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


# --- Offers -----------------------------------------------------------------------------------

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

    def prepare_value(self, value: Any) -> Any:
        return lines.dqe_text(value) if isinstance(value, list | tuple) else value

    def clean(self, value: Any) -> list[lines.DqeRow]:
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


# --- Marks ------------------------------------------------------------------------------------


class MarksForm(OpenAMOForm):
    """One mark and one written justification per non-price criterion or sub-criterion."""

    def __init__(self, *args: Any, slots: Iterable[MarkSlot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slots = list(slots)
        for slot in self.slots:
            self.fields[f"note_{slot.key}"] = _mark_field(slot)
            self.fields[f"justification_{slot.key}"] = forms.CharField(
                label=f"Justification écrite — {slot.where}",
                required=False,
                max_length=10_000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Obligatoire pour enregistrer la note : ce qui, dans l'offre, la fonde.",
            )

    def request(self) -> list[MarkEntry]:
        """The mark and the justification typed for each slot."""
        data = self.cleaned_data
        return [
            MarkEntry.typed(slot, data[f"note_{slot.key}"], data[f"justification_{slot.key}"])
            for slot in self.slots
        ]


def _mark_field(slot: MarkSlot) -> forms.Field:
    label = f"Note — {slot.where} (sur {slot.scale_label})"
    if slot.grid:
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=[("", "— non noté —")]
            + [(level.value, f"{level.mark_label} — {level.label}") for level in slot.grid],
        )
    return number_field(label)


# --- Analysis ---------------------------------------------------------------------------------


class AnalysisForm(OpenAMOForm):
    winners = forms.IntegerField(
        label="Nombre d'attributaires",
        min_value=1,
        max_value=50,
        initial=1,
        help_text="Plus d'un en cas de multi-attribution annoncée dans le RC (accord-cadre).",
    )
    tie_break = forms.ChoiceField(
        label="Critère de départage en cas d'égalité",
        required=False,
        help_text="Celui annoncé dans le RC ; sans départage, les ex æquo partagent le rang.",
    )
    budget_ht = amount_field(
        "Crédits budgétaires alloués au lot HT (€)",
        required=False,
        help_text=(
            "Facultatif. Déterminés avant le lancement : une offre qui les dépasse est "
            "inacceptable (L2152-3)."
        ),
    )

    def __init__(self, *args: Any, criteria_names: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tie_break"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Aucun")] + [(name, name) for name in criteria_names]

    def settings(self) -> RankingSettings:
        data = self.cleaned_data
        return RankingSettings(
            winners=data.get("winners") or 1,
            tie_break=data.get("tie_break") or "",
            budget_ht=data.get("budget_ht"),
        )
