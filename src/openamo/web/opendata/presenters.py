"""Tables and charts of the essential-data and audit pages, from the domain's answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.urls import reverse

from openamo.money import format_euros
from openamo.opendata.audit import AuditReport
from openamo.web.charts import Chart, Series, bar_chart
from openamo.web.opendata.access import BuyerAccess
from openamo.web.opendata.services import ContractStatus


def _day(value: str) -> str:
    return f"{dt.date.fromisoformat(value):%d/%m/%Y}"


def status_rows(access: BuyerAccess, statuses: list[ContractStatus]) -> list[dict[str, Any]]:
    rows = []
    for status in statuses:
        contract = status.entry.contract
        modifications = status.entry.data["modifications"]
        if status.not_subject:
            state = "Non soumis à publication"
        elif status.gaps:
            state = "À compléter"
        else:
            state = "Prêt à publier"
        rows.append(
            {
                "contract": contract,
                "url": reverse("contracts:detail", args=[contract.pk]),
                "essential_url": reverse(
                    "opendata:essential", args=[access.organisation.pk, contract.pk]
                ),
                "amount": format_euros(contract.initial_amount_ht),
                "notified": f"{contract.notified_on:%d/%m/%Y}",
                "modifications": [
                    {
                        "number": m["number"],
                        "amount": format_euros(Decimal(m["new_amount_ht"])),
                        "notified": _day(m["notified_on"]),
                    }
                    for m in modifications
                ],
                "state": state,
                "ready": not status.gaps and not status.not_subject,
                "not_subject": status.not_subject,
                "gaps": status.gaps,
                "deadlines": [
                    f"{d['objet'].capitalize()} : au plus tard le {_day(d['a_publier_au_plus_tard_le'])}"
                    for d in status.deadlines
                ],
            }
        )
    return rows


def flags(report: AuditReport) -> list[dict[str, Any]]:
    found = []
    for flag in report.as_dict()["alertes"]:
        if not flag["nombre"]:
            continue
        found.append(
            {
                "title": flag["titre"],
                "article": flag["article"],
                "count": flag["nombre"],
                "records": flag["enregistrements_concernes"],
                "cases": [
                    {
                        "explanation": case["explication"],
                        "reference": case["reference"],
                        "records": [
                            f"{r.get('objet') or r.get('uid', '')} ({r.get('fichier', '')}, {r.get('position', '')})"
                            for r in case["enregistrements"]
                        ],
                    }
                    for case in flag["cas"]
                ],
                "more": flag["cas_non_listes"],
            }
        )
    return found


FIGURE_TITLES = {
    "par_annee": ("Année", "Montants notifiés par année"),
    "par_acheteur": ("Acheteur (SIRET)", "Montants par acheteur"),
    "par_titulaire": ("Titulaire (identifiant)", "Montants par titulaire"),
}


def figure_tables(report: AuditReport) -> list[dict[str, Any]]:
    tables = []
    for name, rows in report.figures.items():
        key_label, caption = FIGURE_TITLES[name]
        tables.append(
            {
                "caption": caption,
                "table": {
                    "header": [
                        key_label,
                        "Marchés",
                        "Montant initial HT",
                        "Montant final HT",
                        "Modifications",
                        "Alertes",
                    ],
                    "rows": [
                        [
                            {"text": f"{row['cle']}{' — ' + row['nom'] if row.get('nom') else ''}"},
                            {"text": str(row["contrats"])},
                            {"text": format_euros(Decimal(row["montant_initial"]))},
                            {"text": format_euros(Decimal(row["montant_final"]))},
                            {"text": str(row["modifications"] or 0)},
                            {"text": str(row["alertes"])},
                        ]
                        for row in rows[:20]
                    ],
                },
            }
        )
    return tables


def year_chart(report: AuditReport) -> Chart:
    rows = report.figures.get("par_annee", [])
    return bar_chart(
        "Montants HT notifiés par année, initiaux et après modifications",
        [
            Series(
                "Montant initial", [(str(r["cle"]), Decimal(r["montant_initial"])) for r in rows]
            ),
            Series("Montant final", [(str(r["cle"]), Decimal(r["montant_final"])) for r in rows]),
        ],
        unit="€",
    )


def supplier_chart(report: AuditReport) -> Chart:
    rows = report.figures.get("par_titulaire", [])[:8]
    return bar_chart(
        "Les principaux titulaires : nombre de marchés",
        [
            Series(
                "Marchés",
                [(str(r.get("nom") or r["cle"])[:24], Decimal(r["contrats"])) for r in rows],
            )
        ],
    )
