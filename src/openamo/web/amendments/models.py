"""Persistence of amendments; the rules live in ``openamo.amendments``, the workflow in services.

An amendment keeps what the user answered, the exact input given to the legal check and its
result (JSON, as the CLI prints it), and the life of the avenant as an append-only log of events
(``AmendmentEvent``): the stage and the signatures stored on the amendment are the state the
domain's state machine reached after the last event.
"""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from openamo.amendments import Action, Basis, Event, ModificationKind, Role, Stage, Verdict
from openamo.web.contracts.models import Contract
from openamo.web.fields import user_fk

KIND_CHOICES = [
    (kind.value, f"{kind.basis.value} — {kind.basis.label}") for kind in ModificationKind
]
BASIS_CHOICES = [(basis.value, f"{basis.value} — {basis.label}") for basis in Basis]
VERDICT_CHOICES = [(verdict.value, verdict.label) for verdict in Verdict]
STAGE_CHOICES = [(stage.value, stage.label) for stage in Stage]
ROLE_CHOICES = [(role.value, role.label) for role in Role]
ACTION_LABELS = {
    Action.REDIGER_RAPPORT: "Rapport de présentation rédigé",
    Action.RECUEILLIR_AVIS_CAO: "Avis de la commission d'appel d'offres enregistré",
    Action.SIGNER: "Signature",
    Action.NOTIFIER: "Notification au titulaire",
    Action.PUBLIER: "Publications faites",
    Action.REVISER_PROJET: "Projet révisé",
    Action.ABANDONNER: "Projet abandonné",
    Action.AJOUTER_ECHANGE: "Échange",
}
ACTION_CHOICES = [(action.value, label) for action, label in ACTION_LABELS.items()]


class Amendment(models.Model):
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="amendments", verbose_name="marché"
    )
    number = models.PositiveIntegerField("numéro de l'avenant")
    object = models.CharField("objet de l'avenant", max_length=500)
    description = models.TextField("exposé des motifs", blank=True)
    deadline_effect = models.CharField("incidence sur les délais", max_length=500, blank=True)
    kind = models.CharField("cas invoqué", max_length=40, choices=KIND_CHOICES)
    amount_ht = models.DecimalField(
        "montant HT de la modification (€)", max_digits=17, decimal_places=2
    )
    modification_date = models.DateField("date de la modification")
    answers = models.JSONField("réponses au questionnaire", default=dict, encoder=DjangoJSONEncoder)
    check_input = models.JSONField("données vérifiées", default=dict, encoder=DjangoJSONEncoder)
    check_result = models.JSONField(
        "résultat de la vérification", default=dict, encoder=DjangoJSONEncoder
    )
    checked_at = models.DateTimeField("vérifié le")
    previous_numbers = models.JSONField("avenants antérieurs pris en compte", default=list)
    verdict = models.CharField("verdict", max_length=20, choices=VERDICT_CHOICES)
    basis = models.CharField(
        "base légale retenue", max_length=10, choices=BASIS_CHOICES, blank=True
    )
    # Percentages of the initial amount: a huge modification of a tiny contract stays storable.
    modification_percent = models.DecimalField(
        "part du montant initial (%)", max_digits=24, decimal_places=2
    )
    cumulative_percent = models.DecimalField(
        "variation cumulée (%)", max_digits=24, decimal_places=2
    )
    new_amount_ht = models.DecimalField("nouveau montant HT (€)", max_digits=17, decimal_places=2)
    cao_opinion_required = models.BooleanField("avis de la CAO requis", default=False)
    modification_notice_required = models.BooleanField("avis de modification requis", default=False)
    stage = models.CharField(
        "étape", max_length=20, choices=STAGE_CHOICES, default=Stage.BROUILLON.value
    )
    signed_by = models.JSONField("signé par", default=list)
    stale_changes = models.JSONField(
        "changements depuis la vérification", default=list, encoder=DjangoJSONEncoder
    )
    created_by = user_fk("proposé par")
    created_at = models.DateTimeField("proposé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "avenant"
        ordering = ["contract", "number", "pk"]
        indexes = [models.Index(fields=["contract", "number"], name="amendment_contract_number")]

    def __str__(self) -> str:
        return f"Avenant n° {self.number} — {self.object}"[:300]

    @property
    def stage_enum(self) -> Stage:
        return Stage(self.stage)


class AmendmentEvent(models.Model):
    """One step of the avenant's life or one exchange; rows are never updated or deleted."""

    amendment = models.ForeignKey(
        Amendment, on_delete=models.PROTECT, related_name="events", verbose_name="avenant"
    )
    action = models.CharField("action", max_length=30, choices=ACTION_CHOICES)
    role = models.CharField("en qualité de", max_length=20, choices=ROLE_CHOICES)
    actor = user_fk("auteur")
    actor_label = models.CharField("auteur (au moment de l'action)", max_length=200)
    at = models.DateTimeField("date")
    note = models.TextField("message ou motifs", blank=True)
    details = models.JSONField("précisions", default=dict)
    stage_after = models.CharField("étape atteinte", max_length=20, choices=STAGE_CHOICES)

    class Meta:
        verbose_name = "événement de l'avenant"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} — avenant n° {self.amendment.number}"[:300]

    def to_domain(self) -> Event:
        """The step as the domain's state machine replays it."""
        return Event(
            action=Action(self.action),
            role=Role(self.role),
            actor=self.actor_label,
            at=self.at,
            note=self.note,
            details=self.details,
        )


class Attachment(models.Model):
    """A document joined to an exchange, kept in the database (web processes stay stateless)."""

    event = models.ForeignKey(
        AmendmentEvent, on_delete=models.PROTECT, related_name="attachments", verbose_name="échange"
    )
    filename = models.CharField("nom du fichier", max_length=200)
    content_type = models.CharField("type", max_length=100)
    size = models.PositiveIntegerField("taille (octets)")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    data = models.BinaryField("contenu")

    class Meta:
        verbose_name = "pièce jointe"

    def __str__(self) -> str:
        return self.filename
