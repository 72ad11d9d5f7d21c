"""Forms of the contract pages: what the user types, checked for form (dates, amounts, SIRET);
the legal substance is the domain's (``openamo.pricing``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from openamo import law
from openamo.money import format_euros, format_share
from openamo.pricing.enums import PenaltyClause
from openamo.pricing.periods import parse_period
from openamo.validation import chronology_error
from openamo.web import uploads
from openamo.web.contracts.models import (
    PAYMENT_BUYER_CHOICES,
    PENALTY_CLAUSE_CHOICES,
    ROUNDING_CHOICES,
    ContractStatus,
    EvaluationStage,
    PriceForm,
    ServiceOrderKind,
)
from openamo.web.contracts.quality import CRITERIA, MARKS
from openamo.web.forms import (
    OpenAMOForm,
    amount_field,
    check_siret,
    date_field,
    number_field,
    percent_field,
)
from openamo.web.operations.models import (
    FRAMEWORK_HOLDERS_CHOICES,
    NATURE_CHOICES,
    PROCEDURE_CHOICES,
    Lot,
)
from openamo.web.organisations.models import Organisation, OrganisationKind

BLANK = [("", "— Choisir —")]


def months_field(label: str, *, help_text: str = "", maximum: int = 600) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, min_value=0, max_value=maximum, help_text=help_text
    )


class SectionedForm(OpenAMOForm):
    """A long form shown in DSFR fieldsets: ``sections`` = (legend, field names)."""

    sections: list[tuple[str, list[str]]] = []

    def fieldsets(self) -> list[dict[str, Any]]:
        return [
            {"legend": legend, "fields": [self[name] for name in names if name in self.fields]}
            for legend, names in self.sections
        ]


class ContractForm(SectionedForm):
    reference = forms.CharField(label="Numéro du marché", max_length=60, required=False)
    title = forms.CharField(label="Objet du marché", max_length=300)
    nature = forms.ChoiceField(label="Nature des prestations", choices=NATURE_CHOICES)
    procedure = forms.ChoiceField(label="Procédure de passation", choices=PROCEDURE_CHOICES)
    status = forms.ChoiceField(label="Statut", choices=ContractStatus.choices)
    holder_name = forms.CharField(label="Titulaire (raison sociale)", max_length=200)
    holder_siret = forms.CharField(
        label="SIRET du titulaire",
        max_length=20,
        required=False,
        help_text="14 chiffres, espaces permis (exemple : 732 829 320 00074) ; vide seulement "
        "pour un titulaire sans établissement en France.",
    )
    holder_organisation = forms.TypedChoiceField(
        label="Compte du titulaire sur OpenAMO",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Ses membres suivront ce marché en lecture et répondront aux avenants. "
        "Sont proposés les candidats de l'opération et les titulaires de vos marchés.",
    )
    invite_holder = forms.BooleanField(
        label="Inviter le titulaire par son SIRET",
        required=False,
        help_text="Si l'entreprise a un compte OpenAMO sous le SIRET saisi ci-dessus, ses membres "
        "suivront ce marché. Réservé au maître d'ouvrage : c'est lui ouvrir vos données.",
    )
    holder_is_sme = forms.BooleanField(label="Le titulaire est une PME", required=False)
    initial_amount_ht = amount_field(
        "Montant initial HT (€)",
        help_text="Montant du marché à la notification, ou montant estimé d'un accord-cadre.",
    )
    vat_rate = percent_field("Taux de TVA (%)")
    signed_on = date_field(
        "Date de signature",
        required=False,
        help_text="Fait courir les 30 jours de l'avis d'attribution (R2183-1). Format : JJ/MM/AAAA",
    )
    notified_on = date_field("Date de notification")
    award_notice_sent_on = date_field(
        "Avis d'attribution envoyé à la publication le",
        required=False,
        help_text="Au plus tard 30 jours après la signature pour un marché qui atteint le seuil "
        "européen (R2183-1). Laissez vide tant qu'il n'est pas envoyé. Format : JJ/MM/AAAA",
    )
    start_on = date_field(
        "Début d'exécution",
        required=False,
        help_text="Par défaut, la date de notification. Format : JJ/MM/AAAA",
    )
    duration_months = forms.IntegerField(
        label="Durée de la période initiale (mois)", required=False, min_value=1, max_value=600
    )
    renewals = forms.IntegerField(
        label="Nombre de reconductions", required=False, min_value=0, max_value=20, initial=0
    )
    renewal_duration_months = forms.IntegerField(
        label="Durée d'une reconduction (mois)",
        required=False,
        min_value=1,
        max_value=600,
        help_text="Par défaut, la durée de la période initiale.",
    )
    renewal_notice_months = months_field(
        "Préavis de décision avant chaque reconduction (mois)",
        help_text="Prévu par le CCAP (par exemple 3 mois) : fixe la date limite de chaque décision.",
        maximum=24,
    )
    price_form = forms.ChoiceField(label="Forme du prix", choices=PriceForm.choices)
    is_framework = forms.BooleanField(label="Accord-cadre à bons de commande", required=False)
    minimum_amount_ht = amount_field("Minimum de l'accord-cadre HT (€)", required=False)
    maximum_amount_ht = amount_field("Maximum de l'accord-cadre HT (€)", required=False)
    framework_maximum_quantity = forms.CharField(
        label="Ou maximum en quantité de l'accord-cadre",
        max_length=300,
        required=False,
        help_text="Par exemple : « 12 000 repas ».",
    )
    framework_holders = forms.ChoiceField(
        label="Titulaires de l'accord-cadre",
        required=False,
        choices=[("", "Non précisé"), *FRAMEWORK_HOLDERS_CHOICES],
    )
    payment_buyer = forms.ChoiceField(
        label="Catégorie d'acheteur (délai de paiement)",
        choices=PAYMENT_BUYER_CHOICES,
        help_text="Fixe le délai maximal de paiement : 30, 50 ou 60 jours (R2192-10, R2192-11).",
    )
    payment_days = forms.IntegerField(
        label="Délai de paiement contractuel (jours)",
        required=False,
        min_value=1,
        max_value=365,
        help_text="Laissez vide pour le délai légal ; un délai plus long est sans effet.",
    )
    consultation_on = date_field(
        "Lancement de la consultation",
        required=False,
        help_text="Les règles d'avance et de retenue en vigueur à cette date s'appliquent ; "
        "par défaut, la date de notification. Format : JJ/MM/AAAA",
    )
    large_buyer = forms.BooleanField(
        label="Acheteur dont les dépenses dépassent le seuil des grands acheteurs",
        required=False,
    )
    advance_rate_percent = percent_field(
        "Taux de l'avance (%)",
        "Taux prévu par le CCAP ; laissez vide si l'avance n'est pas prévue.",
    )
    retention_rate_percent = percent_field(
        "Taux de la retenue de garantie (%)", "Laissez vide s'il n'y a pas de retenue."
    )
    penalty_clause = forms.ChoiceField(
        label="Clause de pénalités de retard",
        required=False,
        choices=[("", "Aucune clause"), *PENALTY_CLAUSE_CHOICES],
    )
    penalty_daily_amount_ht = amount_field(
        "Forfait journalier HT (€)", required=False, help_text="Pour un forfait journalier."
    )
    penalty_daily_rate_percent = percent_field(
        "Taux journalier (% de la valeur en retard)", "Pour un pourcentage journalier."
    )
    penalty_cap_percent = percent_field(
        "Plafond des pénalités (% du marché)",
        "Laissez vide pour le plafond du CCAG ou l'absence de plafond.",
    )
    penalty_exemption_ht = amount_field(
        "Exonération jusqu'à HT (€)",
        required=False,
        help_text="Laissez vide pour l'exonération du CCAG.",
    )
    lot = forms.TypedChoiceField(label="Lot", required=False, coerce=int, empty_value=None)

    sections = [
        ("Le marché", ["lot", "reference", "title", "nature", "procedure", "status"]),
        (
            "Le titulaire",
            [
                "holder_name",
                "holder_siret",
                "holder_organisation",
                "invite_holder",
                "holder_is_sme",
            ],
        ),
        (
            "Montant et durée",
            [
                "initial_amount_ht",
                "vat_rate",
                "signed_on",
                "notified_on",
                "award_notice_sent_on",
                "start_on",
                "duration_months",
                "renewals",
                "renewal_duration_months",
                "renewal_notice_months",
            ],
        ),
        (
            "Prix et paiement",
            [
                "price_form",
                "is_framework",
                "minimum_amount_ht",
                "maximum_amount_ht",
                "framework_maximum_quantity",
                "framework_holders",
                "payment_buyer",
                "payment_days",
            ],
        ),
        (
            "Avance et retenue de garantie",
            ["consultation_on", "large_buyer", "advance_rate_percent", "retention_rate_percent"],
        ),
        (
            "Pénalités de retard",
            [
                "penalty_clause",
                "penalty_daily_amount_ht",
                "penalty_daily_rate_percent",
                "penalty_cap_percent",
                "penalty_exemption_ht",
            ],
        ),
    ]

    def __init__(
        self,
        *args: Any,
        holders: list[Organisation],
        lots: list[Lot] | None = None,
        editing: bool = False,
        can_decide: bool = False,
        **kwargs: Any,
    ) -> None:
        """``can_decide``: the buyer's maître d'ouvrage, alone to open the contract to the
        holder's account and to change its status; for other roles these fields are absent."""
        super().__init__(*args, **kwargs)
        self._ccag_defaults()
        self.holders = {o.pk: o for o in holders}
        self.lots = {lot.pk: lot for lot in lots or []}
        holder = self.fields["holder_organisation"]
        assert isinstance(holder, forms.TypedChoiceField)
        holder.choices = [("", "Pas de compte sur OpenAMO")] + [(o.pk, o.name) for o in holders]
        lot_field = self.fields["lot"]
        assert isinstance(lot_field, forms.TypedChoiceField)
        lot_field.choices = [("", "Marché global (sans lot)")] + [
            (lot.pk, str(lot)) for lot in self.lots.values()
        ]
        if not self.lots:
            del self.fields["lot"]
        if not editing or not can_decide:
            del self.fields["status"]
        if not can_decide:
            del self.fields["holder_organisation"]
            del self.fields["invite_holder"]

    def clean_holder_siret(self) -> str:
        value: str = self.cleaned_data["holder_siret"]
        return check_siret(value) if value.strip() else ""

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        late_start = chronology_error(
            data.get("notified_on"),
            data.get("start_on"),
            "L'exécution ne peut commencer avant la notification du marché.",
        )
        if late_start:
            self.add_error("start_on", late_start)
        for field, first, then, message in (
            (
                "notified_on",
                "signed_on",
                "notified_on",
                "Le marché est notifié après sa signature.",
            ),
            (
                "award_notice_sent_on",
                "signed_on",
                "award_notice_sent_on",
                "L'avis d'attribution est envoyé après la signature du marché.",
            ),
        ):
            error = chronology_error(data.get(first), data.get(then), message)
            if error:
                self.add_error(field, error)
        if data.get("renewals") and not data.get("duration_months"):
            self.add_error(
                "duration_months",
                "Indiquez la durée de la période initiale pour dater les reconductions.",
            )
        low, high = data.get("minimum_amount_ht"), data.get("maximum_amount_ht")
        framework_only = (
            low is not None
            or high is not None
            or data.get("framework_maximum_quantity")
            or data.get("framework_holders")
        )
        if framework_only and not data.get("is_framework"):
            self.add_error(
                "is_framework",
                "Un minimum, un maximum ou des titulaires d'accord-cadre supposent un accord-cadre.",
            )
        if low is not None and high is not None and low > high:
            self.add_error("maximum_amount_ht", "Le maximum est inférieur au minimum.")
        clause = data.get("penalty_clause")
        if (
            clause == PenaltyClause.FORFAIT_JOURNALIER
            and data.get("penalty_daily_amount_ht") is None
        ):
            self.add_error("penalty_daily_amount_ht", "Indiquez le forfait journalier du CCAP.")
        if (
            clause == PenaltyClause.TAUX_JOURNALIER
            and data.get("penalty_daily_rate_percent") is None
        ):
            self.add_error("penalty_daily_rate_percent", "Indiquez le taux journalier du CCAP.")
        self.invited: Organisation | None = None
        if data.get("invite_holder"):
            siret_typed = data.get("holder_siret") or ""
            self.invited = Organisation.objects.filter(
                kind=OrganisationKind.ENTREPRISE, siret=siret_typed
            ).first()
            if not siret_typed or self.invited is None:
                self.add_error(
                    "invite_holder",
                    "Aucune entreprise inscrite sur OpenAMO ne porte ce SIRET : le titulaire "
                    "doit d'abord créer son compte, ou laissez la case décochée.",
                )
        if data.get("vat_rate") is None:
            data["vat_rate"] = Decimal("20.00")
        return data

    def contract_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("invite_holder", None)
        if "holder_organisation" in self.fields:
            data["holder_organisation"] = self.holders.get(data.get("holder_organisation") or 0)
            if self.cleaned_data.get("invite_holder"):
                data["holder_organisation"] = self.invited
        if "lot" in self.fields:
            data["lot"] = self.lots.get(data.get("lot") or 0)
        return data

    def _ccag_defaults(self) -> None:
        """The CCAG figures the empty fields stand for, from the law parameters of today."""
        rules = law.at(timezone.localdate())
        cap = Decimal(str(rules.value("pricing.penalties.plafond")))
        exemption = Decimal(str(rules.value("pricing.penalties.exoneration")))
        self.fields[
            "penalty_cap_percent"
        ].help_text = (
            f"Laissez vide pour le plafond du CCAG ({format_share(cap)}) ou l'absence de plafond."
        )
        self.fields[
            "penalty_exemption_ht"
        ].help_text = f"Laissez vide pour l'exonération du CCAG ({format_euros(exemption)} HT)."


