"""The contract's own sheet, its renewals and its subcontractors."""

from __future__ import annotations

from decimal import Decimal
from typing import Unpack

from django import forms
from django.utils import timezone

from openamo import law
from openamo.money import format_euros, format_share
from openamo.pricing.enums import PenaltyClause
from openamo.validation import chronology_error
from openamo.web.contracts.forms.fields import DecisionDateMixin, SectionedForm, months_field
from openamo.web.contracts.models import (
    PAYMENT_BUYER_CHOICES,
    PENALTY_CLAUSE_CHOICES,
    Contract,
    ContractStatus,
    PriceForm,
)
from openamo.web.contracts.requests import ContractEntry, SubcontractorEntry
from openamo.web.forms import (
    Files,
    FormOptions,
    OpenAMOForm,
    Posted,
    amount_field,
    check_siret,
    date_field,
    percent_field,
    period_fields,
)
from openamo.web.operations.models import (
    FRAMEWORK_HOLDERS_CHOICES,
    NATURE_CHOICES,
    PROCEDURE_CHOICES,
    Lot,
)
from openamo.web.organisations.models import Organisation, OrganisationKind


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
    holder_address = forms.CharField(
        label="Adresse du titulaire",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Numéro et rue, puis code postal et commune sur la dernière ligne (exemple : « 35000 "
        "Rennes ») : les courriers et l'avenant l'impriment ; sans elle, ils la signalent à compléter.",
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
    duration_months, renewals, renewal_duration_months = period_fields(max_renewals=20)
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
                "holder_address",
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
        data: Posted | None = None,
        files: Files | None = None,
        *,
        holders: list[Organisation],
        lots: list[Lot] | None = None,
        editing: bool = False,
        can_decide: bool = False,
        **options: Unpack[FormOptions],
    ) -> None:
        """``can_decide``: the buyer's maître d'ouvrage, alone to open the contract to the
        holder's account and to change its status; for other roles these fields are absent."""
        super().__init__(data, files, **options)
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

    def clean(self) -> None:
        super().clean()
        data = self.cleaned_data
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

    def request(self) -> ContractEntry:
        """The sheet typed. A field the form does not offer (the lot of a contract without
        lots, the account and status for a role that does not decide them) keeps the edited
        contract's value, or a new contract's."""
        d = self.cleaned_data
        kept = self.current if isinstance(self.current, Contract) else None
        holder = kept.holder_organisation if kept else None
        if "holder_organisation" in self.fields:
            chosen = self.holders.get(d["holder_organisation"] or 0)
            holder = self.invited if d["invite_holder"] else chosen
        lot = kept.lot if kept else None
        if "lot" in self.fields:
            lot = self.lots.get(d["lot"] or 0)
        status = kept.status if kept else ContractStatus.EN_COURS.value
        if "status" in self.fields:
            status = d["status"]
        return ContractEntry(
            lot=lot,
            reference=d["reference"],
            title=d["title"],
            nature=d["nature"],
            procedure=d["procedure"],
            holder_name=d["holder_name"],
            holder_siret=d["holder_siret"],
            holder_address=d["holder_address"],
            holder_organisation=holder,
            holder_is_sme=d["holder_is_sme"],
            initial_amount_ht=d["initial_amount_ht"],
            vat_rate=d["vat_rate"],
            signed_on=d["signed_on"],
            notified_on=d["notified_on"],
            award_notice_sent_on=d["award_notice_sent_on"],
            start_on=d["start_on"],
            duration_months=d["duration_months"],
            renewals=d["renewals"] or 0,
            renewal_duration_months=d["renewal_duration_months"],
            renewal_notice_months=d["renewal_notice_months"],
            price_form=d["price_form"],
            is_framework=d["is_framework"],
            minimum_amount_ht=d["minimum_amount_ht"],
            maximum_amount_ht=d["maximum_amount_ht"],
            framework_maximum_quantity=d["framework_maximum_quantity"],
            framework_holders=d["framework_holders"],
            payment_buyer=d["payment_buyer"],
            payment_days=d["payment_days"],
            consultation_on=d["consultation_on"],
            large_buyer=d["large_buyer"],
            advance_rate_percent=d["advance_rate_percent"],
            retention_rate_percent=d["retention_rate_percent"],
            penalty_clause=d["penalty_clause"],
            penalty_daily_amount_ht=d["penalty_daily_amount_ht"],
            penalty_daily_rate_percent=d["penalty_daily_rate_percent"],
            penalty_cap_percent=d["penalty_cap_percent"],
            penalty_exemption_ht=d["penalty_exemption_ht"],
            status=status,
        )

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

    def request(self) -> SubcontractorEntry:
        d = self.cleaned_data
        return SubcontractorEntry(
            name=d["name"],
            siret=d["siret"],
            services=d["services"],
            amount_ht=d["amount_ht"],
            direct_payment=d["direct_payment"],
            accepted_on=d["accepted_on"],
        )
