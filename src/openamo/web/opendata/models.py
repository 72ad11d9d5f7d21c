"""What DECP needs beyond the contract's own file, each publication, and the imported history.

``EssentialData`` holds the few fields of the DECP format that the contract's file does not
(CPV, DECP procedure label, place of execution, CCAG, offers received): everything else is read
from the contract and its avenants, never typed twice. ``Publication`` keeps each DECP file
produced (date, author, content, fingerprint). ``DecpImport`` is one file of the buyer's
published history being imported in the background; ``ImportedRecord`` one record of it, kept
as published (the audit normalises it again), unique per buyer SIRET and contract id within the
organisation (a record seen twice is merged into one); a contract of a tabular file keeps all
its rows (``{"lignes": [{"position", "donnees"}, …]}``: co-holders and versions), folded again
into the contract and its modifications when audited.
"""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from openamo.opendata.publish import CCAG, PROCEDURES
from openamo.web.fields import user_fk
from openamo.web.organisations.models import Organisation

PROCEDURE_LABEL_CHOICES = list(PROCEDURES.items())
CCAG_CHOICES = [(label, label) for label in CCAG]


class EssentialData(models.Model):
    contract = models.OneToOneField(
        "contracts.Contract",
        on_delete=models.PROTECT,
        related_name="essential_data",
        verbose_name="marché",
    )
    cpv = models.CharField("code CPV", max_length=10, blank=True)
    procedure = models.CharField(
        "procédure (libellé DECP)", max_length=40, choices=PROCEDURE_LABEL_CHOICES, blank=True
    )
    place_code = models.CharField("lieu d'exécution (code)", max_length=20, blank=True)
    place_type = models.CharField(
        "type de code du lieu",
        max_length=20,
        default="Code commune",
        choices=[
            ("Code commune", "Code commune (INSEE)"),
            ("Code postal", "Code postal"),
            ("Code département", "Code département"),
            ("Code région", "Code région"),
            ("Code pays", "Code pays"),
        ],
    )
    ccag = models.CharField("CCAG de référence", max_length=60, choices=CCAG_CHOICES, blank=True)
    offers_received = models.PositiveIntegerField("nombre d'offres reçues", null=True, blank=True)
    price_shape = models.CharField(
        "forme du prix",
        max_length=12,
        blank=True,
        choices=[("Unitaire", "Unitaire"), ("Forfaitaire", "Forfaitaire"), ("Mixte", "Mixte")],
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "données essentielles du marché"
        verbose_name_plural = "données essentielles des marchés"

    def __str__(self) -> str:
        return f"Données essentielles — {self.contract}"[:300]


class Publication(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name="acheteur", related_name="+"
    )
    created_at = models.DateTimeField("produit le", auto_now_add=True)
    created_by = user_fk("produit par")
    filename = models.CharField("fichier", max_length=200)
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    contracts = models.JSONField("marchés publiés", default=list)
    content = models.BinaryField("contenu")

    class Meta:
        verbose_name = "publication des données essentielles"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Publication DECP du {self.created_at:%d/%m/%Y} — {self.filename}"[:300]


class ImportStatus(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    EN_COURS = "en_cours", "En cours"
    TERMINE = "termine", "Terminé"
    ECHEC = "echec", "Échec"


class DecpImport(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name="acheteur", related_name="+"
    )
    created_at = models.DateTimeField("déposé le", auto_now_add=True)
    created_by = user_fk("déposé par")
    filename = models.CharField("fichier", max_length=200)
    size = models.PositiveIntegerField("taille (octets)")
    status = models.CharField(
        "état", max_length=20, choices=ImportStatus.choices, default=ImportStatus.EN_ATTENTE
    )
    records_read = models.PositiveIntegerField("enregistrements lus", default=0)
    records_kept = models.PositiveIntegerField("enregistrements de l'acheteur", default=0)
    records_other = models.PositiveIntegerField("enregistrements d'autres acheteurs", default=0)
    merged = models.PositiveIntegerField("doublons fusionnés", default=0)
    report = models.JSONField("compte rendu", default=dict, encoder=DjangoJSONEncoder)
    error = models.TextField("erreur", blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "import de données essentielles"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import DECP « {self.filename} »"[:300]


class DecpImportChunk(models.Model):
    """One piece of an uploaded file, in the order it came: the request stores the upload piece
    by piece and the job writes it back piece by piece, so neither ever holds it whole (and the
    worker needs no file system shared with the web server)."""

    upload = models.ForeignKey(
        DecpImport, on_delete=models.CASCADE, verbose_name="import", related_name="chunks"
    )
    position = models.PositiveIntegerField("rang")
    content = models.BinaryField("contenu")

    class Meta:
        verbose_name = "morceau de fichier importé"
        ordering = ["upload", "position"]
        constraints = [
            models.UniqueConstraint(fields=["upload", "position"], name="decp_chunk_position")
        ]

    def __str__(self) -> str:
        return f"Morceau n° {self.position} de l'import {self.upload_id}"


class ImportedRecord(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name="acheteur", related_name="+"
    )
    source = models.ForeignKey(
        DecpImport, on_delete=models.PROTECT, related_name="records", verbose_name="import"
    )
    buyer_siret = models.CharField("SIRET de l'acheteur", max_length=14)
    contract_id = models.CharField("identifiant du marché", max_length=60)
    form = models.CharField("format", max_length=12)
    kind = models.CharField("type", max_length=12)
    location = models.CharField("position dans le fichier", max_length=60)
    modifications = models.PositiveIntegerField("modifications", default=0)
    data = models.JSONField("enregistrement publié", encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = "marché importé"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "buyer_siret", "contract_id"],
                name="imported_record_unique_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.buyer_siret}{self.contract_id}"[:300]
