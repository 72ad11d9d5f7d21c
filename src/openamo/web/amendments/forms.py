"""Forms of the amendment pages: they collect what the domain needs; the law stays in the domain.

A question left unanswered (« Non renseigné ») reaches the domain as ``None``: the check then
presumes the fact from the case invoked and says so in its warnings.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Unpack

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from openamo import law
from openamo.amendments import ModificationKind, SubstantialCondition, TransferCause
from openamo.money import format_share
from openamo.validation import french_errors
from openamo.web import uploads
from openamo.web.amendments.mappers import Proposal
from openamo.web.amendments.models import KIND_CHOICES
from openamo.web.amendments.services import Upload
from openamo.web.forms import Files, FormOptions, OpenAMOForm, Posted, amount_field, date_field

TRI_STATE = [("", "Non renseigné"), ("oui", "Oui"), ("non", "Non")]
TO_BOOL = {"oui": True, "non": False}
FROM_BOOL = {True: "oui", False: "non", None: ""}
TRI_STATE_ANSWERS = (
    "separable",
    "foreseeable",
    "major_inconvenience",
    "new_contractor_meets_initial_conditions",
)
TRANSFER_LABELS = {
    TransferCause.CLAUSE_REEXAMEN: "Clause de réexamen prévue au marché (R2194-6 1°)",
    TransferCause.RESTRUCTURATION: (
        "Restructuration du titulaire initial : fusion, rachat, scission, procédure collective "
        "(R2194-6 2°)"
    ),
    TransferCause.AUTRE: "Autre cause (cession sans restructuration…)",
}
MAX_NOTE = 10_000
MAX_UPLOAD = 5 * 1024 * 1024
# Accepted attachments: extension → (content type served back, signature the file starts with).
ATTACHMENT_TYPES = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    ".odt": ("application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", b"PK\x03\x04"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
}


def tri_state(label: str, help_text: str = "") -> forms.ChoiceField:
    widget = forms.RadioSelect()
    widget.inline = True  # type: ignore[attr-defined]  # read by django-dsfr's radio template
    return forms.ChoiceField(
        label=label,
        choices=TRI_STATE,
        required=False,
        initial="",
        help_text=help_text,
        widget=widget,
    )


def note_field(label: str, *, required: bool, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_NOTE,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ProposalForm(OpenAMOForm):
    """The questions of the legal check (``amo avenant check``), grouped as on the page."""

    object = forms.CharField(
        label="Objet de l'avenant",
        max_length=500,
        help_text="Par exemple : « Désamiantage des dalles découvertes sous les revêtements ».",
    )
    description = forms.CharField(
        label="Exposé des motifs",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce qui rend la modification nécessaire ; repris dans l'avenant.",
    )
    kind = forms.ChoiceField(
        label="Cas de modification invoqué (CCP L2194-1)", choices=KIND_CHOICES
    )
    amount_ht = amount_field(
        "Montant HT de la modification (€)",
        minimum=None,
        help_text="Négatif pour une moins-value. Exemple : 12 500,00",
    )
    modification_date = date_field(
        "Date de la modification",
        help_text="Date prévue de signature : les seuils en vigueur à cette date s'appliquent. "
        "Format : JJ/MM/AAAA",
    )
    deadline_effect = forms.CharField(
        label="Incidence sur les délais d'exécution",
        required=False,
        max_length=500,
        help_text="Laissez vide si l'avenant est sans incidence sur les délais.",
    )
    changes_object = forms.BooleanField(
        label="La modification change l'objet du marché ou sa nature globale", required=False
    )
    substantial_examined = forms.BooleanField(
        label="J'ai examiné les quatre critères de la modification substantielle (R2194-7)",
        required=False,
        help_text="Cochez-la même si aucun critère n'est rempli : R2194-7 est alors examiné.",
    )
    substantial_conditions = forms.MultipleChoiceField(
        label="Critères remplis par la modification",
        required=False,
        choices=[(c.value, c.label) for c in SubstantialCondition],
        widget=forms.CheckboxSelectMultiple,
        help_text="Une modification qui remplit l'un d'eux est substantielle.",
    )
    separable = tri_state(
        "Les prestations sont-elles séparables du marché initial ?",
        "Un autre opérateur pourrait-il les exécuter sans difficulté technique ou économique "
        "(R2194-2) ?",
    )
    major_inconvenience = tri_state(
        "Changer de titulaire présenterait-il un inconvénient majeur ou une augmentation "
        "substantielle des coûts ?",
        "Seconde condition de R2194-2.",
    )
    foreseeable = tri_state(
        "Les circonstances étaient-elles prévisibles pour un acheteur diligent ?",
        "R2194-5 ; pour une hausse de prix, la part prévisible reste à la charge du titulaire.",
    )
    clause_reference = forms.CharField(
        label="Clause de réexamen ou option invoquée (R2194-1)",
        required=False,
        max_length=500,
        help_text="Par exemple : « CCAP, article 5.3 — option de livraison du second site ».",
    )
    transfer_cause = forms.ChoiceField(
        label="Cause du changement de titulaire (R2194-6)",
        required=False,
        choices=[("", "Sans objet"), *((c.value, label) for c, label in TRANSFER_LABELS.items())],
    )
    new_contractor_meets_initial_conditions = tri_state(
        "Le nouveau titulaire remplit-il les conditions de participation initiales ?"
    )
    price_only = forms.BooleanField(
        label="La modification ne porte que sur le prix (hausse des coûts, dérive des prix)",
        required=False,
        help_text="OpenAMO indique alors la voie applicable : clause de variation des prix, "
        "modification du prix ou indemnité d'imprévision (CE, avis n° 405540).",
    )
    revised_initial_amount_ht = amount_field(
        "Montant initial révisé par la clause de variation des prix (€)",
        required=False,
        help_text="R2194-4 : le plafond par modification se calcule sur ce montant. "
        "Laissez vide sinon.",
    )
    consultation_launched_on = date_field(
        "Date de lancement de la consultation du marché",
        required=False,
        not_after_today=True,
        help_text="Elle fixe le régime applicable ; à défaut, la date de notification du marché. "
        "Format : JJ/MM/AAAA",
    )
    cited_references = forms.CharField(
        label="Textes cités dans le projet ou le guide utilisé (un par ligne)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="OpenAMO signale les textes abrogés, par exemple l'article 8 de la loi "
        "n° 95-127.",
    )

    SECTIONS = (
        (
            "L'avenant",
            ("object", "description", "kind", "amount_ht", "modification_date", "deadline_effect"),
        ),
        (
            "Objet et substance du marché",
            ("changes_object", "substantial_examined", "substantial_conditions"),
        ),
        (
            "Prestations supplémentaires et circonstances imprévues",
            ("separable", "major_inconvenience", "foreseeable"),
        ),
        (
            "Clause de réexamen et nouveau titulaire",
            ("clause_reference", "transfer_cause", "new_contractor_meets_initial_conditions"),
        ),
        ("Variation des prix", ("price_only", "revised_initial_amount_ht")),
        ("Contexte du marché", ("consultation_launched_on", "cited_references")),
    )

    def __init__(
        self, data: Posted | None = None, files: Files | None = None, **options: Unpack[FormOptions]
    ) -> None:
        super().__init__(data, files, **options)
        self.fields["modification_date"].initial = timezone.localdate()
        self.fields["kind"].initial = ModificationKind.FAIBLE_MONTANT.value
        cap = Decimal(
            str(law.at(timezone.localdate()).value("amendments.plafond_par_modification"))
        )
        self.fields["revised_initial_amount_ht"].help_text = (
            f"R2194-4 : le plafond de {format_share(cap)} par modification se calcule sur ce "
            "montant. Laissez vide sinon."
        )

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def clean_cited_references(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["cited_references"].splitlines()]
        cited = [line for line in lines if line]
        if any(len(line) > 300 for line in cited):
            raise forms.ValidationError("Chaque texte cité tient en 300 caractères au plus.")
        return cited

    def proposal(self) -> Proposal:
        """The answers, typed (stored with the amendment, mapped to the domain's check)."""
        data = self.cleaned_data
        conditions = [SubstantialCondition(c) for c in data["substantial_conditions"]]
        with french_errors():
            return Proposal(
                object=data["object"],
                description=data["description"],
                kind=ModificationKind(data["kind"]),
                amount_ht=data["amount_ht"],
                modification_date=data["modification_date"],
                deadline_effect=data["deadline_effect"],
                changes_object=data["changes_object"],
                substantial_conditions=(
                    conditions if conditions or data["substantial_examined"] else None
                ),
                clause_reference=data["clause_reference"] or None,
                transfer_cause=TransferCause(data["transfer_cause"])
                if data["transfer_cause"]
                else None,
                price_only=data["price_only"],
                revised_initial_amount_ht=data["revised_initial_amount_ht"],
                consultation_launched_on=data["consultation_launched_on"],
                cited_references=data["cited_references"],
                separable=TO_BOOL.get(data["separable"]),
                foreseeable=TO_BOOL.get(data["foreseeable"]),
                major_inconvenience=TO_BOOL.get(data["major_inconvenience"]),
                new_contractor_meets_initial_conditions=TO_BOOL.get(
                    data["new_contractor_meets_initial_conditions"]
                ),
            )


def proposal_initial(proposal: Proposal) -> dict[str, object]:
    """The form's initial values from a stored proposal (for editing a draft)."""
    conditions = proposal.substantial_conditions
    return {
        "object": proposal.object,
        "description": proposal.description,
        "kind": proposal.kind.value,
        "amount_ht": proposal.amount_ht,
        "modification_date": proposal.modification_date,
        "deadline_effect": proposal.deadline_effect,
        "changes_object": proposal.changes_object,
        "substantial_examined": conditions is not None,
        "substantial_conditions": [c.value for c in conditions or []],
        "clause_reference": proposal.clause_reference,
        "transfer_cause": proposal.transfer_cause.value if proposal.transfer_cause else None,
        "price_only": proposal.price_only,
        "revised_initial_amount_ht": proposal.revised_initial_amount_ht,
        "consultation_launched_on": proposal.consultation_launched_on,
        "cited_references": "\n".join(proposal.cited_references),
        **{name: FROM_BOOL[getattr(proposal, name)] for name in TRI_STATE_ANSWERS},
    }


class StepForm(OpenAMOForm):
    """A step of the avenant's life: what the domain's event carries (note and details)."""

    note = note_field("Observations", required=False)

    def details(self) -> dict[str, str]:
        return {}


class ReportForm(StepForm):
    note = note_field(
        "Rapport de présentation : motifs et justification de l'avenant",
        required=True,
        help_text="Pourquoi la modification est nécessaire et sur quelle base elle est permise.",
    )


CAPACITY_HELP = (
    "Elle figure sur l'avenant, avec votre nom (par exemple : maire, adjoint au maire délégué "
    "aux marchés publics, président, gérant)."
)


def capacity_field(required: bool = True) -> forms.CharField:
    return forms.CharField(
        label="Qualité du signataire",
        max_length=200,
        required=required,
        help_text=CAPACITY_HELP,
    )


class SignForm(StepForm):
    """The buyer's signature: who signs in which capacity (EXE10, « qualité du signataire »)."""

    qualite = capacity_field()
    field_order = ["qualite", "note"]

    def details(self) -> dict[str, str]:
        return {"qualite": self.cleaned_data["qualite"]}


class CaoForm(StepForm):
    date = date_field("Date de la séance de la commission d'appel d'offres", not_after_today=True)
    avis = forms.ChoiceField(
        label="Avis de la commission",
        choices=[("favorable", "Favorable"), ("defavorable", "Défavorable")],
        widget=forms.RadioSelect,
    )
    field_order = ["date", "avis", "note"]

    def details(self) -> dict[str, str]:
        return {"date": self.cleaned_data["date"].isoformat(), "avis": self.cleaned_data["avis"]}


class NotifyForm(StepForm):
    date = date_field("Date de notification au titulaire", not_after_today=True)
    field_order = ["date", "note"]

    def __init__(
        self, data: Posted | None = None, files: Files | None = None, **options: Unpack[FormOptions]
    ) -> None:
        super().__init__(data, files, **options)
        self.fields["date"].initial = timezone.localdate()

    def details(self) -> dict[str, str]:
        return {"date": self.cleaned_data["date"].isoformat()}


class PublishForm(StepForm):
    decp = date_field(
        "Date de mise à jour des données essentielles du marché (DECP)", not_after_today=True
    )
    avis_modification = date_field(
        "Date de publication de l'avis de modification au JOUE (R2194-10)",
        not_after_today=True,
    )
    field_order = ["decp", "avis_modification", "note"]

    def __init__(
        self,
        data: Posted | None = None,
        files: Files | None = None,
        *,
        notice_required: bool = True,
        **options: Unpack[FormOptions],
    ) -> None:
        super().__init__(data, files, **options)
        if not notice_required:
            del self.fields["avis_modification"]

    def details(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[name].isoformat()
            for name in ("decp", "avis_modification")
            if name in self.fields
        }


class ReviseForm(StepForm):
    note = note_field(
        "Motifs de la révision du projet",
        required=True,
        help_text="Les signatures déjà données tombent : un nouveau rapport sera nécessaire.",
    )


class AbandonForm(StepForm):
    note = note_field("Motifs de l'abandon du projet", required=True)


class ExchangeForm(StepForm):
    note = note_field("Message", required=False)
    piece = forms.FileField(
        label="Pièce jointe",
        required=False,
        help_text="PDF, DOCX, ODT, XLSX, ODS, PNG ou JPEG ; 5 Mo au plus.",
    )

    def clean_piece(self) -> UploadedFile[bytes] | None:
        piece: UploadedFile[bytes] | None = self.cleaned_data.get("piece")
        if piece is None:
            return None
        uploads.check(piece, set(ATTACHMENT_TYPES), MAX_UPLOAD)
        return piece

    def clean(self) -> None:
        super().clean()
        data = self.cleaned_data
        if not self.errors and not (data.get("note", "").strip() or data.get("piece")):
            raise forms.ValidationError("Écrivez un message ou joignez une pièce.")

    def upload(self) -> Upload | None:
        piece: UploadedFile[bytes] | None = self.cleaned_data.get("piece")
        if piece is None:
            return None
        name = (piece.name or "piece")[-200:]
        suffix = "." + name.rsplit(".", 1)[-1].lower()
        return Upload(name, ATTACHMENT_TYPES[suffix][0], piece.read())


HOLDER_REASONS = {
    "refuser": "Indiquez les motifs du refus : ils sont transmis à l'acheteur.",
    "observer": "Indiquez vos observations et leurs motifs : elles sont transmises à l'acheteur.",
}


class HolderResponseForm(OpenAMOForm):
    decision = forms.ChoiceField(
        label="Réponse du titulaire",
        choices=[
            ("accepter", "J'accepte l'avenant et le signe au nom du titulaire"),
            ("observer", "Je formule des observations motivées, sans signer pour l'instant"),
            ("refuser", "Je refuse l'avenant en l'état"),
        ],
        widget=forms.RadioSelect,
    )
    comment = note_field(
        "Commentaire",
        required=False,
        help_text="Obligatoire pour des observations ou un refus : vos motifs, qui restent au "
        "dossier de l'avenant.",
    )

    qualite = capacity_field(required=False)
    field_order = ["decision", "qualite", "comment"]

    def clean(self) -> None:
        super().clean()
        data = self.cleaned_data
        if data.get("decision") in {"refuser", "observer"} and not data.get("comment", "").strip():
            self.add_error("comment", HOLDER_REASONS[data["decision"]])
        if data.get("decision") == "accepter" and not data.get("qualite", "").strip():
            self.add_error(
                "qualite",
                "Indiquez votre qualité (par exemple : président, gérant) : elle figure sur "
                "l'avenant que vous signez.",
            )

    @property
    def capacity(self) -> str:
        return str(self.cleaned_data.get("qualite") or "").strip()

    @property
    def position(self) -> str:
        """``accepter``, ``observer`` or ``refuser``."""
        return str(self.cleaned_data["decision"])

    @property
    def accepted(self) -> bool:
        return bool(self.cleaned_data["decision"] == "accepter")