class DecisionDateMixin(forms.Form):
    """The date of a decision taken (often on paper before it is recorded here)."""

    decided_on = date_field(
        "Décision prise le",
        required=False,
        help_text="Date de la décision signée ; vide, aujourd'hui. Format : JJ/MM/AAAA",
        not_after_today=True,
    )


class RenewalDecisionForm(DecisionDateMixin, OpenAMOForm):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[
            ("reconduit", "Reconduire le marché pour cette période"),
            ("non_reconduit", "Ne pas reconduire (le titulaire en est informé dans le préavis)"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Motifs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Qualité des prestations, évolution du besoin, prix révisés…",
    )


class SubcontractorForm(OpenAMOForm):
    name = forms.CharField(label="Raison sociale du sous-traitant", max_length=200)
    siret = forms.CharField(label="SIRET du sous-traitant", max_length=20)
    services = forms.CharField(label="Prestations sous-traitées", max_length=300)
    amount_ht = amount_field("Montant maximal sous-traité HT (€)")
    direct_payment = forms.BooleanField(
        label="Paiement direct par l'acheteur", required=False, initial=True
    )
    accepted_on = date_field(
        "Acceptation et agrément des conditions de paiement le", required=False
    )

    def clean_siret(self) -> str:
        return check_siret(self.cleaned_data["siret"])


class FormulaForm(SectionedForm):
    price_date = date_field(
        "Mois zéro (date des prix de l'offre)",
        required=False,
        help_text="Mois d'établissement des prix : celui des indices de base. Format : JJ/MM/AAAA",
    )
    fixed_part = number_field(
        "Partie fixe a",
        decimals=4,
        maximum=Decimal(1),
        help_text="Entre 0 et 1 (par exemple 0,125). Laissez 0 sans partie fixe.",
    )
    coefficient_decimals = forms.IntegerField(
        label="Décimales du coefficient",
        required=False,
        min_value=0,
        max_value=10,
        help_text="Laissez vide si le CCAP ne prévoit pas d'arrondi du coefficient.",
    )
    coefficient_rounding = forms.ChoiceField(
        label="Arrondi du coefficient", choices=ROUNDING_CHOICES
    )
    revision_periodicity_months = forms.IntegerField(
        label="Périodicité de la révision (mois)", required=False, min_value=1, max_value=120
    )
    index_lag_months = forms.IntegerField(
        label="Décalage de l'indice (mois)",
        required=False,
        min_value=0,
        max_value=24,
        initial=0,
        help_text="Par exemple 3 si le CCAP retient l'indice du troisième mois précédant la révision.",
    )
    safeguard_percent = percent_field(
        "Seuil de la clause de sauvegarde (%)",
        "Variation au-delà de laquelle le CCAP ouvre un réexamen.",
    )
    drift_tolerance_ht = number_field(
        "Tolérance d'écart du prix facturé HT (€)",
        decimals=4,
        help_text="Écart toléré entre le prix facturé et le prix permis (arrondis). Par défaut 0.",
    )
    standard_supplies = forms.TypedChoiceField(
        label="Fournitures ou services courants (actualisation)",
        required=False,
        choices=[("", "Non précisé"), ("oui", "Oui"), ("non", "Non")],
        coerce=lambda value: value == "oui",
        empty_value=None,
        help_text="L'actualisation d'un prix ferme est obligatoire hors fournitures et services "
        "courants (R2112-10).",
    )

    sections = [
        (
            "La formule P = P0 × (a + Σ bᵢ × Iᵢ/I₀ᵢ)",
            ["price_date", "fixed_part", "coefficient_decimals", "coefficient_rounding"],
        ),
        ("Les dates de révision", ["revision_periodicity_months", "index_lag_months"]),
        ("Contrôles", ["safeguard_percent", "drift_tolerance_ht", "standard_supplies"]),
    ]


def _check_period(value: str) -> str:
    period = parse_period(value)
    if period is None:
        raise forms.ValidationError(
            f"Période illisible « {value} » : écrivez par exemple « 2025-09 » ou « 09/2025 »."
        )
    return period


class TermForm(OpenAMOForm):
    index_name = forms.CharField(
        label="Série d'indices",
        max_length=80,
        help_text="Nom court de la série, repris à l'import. Exemple : IPAG-0105 ou BT01",
    )
    label = forms.CharField(
        label="Libellé officiel de l'indice",
        max_length=200,
        required=False,
        help_text="Exemple : Indice des prix de production des produits alimentaires (INSEE)",
    )
    weight = number_field(
        "Poids bᵢ", decimals=4, required=True, maximum=Decimal(1), help_text="Entre 0 et 1."
    )
    base_period = forms.CharField(
        label="Période de base (I₀)", max_length=20, help_text="Le mois zéro. Exemple : 2025-09"
    )

    def clean_base_period(self) -> str:
        return _check_period(self.cleaned_data["base_period"])


class IndexValueForm(OpenAMOForm):
    series = forms.CharField(label="Série d'indices", max_length=80)
    period = forms.CharField(label="Période", max_length=20, help_text="Exemple : 2026-09")
    value = number_field(
        "Valeur",
        decimals=6,
        required=True,
        minimum=Decimal("0.000001"),
        help_text="Exemple : 131,4",
    )
    provisional = forms.BooleanField(label="Valeur provisoire", required=False)

    def clean_period(self) -> str:
        return _check_period(self.cleaned_data["period"])


class IndexImportForm(OpenAMOForm):
    series = forms.CharField(
        label="Série d'indices",
        max_length=80,
        help_text="Le nom de la série dans la formule. Exemple : IPAG-0105",
    )
    file = forms.FileField(
        label="Fichier de la série (CSV)",
        help_text="Export INSEE (BDM) ou tableur : une ligne « période;valeur » par mois, "
        "séparateur point-virgule, tabulation ou virgule, UTF-8 ou ISO-8859-1 ; 2 Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,text/csv"}),
    )
    partial = forms.BooleanField(
        label="Importer les lignes valides seulement",
        required=False,
        help_text="Sinon, un fichier qui contient une ligne invalide n'est pas importé du tout.",
    )

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self) -> bytes:
        return uploads.check(self.cleaned_data["file"], {".csv", ".tsv", ".txt"}, self.MAX_BYTES)


