"""Tables and charts of the essential-data and audit pages, from the domain's answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from openamo.money import format_euros
from openamo.opendata.audit import AuditReport
from openamo.web.charts import Chart, Series, bar_chart
from openamo.web.contracts.models import Contract
from openamo.web.opendata.access import BuyerAccess
from openamo.web.opendata.services import ContractStatus, Gap
from openamo.web.tables import Table


def _day(value: str) -> str:
    return f"{dt.date.fromisoformat(value):%d/%m/%Y}"


@dataclass(frozen=True)
class ModificationRow:
    number: int
    amount: str
    notified: str


@dataclass(frozen=True)
class StatusRow:
    """One contract on the essential-data page: where it stands and what it lacks."""

    contract: Contract
    url: str
    essential_url: str
    amount: str
    notified: str
    modifications: list[ModificationRow]
    state: str
    ready: bool
    not_subject: str | None
    gaps: list[Gap]
    deadlines: list[str]


def status_rows(access: BuyerAccess, statuses: list[ContractStatus]) -> list[StatusRow]:
    rows = []
    for status in statuses:
        contract = status.entry.contract
        if status.not_subject:
            state = "Non soumis à publication"
        elif status.gaps:
            state = "À compléter"
        else:
            state = "Prêt à publier"
        rows.append(
            StatusRow(
                contract=contract,
                url=reverse("contracts:detail", args=[contract.pk]),
                essential_url=reverse(
                    "opendata:essential", args=[access.organisation.pk, contract.pk]
                ),
                amount=format_euros(contract.initial_amount_ht),
                notified=f"{contract.notified_on:%d/%m/%Y}",
                modifications=[
                    ModificationRow(
                        number=m.number,
                        amount=format_euros(m.new_amount_ht or Decimal(0)),
                        notified=f"{m.notified_on:%d/%m/%Y}",
                    )
                    for m in status.entry.data.modifications
                ],
                state=state,
                ready=not status.gaps and not status.not_subject,
                not_subject=status.not_subject,
                gaps=status.gaps,
                deadlines=[
                    f"{d['objet'].capitalize()} : au plus tard le {_day(d['a_publier_au_plus_tard_le'])}"
                    for d in status.deadlines
                ],
            )
        )
    return rows


@dataclass(frozen=True)
class CaseShown:
    explanation: str
    reference: str
    records: list[str]


@dataclass(frozen=True)
class FlagShown:
    """A red flag raised by at least one case, as the audit page lists it."""

    title: str
    article: str
    count: int
    records: int
    cases: list[CaseShown]
    more: int


def flags(report: AuditReport) -> list[FlagShown]:
    return [
        FlagShown(
            title=flag.title,
            article=flag.article,
            count=flag.count,
            records=flag.records,
            cases=[
                CaseShown(
                    explanation=hit.explanation,
                    reference=hit.reference,
                    records=[
                        f"{r.get('objet') or r.get('uid', '')} ({r.get('fichier', '')}, {r.get('position', '')})"
                        for r in hit.records
                    ],
                )
                for hit in flag.cases
            ],
            more=flag.unlisted,
        )
        for flag in report.flags()
        if flag.count
    ]


@dataclass(frozen=True)
class FigureTable:
    caption: str
    table: Table


FIGURE_TITLES = {
    "par_annee": ("Année", "Montants notifiés par année"),
    "par_acheteur": ("Acheteur (SIRET)", "Montants par acheteur"),
    "par_titulaire": ("Titulaire (identifiant)", "Montants par titulaire"),
}


def figure_tables(report: AuditReport) -> list[FigureTable]:
    tables = []
    for name, rows in report.figures.items():
        key_label, caption = FIGURE_TITLES[name]
        tables.append(
            FigureTable(
                caption=caption,
                table={
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
            )
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
