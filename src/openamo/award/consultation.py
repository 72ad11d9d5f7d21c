"""The consultation file (DCE) as data: buyer, lots, criteria, clauses — checked before drafting.

Drafting refuses a consultation that breaks a rule (criteria, revisable price for food raw
materials, environmental execution conditions from 21 August 2026, response time shorter than
the legal minimum): a file that cannot be published lawfully is not generated.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import Field, StrictBool, model_validator

from openamo.award.models import CriterionInput, check_weights
from openamo.enums import LabelledEnum
from openamo.procurement.enums import Buyer, Nature, SocialConditionException
from openamo.validation import Amount, InputModel, Siret

Name = Annotated[str, Field(min_length=1, max_length=300)]
Text = Annotated[str, Field(max_length=5000)]
Share = Annotated[Decimal, Field(ge=0, le=1, allow_inf_nan=False)]
Percent = Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False)]


class PriceForm(LabelledEnum):
    FERME = "ferme", "prix fermes"
    FERME_ACTUALISABLE = "ferme_actualisable", "prix fermes actualisables"
    REVISABLE = "revisable", "prix révisables"


class ContractForm(LabelledEnum):
    ORDINAIRE = "ordinaire", "Marché ordinaire"
    ACCORD_CADRE_BONS_DE_COMMANDE = (
        "accord_cadre_bons_de_commande",
        (
            "Accord-cadre exécuté par émission de bons de "
            "commande (CCP R2162-2, 2e alinéa, R2162-13 et R2162-14)"
        ),
    )
    ACCORD_CADRE_MARCHES_SUBSEQUENTS = (
        "accord_cadre_marches_subsequents",
        (
            "Accord-cadre exécuté par la conclusion de marchés subséquents (CCP R2162-2, "
            "1er alinéa, et R2162-7 à R2162-12)"
        ),
    )
    ACCORD_CADRE_MIXTE = (
        "accord_cadre_mixte",
        (
            "Accord-cadre exécuté en partie par bons de commande et en partie par marchés "
            "subséquents (CCP R2162-3)"
        ),
    )

    @property
    def is_framework(self) -> bool:
        return self is not ContractForm.ORDINAIRE

    @property
    def by_orders(self) -> bool:
        """Some of it is executed by bons de commande (R2162-13 and R2162-14)."""
        return self in (ContractForm.ACCORD_CADRE_BONS_DE_COMMANDE, ContractForm.ACCORD_CADRE_MIXTE)

    @property
    def by_subsequent_contracts(self) -> bool:
        """Some of it is executed by marchés subséquents (R2162-7 to R2162-12)."""
        return self in (
            ContractForm.ACCORD_CADRE_MARCHES_SUBSEQUENTS,
            ContractForm.ACCORD_CADRE_MIXTE,
        )


class BuyerInfo(InputModel):
    name: Name
    buyer_type: Buyer = Buyer.COLLECTIVITE
    address: Text | None = None
    representative: Name | None = None
    siret: Siret | None = None
    profile_url: Annotated[str, Field(max_length=300)] | None = None
    court: Name | None = None
    contact: Name | None = None
    #: comptable assignataire des paiements (ATTRI1, R2191-59)
    accountant: Name | None = None


class BpuItem(InputModel):
    code: Annotated[str, Field(max_length=30)] | None = None
    designation: Name
    unit: Annotated[str, Field(min_length=1, max_length=40)]
    quantity: Annotated[Decimal, Field(ge=0, le=1_000_000_000, allow_inf_nan=False)]
    estimated_unit_price_ht: Amount | None = None
    egalim_label: Annotated[str, Field(max_length=100)] | None = None


class EgalimTargets(InputModel):
    """Contractual shares (in % of the lot's value HT) the holder commits to deliver."""

    quality_percent: Percent | None = None
    organic_percent: Percent | None = None
    meat_fish_percent: Percent | None = None


class DceLot(InputModel):
    number: int = Field(ge=1, le=999)
    name: Name
    description: Text | None = None
    estimated_amount_ht: Amount
    catering: StrictBool = False
    items: list[BpuItem] = Field(default_factory=list, max_length=2000)
    requirements: list[Text] = Field(default_factory=list, max_length=100)
    criteria: list[CriterionInput] | None = Field(default=None, min_length=1, max_length=30)
    min_amount_ht: Amount | None = None
    max_amount_ht: Amount | None = None
    winners: int | None = Field(default=None, ge=1, le=50)
    egalim: EgalimTargets | None = None

    @model_validator(mode="after")
    def _coherent(self) -> DceLot:
        if self.criteria is not None:
            check_weights(self.criteria, f"lot {self.number}")
        if self.min_amount_ht and self.max_amount_ht and self.min_amount_ht > self.max_amount_ht:
            raise ValueError(f"lot {self.number} : le minimum dépasse le maximum")
        return self


class IndexTerm(InputModel):
    weight: Share
    index_name: Name
    index_reference: Name | None = None


class Revision(InputModel):
    """P = P0 × (fixed_part + Σ weight × I / I0)."""

    fixed_part: Share = Decimal(0)
    terms: list[IndexTerm] = Field(min_length=1, max_length=10)
    base_month: Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
    periodicity: Annotated[str, Field(min_length=1, max_length=100)]
    coefficient_places: int = Field(default=4, ge=2, le=6)

    @model_validator(mode="after")
    def _sum_to_one(self) -> Revision:
        total = self.fixed_part + sum((term.weight for term in self.terms), Decimal(0))
        if total != 1:
            raise ValueError(
                f"formule de révision : partie fixe + poids des indices doit valoir 1 (reçu {total})"
            )
        return self


class PriceClause(InputModel):
    form: PriceForm
    revision: Revision | None = None

    @model_validator(mode="after")
    def _formula(self) -> PriceClause:
        if self.form is PriceForm.REVISABLE and self.revision is None:
            raise ValueError("prix révisables : la formule de révision (« revision ») est requise")
        if self.form is not PriceForm.REVISABLE and self.revision is not None:
            raise ValueError("« revision » ne s'applique qu'à des prix révisables")
        return self


class Penalty(InputModel):
    event: Name
    amount_ht: Amount
    per: Annotated[str, Field(min_length=1, max_length=100)]
    cap_percent: Percent | None = None


class ProcedureType(LabelledEnum):
    MAPA = (
        "mapa",
        ("Procédure adaptée (articles L2123-1 et R2123-1 1° du code de la commande publique)"),
    )
    APPEL_OFFRES_OUVERT = (
        "appel_offres_ouvert",
        (
            "Appel d'offres ouvert (articles L2124-2, R2124-2 1° et "
            "R2161-2 à R2161-5 du code de la commande publique)"
        ),
    )
    APPEL_OFFRES_RESTREINT = (
        "appel_offres_restreint",
        (
            "Appel d'offres restreint (articles L2124-2, R2124-2 2° et "
            "R2161-6 à R2161-11 du code de la commande publique)"
        ),
    )
    PROCEDURE_AVEC_NEGOCIATION = (
        "procedure_avec_negociation",
        (
            "Procédure avec négociation (articles L2124-3, R2124-3 "
            "et R2161-12 à R2161-20 du code de la commande publique)"
        ),
    )


class ConsultationInput(InputModel):
    buyer: BuyerInfo
    object: Name
    reference: Annotated[str, Field(min_length=1, max_length=60)]
    nature: Nature
    procedure_type: ProcedureType | None = None
    cpv: Annotated[str, Field(pattern=r"^\d{8}(-\d)?$")] | None = None
    launch_date: dt.date
    response_deadline: dt.datetime
    validity_days: int = Field(default=120, ge=1, le=730)
    duration_months: int = Field(ge=1, le=600)
    renewals: int = Field(default=0, ge=0, le=20)
    renewal_months: int | None = Field(default=None, ge=1, le=600)
    contract_form: ContractForm = ContractForm.ORDINAIRE
    ccag: Annotated[str, Field(max_length=60)] | None = "CCAG-FCS"
    variants_allowed: StrictBool = False
    negotiation: StrictBool = False
    criteria: list[CriterionInput] = Field(min_length=1, max_length=30)
    publish_price_method: StrictBool = True
    winners: int = Field(default=1, ge=1, le=50)
    tie_break: Name | None = None
    lots: list[DceLot] = Field(min_length=1, max_length=200)
    price: PriceClause
    penalties: list[Penalty] = Field(default_factory=list, max_length=50)
    advance_percent: Percent | None = None
    retention_percent: Percent | None = None
    environmental_conditions: list[Text] = Field(default_factory=list, max_length=50)
    social_conditions: list[Text] = Field(default_factory=list, max_length=50)
    social_condition_exception: SocialConditionException | None = None
    economic_capacity: Text | None = None
    technical_capacity: Text | None = None
    technical_memo: list[Text] = Field(default_factory=list, max_length=50)
    site_visit: StrictBool = False
    delivery_sites: list[Text] = Field(default_factory=list, max_length=200)
    #: days given to the holders to answer a remise en concurrence (R2162-10 2°), multi-holder
    subsequent_response_days: int | None = Field(default=None, ge=1, le=180)
    #: which services are ordered by bons de commande and which by marchés subséquents (mixed
    #: accord-cadre, R2162-3)
    mixed_split: Text | None = None

    @model_validator(mode="after")
    def _coherent(self) -> ConsultationInput:
        check_weights(self.criteria, "critères")
        numbers = [lot.number for lot in self.lots]
        if len(set(numbers)) != len(numbers):
            raise ValueError("deux lots portent le même numéro")
        if self.response_deadline.date() <= self.launch_date:
            raise ValueError("la date limite de réception des offres doit suivre le lancement")
        if self.subsequent_response_days is not None and not (
            self.contract_form.by_subsequent_contracts
        ):
            raise ValueError(
                "le délai de réponse aux remises en concurrence ne s'applique qu'à un "
                "accord-cadre exécuté par marchés subséquents"
            )
        if (
            self.mixed_split is not None
            and self.contract_form is not ContractForm.ACCORD_CADRE_MIXTE
        ):
            raise ValueError(
                "la répartition entre bons de commande et marchés subséquents ne s'applique "
                "qu'à un accord-cadre mixte"
            )
        if self.renewals and self.renewal_months is None:
            raise ValueError(
                "indiquez la durée d'une reconduction (en mois) lorsqu'il y a des reconductions"
            )
        return self

    @property
    def estimated_total_ht(self) -> Decimal:
        return sum((lot.estimated_amount_ht for lot in self.lots), Decimal(0))
