"""The demonstration canteen of Saint-Exemple: programme to final account, loaded once through
the services, its figures computed by the domain."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from openamo.money import format_euros
from openamo.web.audit.models import AuditEvent
from openamo.web.construction import demo, services
from openamo.web.construction.models import EnvelopeChange, FinalAccount, PhaseReview, Project
from openamo.web.contracts.models import Contract
from openamo.web.demo import load_demo
from openamo.web.operations.access import operation_access
from openamo.web.operations.models import Consultation, ConsultationStatus, Operation
from tests.integration.web.conftest import fresh

pytestmark = pytest.mark.usefixtures("frozen_today")


def test_the_canteen_runs_from_programme_to_final_account(db: None, tmp_path: Path) -> None:
    credentials = tmp_path / "demo-credentials.json"
    load_demo(credentials)
    counts = (Project.objects.count(), Contract.objects.count(), AuditEvent.objects.count())
    load_demo(credentials)
    assert (Project.objects.count(), Contract.objects.count(), AuditEvent.objects.count()) == counts

    operation = Operation.objects.get(title=demo.TITLE)
    project = Project.objects.get(operation=operation)
    assert project.programme["spaces"] and len(project.programme["spaces"]) == 5
    assert project.organisation_choice == "amo"
    # Raised at the APD, then again in November 2026 after the last approved phase, whose
    # approval is « à revalider ».
    apd, later = EnvelopeChange.objects.filter(project=project).order_by("pk")
    assert (apd.works_ht, later.works_ht) == (Decimal("1540000.00"), Decimal("1600000.00"))
    assert "Conseil municipal" in apd.decided_by_label
    assert PhaseReview.objects.filter(project=project).exclude(stale_changes=[]).count() == 1

    mo = fresh(get_user_model().objects.get(username="marie.dupont"))
    state = services.load_state(project)
    assert state.review is not None and state.review_error is None
    assert state.review.envelope_works_ht == Decimal("1600000.00")
    decided = PhaseReview.objects.filter(project=project).exclude(decision="").count()
    assert decided == 5
    moe = services.moe_verdict(project)
    assert moe is not None and not moe.contest_mandatory

    works = services.works_contracts(operation_access(mo, operation.pk))
    assert len(works) == 3
    assert sum((c.initial_amount_ht for c in works), Decimal(0)) == Decimal("1509450.00")
    account = FinalAccount.objects.get()
    assert account.contract == works[0] or account.contract in works
    assert account.reception_decision == "avec_reserves"


def test_every_construction_page_of_the_demo_answers(db: None, tmp_path: Path) -> None:
    load_demo(tmp_path / "demo-credentials.json")
    operation = Operation.objects.get(title=demo.TITLE)
    client = Client()
    client.force_login(get_user_model().objects.get(username="marie.dupont"))
    base = f"/operations/{operation.pk}/travaux/"
    contract = FinalAccount.objects.get().contract
    pages = ["", "programme/", "enveloppe/", "organisation/", "maitrise-oeuvre/", "phases/apd/",
             f"marches/{contract.pk}/decompte/"]  # fmt: skip
    for page in pages:
        response = client.get(base + page)
        assert response.status_code == 200, page
    text = client.get(base).content.decode()
    assert format_euros(Decimal("1540000")) in text  # the envelope raised at the APD
    assert "Bâtiments du Val Construction SAS" in text


def test_the_programme_synthesis_of_the_demo_is_a_word_document(db: None, tmp_path: Path) -> None:
    import io

    from docx import Document

    load_demo(tmp_path / "demo-credentials.json")
    operation = Operation.objects.get(title=demo.TITLE)
    client = Client()
    client.force_login(get_user_model().objects.get(username="jeanne.martin"))  # a reader
    url = f"/operations/{operation.pk}/travaux/programme/document/"
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Servir 420 repas par jour" in text
    assert "{{" not in text and "{%" not in text
    assert format_euros(Decimal("1540000")) in text
    assert "Conseil municipal (délibération n° 2025-87)" in cells
    assert "Salle de restauration" in cells
    (tmp_path / "programme.docx").write_bytes(response.content)
    out = Path("/tmp/construction_shots/programme.docx")
    if out.parent.exists():
        out.write_bytes(response.content)


def test_the_final_account_letter_of_the_demo_names_the_next_deadline(
    db: None, tmp_path: Path
) -> None:
    import io

    from docx import Document

    load_demo(tmp_path / "demo-credentials.json")
    operation = Operation.objects.get(title=demo.TITLE)
    contract = FinalAccount.objects.get().contract
    client = Client()
    client.force_login(get_user_model().objects.get(username="marie.dupont"))
    url = f"/operations/{operation.pk}/travaux/marches/{contract.pk}/decompte/lettre/"
    response = client.post(url)
    assert response.status_code == 200
    out = Path("/tmp/construction_shots/decompte.docx")
    if out.parent.exists():
        out.write_bytes(response.content)
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "{{" not in text + cells and "{%" not in text + cells
    assert "Bâtiments du Val Construction SAS" in text
    assert "23/10/2026" in text  # reception notified: the deadlines start from it
    # Only the maître d'œuvre has the holder's final draft: it is still due at the commune.
    assert "Prochaine échéance, pour le titulaire : Projet de décompte final" in text
    assert "à venir" in cells and "23/11/2026" in cells


def test_the_demo_shows_the_guarantee_the_lifted_reserve_and_the_advance(
    db: None, tmp_path: Path
) -> None:
    """The clos-couvert's first-demand guarantee spares its statement the retention money, one
    of the gros œuvre's two reserves is lifted, its parfait achèvement guarantee ends a year
    after the reception, and the advance of the lot is counted — each on the contract's page."""
    from openamo.web.construction.execution.reception import reception_lines
    from openamo.web.construction.execution.statements import statements_of, statements_result
    from openamo.web.construction.models import RetentionGuarantee

    load_demo(tmp_path / "demo-credentials.json")
    operation = Operation.objects.get(title=demo.TITLE)
    guarantee = RetentionGuarantee.objects.get()
    clos = guarantee.contract
    assert guarantee.kind == "garantie_premiere_demande"
    assert clos.lot is not None and clos.lot.name.startswith("Clos")
    result = statements_result(clos, statements_of(clos))
    assert result is not None and all(row.retention_ttc == 0 for row in result.statements)

    gros = FinalAccount.objects.get().contract
    (line,) = reception_lines(gros)
    assert line.notice is not None and line.open_reserves == 1 and len(line.reserves) == 2
    assert line.result is not None and str(line.result.guarantee_ends_on) == "2027-10-16"
    payments = statements_result(gros, statements_of(gros))
    # 5 % of 610 080,00 € TTC; 30 % of the works done: the précompte has not started yet.
    assert payments is not None and payments.advance_ttc == Decimal("30504.00")
    assert payments.advance_repaid_ttc == 0

    client = Client()
    client.force_login(get_user_model().objects.get(username="marie.dupont"))
    base = f"/operations/{operation.pk}/travaux/marches/"
    page = client.get(f"{base}{clos.pk}/").content.decode()
    assert "Garantie à première demande de <strong>Banque régionale des artisans" in page
    page = client.get(f"{base}{gros.pk}/").content.decode()
    assert "16/10/2027" in page and "20/11/2026" in page
    assert "Avance de 30" in page and "504,00\u00a0€ TTC : 0,00\u00a0€ TTC déjà remboursés" in page
    # The reception report the commune downloads says it too (CCAG-T art. 44, CCP R2191-35).
    import io

    from docx import Document

    url = f"{base}{gros.pk}/receptions/{line.reception.pk}/document/"
    document = Document(io.BytesIO(client.post(url).content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "1 réserve levée sur 2" in text and "jusqu'au 16/10/2027" in text
    assert "Retenue de garantie remboursée" in text and "15/11/2027" in text
    assert "Avis d'achèvement des travaux du titulaire reçu le 02/10/2026" in text


def test_the_works_were_tendered_under_a_validated_procedure(db: None, tmp_path: Path) -> None:
    """A works operation in execution does not say « procédure pas encore analysée »."""
    load_demo(tmp_path / "demo.json")
    consultation = Consultation.objects.get(operation__title=demo.TITLE)
    assert consultation.status == ConsultationStatus.VALIDEE
    assert consultation.launch_date == datetime.date(2026, 2, 27)


def test_every_works_page_and_document_of_the_demo_answers_in_word_and_pdf(
    db: None, tmp_path: Path
) -> None:
    """The works lots, each contract's page (OS, statements, reception) and every document of
    the operation — programme, MOE elements, OS, reception report, DGD letter — in both formats,
    reached from the links the pages offer."""
    import html
    import re

    load_demo(tmp_path / "demo-credentials.json")
    operation = Operation.objects.get(title=demo.TITLE)
    client = Client()
    client.force_login(get_user_model().objects.get(username="marie.dupont"))
    base = f"/operations/{operation.pk}/travaux/"
    works = client.get(base + "marches/")
    assert works.status_code == 200
    contracts = sorted(set(re.findall(rf'href="{base}marches/(\d+)/"', works.content.decode())))
    assert len(contracts) == 3
    actions = {base + "programme/document/", base + "maitrise-oeuvre/document/"}
    pages = client.get(base).content.decode()
    for pk in contracts:
        for page in (f"marches/{pk}/", f"marches/{pk}/decompte/"):
            response = client.get(base + page)
            assert response.status_code == 200, page
            pages += response.content.decode()
            found = re.findall(r'action="([^"]+/(?:document|lettre)/)"', response.content.decode())
            actions |= set(found)
    kinds = {re.sub(r"\d+", "N", action[len(base) :]) for action in actions}
    assert {
        "programme/document/",
        "maitrise-oeuvre/document/",
        "marches/N/ordres-de-service/N/document/",
        "marches/N/receptions/N/document/",
        "marches/N/decompte/lettre/",
    } <= kinds, kinds
    # Where the law leaves the choice to the buyer, each verdict of the pages says so.
    choice, pages = "Ce que le droit laisse au choix du maître d'ouvrage — ", html.unescape(pages)
    for topic in ("organisation", "consultation de maîtrise d'œuvre", "phases et enveloppe",
                  "ordres de service", "acomptes", "réception"):  # fmt: skip
        assert choice + topic in pages, topic
    types = {"docx": "officedocument.wordprocessingml", "pdf": "application/pdf"}
    for action in sorted(actions):
        for fmt, content_type in types.items():
            response = client.post(action, {"format": fmt})
            assert response.status_code == 200, (action, fmt)
            assert content_type in response["Content-Type"], (action, fmt)
            assert "attachment" in response["Content-Disposition"]


def test_the_moe_contract_names_its_holder_s_establishment(db: None, tmp_path: Path) -> None:
    """The MOE group contract carried neither SIRET nor address: its notices and open data
    named a holder nobody could identify."""
    from stdnum.fr import siret

    from openamo.postal import parse_postal_address
    from openamo.web.organisations.models import Organisation

    load_demo(tmp_path / "demo-credentials.json")
    contract = Contract.objects.get(reference="2025-MOE-RS")
    assert siret.is_valid(contract.holder_siret)
    assert parse_postal_address(contract.holder_address).town == "Rennes"
    assert contract.holder_organisation is not None
    assert contract.holder_organisation.siret == contract.holder_siret
    assert Organisation.objects.filter(siret=contract.holder_siret).count() == 1
