"""French text renderings of the import and audit reports (the CLI's human output)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from openamo.opendata.audit import AuditReport
from openamo.opendata.importer import ImportReport
from openamo.opendata.publish import PublicationResult
from openamo.opendata.schemas import SchemaError


def _n(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def _counted(value: int, singular: str, plural: str) -> str:
    """« 1 ligne », « 1 897 lignes » (singular for 0 and 1, as ``wording.count``)."""
    return f"{_n(value)} {singular if abs(value) < 2 else plural}"


def render_import(report: ImportReport, shown: int = 20) -> str:
    data = report.as_dict()
    lines = [
        f"Enregistrements lus : {_n(data['enregistrements_lus'])}",
        f"Conformes au schéma officiel : {_n(data['conformes_au_schema'])} ; "
        f"non conformes : {_n(data['non_conformes_au_schema'])}",
        f"Avec modifications : {_n(data['avec_modifications'])} "
        f"({_n(data['modifications'])} modifications)",
        f"Doublons : {_n(data['doublons_dans_un_fichier'])} dans un même fichier, "
        f"{_n(data['doublons_entre_fichiers'])} entre fichiers ; contrats distincts : "
        f"{_n(data['contrats_distincts'])}",
        "Fichiers :",
    ]
    if data["doublons_au_contenu_different"]:
        lines.insert(
            -1,
            f"  dont {_n(data['doublons_au_contenu_different'])} republiés avec d'autres données "
            "que l'enregistrement qu'ils répètent (une seule version gardée : la plus modifiée, "
            "puis la dernière publiée)",
        )
    for file in data["fichiers"]:
        lines.append(
            f"  - {file['fichier']} (format {file['format'] or 'inconnu'}, {file['encodage']}) : "
            f"{_n(file['enregistrements'])} enregistrements, "
            f"{_n(file['non_conformes_au_schema'])} non conformes"
        )
        if file["format"] == "tabulaire":
            co_holders, versions = file["lignes_de_cotitulaires"], file["lignes_de_versions"]
            lines.append(
                "      "
                + _counted(co_holders, "ligne de cotitulaire", "lignes de cotitulaires")
                + " et "
                + _counted(
                    versions, "ligne de version ultérieure", "lignes de versions ultérieures"
                )
                + " regroupées avec leur marché"
            )
        lines.extend(f"      ! {issue['message']}" for issue in file["problemes_du_fichier"])
    if data["problemes_par_type"]:
        lines.append("Problèmes relevés (par type) :")
        lines.extend(
            f"  - {code} : {_n(count)}" for code, count in data["problemes_par_type"].items()
        )
    if data["erreurs_schema_par_champ"]:
        lines.append("Erreurs de schéma (par champ) :")
        lines.extend(
            f"  - {path} : {_n(count)}"
            for path, count in list(data["erreurs_schema_par_champ"].items())[:15]
        )
    records = data["enregistrements_en_defaut"]
    if records:
        lines.append(f"Premiers enregistrements en défaut ({min(shown, len(records))}) :")
        for record in records[:shown]:
            lines.append(f"  {record['fichier']} {record['position']} (uid {record['uid']}) :")
            lines.extend(
                f"    schéma — {error['path'] or 'racine'} : {error['message']}"
                for error in record["erreurs_schema"][:5]
            )
            lines.extend(
                f"    {issue['champ']} : {issue['message']}" for issue in record["problemes"][:5]
            )
    return "\n".join(lines)


def render_audit(report: AuditReport, shown: int = 3) -> str:
    data = report.as_dict()
    lines = [
        f"Enregistrements lus : {_n(data['enregistrements_lus'])} ; contrats audités (doublons "
        f"fusionnés) : {_n(data['contrats_audites'])}",
        "Alertes :",
    ]
    for flag in data["alertes"]:
        lines.append(
            f"  [{flag['article']}] {flag['titre']} : {_n(flag['nombre'])} cas, "
            f"{_n(flag['enregistrements_concernes'])} enregistrements"
        )
        for case in flag["cas"][:shown]:
            first = case["enregistrements"][0] if case["enregistrements"] else {}
            where = f" — {first.get('fichier', '')} {first.get('position', '')}".rstrip()
            lines.append(f"      · {case['explication']}{where}")
    for name, title in (
        ("par_annee", "Par année"),
        ("par_acheteur", "Premiers acheteurs (montant initial)"),
        ("par_titulaire", "Premiers titulaires (montant initial)"),
    ):
        rows: list[dict[str, Any]] = data["chiffres"].get(name, [])
        if not rows:
            continue
        lines.append(f"{title} :")
        for row in rows[:10]:
            label = row["cle"] + (f" {row['nom']}" if row.get("nom") else "")
            lines.append(
                f"  - {label} : {_n(row['contrats'])} contrats, {row['montant_initial']} € "
                f"initial, {row['montant_final']} € final, {_n(row['alertes'])} en alerte"
            )
    lines.append("Points d'interprétation :")
    lines.extend(f"  ? {text}" for text in data["ambiguites"])
    return "\n".join(lines)


def render_publication(
    result: PublicationResult,
    written_to: str | None = None,
    xsd_errors: list[SchemaError] | None = None,
) -> str:
    """``xsd_errors``: those of the XML form, when the file was written as XML."""
    lines = [
        f"Marchés publiés : {len(result.published)}"
        + (f" (fichier écrit : {written_to})" if written_to else ""),
        "Conforme au schéma officiel 2.0.3 : " + ("oui" if result.valid else "non"),
    ]
    lines.extend(f"  ! {e.path} : {e.message}" for e in result.schema_errors)
    if xsd_errors is not None:
        lines.append("Conforme au schéma XML officiel (XSD) : " + ("non" if xsd_errors else "oui"))
        lines.extend(f"  ! {e.path} : {e.message}" for e in xsd_errors)
    if result.missing:
        lines.append("À compléter avant publication :")
        lines.extend(f"  - {m.contract} : {m.label} ({m.where})" for m in result.missing)
    if result.not_subject:
        lines.append("Non soumis à publication :")
        lines.extend(f"  - {n['marche']} : {n['motif']}" for n in result.not_subject)
    if result.deadlines:
        lines.append("Échéances de publication :")
        lines.extend(
            f"  - {d['marche']} ({d['objet']}) : au plus tard le "
            f"{dt.date.fromisoformat(d['a_publier_au_plus_tard_le']):%d/%m/%Y}"
            for d in result.deadlines
        )
    lines.append("Références : " + " ; ".join(result.references))
    return "\n".join(lines)