class RevisionForm(OpenAMOForm):
    revised_on = date_field("Date de la révision")
    current_period = forms.CharField(
        label="Mois des indices",
        max_length=20,
        required=False,
        help_text="Laissez vide pour le mois que fixe la clause (date de révision moins le "
        "décalage). Exemple : 2026-09",
    )
    base_price_ht = number_field(
        "Prix de base P0 HT (€)",
        decimals=4,
        required=True,
        help_text="Prix unitaire ou montant de l'offre, aux conditions du mois zéro. Exemple : 3,85",
    )
    invoiced_price_ht = number_field(
        "Prix facturé HT (€)",
        decimals=4,
        help_text="Facultatif : le prix que le titulaire facture, pour contrôler la dérive.",
    )
    price_decimals = forms.IntegerField(
        label="Décimales du prix révisé",
        min_value=0,
        max_value=4,
        initial=2,
        help_text="Arrondi au plus proche ; 2 pour des euros et centimes.",
    )

    def clean_current_period(self) -> str:
        value = self.cleaned_data["current_period"]
        return _check_period(value) if value else ""


class OrderForm(OpenAMOForm):
    reference = forms.CharField(label="Numéro du bon de commande", max_length=60)
    issued_on = date_field("Émis le", not_after_today=True)
    amount_ht = amount_field("Montant HT (€)")
    description = forms.CharField(label="Objet", max_length=300, required=False)
    beyond_maximum = forms.BooleanField(
        label="Je confirme un bon de commande au-delà du maximum de l'accord-cadre",
        required=False,
        help_text="Dépasser le maximum modifie le marché : c'est une modification du contrat "
        "(articles R2194-1 et suivants du code de la commande publique), à passer par avenant "
        "dans ses limites.",
    )


