"""The construction documents as a buyer files them: each one made in Word and in PDF from the
examples, the Word one printed by LibreOffice, and both read back — A4, the running header
(buyer, document) and footer (object, page X / Y), nothing left of a tag or an HTML escape, no
code of the program, and what the CCAG-Travaux 2021 and the CCP require each piece to say."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from openamo.construction import (
    choose_moe_procedure,
    final_account,
    reception_calendar,
    service_orders,
)
from openamo.construction.enums import ReceptionDecision, WorkKind
from openamo.construction.models import (
    DgdInput,
    MoeInput,
    OrdersInput,
    PhasesInput,
    ReceptionInput,
    ReceptionResult,
)
from openamo.documents import travaux
from openamo.pricing.advance import retention
from openamo.pricing.execution_models import RetentionInput, RetentionResult
from openamo.validation import parse_input

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdfinfo") is None,
    reason="LibreOffice et poppler absents : « make system-deps » les installe",
)

BUYER = "Commune de L'Isle-Exemple"  # an apostrophe: the PDF header must not print « &#39; »
HOLDER = "Bâtiments du Val Construction SAS"
CONTRACT = "Marché 2026-TRAV-RS-01 — Restaurant scolaire — lot 1 : Gros œuvre, maçonnerie"
#: What the program knows and a reader must never see.
CODES = re.compile(
    r"\{\{|\{%|&#39;|&amp;|&quot;|\bNone\b|\bTrue\b|avec_reserves|sans_reserve|a_venir|en_retard"
    r"|reserves_dans_le_delai|garantie_premiere_demande|batiment_neuf|\bmapa\b"
)


def _example(name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((EXAMPLES / f"travaux_{name}.json").read_text("utf-8"))
    return data


def _reception() -> ReceptionResult:
    return reception_calendar(parse_input(ReceptionInput, _example("reception")))


def _retention(substitute: str | None, guarantee_ends_on: dt.date) -> RetentionResult:
    return retention(
        parse_input(
            RetentionInput,
            {
                "consultation_date": "2026-01-15",
                "buyer": "collectivite",
                "sme": True,
                "initial_amount_ht": "508400.00",
                "rate_percent": "5",
                "substitute": substitute,
                "guarantee_period_ends_on": guarantee_ends_on.isoformat(),
            },
        )
    )


def _make_all(folder: Path, suffix: str) -> dict[str, Path]:
    """Every construction document, from the examples of ``amo travaux``."""
    made: dict[str, Path] = {}
    orders = service_orders(parse_input(OrdersInput, _example("ordres")))
    row = next(o for o in orders.orders if o.number == 2)
    made["os"] = travaux.make_service_order(
        row, orders, folder / f"os{suffix}", buyer=BUYER, holder=HOLDER, contract=CONTRACT,
        lot="Lot 1 — Gros œuvre, maçonnerie", subject="Fondations sur micropieux",
        description="Remplacer les semelles filantes par 24 micropieux ; prix provisoire : "
        "2 000 € HT le micropieu.", issued_on=dt.date(2026, 6, 9), signatory="Marie Dupont",
    )  # fmt: skip
    result = _reception()
    assert result.guarantee_ends_on is not None
    made["pv"] = travaux.make_reception_report(
        folder / f"pv{suffix}", buyer=BUYER, holder=HOLDER, contract=CONTRACT,
        label="Opérations préalables à la réception du lot 1", inspected_on=dt.date(2027, 6, 30),
        notice_on=dt.date(2027, 6, 14), decision="Prononcée avec réserves",
        effective_on=dt.date(2027, 6, 30), decided_on=dt.date(2027, 7, 9), note="",
        reserves=[("Fissure en pied de voile", dt.date(2027, 9, 30), dt.date(2027, 9, 1)),
                  ("Seuil de la porte de livraison", dt.date(2027, 9, 30), None)],
        result=result, retention=_retention(None, result.guarantee_ends_on),
    )  # fmt: skip
    dgd = final_account(parse_input(DgdInput, _example("dgd")))
    made["dgd"] = travaux.make_dgd_letter(
        dgd, folder / f"dgd{suffix}", buyer=BUYER, holder=HOLDER, contract=CONTRACT,
        reception=ReceptionDecision.AVEC_RESERVES, as_of=dt.date(2027, 9, 15),
    )  # fmt: skip
    moe = choose_moe_procedure(parse_input(MoeInput, _example("moe")))
    made["moe"] = travaux.make_moe_elements(
        moe, folder / f"moe{suffix}", title="Construction d'un restaurant scolaire", buyer=BUYER,
        work_kind=WorkKind(str(_example("moe")["work_kind"])),
        mission=["Esquisse (ESQ)", "Avant-projet sommaire (APS)"],
        envelope_works_ht=Decimal("1540000.00"), reduction_cap="15 %",
    )  # fmt: skip
    phases = parse_input(PhasesInput, _example("phases"))
    made["programme"] = travaux.make_programme(
        phases, folder / f"programme{suffix}", title="Construction d'un restaurant scolaire",
        buyer=BUYER,
    )  # fmt: skip
    return made


def _text(pdf: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    )
    return done.stdout


def _pages(pdf: Path) -> tuple[int, str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]
    size = re.search(r"^Page size:\s+(.*)$", info.stdout, re.M).group(1)  # type: ignore[union-attr]
    return pages, size


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """{engine: {document: PDF}}: WeasyPrint's PDF, and LibreOffice's print of the .docx."""
    folder = tmp_path_factory.mktemp("travaux")
    weasy = _make_all(folder / "weasy", ".pdf")
    words = _make_all(folder / "word", ".docx")
    assert SOFFICE is not None
    profile = (folder / "lo-profile").as_uri()
    command = [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
               "--outdir", str(folder / "lo"), *map(str, words.values())]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    office = {name: folder / "lo" / f"{path.stem}.pdf" for name, path in words.items()}
    return {"weasyprint": weasy, "libreoffice": office}


NAMES = {
    "os": "Ordre de service n° 2",
    "pv": "Réception des travaux",
    "dgd": "Décompte général — calendrier",
    "moe": "Marché de maîtrise d'œuvre",
    "programme": "Programme et enveloppe financière",
}
MAX_PAGES = {"os": 2, "pv": 2, "dgd": 2, "moe": 3, "programme": 3}


@pytest.mark.parametrize("engine", ["weasyprint", "libreoffice"])
def test_every_page_is_a4_with_its_header_and_footer(
    printed: dict[str, dict[str, Path]], engine: str
) -> None:
    for name, pdf in printed[engine].items():
        pages, size = _pages(pdf)
        assert "(A4)" in size, (engine, name, size)
        assert 1 <= pages <= MAX_PAGES[name], (engine, name, pages)
        text = _text(pdf)
        assert not CODES.search(text), (engine, name, CODES.search(text))
        sheets = text.split("\f")[:pages]
        for number, sheet in enumerate(sheets, 1):
            assert BUYER in sheet and NAMES[name] in sheet, (engine, name, number)
            assert re.search(rf"page {number} / {pages}\b", sheet), (engine, name, number)


def _flat(pdf: Path) -> str:
    return " ".join(_text(pdf).replace("\u202f", " ").replace("\u00a0", " ").split())


@pytest.mark.parametrize("engine", ["weasyprint", "libreoffice"])
def test_the_service_order_says_who_notified_it_and_what_the_holder_may_do(
    printed: dict[str, dict[str, Path]], engine: str
) -> None:
    text = _flat(printed[engine]["os"])
    # Art. 3.8.1: written, dated, numbered, notified by the maître d'ouvrage, acknowledged.
    assert "notifié au titulaire le 09/06/2026 par le maître d'ouvrage" in text
    assert "Pour le maître d'ouvrage, Marie Dupont" in text
    assert "qui en accuse réception datée" in text
    # Art. 3.8.2: 15 days for reserves, refusal of an unsafe or unlawful order unanswered.
    assert "dans un délai de 15 jours à compter de sa réception, sous peine de forclusion" in text
    assert "risque pour la sécurité ou la santé" in text and "dans les 15 jours" in text
    assert "Réserves du titulaire reçues le 22/06/2026, dans le délai" in text
    assert "par le maître d'œuvre pour" not in text  # the app's orders are the buyer's


@pytest.mark.parametrize("engine", ["weasyprint", "libreoffice"])
def test_the_reception_report_carries_reserves_guarantees_and_the_retention(
    printed: dict[str, dict[str, Path]], engine: str
) -> None:
    text = _flat(printed[engine]["pv"])
    assert "Décision : réception prononcée avec réserves." in text
    assert "1 réserve levée sur 2" in text and "01/09/2027" in text and "non levée" in text
    # Art. 44.1: one year from the effective date (30/06/2027); art. 44.2: its extension.
    assert "Garantie de parfait achèvement jusqu'au 30/06/2028" in text
    assert "peut le prolonger par décision notifiée au titulaire" in text and "44.2" in text
    # R2191-35: refunded within 30 days of the end of the guarantee (30/06/2028 + 30 days).
    assert "dans les 30 jours" in text and "le 30/07/2028" in text and "R2191-35" in text
    assert "Pour le maître d'ouvrage, Commune de L'Isle-Exemple" in text


def test_a_first_demand_guarantee_frees_its_guarantor_one_month_after(tmp_path: Path) -> None:
    result = _reception()
    ends = result.guarantee_ends_on
    assert ends is not None
    out = travaux.make_reception_report(
        tmp_path / "pv.pdf", buyer=BUYER, holder=HOLDER, contract=CONTRACT, label="Lot 2",
        inspected_on=dt.date(2027, 6, 30), decision="Prononcée sans réserve",
        effective_on=dt.date(2027, 6, 30), decided_on=dt.date(2027, 7, 9), note="", reserves=[],
        result=result, retention=_retention("garantie_premiere_demande", ends),
        guarantor="Banque régionale des artisans",
    )  # fmt: skip
    text = _flat(out)
    assert "Garantie à première demande de Banque régionale des artisans remplaçant" in text
    assert "libéré 1 mois au plus tard" in text and "le 30/07/2028" in text
    assert "R2191-42" in text and "R2191-35)" not in text
    assert "Décision : réception prononcée sans réserve." in text


@pytest.mark.parametrize("engine", ["weasyprint", "libreoffice"])
def test_the_final_account_letter_states_the_start_once_and_the_next_step(
    printed: dict[str, dict[str, Path]], engine: str
) -> None:
    text = _flat(printed[engine]["dgd"])
    assert "notifiée le 09/07/2027 — réception avec réserves (imperfections ou malfaçons) ;" in text
    assert "malfaçons))" not in text
    assert "Prochaine échéance, pour le titulaire : Décompte général renvoyé" in text
    assert "au plus tard le 29/09/2027" in text


def test_a_late_step_is_said_late_and_a_reception_sous_reserve_is_not_a_notification(
    tmp_path: Path,
) -> None:
    late = final_account(parse_input(DgdInput, {
        "consultation_date": "2026-01-15", "reception_notified_on": "2027-07-09",
        "reception_decision": "sous_reserve", "reserves_lifted_on": "2027-08-16",
        "as_of": "2027-10-01",
    }))  # fmt: skip
    text = _flat(travaux.make_dgd_letter(
        late, tmp_path / "dgd.pdf", buyer=BUYER, holder=HOLDER, contract=CONTRACT,
        reception=ReceptionDecision.SOUS_RESERVE, as_of=dt.date(2027, 10, 1),
    ))  # fmt: skip
    assert "Échéance dépassée, pour le titulaire : Projet de décompte final" in text
    assert "leur exécution, constatée le 16/08/2027, fait courir les délais" in text
    assert "notifiée le 16/08/2027" not in text


@pytest.mark.parametrize("engine", ["weasyprint", "libreoffice"])
def test_the_moe_elements_name_the_contest_an_option_below_the_threshold(
    printed: dict[str, dict[str, Path]], engine: str
) -> None:
    text = _flat(printed[engine]["moe"])
    moe = choose_moe_procedure(parse_input(MoeInput, _example("moe")))
    if moe.contest_mandatory:
        assert "Si le concours est retenu" not in text
        assert "Procédure retenue : concours" in text
    else:
        assert "Le concours n'est pas obligatoire pour ce marché" in text
        assert "Si le concours est retenu : jury" in text
    assert "la part affectée aux travaux en vigueur est de 1 540 000,00 € HT" in text


def test_an_optional_contest_is_offered_as_such(tmp_path: Path) -> None:
    below = choose_moe_procedure(parse_input(MoeInput, {
        "date": "2026-03-02", "work_kind": "batiment_neuf", "estimated_fee_ht": "168000",
    }))  # fmt: skip
    above = choose_moe_procedure(parse_input(MoeInput, {
        "date": "2026-03-02", "work_kind": "batiment_neuf", "estimated_fee_ht": "310000",
    }))  # fmt: skip
    texts = [
        _flat(
            travaux.make_moe_elements(
                verdict,
                tmp_path / f"moe{index}.pdf",
                title="Restaurant scolaire",
                buyer=BUYER,
                work_kind=WorkKind.BATIMENT_NEUF,
                mission=["Esquisse (ESQ)"],
                envelope_works_ht=Decimal("1540000"),
                reduction_cap="15 %",
            )
        )
        for index, verdict in enumerate((below, above))
    ]
    assert "Procédure retenue : procédure adaptée." in texts[0]
    assert "Si le concours est retenu : déroulement" in texts[0]
    assert "Si le concours est retenu" not in texts[1] and "Jury" in texts[1]
    assert "Procédure retenue : concours de maîtrise d'œuvre obligatoire." in texts[1]


def test_the_buyers_own_figures_are_highlighted_not_printed_as_if_set(tmp_path: Path) -> None:
    """The tolerance thresholds are the maître d'ouvrage's to write (R2432-3): the Word piece
    marks them « À compléter » (highlighted), the PDF one with <mark>, as the DCE pieces do."""
    from docx import Document

    from openamo.documents.layout import MISSING_STYLE

    moe = choose_moe_procedure(parse_input(MoeInput, _example("moe")))
    common = {
        "title": "Restaurant scolaire", "buyer": BUYER, "work_kind": WorkKind.BATIMENT_NEUF,
        "mission": ["Esquisse (ESQ)"], "envelope_works_ht": None, "reduction_cap": "15 %",
    }  # fmt: skip
    word = travaux.make_moe_elements(moe, tmp_path / "moe.docx", **common)  # type: ignore[arg-type]
    tolerances = [
        p for p in Document(str(word)).paragraphs if p.text.startswith("Seuil de tolérance")
    ]
    assert len(tolerances) == 2
    assert all(p.style is not None and p.style.name == MISSING_STYLE for p in tolerances)
    html = (Path(travaux.__file__).parent / "templates" / "travaux_moe.html").read_text("utf-8")
    assert html.count("<mark>Seuil de tolérance") == 2


def test_the_programme_says_which_envelope_each_estimate_is_measured_against(
    tmp_path: Path,
) -> None:
    """Each estimate is a share of the envelope in force when it was handed in, not of today's
    (openamo.construction.phases): the column says so, in Word and in the PDF."""
    from docx import Document

    phases = parse_input(PhasesInput, _example("phases"))
    word = travaux.make_programme(phases, tmp_path / "p.docx", title="Cantine", buyer=BUYER)
    headers = [t.rows[0].cells[2].text for t in Document(str(word)).tables if len(t.columns) == 4]
    assert headers == ["Part de l'enveloppe à la remise"]
    pdf = travaux.make_programme(phases, tmp_path / "p.pdf", title="Cantine", buyer=BUYER)
    raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    assert "Part de l'enveloppe à la remise" in " ".join(raw.stdout.split())
