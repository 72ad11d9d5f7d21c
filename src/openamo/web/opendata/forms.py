"""Forms of the essential-data pages: the few DECP fields the contract's file lacks, an upload."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.core.files.uploadedfile import UploadedFile

from openamo.web.forms import OpenAMOForm
from openamo.web.opendata.models import CCAG_CHOICES, PROCEDURE_LABEL_CHOICES, EssentialData
from openamo.web.opendata.requests import EssentialEntry

MAX_IMPORT_BYTES = 50 * 1024 * 1024
"""A buyer's whole published history is a few thousand records (a few megabytes)."""
IMPORT_SUFFIXES = {".json", ".xml", ".csv", ".parquet"}


class EssentialDataForm(OpenAMOForm):
    cpv = forms.RegexField(
        label="Code CPV",
        regex=r"^\d{8}(-\d)?$",
        max_length=10,
        required=False,
        help_text="Huit chiffres, éventuellement suivis d'un tiret et du chiffre de contrôle "
        "(exemple : 15800000-6).",
        error_messages={"invalid": "Saisissez un code CPV de huit chiffres (exemple : 15800000)."},
    )
    procedure = forms.ChoiceField(
        label="Procédure de passation (libellé DECP)",
        choices=[("", "— à choisir —"), *PROCEDURE_LABEL_CHOICES],
        required=False,
    )
    place_code = forms.CharField(
        label="Lieu d'exécution (code)",
        max_length=20,
        required=False,
        help_text="Par exemple le code commune INSEE (75056 pour Paris).",
    )
    place_type = forms.ChoiceField(
        label="Type de code du lieu",
        choices=EssentialData._meta.get_field("place_type").choices,  # type: ignore[arg-type]
    )
    ccag = forms.ChoiceField(
        label="CCAG de référence", choices=[("", "— à choisir —"), *CCAG_CHOICES], required=False
    )
    offers_received = forms.IntegerField(
        label="Nombre d'offres reçues", min_value=1, max_value=10000, required=False
    )
    price_shape = forms.ChoiceField(
        label="Forme du prix",
        choices=[
            ("", "— à choisir —"),
            ("Unitaire", "Unitaire"),
            ("Forfaitaire", "Forfaitaire"),
            ("Mixte", "Mixte"),
        ],
        required=False,
    )

    def to_input(self) -> EssentialEntry:
        """The essential data, typed (once the form is valid)."""
        data = self.cleaned_data
        return EssentialEntry(
            cpv=data.get("cpv") or "",
            procedure=data.get("procedure") or "",
            place_code=data.get("place_code") or "",
            place_type=data.get("place_type") or "",
            ccag=data.get("ccag") or "",
            offers_received=data.get("offers_received"),
            price_shape=data.get("price_shape") or "",
        )


class DecpUploadForm(OpenAMOForm):
    file = forms.FileField(
        label="Fichier de données essentielles déjà publié",
        help_text="JSON ou XML (formats 2019 et 2024), CSV ou Parquet du tableau consolidé ; "
        "50 Mo au plus. Seuls les marchés dont l'acheteur porte votre SIRET sont repris.",
    )

    def clean_file(self) -> tuple[str, UploadedFile[bytes]]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        name = PurePath(upload.name or "fichier").name
        if PurePath(name).suffix.lower() not in IMPORT_SUFFIXES:
            raise forms.ValidationError(
                "Déposez un fichier .json, .xml, .csv ou .parquet de données essentielles."
            )
        if (upload.size or 0) > MAX_IMPORT_BYTES:
            raise forms.ValidationError("Le fichier dépasse 50 Mo.")
        return name, upload  # stored piece by piece by imports.create_import