class InvoiceForm(SectionedForm):
    reference = forms.CharField(label="Numéro de la facture", max_length=60)
    received_on = date_field(
        "Reçue le",
        help_text="Date de réception de la demande de paiement (Chorus Pro) : le délai court "
        "de ce jour. Format : JJ/MM/AAAA",
        not_after_today=True,
    )
    amount_ttc = amount_field("Montant TTC (€)")
    description = forms.CharField(label="Objet", max_length=300, required=False)
    order = forms.TypedChoiceField(
        label="Bon de commande", required=False, coerce=int, empty_value=None
    )
    suspended_on = date_field(
        "Suspension notifiée le",
        required=False,
        help_text="Date de la notification au titulaire des pièces manquantes. Format : JJ/MM/AAAA",
    )
    documents_received_on = date_field("Pièces reçues le", required=False, not_after_today=True)
    suspension_reason = forms.CharField(
        label="Motif de la suspension",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Pièce ou mention manquante, erronée ou incohérente.",
    )
    paid_on = date_field(
        "Payée le",
        required=False,
        help_text="Date du mandatement ou de la mise en paiement. Format : JJ/MM/AAAA",
        not_after_today=True,
    )
    ecb_rate_percent = number_field(
        "Taux BCE du semestre (%)",
        decimals=3,
        maximum=Decimal(100),
        help_text="Seulement si OpenAMO ne connaît pas le taux de refinancement de la BCE du "
        "semestre concerné. Exemple : 2,15",
    )

    sections = [
        ("La facture", ["reference", "received_on", "amount_ttc", "description", "order"]),
        (
            "Suspension du délai de paiement",
            ["suspended_on", "documents_received_on", "suspension_reason"],
        ),
        ("Paiement", ["paid_on", "ecb_rate_percent"]),
    ]

    def __init__(self, *args: Any, orders: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.orders = {o.pk: o for o in orders}
        field = self.fields["order"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Aucun")] + [(o.pk, str(o)) for o in orders]
        if not orders:
            del self.fields["order"]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        received, paid = data.get("received_on"), data.get("paid_on")
        if received and paid and paid < received:
            self.add_error("paid_on", "La date de paiement précède la réception de la facture.")
        stop, back = data.get("suspended_on"), data.get("documents_received_on")
        if bool(stop) != bool(back):
            field = "documents_received_on" if stop else "suspended_on"
            self.add_error(
                field, "Une suspension a deux dates : sa notification et la réception des pièces."
            )
        if stop and back and back < stop:
            self.add_error(
                "documents_received_on", "Les pièces ne peuvent arriver avant la demande."
            )
        if stop and received and stop < received:
            self.add_error(
                "suspended_on", "La suspension ne peut précéder la réception de la facture."
            )
        if stop and not data.get("suspension_reason"):
            self.add_error("suspension_reason", "Indiquez le motif de la suspension.")
        return data

    def invoice_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if "order" in self.fields:
            data["order"] = self.orders.get(data.get("order") or 0)
        return data


class ServiceOrderForm(OpenAMOForm):
    kind = forms.ChoiceField(label="Nature de l'ordre de service", choices=ServiceOrderKind.choices)
    subject = forms.CharField(label="Objet", max_length=300)
    description = forms.CharField(
        label="Prescriptions", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    effective_on = date_field("Date d'effet", required=False)


class IssueForm(OpenAMOForm):
    issued_on = date_field("Signé et émis le", not_after_today=True)
    acknowledged_on = date_field("Reçu par le titulaire le", required=False, not_after_today=True)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        issued, received = data.get("issued_on"), data.get("acknowledged_on")
        if issued and received and received < issued:
            self.add_error("acknowledged_on", "L'accusé de réception précède l'émission.")
        return data


class ReceptionForm(OpenAMOForm):
    label = forms.CharField(
        label="Objet de la réception",
        max_length=200,
        help_text="Exemple : Admission des livraisons du premier trimestre",
    )
    inspected_on = date_field("Opérations de vérification le")
    note = forms.CharField(
        label="Observations", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReceptionDecisionForm(DecisionDateMixin, OpenAMOForm):
    decision = forms.ChoiceField(
        label="Décision",
        widget=forms.RadioSelect,
        choices=[
            ("sans_reserve", "Prononcer la réception sans réserve"),
            ("avec_reserves", "Prononcer la réception avec réserves"),
            ("ajournee", "Ajourner la réception"),
            ("refusee", "Refuser la réception"),
        ],
    )
    effective_on = date_field("Date d'effet", required=False)
    note = forms.CharField(
        label="Observations", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReserveForm(OpenAMOForm):
    description = forms.CharField(label="Réserve", max_length=300)
    due_on = date_field("À lever avant le", required=False)


class LiftForm(OpenAMOForm):
    lifted_on = date_field("Levée constatée le", not_after_today=True)
    lifting_note = forms.CharField(label="Constat", max_length=300, required=False)


class PenaltyForm(OpenAMOForm):
    reason = forms.CharField(
        label="Manquement constaté",
        max_length=300,
        help_text="Exemple : Livraison du 14/10 arrivée avec deux jours de retard",
    )
    due_on = date_field("Date contractuelle d'exécution")
    delivered_on = date_field("Date d'exécution effective", not_after_today=True)
    late_value_ht = amount_field(
        "Valeur des prestations en retard HT (€)",
        required=False,
        help_text="Pour les CCAG FCS, TIC, PI, MI et MOE ; par défaut le montant du marché.",
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        due, done = data.get("due_on"), data.get("delivered_on")
        if due and done and done <= due:
            self.add_error(
                "delivered_on", "L'exécution est intervenue dans le délai : pas de retard."
            )
        return data


class PenaltyDecisionForm(OpenAMOForm):
    decision = forms.ChoiceField(
        label="Décision",
        widget=forms.RadioSelect,
        choices=[
            ("validee", "Appliquer la pénalité (après les observations du titulaire)"),
            ("abandonnee", "Abandonner la pénalité"),
        ],
    )


class EvaluationForm(SectionedForm):
    stage = forms.ChoiceField(label="Moment de l'évaluation", choices=EvaluationStage.choices)
    milestone = forms.CharField(
        label="Jalon", max_length=200, help_text="Exemple : Fin de la première année d'exécution"
    )
    evaluated_on = date_field("Évaluée le")
    comments = forms.CharField(
        label="Appréciation générale",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Points forts, points à améliorer, à retenir pour la prochaine consultation.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in CRITERIA:
            self.fields[code] = forms.TypedChoiceField(
                label=label,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "Non évalué"), *MARKS],
            )
        self.sections = [
            ("L'évaluation", ["stage", "milestone", "evaluated_on"]),
            ("Notes de 1 à 5", [code for code, _ in CRITERIA]),
            ("Appréciation", ["comments"]),
        ]
