"""Builds the DOCX templates of the DCE and of the rapport d'analyse des offres (docxtpl tags).

Run once after editing: ``python src/openamo/documents/templates/dce_templates_build.py``.
The templates are committed; this script documents how they were made and lets a test check
that they are up to date. It writes ``dce_rc.docx``, ``dce_ae.docx``, ``dce_ccap.docx``,
``dce_cctp.docx``, ``rapport_analyse.docx`` and the XLSX layout ``bpu_dqe.xlsx``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openamo.documents.layout import (
    DECIMAL_HEADINGS,
    LETTER_HEADINGS,
    MISSING_STYLE,
    Column,
    add_heading,
    add_table,
    add_text,
    add_toc,
    new_document,
    page_break,
)

HERE = Path(__file__).parent

Block = tuple[Any, ...]


def _columns(*specs: tuple[str, float] | tuple[str, float, str]) -> list[Column]:
    return [Column(*spec) for spec in specs]


def _write(blocks: Sequence[Block], name: str, out_dir: Path) -> Path:
    document = new_document(heading_format=LETTERED.get(name, DECIMAL_HEADINGS))
    for block in blocks:
        kind = block[0]
        if kind == "title":
            document.add_paragraph(block[1], style=document.styles["Title"])
        elif kind == "subtitle":
            paragraph = document.add_paragraph(style=document.styles["Subtitle"])
            add_text(paragraph, block[1])
        elif kind == "toc":
            add_toc(document)
        elif kind in {"h1", "h2", "h3"}:
            add_heading(document, block[1], int(kind[1]), block[2] if len(block) > 2 else None)
        elif kind == "p":
            add_text(document.add_paragraph(), block[1])
        elif kind == "missing":
            add_text(document.add_paragraph(style=document.styles[MISSING_STYLE]), block[1])
        elif kind == "note":
            add_text(document.add_paragraph(style=document.styles["Mention"]), block[1])
        elif kind == "b":
            add_text(document.add_paragraph(style=document.styles["List Bullet"]), block[1])
        elif kind == "table":
            add_table(document, block[1], [block[3]], loop=block[2])
        elif kind == "break":
            page_break(document)
        else:
            raise ValueError(kind)
    path = out_dir / name
    document.save(str(path))
    return path


def _each(loop: str, *inner: Block) -> list[Block]:
    return [("p", "{%p for " + loop + " %}"), *inner, ("p", "{%p endfor %}")]


def _when(condition: str, *inner: Block) -> list[Block]:
    return [("p", "{%p if " + condition + " %}"), *inner, ("p", "{%p endif %}")]


def rc() -> list[Block]:
    return [
        ("title", "Règlement de la consultation"),
        ("subtitle", "{{ consultation.object }}"),
        ("toc",),
        ("p", "Date limite de réception des offres : {{ consultation.deadline }}"),
        ("h1", "Acheteur"),
        ("p", "{{ buyer.name }}{% if buyer.address %}, {{ buyer.address }}{% endif %}."),
        (
            "p",
            "{% if buyer.representative %}Représentant du pouvoir adjudicateur : {{ buyer.representative }}. {% endif %}{% if buyer.contact %}Contact : {{ buyer.contact }}.{% endif %}",
        ),
        ("h1", "Objet et forme du marché"),
        (
            "p",
            "La consultation porte sur : {{ consultation.object }}.{% if consultation.cpv %} Code CPV principal : {{ consultation.cpv }}.{% endif %}",
        ),
        (
            "p",
            "Nature des prestations : {{ consultation.nature }}. Forme : {{ consultation.contract_form }}.",
        ),
        ("p", "Durée : {{ consultation.duration }}"),
        (
            "p",
            "Cahier des clauses administratives générales de référence : {{ consultation.ccag }}.",
        ),
        ("h1", "Procédure"),
        ("p", "{{ procedure.label }}"),
        (
            "p",
            "Publicité : {{ procedure.publicity }}. {% if procedure.dce_on_profile %}Le dossier de consultation est accessible gratuitement, directement et complètement sur le profil d'acheteur{% if buyer.profile_url %} : {{ buyer.profile_url }}{% endif %}.{% endif %}",
        ),
        *_when(
            "consultation.negotiation",
            (
                "p",
                "L'acheteur se réserve la possibilité de négocier avec les candidats ayant présenté une offre ; il peut aussi attribuer le marché sur la base des offres initiales sans négociation.",
            ),
        ),
        ("h1", "Allotissement"),
        (
            "p",
            "La consultation est divisée en {{ lots|length }} lot(s). Les candidats peuvent répondre à un ou plusieurs lots ; chaque lot fait l'objet d'une offre distincte et est attribué séparément.",
        ),
        (
            "table",
            _columns(("Lot", 1.4, "center"), ("Intitulé", 7.6), ("Forme et montants", 8.0)),
            "lot in lots",
            ["{{ lot.number }}", "{{ lot.name }}", "{{ lot.amounts }}"],
        ),
        ("h1", "Variantes"),
        ("p", "{{ consultation.variants }}"),
        ("h1", "Contenu du dossier de consultation"),
        *_each("document in dce_documents", ("b", "{{ document }}")),
        ("h1", "Présentation des candidatures"),
        (
            "p",
            "Chaque candidat produit les pièces suivantes (formulaires DC1 et DC2, ou document unique de marché européen — DUME) :",
        ),
        *_each("item in candidacy_documents", ("b", "{{ item }}")),
        (
            "p",
            "Si des pièces de candidature sont absentes ou incomplètes, l'acheteur peut demander à tous les candidats concernés de compléter leur dossier dans un délai approprié et identique pour tous (article R2144-2 du code de la commande publique).",
        ),
        (
            "p",
            "Le candidat auquel il est envisagé d'attribuer le marché produit, dans le délai fixé par l'acheteur, les certificats et attestations prouvant qu'il n'entre dans aucun cas d'exclusion.",
        ),
        ("h1", "Présentation des offres"),
        *_each("item in offer_documents", ("b", "{{ item }}")),
        *_when(
            "technical_memo",
            ("p", "Le mémoire technique traite notamment des points suivants :"),
            *_each("item in technical_memo", ("b", "{{ item }}")),
        ),
        (
            "p",
            "Les offres sont valables {{ consultation.validity_days }} jours à compter de la date limite de réception des offres.",
        ),
        ("h1", "Jugement des offres"),
        (
            "p",
            "Les offres sont appréciées lot par lot. L'offre économiquement la plus avantageuse est choisie selon les critères pondérés ci-dessous (articles L2152-7 et R2152-7 du code de la commande publique).",
        ),
        *_each(
            "block in criteria_blocks",
            ("h2", "{{ block.title }}"),
            (
                "table",
                _columns(
                    ("Critère / sous-critère", 7.0),
                    ("Pondération", 2.6, "right"),
                    ("Appréciation", 7.4),
                ),
                "row in block.rows",
                ["{{ row.name }}", "{{ row.weight }}", "{{ row.detail }}"],
            ),
        ),
        *_when(
            "publish_price_method",
            ("h2", "Méthode de notation du prix"),
            *_each(
                "method in price_methods",
                (
                    "p",
                    "{{ method.criterion }} : {{ method.label }} — {{ method.formula }}. {{ method.explanation }}",
                ),
            ),
        ),
        ("h2", "Rectification des erreurs matérielles"),
        (
            "p",
            "En cas de discordance entre les prix unitaires du bordereau des prix unitaires (BPU) et le détail quantitatif estimatif (DQE), les prix unitaires prévalent ; le montant du DQE est rectifié et c'est le montant rectifié qui est pris en compte pour le jugement de l'offre.",
        ),
        ("h2", "Offres irrégulières, inacceptables ou inappropriées"),
        (
            "p",
            "Ces offres sont éliminées (article R2152-1). L'acheteur peut toutefois autoriser tous les soumissionnaires concernés à régulariser les offres irrégulières dans un délai approprié, à condition qu'elles ne soient pas anormalement basses et sans en modifier les caractéristiques substantielles (article R2152-2).",
        ),
        ("h2", "Offres anormalement basses"),
        (
            "p",
            "Lorsqu'une offre semble anormalement basse, l'acheteur exige du soumissionnaire qu'il justifie le prix ou les coûts proposés (article R2152-3). L'offre n'est rejetée qu'après examen de ces justifications, par décision motivée, si elles ne rendent pas compte du bas niveau du prix (articles L2152-5 et L2152-6).",
        ),
        ("h2", "Égalité et attribution"),
        ("p", "{{ tie_break }}"),
        ("p", "{{ winners }}"),
        ("h1", "Conditions d'envoi des plis"),
        (
            "p",
            "Les plis sont transmis par voie électronique{% if buyer.profile_url %} sur le profil d'acheteur {{ buyer.profile_url }}{% endif %}, avant le {{ consultation.deadline }}. Les plis reçus après cette date ne sont pas examinés.",
        ),
        *_when(
            "consultation.site_visit",
            (
                "p",
                "Une visite des sites de livraison est organisée ; ses modalités sont communiquées sur le profil d'acheteur.",
            ),
        ),
        ("h1", "Recours"),
        (
            "p",
            "Instance chargée des procédures de recours : {{ buyer.court or 'tribunal administratif territorialement compétent' }} (référé précontractuel, référé contractuel, recours en contestation de validité du contrat).",
        ),
    ]


def ae() -> list[Block]:
    return [
        ("title", "Acte d'engagement"),
        ("subtitle", "{{ consultation.object }}"),
        ("p", "Lot n° {{ lot.number }} — {{ lot.name }}"),
        (
            "p",
            "Modèle établi d'après le formulaire ATTRI1 ; le candidat peut aussi utiliser le formulaire officiel.",
        ),
        ("h1", "Objet de l'acte d'engagement"),
        (
            "p",
            "Le présent acte d'engagement porte sur le lot n° {{ lot.number }} de la consultation « {{ consultation.object }} » ({{ consultation.contract_form }}), passée selon la procédure suivante : {{ procedure.short }}.",
        ),
        ("h1", "Engagement du titulaire"),
        (
            "p",
            "Après avoir pris connaissance des pièces constitutives du marché, le signataire s'engage, sur la base de son offre et pour son propre compte (ou pour le compte du groupement désigné ci-dessous), à exécuter les prestations dans les conditions ci-après définies.",
        ),
        (
            "table",
            _columns(("Renseignement", 7.0), ("À compléter par le candidat", 10.0)),
            "field in contractor_fields",
            ["{{ field }}", ""],
        ),
        ("h1", "Prix"),
        (
            "p",
            "Les prestations sont rémunérées par application des prix unitaires du bordereau des prix unitaires (BPU) aux quantités réellement exécutées ({{ price.form }}).",
        ),
        (
            "p",
            "Montant du détail quantitatif estimatif, valant seulement pour le jugement des offres : ........................ € HT, soit ........................ € TTC.",
        ),
        ("p", "{{ lot.amounts }}"),
        ("h1", "Durée d'exécution"),
        ("p", "{{ consultation.duration }}"),
        ("h1", "Paiement"),
        (
            "p",
            "Les sommes dues sont versées au compte ouvert au nom du titulaire (joindre un relevé d'identité bancaire). {{ advance }}",
        ),
        ("h1", "Signature du candidat"),
        (
            "p",
            "Fait à ........................, le ........................ — Signature de la personne habilitée à engager le candidat :",
        ),
        ("h1", "Décision de l'acheteur"),
        (
            "p",
            "La présente offre est acceptée. {{ buyer.name }}, représenté par {{ buyer.representative or '........................' }}. Fait à ........................, le ........................",
        ),
    ]


def ccap() -> list[Block]:
    return [
        ("title", "Cahier des clauses administratives particulières"),
        ("subtitle", "{{ consultation.object }}"),
        ("toc",),
        ("h1", "Objet, forme et durée"),
        (
            "p",
            "Le marché porte sur : {{ consultation.object }}. Forme : {{ consultation.contract_form }}.",
        ),
        (
            "table",
            _columns(("Lot", 1.4, "center"), ("Intitulé", 7.6), ("Montants", 8.0)),
            "lot in lots",
            ["{{ lot.number }}", "{{ lot.name }}", "{{ lot.amounts }}"],
        ),
        ("p", "Durée : {{ consultation.duration }}"),
        ("h1", "Pièces contractuelles"),
        ("p", "Par ordre de priorité décroissante :"),
        *_each("item in contract_documents", ("b", "{{ item }}")),
        ("h1", "Prix"),
        (
            "p",
            "Les prix sont des {{ price.form }}, exprimés en euros hors taxes, réputés comprendre toutes les charges, frais de livraison et emballages.",
        ),
        *_when(
            "price.revisable",
            (
                "p",
                "Les prix sont révisables (article R2112-13 du code de la commande publique) selon la formule : {{ price.formula }}",
            ),
            (
                "p",
                "où P0 est le prix initial, établi aux conditions économiques du mois zéro ({{ price.base_month }}), et :",
            ),
            *_each("term in price.terms", ("b", "{{ term }}")),
            (
                "p",
                "Périodicité de la révision : {{ price.periodicity }}. Le coefficient de révision est arrondi à {{ price.places }} décimales. Les valeurs d'indice utilisées sont les dernières publiées à la date de la révision ; la formule s'applique telle qu'elle est écrite et ne peut être modifiée en cours d'exécution.",
            ),
            ("p", "{{ price.fixed_part_note }}"),
        ),
        *_when(
            "price.actualisable",
            (
                "p",
                "Les prix sont fermes et actualisables : si plus de trois mois s'écoulent entre la date d'établissement du prix de l'offre et le début d'exécution, le prix est actualisé aux conditions économiques du troisième mois précédant le début d'exécution (articles R2112-10 à R2112-12).",
            ),
        ),
        ("h1", "Modalités de paiement"),
        (
            "p",
            "Les sommes dues sont réglées dans le délai global de paiement prévu par les articles R2192-10 et suivants du code de la commande publique, à compter de la réception de la demande de paiement ; tout retard fait courir de plein droit des intérêts moratoires et l'indemnité forfaitaire pour frais de recouvrement. Les factures sont transmises par voie électronique (Chorus Pro).",
        ),
        ("p", "{{ advance }}"),
        ("p", "{{ retention }}"),
        ("h1", "Pénalités", "penalites"),
        ("p", "{{ penalties_intro }}"),
        (
            "table",
            _columns(("Manquement", 8.0), ("Pénalité", 5.0, "right"), ("Plafond", 4.0)),
            "penalty in penalties",
            ["{{ penalty.event }}", "{{ penalty.amount }}", "{{ penalty.cap }}"],
        ),
        ("h1", "Conditions d'exécution environnementales et sociales"),
        ("p", "{{ environment_intro }}"),
        *_each("item in environmental_conditions", ("b", "{{ item }}")),
        *_when(
            "social_conditions",
            ("p", "Conditions d'exécution à caractère social :"),
            *_each("item in social_conditions", ("b", "{{ item }}")),
        ),
        *_when(
            "catering_lots",
            ("h1", "Restauration collective : produits durables et de qualité (EGAlim)"),
            ("p", "Lots concernés : {{ catering_lots }}."),
            ("p", "{{ egalim.legal }}"),
            (
                "p",
                "Le titulaire joint à chaque facture, et récapitule chaque trimestre, la valeur hors taxes des produits livrés par catégorie (agriculture biologique, autres signes de qualité et mentions valorisantes, produits issus d'exploitations HVE, écolabel pêche durable, commerce équitable…), avec les justificatifs (certificats, étiquetage), afin que l'acheteur puisse établir sa déclaration annuelle sur la plateforme « ma cantine ».",
            ),
            *_each("line in egalim.contractual", ("b", "{{ line }}")),
            (
                "p",
                "Le défaut de transmission ou la livraison d'un produit sans le signe de qualité annoncé dans l'offre est sanctionné par les pénalités de l'article [[ref:penalites]].",
            ),
        ),
        ("h1", "Résiliation, litiges et dérogations"),
        (
            "p",
            "Les stipulations du {{ consultation.ccag }} s'appliquent en matière de résiliation. Les litiges relèvent du {{ buyer.court or 'tribunal administratif territorialement compétent' }}.",
        ),
        (
            "p",
            "Dérogations au CCAG : les pénalités de l'article [[ref:penalites]] dérogent, le cas échéant, aux pénalités prévues par le CCAG.",
        ),
    ]


def cctp() -> list[Block]:
    return [
        ("title", "Cahier des clauses techniques particulières"),
        ("subtitle", "{{ consultation.object }}"),
        ("h1", "Objet"),
        ("p", "Le présent CCTP décrit les prestations attendues pour : {{ consultation.object }}."),
        *_each(
            "lot in lots",
            ("h1", "Lot n° {{ lot.number }} — {{ lot.name }}"),
            *_when("lot.description", ("p", "{{ lot.description }}")),
            *_when(
                "not lot.description",
                (
                    "missing",
                    "À compléter par l'acheteur avant publication : description des prestations du lot n° {{ lot.number }} (objet, étendue, sites et fréquence des livraisons).",
                ),
            ),
            ("h2", "Prestations et quantités estimatives"),
            (
                "table",
                _columns(
                    ("Code", 1.8),
                    ("Désignation", 6.4),
                    ("Unité", 2.0),
                    ("Quantité estimative", 2.6, "right"),
                    ("Exigence de qualité", 4.2),
                ),
                "item in lot.lines",
                [
                    "{{ item.code }}",
                    "{{ item.designation }}",
                    "{{ item.unit }}",
                    "{{ item.quantity }}",
                    "{{ item.label }}",
                ],
            ),
            ("h2", "Exigences techniques"),
            *_each("requirement in lot.requirements", ("b", "{{ requirement }}")),
            *_when(
                "lot.catering",
                ("h2", "Exigences propres à la restauration scolaire"),
                (
                    "b",
                    "Les produits sous signe de qualité ou mention valorisante sont livrés avec leur justificatif (certificat de l'organisme certificateur, étiquetage) ; un produit ne compte qu'une fois, même s'il porte plusieurs labels.",
                ),
                (
                    "b",
                    "Le titulaire propose des denrées permettant de servir au moins un menu végétarien par semaine (article L230-5-6 du code rural et de la pêche maritime).",
                ),
                (
                    "b",
                    "Les quantités sont indicatives ; les commandes sont passées par bons de commande selon les effectifs.",
                ),
                *_each("line in lot.egalim", ("b", "{{ line }}")),
            ),
        ),
        ("h1", "Contrôle et réception"),
        (
            "p",
            "Chaque livraison est contrôlée à réception (quantités, températures, dates limites, signes de qualité). Les produits non conformes sont refusés et remplacés sans délai aux frais du titulaire.",
        ),
    ]


def rapport() -> list[Block]:
    return [
        ("title", "Rapport d'analyse des offres"),
        ("p", "{{ buyer_name }}"),
        ("p", "{{ object }}{% if reference %} — consultation n° {{ reference }}{% endif %}"),
        (
            "p",
            "Procédure : {{ procedure }} — lancée le {{ launch_date }}{% if deadline %} — offres reçues jusqu'au {{ deadline }}{% endif %}.",
        ),
        (
            "p",
            "Rapport établi par {{ author }} le {{ generated_on }}, soumis à la décision de {{ decision_maker }}.",
        ),
        ("h1", "Conformité des critères"),
        ("p", "{{ compliance }}"),
        *_each("check in checks", ("b", "[{{ check.level }}] {{ check.message }}")),
        *_when(
            "candidacies",
            ("h1", "Examen des candidatures"),
            (
                "table",
                _columns(("Candidat", 4.5), ("Décision", 3.5), ("Motifs", 9.0)),
                "c in candidacies",
                ["{{ c.bidder }}", "{{ c.verdict }}", "{{ c.reasons }}"],
            ),
        ),
        *_each(
            "lot in lots",
            ("h1", "{{ lot.title }}"),
            ("p", "{{ lot.summary }}"),
            ("h2", "Méthode de notation"),
            (
                "table",
                _columns(("Critère", 5.0), ("Pondération", 2.6, "right"), ("Méthode", 9.4)),
                "c in lot.criteria",
                ["{{ c.name }}", "{{ c.weight }}", "{{ c.method }}"],
            ),
            *_each("m in lot.methods", ("p", "{{ m }}")),
            ("h2", "Offres écartées"),
            ("p", "{{ lot.eliminated_intro }}"),
            *_each("e in lot.eliminated", ("b", "{{ e }}")),
            *_when(
                "lot.notes",
                ("h2", "Régularisations et rectifications"),
                *_each("n in lot.notes", ("b", "{{ n }}")),
            ),
            ("h2", "Offres anormalement basses"),
            ("p", "{{ lot.abnormal_intro }}"),
            *_each("a in lot.abnormal", ("b", "{{ a }}")),
            ("h2", "Notes et justifications"),
            *_each(
                "o in lot.offers",
                ("p", "{{ o.heading }}"),
                (
                    "table",
                    _columns(
                        ("Critère", 4.5),
                        ("Note", 2.3, "right"),
                        ("Points", 1.8, "right"),
                        ("Justification", 8.4),
                    ),
                    "s in o.scores",
                    [
                        "{{ s.criterion }}",
                        "{{ s.mark }}",
                        "{{ s.points }}",
                        "{{ s.justification }}",
                    ],
                ),
            ),
            ("h2", "Classement"),
            (
                "table",
                _columns(
                    ("Rang", 1.4, "center"),
                    ("Soumissionnaire", 8.1),
                    ("Prix HT", 4.2, "right"),
                    ("Total / 100", 3.3, "right"),
                ),
                "r in lot.ranking",
                ["{{ r.rank }}", "{{ r.bidder }}", "{{ r.price }}", "{{ r.total }}"],
            ),
            ("h2", "Proposition d'attribution"),
            ("p", "{{ lot.proposal }}"),
            *_each("w in lot.warnings", ("b", "{{ w }}")),
        ),
        ("h1", "Décision"),
        (
            "p",
            "L'assistant à maîtrise d'ouvrage propose ; le pouvoir adjudicateur décide. Décision de {{ decision_maker }} : ☐ conforme à la proposition  ☐ autre (motiver) — Date et signature :",
        ),
    ]


def bpu_dqe(out_dir: Path) -> Path:
    """The spreadsheet layout: two sheets with their headers; rows are added by xlsx.py."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE5F0")
    layouts = {
        "BPU": ["Code", "Désignation", "Unité", "Prix unitaire HT (€)", "Signe de qualité"],
        "DQE": [
            "Code",
            "Désignation",
            "Unité",
            "Quantité",
            "Prix unitaire HT (€)",
            "Montant HT (€)",
        ],
    }
    first = True
    for title, headers in layouts.items():
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = title
        sheet["A1"] = "Titre"
        sheet["A1"].font = Font(bold=True, size=12)
        sheet["A2"] = "Sous-titre"
        for column, header in enumerate(headers, start=1):
            cell = sheet.cell(row=4, column=column, value=header)
            cell.font = bold
            cell.fill = fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions["A"].width = 10
        sheet.column_dimensions["B"].width = 48
        for letter in "CDEF":
            sheet.column_dimensions[letter].width = 18
        sheet.freeze_panes = "A5"
    path = out_dir / "bpu_dqe.xlsx"
    workbook.save(str(path))
    return path


#: The acte d'engagement keeps the lettered sections of the ATTRI1 form (A, B, C…).
LETTERED = {"dce_ae.docx": LETTER_HEADINGS}

DOCUMENTS: dict[str, Callable[[], list[Block]]] = {
    "dce_rc.docx": rc,
    "dce_ae.docx": ae,
    "dce_ccap.docx": ccap,
    "dce_cctp.docx": cctp,
    "rapport_analyse.docx": rapport,
}


def build(out_dir: Path = HERE) -> list[Path]:
    paths = [_write(blocks(), name, out_dir) for name, blocks in DOCUMENTS.items()]
    paths.append(bpu_dqe(out_dir))
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for written in build(target):
        sys.stdout.write(f"{written}\n")
