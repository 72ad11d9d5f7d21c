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
            "{% if lots|length > 1 %}La consultation est divisée en {{ lots|length }} lots. Les candidats peuvent répondre à un ou plusieurs lots ; chaque lot fait l'objet d'une offre distincte et est attribué séparément.{% else %}La consultation comprend un lot unique.{% endif %}",
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
        ("h1", "Groupements d'opérateurs économiques"),
        (
            "p",
            "Les opérateurs économiques peuvent se porter candidats sous la forme d'un groupement conjoint ou solidaire (articles R2142-19 à R2142-27 du code de la commande publique). Le groupement désigne un mandataire, qui le représente à l'égard de l'acheteur et coordonne les prestations de ses membres ; les pièces de candidature sont produites par chacun des membres, et le formulaire DC1 (ou le DUME) indique la composition du groupement, la répartition des prestations et l'habilitation du mandataire.",
        ),
        (
            "p",
            "La forme du groupement n'est pas imposée lors de la remise des candidatures et des offres. Un même opérateur ne peut pas présenter, pour un même lot, plusieurs offres en agissant à la fois en qualité de candidat individuel et de membre d'un ou plusieurs groupements, ni être membre de plusieurs groupements.",
        ),
        ("h1", "Sous-traitance"),
        (
            "p",
            "Le candidat indique dans son offre la nature et le montant des prestations qu'il envisage de sous-traiter et, pour chaque sous-traitant présenté, joint une déclaration de sous-traitance (formulaire DC4) avec les renseignements permettant d'apprécier ses capacités et l'absence d'interdiction de soumissionner (articles L2193-1 à L2193-14 et R2193-1 à R2193-22). Le sous-traitant dont le montant du contrat de sous-traitance atteint 600 € TTC est payé directement par l'acheteur.",
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
        (
            "p",
            "Les candidatures et les offres sont entièrement rédigées en langue française ; un document rédigé dans une autre langue est accompagné d'une traduction en français. Les prix sont exprimés en euros.",
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
                    "{{ method.criterion }} : {{ method.label }} — {{ method.formula }}.",
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
        *_when(
            "consultation.contract_form_subsequent",
            ("h1", "Attribution des marchés subséquents"),
            ("p", "{{ consultation.subsequent_scope }}"),
            ("p", "{{ consultation.subsequent_award }}"),
            *_when(
                "consultation.mixed_split",
                (
                    "p",
                    "Répartition des prestations entre bons de commande et marchés subséquents (article R2162-2) : {{ consultation.mixed_split }}",
                ),
            ),
        ),
        ("h1", "Conditions d'envoi des plis"),
        (
            "p",
            "Les plis sont transmis par voie électronique sur le profil d'acheteur, avant le {{ consultation.deadline }}. Les plis reçus après cette date ne sont pas examinés.{% if buyer.profile_url %} Adresse du profil d'acheteur :{% endif %}",
        ),
        # the address on a line of its own: a long address that cannot break would stretch
        # the justified line before it
        *_when("buyer.profile_url", ("p", "{{ buyer.profile_url }}")),
        (
            "p",
            "Copie de sauvegarde : le candidat peut faire parvenir, en plus de sa réponse électronique, une copie de sauvegarde sur support physique électronique ou sur support papier, dans un pli scellé portant la mention « copie de sauvegarde » et le nom du candidat, reçue avant la date limite de réception des plis. Elle n'est ouverte que si un programme informatique malveillant est détecté dans la réponse électronique, ou si celle-ci n'est pas parvenue dans les délais ou n'a pu être ouverte (arrêté du 22 mars 2019 fixant les modalités de mise à disposition des documents de la consultation et de la copie de sauvegarde).",
        ),
        ("h1", "Questions des candidats et renseignements complémentaires"),
        (
            "p",
            "Les candidats posent leurs questions par écrit sur le profil d'acheteur au plus tard le {{ consultation.questions_until }}. L'acheteur communique les renseignements complémentaires sur les documents de la consultation à tous les candidats ayant retiré le dossier, au plus tard le {{ consultation.answers_until }}, soit au moins {{ consultation.answers_days }} jours avant la date limite de réception des offres ({{ consultation.answers_reference }}).",
        ),
        *_when(
            "consultation.site_visit",
            (
                "p",
                "Une visite des sites de livraison est organisée ; ses modalités sont communiquées sur le profil d'acheteur.",
            ),
        ),
        ("h1", "Procédures de recours"),
        (
            "p",
            "Instance chargée des procédures de recours : {{ buyer.court or 'tribunal administratif territorialement compétent' }}. Les voies de recours ouvertes aux candidats sont les suivantes :",
        ),
        (
            "b",
            "référé précontractuel (articles L551-1 à L551-12 du code de justice administrative), jusqu'à la signature du contrat ; le contrat ne peut pas être signé moins de {{ consultation.remedies.standstill_electronic_days }} jours après l'envoi de la décision de rejet aux candidats évincés ({{ consultation.remedies.standstill_days }} jours en cas d'envoi non électronique, article R2182-1 du code de la commande publique) ;",
        ),
        (
            "b",
            "référé contractuel (articles L551-13 à L551-23 du code de justice administrative), dans un délai de {{ consultation.remedies.contract_referral_days }} jours à compter de la publication de l'avis d'attribution ou de la notification de la conclusion du contrat, et à défaut dans un délai de {{ consultation.remedies.contract_referral_months }} mois à compter du lendemain de la conclusion du contrat (article R551-7) ;",
        ),
        (
            "b",
            "recours en contestation de la validité du contrat, dans un délai de {{ consultation.remedies.third_party_months }} mois à compter de l'accomplissement des mesures de publicité appropriées, ouvert à tout tiers susceptible d'être lésé dans ses intérêts de façon suffisamment directe et certaine (Conseil d'État, Ass., 4 avril 2014, Département de Tarn-et-Garonne, n° 358994 ; délai de droit commun du recours contentieux, article R421-1 du code de justice administrative) ; le choix du cocontractant, la délibération autorisant la conclusion du contrat et la décision de le signer ne peuvent être contestés qu'à l'occasion de ce recours, le représentant de l'État gardant le recours pour excès de pouvoir contre ces actes jusqu'à la conclusion du contrat.",
        ),
    ]


BOXES = "☐ Non    ☐ Oui"
DOTS = "………………………………"


def ae() -> list[Block]:
    return [
        ("title", "Acte d'engagement"),
        ("subtitle", "Lot n° {{ lot.number }} — {{ lot.name }}"),
        (
            "note",
            "Établi d'après le formulaire ATTRI1 de la direction des affaires juridiques ; le candidat peut aussi utiliser le formulaire officiel.",
        ),
        ("h1", "Identification de l'acheteur"),
        (
            "p",
            "{{ buyer.name }}{% if buyer.address %}, {{ buyer.address }}{% endif %}{% if buyer.siret %} — SIRET {{ buyer.siret }}{% endif %}.",
        ),
        (
            "p",
            "Personne habilitée à donner les renseignements prévus à l'article R2191-59 du code de la commande publique (nantissements et cessions de créances) : {{ buyer.representative or buyer.name }}{% if buyer.contact %} — {{ buyer.contact }}{% endif %}.",
        ),
        *_when(
            "buyer.accountant",
            ("p", "Comptable public assignataire des paiements : {{ buyer.accountant }}."),
        ),
        *_when(
            "not buyer.accountant",
            (
                "missing",
                "À compléter par l'acheteur avant publication : désignation du comptable public assignataire des paiements.",
            ),
        ),
        ("h1", "Objet de l'acte d'engagement"),
        (
            "p",
            "Le présent acte d'engagement porte sur le lot n° {{ lot.number }} « {{ lot.name }} » de la consultation « {{ consultation.object }} », passée selon la procédure suivante : {{ procedure.short }}. Forme du marché : {{ consultation.contract_form }}.",
        ),
        *_when("consultation.framework_note", ("p", "{{ consultation.framework_note }}")),
        ("h1", "Engagement du titulaire ou du groupement titulaire"),
        (
            "p",
            "Après avoir pris connaissance des pièces constitutives du marché, le signataire s'engage, sur la base de son offre, à exécuter les prestations dans les conditions ci-après définies, ☐ pour son propre compte ☐ pour le compte de la société ou du groupement désigné ci-dessous.",
        ),
        (
            "table",
            _columns(("Renseignement", 7.0), ("À compléter par le candidat", 10.0)),
            "field in contractor_fields",
            ["{{ field }}", ""],
        ),
        ("h2", "Groupement"),
        (
            "p",
            "Forme du groupement : ☐ conjoint    ☐ solidaire    ☐ conjoint avec mandataire solidaire. Mandataire : "
            + DOTS,
        ),
        (
            "p",
            "En cas de groupement conjoint, répartition des prestations et du montant entre les membres :",
        ),
        (
            "table",
            _columns(
                ("Membre du groupement", 6.0),
                ("Prestations exécutées", 7.0),
                ("Montant HT", 4.0, "right"),
            ),
            "row in ['', '', '']",
            ["", "", ""],
        ),
        ("h1", "Prix"),
        *_when(
            "not consultation.subsequent_only",
            (
                "p",
                "Les prestations sont rémunérées par application des prix unitaires du bordereau des prix unitaires (BPU) aux quantités réellement exécutées ({{ price.form }}).",
            ),
        ),
        *_when(
            "consultation.subsequent_only",
            (
                "p",
                "Les prix du bordereau des prix unitaires (BPU) sont ceux de l'accord-cadre ({{ price.form }}) ; chaque marché subséquent est rémunéré aux prix de l'offre remise pour lui, dans le respect des termes de l'accord-cadre (article R2162-7).",
            ),
        ),
        ("p", "{{ lot.amounts }}"),
        (
            "p",
            "Montant du détail quantitatif estimatif, qui ne vaut que pour le jugement des offres :",
        ),
        (
            "p",
            DOTS + " € HT, soit " + DOTS + " € TTC au taux de TVA de ………… %.",
        ),
        ("h1", "Durée d'exécution"),
        ("p", "{{ consultation.duration }}"),
        ("h1", "Paiement"),
        (
            "p",
            "L'acheteur se libère des sommes dues en faisant porter le montant au crédit du compte ci-dessous (joindre un relevé d'identité bancaire ; en cas de groupement conjoint, le compte de chaque membre) :",
        ),
        (
            "table",
            _columns(("Compte à créditer", 6.0), ("À compléter par le candidat", 11.0)),
            "field in bank_fields",
            ["{{ field }}", ""],
        ),
        *_when(
            "lot.advance",
            ("h2", "Avance"),
            ("p", "{{ lot.advance }}"),
            ("p", "Je renonce au bénéfice de l'avance : " + BOXES),
        ),
        ("h1", "Sous-traitance"),
        (
            "p",
            "☐ Aucune prestation n'est sous-traitée à la remise de l'offre.",
        ),
        (
            "p",
            "☐ Les prestations sous-traitées sont déclarées dans les annexes DC4 jointes (une par sous-traitant) :",
        ),
        (
            "table",
            _columns(
                ("Annexe DC4 n°", 2.6, "center"),
                ("Sous-traitant", 5.4),
                ("Nature des prestations", 5.4),
                ("Montant maximal HT", 3.6, "right"),
            ),
            "row in ['', '']",
            ["", "", "", ""],
        ),
        ("h1", "Signature du candidat"),
        (
            "p",
            "Fait à " + DOTS + ", le …… / …… / …………",
        ),
        (
            "p",
            "Signature de la personne habilitée à engager le candidat (en cas de groupement, de chaque membre ou du mandataire dûment habilité) :",
        ),
        ("p", ""),
        ("p", ""),
        ("h1", "Décision de l'acheteur"),
        (
            "p",
            "La présente offre est acceptée pour le lot n° {{ lot.number }}. {{ buyer.name }}, {{ buyer.represented }} par {{ buyer.representative or '"
            + DOTS
            + "' }}.",
        ),
        ("p", "Fait à " + DOTS + ", le …… / …… / …………"),
        ("p", "Signature du représentant de l'acheteur :"),
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
        *_when(
            "revision_missing",
            (
                "missing",
                "À compléter par l'acheteur avant publication : identifiant de la série INSEE (idBank) de {{ revision_missing[:-1]|join(', ') }}{% if revision_missing|length > 1 %} et de {% endif %}{{ revision_missing[-1] }}, pour que l'indice ne laisse aucun doute.",
            ),
        ),
        *_when(
            "consultation.contract_form_orders",
            ("h1", "Bons de commande"),
            ("p", "{{ consultation.orders_text }}"),
        ),
        *_when(
            "consultation.contract_form_subsequent",
            ("h1", "Marchés subséquents"),
            ("p", "{{ consultation.subsequent_scope }}"),
            ("p", "{{ consultation.subsequent_award }}"),
            *_when(
                "consultation.mixed_split",
                (
                    "p",
                    "Prestations relevant des bons de commande et des marchés subséquents (article R2162-2) : {{ consultation.mixed_split }}",
                ),
            ),
        ),
        ("h1", "Avance, acomptes et paiement"),
        ("p", "{{ advance }}"),
        ("p", "{{ retention }}"),
        (
            "p",
            "Les sommes dues sont réglées dans un délai global de paiement de {{ consultation.payment_days }} jours à compter de la réception de la demande de paiement (article R2192-10 du code de la commande publique). Tout retard fait courir de plein droit, au bénéfice du titulaire, des intérêts moratoires et une indemnité forfaitaire pour frais de recouvrement (articles L2192-13 et R2192-31 à R2192-36). Les factures sont transmises par voie électronique sur le portail Chorus Pro (article L2192-2).",
        ),
        ("h1", "Sous-traitance et paiement direct"),
        (
            "p",
            "Le titulaire peut sous-traiter l'exécution de certaines parties du marché, à condition d'avoir obtenu de l'acheteur l'acceptation de chaque sous-traitant et l'agrément de ses conditions de paiement (article L2193-2), par l'acte d'engagement ou par un acte spécial (formulaire DC4). Le sous-traitant accepté dont le contrat atteint 600 € TTC est payé directement par l'acheteur pour la part qu'il exécute (articles L2193-11 et R2193-10) ; le titulaire dispose de quinze jours pour accepter ou refuser les demandes de paiement qu'il lui transmet (article R2193-13).",
        ),
        ("h1", "Nantissement et cession de créances"),
        (
            "p",
            "Le titulaire qui souhaite céder ou nantir ses créances demande à l'acheteur un exemplaire unique du marché ou un certificat de cessibilité (articles R2191-45 à R2191-63). Les renseignements prévus à l'article R2191-59 sont donnés par la personne désignée dans l'acte d'engagement.",
        ),
        ("h1", "Vérifications et admission"),
        (
            "p",
            "Les prestations font l'objet de vérifications quantitatives et qualitatives à la livraison, dans les conditions du {{ consultation.ccag }} (chapitre relatif à la constatation de l'exécution des prestations) et du CCTP. À l'issue des vérifications, l'acheteur prononce l'admission, l'ajournement, la réfaction ou le rejet des prestations ; le silence gardé par l'acheteur dans le délai prévu au CCAG vaut admission.",
        ),
        ("h1", "Pénalités", "penalites"),
        ("p", "{{ penalties_intro }}"),
        (
            "table",
            _columns(("Manquement", 7.5), ("Pénalité", 5.5), ("Plafond", 4.0)),
            "penalty in penalties",
            ["{{ penalty.event }}", "{{ penalty.amount }}", "{{ penalty.cap }}"],
        ),
        ("h1", "Conditions d'exécution environnementales et sociales"),
        ("p", "{{ environment_intro }}"),
        *_each("item in environmental_conditions", ("b", "{{ item }}")),
        *_when(
            "social_conditions",
            ("p", "{{ social_intro }}"),
            *_each("item in social_conditions", ("b", "{{ item }}")),
        ),
        *_when(
            "social_missing",
            (
                "missing",
                "À compléter par l'acheteur avant publication : condition d'exécution à caractère social ou relative à l'emploi, obligatoire pour ce marché (article L2112-2-1).",
            ),
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
        *_when(
            "consultation.it",
            ("h1", "Protection des données personnelles"),
            (
                "p",
                "Lorsque le titulaire traite des données à caractère personnel pour le compte de l'acheteur, il agit en qualité de sous-traitant au sens de l'article 28 du règlement (UE) 2016/679 (RGPD). Il ne traite les données que sur instruction documentée de l'acheteur et pour la seule exécution du marché ; il garantit la confidentialité des données et la sécurité des traitements (article 32), n'a recours à un autre sous-traitant qu'avec l'autorisation écrite préalable de l'acheteur, aide l'acheteur à répondre aux demandes d'exercice des droits des personnes et à réaliser les analyses d'impact, notifie toute violation de données dans les 48 heures de sa découverte, ne transfère aucune donnée hors de l'Union européenne sans garanties appropriées, et, au terme du marché, restitue puis détruit les données et leurs copies. Il tient à disposition de l'acheteur la documentation prouvant le respect de ces obligations et permet la réalisation d'audits.",
            ),
            ("h1", "Réversibilité"),
            (
                "p",
                "À la fin du marché, quelle qu'en soit la cause, le titulaire assure la réversibilité des prestations dans les conditions de l'article 42 du CCAG-TIC : il restitue à l'acheteur, dans un format ouvert et documenté, l'ensemble des données, paramétrages et documents produits pour son compte, et apporte son concours au transfert vers l'acheteur ou le nouveau titulaire, selon un plan de réversibilité remis dans les trois mois suivant la notification.",
            ),
        ),
        ("h1", "Obligations sociales et fiscales du titulaire"),
        (
            "p",
            "Le titulaire remet à l'acheteur, lors de la conclusion du marché puis tous les six mois jusqu'à la fin de son exécution, les attestations et documents prévus aux articles L8222-1 et D8222-5 du code du travail (attestation de vigilance de l'URSSAF, extrait d'immatriculation) et, le cas échéant, la liste nominative des salariés étrangers soumis à autorisation de travail (article D8254-2).",
        ),
        ("h1", "Résiliation et litiges"),
        (
            "p",
            "Les stipulations du {{ consultation.ccag }} s'appliquent en matière de résiliation. Les litiges relèvent du {{ buyer.court or 'tribunal administratif territorialement compétent' }}.",
        ),
        ("h1", "Dérogations au CCAG"),
        *_when(
            "derogations",
            ("p", "Récapitulatif des articles du CCAG auxquels le présent CCAP déroge :"),
            (
                "table",
                _columns(
                    ("Article du CCAP", 3.4, "center"),
                    ("Article du CCAG auquel il est dérogé", 6.6),
                    ("Objet de la dérogation", 7.0),
                ),
                "d in derogations",
                ["[[ref:{{ d.ref }}]]", "{{ d.ccag }}", "{{ d.why }}"],
            ),
        ),
        *_when(
            "not derogations",
            ("p", "Le présent CCAP ne déroge à aucun article du {{ consultation.ccag }}."),
        ),
    ]


def cctp() -> list[Block]:
    return [
        ("title", "Cahier des clauses techniques particulières"),
        ("subtitle", "{{ consultation.object }}"),
        ("h1", "Objet"),
        ("p", "Le présent CCTP décrit les prestations attendues pour : {{ consultation.object }}."),
        ("h1", "Lieux de livraison et d'exécution"),
        *_when(
            "consultation.delivery_sites",
            ("p", "Les prestations sont livrées ou exécutées sur les sites suivants :"),
            *_each("site in consultation.delivery_sites", ("b", "{{ site }}")),
        ),
        *_when(
            "not consultation.delivery_sites",
            (
                "missing",
                "À compléter par l'acheteur avant publication : adresses des sites de livraison ou d'exécution.",
            ),
        ),
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
                "not lot.requirements",
                (
                    "missing",
                    "À compléter par l'acheteur avant publication : exigences techniques du lot n° {{ lot.number }} (caractéristiques des produits ou des prestations, conditionnement, conservation, normes applicables).",
                ),
            ),
            *_when(
                "lot.catering",
                ("h2", "Exigences propres à la restauration scolaire"),
                (
                    "b",
                    "Les produits sous signe de qualité ou mention valorisante sont livrés avec leur justificatif (certificat de l'organisme certificateur, étiquetage) ; un produit ne compte qu'une fois, même s'il porte plusieurs labels.",
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
            "Rapport établi le {{ analysed_on }} par {{ author }}, soumis à la décision {{ of_decision_maker }}.{% if decided_on %} Classement validé le {{ decided_on }}.{% endif %}",
        ),
        ("h1", "Conformité des critères"),
        ("p", "{{ compliance }}"),
        *_each("check in checks", ("b", "{{ check }}")),
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
            *_when("lot.offers", ("h2", "Notes et justifications")),
            *_each(
                "o in lot.offers",
                # a heading of its own: kept with its table, set apart from the previous one
                ("h3", "{{ o.heading }}"),
                (
                    "table",
                    # « Qualité des produits — Performance environnementale » on two or three
                    # lines, never a word broken: the criterion gets the width the marks need not
                    _columns(
                        ("Critère", 6.2),
                        ("Note", 2.1, "right"),
                        ("Points", 1.6, "right"),
                        ("Justification", 7.1),
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
            *_when(
                "lot.ranking",
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
            ),
            ("h2", "Proposition d'attribution"),
            ("p", "{{ lot.proposal }}"),
            *_each("w in lot.warnings", ("b", "{{ w }}")),
        ),
        *_when(
            "presentation",
            ("h1", "Rapport de présentation (CCP R2184-1 à R2184-3)"),
            *_each("item in presentation", ("b", "{{ item }}")),
        ),
        ("h1", "Décision"),
        (
            "p",
            "L'assistant à maîtrise d'ouvrage propose ; le pouvoir adjudicateur décide. Décision {{ of_decision_maker }}{% if decided_on %} du {{ decided_on }}{% endif %} : ☐ conforme à la proposition  ☐ autre (motiver) — Date et signature :",
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
