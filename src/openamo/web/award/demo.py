"""Demonstration data of the passation, on the catering renewal (launched some weeks before the
demo's reference day, its bid deadline past): criteria published in the RC, six candidacies
(one regularised after the deadline), three offers on each of two lots with justified marks,
lot 1 analysed by the AMO firm and validated by Marie Dupont (won again by the holder of the
2025 contract), then re-estimated (procedure choice and ranking « à revalider »), lot 3 analysed and awaiting her validation, and the settings of the
consultation file.

Everything goes through the services, so the operation's history tells the story. Loading is
idempotent: nothing is added once the criteria exist.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from openamo.award import CriterionKind, PriceMethod
from openamo.award.consultation import ContractForm, PriceForm
from openamo.money import to_cents
from openamo.web.award import marking
from openamo.web.award.access import scope_of
from openamo.web.award.mappers import RankingSettings
from openamo.web.award.requests import (
    CandidacyEntry,
    CriterionRequest,
    DceLotRequest,
    DceRequest,
    OfferEntry,
    SubCriterionRow,
    suggested_grid,
)
from openamo.web.award.services import candidacies as candidacy_service
from openamo.web.award.services import criteria as criteria_service
from openamo.web.award.services import documents as document_service
from openamo.web.award.services import offers as offer_service
from openamo.web.award.services import ranking as ranking_service
from openamo.web.award.services import reading
from openamo.web.demo_context import DemoContext
from openamo.web.operations import services as operation_services
from openamo.web.operations.access import OperationAccess, operation_access
from openamo.web.operations.models import Lot
from openamo.web.operations.requests import LotChanges
from openamo.web.users import AuthenticatedUser

GRID = suggested_grid(Decimal(20))
CRITERIA = [
    CriterionRequest(
        name="Prix",
        weight=Decimal(40),
        kind=CriterionKind.PRIX,
        method=PriceMethod.PROPORTIONNELLE,
        description="Montant total du détail quantitatif estimatif (DQE) de l'offre.",
    ),
    CriterionRequest(
        name="Valeur technique",
        weight=Decimal(40),
        kind=CriterionKind.TECHNIQUE,
        max_score=Decimal(20),
        grid=GRID,
        sub_criteria=(
            SubCriterionRow(
                name="Qualité et traçabilité des produits",
                weight=Decimal(20),
                description="Fiches techniques, signes de qualité, fraîcheur et calibres.",
            ),
            SubCriterionRow(
                name="Organisation des livraisons et continuité du service",
                weight=Decimal(12),
                description="Créneaux, délais de dépannage, solution en cas de rupture.",
            ),
            SubCriterionRow(
                name="Accompagnement de la cuisine centrale",
                weight=Decimal(8),
                description="Aide aux menus, information des convives, gestion des allergènes.",
            ),
        ),
    ),
    CriterionRequest(
        name="Performance environnementale",
        weight=Decimal(20),
        kind=CriterionKind.ENVIRONNEMENT,
        max_score=Decimal(20),
        grid=GRID,
        description=(
            "Performance en matière de développement des approvisionnements directs de produits "
            "de l'agriculture et de protection de l'environnement (CCP R2152-7)."
        ),
        sub_criteria=(
            SubCriterionRow(
                name="Approvisionnements directs de produits de l'agriculture",
                weight=Decimal(10),
                environmental=True,
                description="Part des produits achetés sans intermédiaire ou avec un seul.",
            ),
            SubCriterionRow(
                name="Emballages et émissions des livraisons",
                weight=Decimal(10),
                environmental=True,
                description="Emballages réemployables, tournées regroupées, véhicules.",
            ),
        ),
    ),
]

LOT_1_REESTIMATED_HT = Decimal("66000.00")
"""Lot 1's estimate after the offers (62 000 € HT when the procedure was chosen and the
ranking validated): both decisions wait to be validated again."""
WINNER = "{titulaire}"
"""Lot 1's winner: the demo's contractor, so that the contracts app creates its contract."""
WINNER_SIRET = "73282932000074"
CHECKED = CandidacyEntry(
    bidder=WINNER,
    siret=WINNER_SIRET,
    application_form=True,
    declaration_form=True,
    sworn_statement=True,
    powers_of_signatory=True,
    economic_capacity=True,
    technical_capacity=True,
)
"""A complete candidacy: every piece the RC asks for received."""
REGULARISATION_DAYS = (-32, -25, -26)
"""Days from the reference day: regularisation asked (a week after the bid deadline), due a
week later, answered the day before it was due."""
CANDIDATES = [
    CHECKED,
    replace(
        CHECKED,
        bidder="Terres de Saveurs SAS",
        siret="51930483600025",
        technical_capacity=False,
        regularisation_requested=True,
        regularised=True,
    ),
    replace(CHECKED, bidder="Distri-Bio Ouest SARL", siret="39075123800028"),
    replace(CHECKED, bidder="Maraîchers du Val SCOP", siret="74281653100021"),
    replace(CHECKED, bidder="Primeurs Réunis SAS", siret="63108743400025"),
    replace(CHECKED, bidder="Fraîch'Express SARL", siret="80452913900029"),
]

ADDRESSES = {
    WINNER: "12 rue des Halles\n35000 Rennes",
    "Terres de Saveurs SAS": "ZA de la Lande, 4 allée des Vergers\n35510 Cesson-Sévigné",
    "Distri-Bio Ouest SARL": "27 boulevard de la Liberté\n56000 Vannes",
    "Maraîchers du Val SCOP": "Lieu-dit Le Val\n35230 Noyal-Châtillon-sur-Seiche",
    "Primeurs Réunis SAS": "8 quai Duguay-Trouin\n35400 Saint-Malo",
}
"""The bidders' postal addresses (letters); Fraîch'Express gave none, its letter asks for it."""

Marks = tuple[tuple[str, str], ...]
"""(mark on 20, justification) per sub-criterion, in the order of the criteria."""

LOT_1: list[tuple[str, str, Marks]] = [
    (
        WINNER,
        "59870.00",
        (
            (
                "20",
                "100 % des références certifiées AB, fiches techniques complètes et origine "
                "tracée par lot ; yaourts et fromages issus de deux fermes identifiées.",
            ),
            (
                "15",
                "Deux livraisons par semaine entre 6 h 30 et 8 h ; dépannage sous 24 h, mais "
                "sans solution de substitution décrite en cas de rupture.",
            ),
            (
                "15",
                "Diététicienne disponible deux demi-journées par trimestre pour les menus ; "
                "affiches pour les convives fournies.",
            ),
            (
                "20",
                "62 % du montant du DQE acheté directement aux producteurs (liste nominative "
                "et factures types jointes).",
            ),
            (
                "15",
                "Caisses réemployables consignées ; tournée commune avec un autre client, "
                "véhicule diesel récent.",
            ),
        ),
    ),
    (
        "Terres de Saveurs SAS",
        "57240.00",
        (
            (
                "15",
                "Références certifiées AB ; fiches techniques sans calibre pour les fruits, "
                "traçabilité par fournisseur et non par lot.",
            ),
            (
                "15",
                "Livraisons bi-hebdomadaires dans les créneaux ; dépannage sous 48 h avec "
                "stock tampon décrit.",
            ),
            ("10", "Accompagnement limité à une réunion annuelle, sans aide aux menus."),
            ("10", "Un grossiste intermédiaire pour la majorité des produits ; 18 % en direct."),
            (
                "15",
                "Emballages recyclables, reprise des cagettes ; véhicule électrique pour "
                "la commune.",
            ),
        ),
    ),
    (
        "Distri-Bio Ouest SARL",
        "64310.00",
        (
            ("15", "Gamme AB complète ; fiches techniques fournies pour 80 % des références."),
            (
                "20",
                "Livraison quotidienne possible, dépannage sous 4 h, plan de continuité "
                "écrit avec un second entrepôt.",
            ),
            ("10", "Catalogue de recettes générique, sans accompagnement personnalisé."),
            ("5", "Approvisionnement par centrale d'achat, aucun achat direct identifié."),
            ("10", "Emballages à usage unique ; tournées non regroupées."),
        ),
    ),
]
LOT_3: list[tuple[str, str, Marks]] = [
    (
        "Maraîchers du Val SCOP",
        "39650.00",
        (
            (
                "20",
                "Cueillette la veille de la livraison, calibres adaptés aux enfants, "
                "traçabilité par parcelle.",
            ),
            (
                "15",
                "Trois créneaux par semaine ; remplacement par un autre maraîcher de la "
                "coopérative en cas d'aléa climatique.",
            ),
            ("15", "Animation « du champ à l'assiette » proposée une fois par an par école."),
            (
                "20",
                "Production propre pour 70 % des volumes, le reste acheté à deux producteurs "
                "nommés.",
            ),
            ("15", "Caisses bois réemployées ; tournée unique pour les trois sites."),
        ),
    ),
    (
        "Primeurs Réunis SAS",
        "42180.00",
        (
            (
                "15",
                "Produits frais de catégorie I, fiches techniques complètes ; traçabilité "
                "par fournisseur.",
            ),
            ("15", "Livraisons dans les créneaux ; dépannage sous 24 h."),
            ("10", "Pas d'accompagnement au-delà de la commande."),
            ("10", "Achats au marché d'intérêt national ; 15 % en direct auprès de producteurs."),
            ("10", "Emballages carton recyclables ; tournées non regroupées."),
        ),
    ),
    (
        "Fraîch'Express SARL",
        "31900.00",
        (
            (
                "10",
                "Fiches techniques incomplètes : calibres et origine non précisés pour la "
                "moitié des références.",
            ),
            (
                "10",
                "Une seule livraison par semaine, incompatible avec la fraîcheur attendue "
                "des salades.",
            ),
            ("5", "Aucun accompagnement proposé."),
            ("5", "Approvisionnement exclusivement par grossistes."),
            ("5", "Emballages à usage unique, aucune mesure sur les livraisons."),
        ),
    ),
]

DCE_SETTINGS = DceRequest(
    reference="2027-RS-01",
    cpv="15000000-8",
    contract_form=ContractForm.ACCORD_CADRE_BONS_DE_COMMANDE,
    ccag="CCAG-FCS (arrêté du 30 mars 2021)",
    tie_break="Valeur technique",
    buyer_address="Hôtel de ville, 1 place de la Mairie, 00000 Saint-Exemple",
    buyer_representative="Madame la Maire de Saint-Exemple",
    buyer_profile_url="https://marches.saint-exemple.example/consultation/2027-RS-01",
    buyer_court="tribunal administratif de Saint-Exemple",
    buyer_contact="service de la commande publique, commande.publique@saint-exemple.example",
    buyer_accountant="Service de gestion comptable de Saint-Exemple",
    delivery_sites=(
        "Cuisine centrale de l'école Jules-Ferry, 2 rue de l'École, 00000 Saint-Exemple\n"
        "Multi-accueil « Les Petits Pas », 5 allée des Tilleuls, 00000 Saint-Exemple"
    ),
    price_form=PriceForm.REVISABLE,
    revision_fixed_part=Decimal("0.15"),
    revision_terms=(
        "0,60 ; Indice des prix à la consommation — produits alimentaires (INSEE)\n"
        "0,25 ; Indice du coût horaire du travail — transports et entreposage (INSEE)"
    ),
    revision_base_month="2027-01",
    revision_periodicity="annuelle, à chaque date anniversaire de la notification",
    penalties=(
        "Retard de livraison de plus d'une heure ; 50 ; par livraison et par site ; 10\n"
        "Produit livré sans le signe de qualité annoncé dans l'offre ; 100 ; par produit et "
        "par livraison"
    ),
    advance_percent=Decimal(5),
    social_conditions=(
        "Insertion : au moins 5 % des heures de préparation des commandes et de livraison "
        "confiées à des personnes rencontrant des difficultés sociales ou professionnelles "
        "particulières, justifiées chaque année"
    ),
    environmental_conditions=(
        "Livraisons regroupées : deux livraisons par semaine et par site au plus\n"
        "Emballages réemployables consignés ou recyclables ; reprise des cagettes"
    ),
    technical_memo=(
        "Fiches techniques des produits, origine et signes de qualité\n"
        "Organisation des livraisons et plan de continuité\n"
        "Part d'approvisionnements directs auprès des producteurs"
    ),
    economic_capacity="Chiffre d'affaires des trois derniers exercices.",
    technical_capacity="Principales livraisons comparables des trois dernières années.",
    egalim_quality_percent=Decimal(50),
    egalim_organic_percent=Decimal(20),
)
BPU = {
    1: "Pommes AB, catégorie I ; kg ; 3500 ; 2,60\nYaourt nature AB 125 g ; pièce ; 52000 ; 0,32\n"
    "Lentilles vertes AB ; kg ; 600 ; 3,10",
    2: "Carottes ; kg ; 2400 ; 1,15\nPoulet fermier Label Rouge ; kg ; 1800 ; 9,80",
    3: "Salade batavia ; pièce ; 1800 ; 0,95\nPommes de terre HVE ; kg ; 5200 ; 0,85\n"
    "Comté AOP en portions ; kg ; 450 ; 14,50",
    4: "Pâtes sèches ; kg ; 1500 ; 1,90\nHuile de colza ; litre ; 400 ; 2,80",
}

#: The CCTP's technical requirements of each lot, by lot number (one per line, as typed).
REQUIREMENTS = {
    1: "Produits certifiés « agriculture biologique » (règlement (UE) 2018/848), certificat "
    "de l'organisme certificateur joint à chaque livraison\n"
    "Chaîne du froid respectée jusqu'à la livraison (0 à +4 °C pour les produits frais)\n"
    "Date limite de consommation d'au moins 7 jours à la livraison",
    2: "Un intermédiaire au plus entre le producteur et la commune (circuit court)\n"
    "Nom et commune du producteur indiqués sur chaque bon de livraison\n"
    "Livraison hebdomadaire pendant les périodes scolaires, avant 8 h",
    3: "Fruits et légumes de saison, de catégorie I, calibres adaptés aux enfants\n"
    "Chaîne du froid respectée (0 à +4 °C) pour les produits laitiers\n"
    "Portions de fromage de 20 à 30 g",
    4: "Date de durabilité minimale d'au moins 6 mois à la livraison\n"
    "Conditionnements adaptés à une cuisine centrale (5 kg et plus pour les produits secs)",
}


def load(context: DemoContext) -> None:
    operation = context.catering
    if reading.criteria_set_of(operation) is not None:
        return
    mo, amo = context.users["marie.dupont"], context.users["alice.bernard"]
    winner = context.contractor.name
    access = operation_access(amo, operation.pk)
    criteria_service.save_criteria(access, amo, criteria_service.validate_criteria(CRITERIA), None)
    # The criteria announced to the candidates are the buyer's decision.
    criteria_service.validate_criteria_set(operation_access(mo, operation.pk), mo)
    sirets: dict[str, str] = {}
    for candidate in CANDIDATES:
        if candidate.regularisation_requested:
            candidate = _regularised(context, candidate)
        if candidate.bidder == WINNER:
            candidate = replace(
                candidate, bidder=winner, siret=context.contractor.siret or candidate.siret
            )
        sirets[candidate.bidder] = candidate.siret
        candidacy_service.add_candidacy(access, amo, candidate)
    lots = {lot.number: lot for lot in Lot.objects.filter(operation=operation)}
    settings = replace(
        DCE_SETTINGS,
        lots={
            lot.pk: DceLotRequest(
                catering=True,
                items=BPU.get(number, ""),
                max_amount_ht=to_cents(lot.estimated_amount_ht * Decimal("1.4")),
                requirements=REQUIREMENTS.get(number, ""),
            )
            for number, lot in lots.items()
        },
    )
    document_service.save_dce_settings(access, amo, settings)
    named = [
        (winner if bidder == WINNER else bidder, price, marks) for bidder, price, marks in LOT_1
    ]
    addresses = {**ADDRESSES, winner: ADDRESSES[WINNER]}
    _offers(amo, access, lots[1], named, sirets, addresses)
    _offers(amo, access, lots[3], LOT_3, sirets, addresses)
    announced = RankingSettings(tie_break="Valeur technique")
    ranking_service.analyse(scope_of(access, lots[1].pk), amo, announced)
    ranking_service.analyse(scope_of(access, lots[3].pk), amo, announced)
    deciding = operation_access(mo, operation.pk)
    ranking_service.validate(scope_of(deciding, lots[1].pk), mo)
    # Since then the AMO firm has re-estimated lot 1 on the 2027 forecast: the procedure
    # choice and lot 1's ranking, made on the former estimate, are « à revalider ».
    operation_services.update_lot(
        access, amo, lots[1], LotChanges(estimated_amount_ht=LOT_1_REESTIMATED_HT)
    )


def _regularised(context: DemoContext, candidate: CandidacyEntry) -> CandidacyEntry:
    asked, due, answered = (context.day(days) for days in REGULARISATION_DAYS)
    return replace(
        candidate,
        regularisation_requested_on=asked,
        regularisation_due_on=due,
        comment=f"Liste des livraisons comparables complétée le {answered:%d/%m/%Y}, à la "
        f"demande adressée le {asked:%d/%m/%Y} à tous les candidats concernés.",
    )


def _offers(
    amo: AuthenticatedUser,
    access: OperationAccess,
    lot: Lot,
    offers: list[tuple[str, str, Marks]],
    sirets: dict[str, str],
    addresses: dict[str, str],
) -> None:
    scope = scope_of(access, lot.pk)
    slots = marking.slots(reading.context_of(access.operation).criteria)
    for bidder, price, marks in offers:
        offer = offer_service.add_offer(
            scope,
            amo,
            OfferEntry(
                bidder=bidder,
                siret=sirets[bidder],
                postal_address=addresses.get(bidder, ""),
                price_ht=Decimal(price),
            ),
        )
        typed = [
            marking.MarkEntry.typed(slot, mark, why)
            for slot, (mark, why) in zip(slots, marks, strict=True)
        ]
        offer_service.save_marks(scope, amo, offer, typed)
