"""The letters of the procedure read back, in Word and in PDF: A4, French, header and page
fields, every party filled from the file, no placeholder, and the standstill date the award
calendar computes (never recomputed by the letters)."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Length

from openamo.award.calendar import award_calendar_from_dict
from openamo.documents.letters import (
    LettersInput,
    LettersResult,
    build_letters,
    letter_context,
    make_letters_from_dict,
)
from openamo.errors import OpenAMOError
from openamo.validation import parse_input
from tests.unit.documents.test_layout import PLACEHOLDER, TOOL_TEXT, body_text, instructions

EXAMPLE = json.loads(
    (Path(__file__).resolve().parents[3] / "examples" / "attribution_lettres.json").read_text(
        "utf-8"
    )
)


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory) -> LettersResult:
    return make_letters_from_dict(copy.deepcopy(EXAMPLE), tmp_path_factory.mktemp("lettres"))


def pdf_text(path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils (make system-deps)"
    result = subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(result.stdout.split())


def flat(text: str) -> str:
    return " ".join(text.split())


def by_kind(letters: LettersResult, kind: str) -> list[tuple[str, str, str]]:
    return [
        (letter.recipient, letter.docx, letter.pdf)
        for letter in letters.letters
        if letter.kind == kind
    ]


def test_one_letter_per_request_rejection_and_award(letters: LettersResult) -> None:
    assert [(letter.kind, letter.recipient) for letter in letters.letters] == [
        ("completion", "Maraîchers Associés SCOP"),
        ("offre_anormalement_basse", "Agrilog Express"),
        ("rejet", "Primeurs du Val SARL"),
        ("rejet", "Distri-Frais SAS"),
        ("rejet", "Agrilog Express"),
        ("attribution", "Maraîchers Associés SCOP"),
        ("rejet", "Fromagerie Centrale"),
        ("attribution", "Laiterie du Plateau"),
    ]
    for letter in letters.letters:
        assert Path(letter.docx).read_bytes().startswith(b"PK")
        assert Path(letter.pdf).read_bytes().startswith(b"%PDF-")


def test_every_letter_is_an_a4_french_document_with_its_header_and_page_fields(
    letters: LettersResult,
) -> None:
    for letter in letters.letters:
        document = Document(letter.docx)
        section = document.sections[0]
        size = (
            round(Length(section.page_width or 0).cm, 1),
            round(Length(section.page_height or 0).cm, 1),
        )
        assert size == (21.0, 29.7), letter.docx
        languages = {lang.get(qn("w:val")) for lang in document.styles.element.iter(qn("w:lang"))}
        assert languages == {"fr-FR"}
        header = "\n".join(p.text for p in section.header.paragraphs)
        assert "Commune de Saint-Exemple" in header and "Consultation n° 2026-RS-01" in header
        assert list(instructions(section.footer._element)) == ["PAGE", "NUMPAGES"]
        body = body_text(Path(letter.docx))
        assert not PLACEHOLDER.search(body), letter.docx
        assert not TOOL_TEXT.search(body), letter.docx
        assert document.core_properties.title.endswith(letter.recipient)


def test_parties_place_date_and_signatory_are_filled_in_word_and_pdf(
    letters: LettersResult,
) -> None:
    for letter in letters.letters:
        for text in (flat(body_text(Path(letter.docx))), pdf_text(Path(letter.pdf))):
            assert "Commune de Saint-Exemple" in text
            assert "1 place de la Mairie" in text and "SIRET 219 900 008 00018" in text
            assert letter.recipient in text
            assert "Claire MARTIN" in text and "La Maire," in text
            assert "À Saint-Exemple, le " in text
            assert "À , le" not in text and "…" not in text
    completion = flat(body_text(Path(by_kind(letters, "completion")[0][1])))
    assert "À Saint-Exemple, le 13 janvier 2027" in completion
    assert "au plus tard le 20 janvier 2027" in completion
    assert "principales livraisons comparables" in completion and "R2144-2" in completion


@pytest.mark.parametrize(
    ("city", "place"),
    [("Nantes Cedex 1", "À Nantes, le"), ("RENNES CEDEX", "À RENNES, le"), ("Vertou", "À Vertou,")],
)
def test_a_cedex_address_is_printed_whole_but_the_letter_is_dated_from_the_commune(
    city: str, place: str
) -> None:
    data = copy.deepcopy(EXAMPLE)
    data["buyer"]["postcode"], data["buyer"]["city"], data["awards"] = "44041", city, []
    parsed = parse_input(LettersInput, data)
    context = letter_context(parsed, build_letters(parsed, None)[0])
    assert str(context["place_and_date"]).startswith(place)
    assert context["sender"]["lines"][1] == f"44041 {city}"


def test_the_rejection_letter_has_the_mandatory_content_and_the_calendar_date(
    letters: LettersResult,
) -> None:
    # The letters are dated 16/02, the day after the decision: the standstill runs from the
    # day they are sent (R2182-1), the calendar computes it from that day.
    calendar = award_calendar_from_dict(
        {**copy.deepcopy(EXAMPLE["calendar"]), "rejections_sent_on": EXAMPLE["date"]}
    )
    assert letters.earliest_signature_on == calendar.earliest_signature_on
    assert letters.standstill_last_day_on == calendar.standstill_last_day_on
    (_, docx, pdf), *_ = by_kind(letters, "rejet")
    for text in (flat(body_text(Path(docx))), pdf_text(Path(pdf))):
        assert "n'a pas été retenue, par décision du 15 février 2027" in text
        assert "Offre classée deuxième" in text  # reasons (R2181-3)
        assert "notée 83,95 / 100" in text
        assert "attribué à Maraîchers Associés SCOP" in text  # the winner's name
        assert "64 980,50 € HT" in text.replace("\u202f", " ").replace("\xa0", " ")
        assert "cueillette la veille de la livraison" in text  # characteristics and advantages
        # Sent 16/02 + 11 days « de date à date »: last day 26/02, signature from 27/02
        # (R2182-1) — not from the decision of 15/02, which would leave only 10 days.
        assert "À Saint-Exemple, le 16 février 2027" in text
        assert "ne sera pas signé avant le 27 février 2027" in text
        assert "jusqu'au 26 février 2027 inclus" in text
        # Remedies told to the bidder with their articles and time limits, no buyer advice.
        assert "Référé précontractuel (articles L551-1 à L551-12" in text
        assert "Référé contractuel (articles L551-13 à L551-23" in text
        assert "31 jours" in text and "6 mois" in text and "R551-7" in text
        assert "Tarn-et-Garonne" in text and "deux mois" in text
        assert "article R421-1 du code de justice administrative" in text
        assert "la date suivra" not in text and "Il est fermé" not in text
        # no court typed: the buyer's postcode (35) names the court of its department
        assert "portés devant le tribunal administratif de Rennes :" in text


@pytest.mark.parametrize(
    "court",
    ["tribunal administratif de Rennes", "Le Tribunal administratif de Rennes", "Rennes"],
)
def test_the_rejection_letter_names_the_buyer_s_court_for_the_remedies(
    court: str, tmp_path: Path
) -> None:
    data = copy.deepcopy(EXAMPLE)
    data["buyer"]["court"] = court
    written = make_letters_from_dict(data, tmp_path)
    (_, docx, _), *_ = by_kind(written, "rejet")
    text = flat(body_text(Path(docx)))
    assert "recours suivants, portés devant le tribunal administratif de Rennes :" in text
    assert "territorialement" not in text


@pytest.mark.parametrize(
    ("postcode", "court"),
    [
        ("44000", "tribunal administratif de Nantes"),
        ("92100", "tribunal administratif de Cergy-Pontoise"),
        ("97400", "tribunal administratif de La Réunion"),
        ("20000", "tribunal administratif de Bastia"),
        ("99999", "tribunal administratif territorialement compétent"),
    ],
)
def test_without_a_court_the_buyer_s_postcode_names_it(
    postcode: str, court: str, tmp_path: Path
) -> None:
    data = copy.deepcopy(EXAMPLE)
    data["buyer"]["postcode"] = postcode
    written = make_letters_from_dict(data, tmp_path)
    (_, docx, _), *_ = by_kind(written, "rejet")
    assert f"recours suivants, portés devant le {court} :" in flat(body_text(Path(docx)))


def test_the_standstill_follows_the_letters_date_and_they_cannot_precede_the_decision(
    tmp_path: Path,
) -> None:
    data = copy.deepcopy(EXAMPLE)
    data["date"] = data["calendar"]["decision_on"]
    result = make_letters_from_dict(data, tmp_path / "a")
    assert str(result.earliest_signature_on) == "2027-02-26"
    data["date"] = "2027-02-12"
    with pytest.raises(OpenAMOError, match="datées avant la décision"):
        make_letters_from_dict(data, tmp_path / "b")


def test_the_abnormally_low_price_and_award_letters(letters: LettersResult) -> None:
    ((_, abnormal, _),) = by_kind(letters, "offre_anormalement_basse")
    text = flat(body_text(Path(abnormal))).replace("\u202f", " ").replace("\xa0", " ")
    assert "41 200,00 € HT" in text and "R2152-3" in text and "5 février 2027" in text
    assert "l'originalité de l'offre" in text and "pommes bio" in text
    (_, award, _), _ = by_kind(letters, "attribution")
    text = flat(body_text(Path(award)))
    assert "votre offre pour le lot n° 1 « Fruits et légumes frais » a été retenue" in text
    assert "au plus tard le 23 février 2027" in text and "R2182-4" in text
    # the standstill runs from the rejections sent to the others, not from this letter
    assert (
        "court à compter de l'envoi de la notification du rejet aux autres candidats et "
        "soumissionnaires, jusqu'au 26 février 2027 inclus" in text
    )


def test_a_framework_award_letter_gives_the_dqe_estimate_and_the_bounds(
    letters: LettersResult, tmp_path: Path
) -> None:
    (_, docx, pdf), _ = by_kind(letters, "attribution")
    for text in (flat(body_text(Path(docx))), pdf_text(Path(pdf))):
        text = text.replace("\u202f", " ").replace("\xa0", " ")
        assert (
            "pour un montant estimé de 64 980,50 € HT d'après le détail quantitatif estimatif "
            "(DQE)" in text
        )
        assert "S'agissant d'un accord-cadre, ce montant est une estimation" in text
        assert (
            "montant minimum de 40 000,00 € HT et d'un montant maximum de 110 000,00 € HT" in text
        )
    assert "CCP R2162-4" in Document(docx).core_properties.comments
    data = copy.deepcopy(EXAMPLE)
    data["calendar"]["framework_agreement"] = False
    for award in data["awards"]:
        del award["min_amount_ht"], award["max_amount_ht"]
    result = make_letters_from_dict(data, tmp_path)
    (_, docx, _), _ = by_kind(result, "attribution")
    text = flat(body_text(Path(docx))).replace("\u202f", " ").replace("\xa0", " ")
    assert "pour un montant de 64 980,50 € HT." in text and "accord-cadre" not in text
    data["awards"][0]["min_amount_ht"], data["awards"][0]["max_amount_ht"] = "9", "8"
    with pytest.raises(OpenAMOError, match="minimum de l'accord-cadre"):
        make_letters_from_dict(data, tmp_path / "b")


def test_a_mapa_rejection_says_when_the_contract_may_be_signed_without_standstill(
    tmp_path: Path,
) -> None:
    data = copy.deepcopy(EXAMPLE)
    data["calendar"]["procedure"] = "mapa"
    data["calendar"]["estimated_value_ht"] = "80000.00"
    data["calendar"]["amount_ht"] = "76000.00"
    result = make_letters_from_dict(data, tmp_path)
    rejection = next(letter for letter in result.letters if letter.kind == "rejet")
    text = flat(body_text(Path(rejection.docx)))
    assert "délai de suspension" not in text.split("Date de signature du marché")[1].split(".")[0]
    assert "Le marché pourra être signé à compter du" in text


def test_award_letters_need_the_calendar_and_dates_must_follow(tmp_path: Path) -> None:
    data = copy.deepcopy(EXAMPLE)
    del data["calendar"]
    with pytest.raises(OpenAMOError, match="calendrier"):
        make_letters_from_dict(data, tmp_path / "a")
    data = copy.deepcopy(EXAMPLE)
    data["completions"][0]["due_on"] = "2026-10-01"
    with pytest.raises(OpenAMOError, match="réponse attendue"):
        make_letters_from_dict(data, tmp_path / "b")
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_the_signature_block_is_the_signatory_s_capacity_and_name_without_tool_text(
    letters: LettersResult,
) -> None:
    for letter in letters.letters:
        lines = [line.strip() for line in body_text(Path(letter.docx)).splitlines() if line.strip()]
        assert lines[-2:] == ["La Maire,", "Claire MARTIN"], letter.docx
        assert lines.count(next(line for line in lines if line.startswith("À Saint-Exemple"))) == 1
        text = pdf_text(Path(letter.pdf))
        assert "Références :" not in text and "Pour Commune" not in text
        assert "La Maire, Claire MARTIN" in text  # the block is never split across pages
        assert "CCP" in Document(letter.docx).core_properties.comments  # provenance kept there


def test_with_several_winners_of_a_lot_the_rejection_names_each_with_its_advantages(
    tmp_path: Path,
) -> None:
    data = copy.deepcopy(EXAMPLE)
    first = data["awards"][0]
    data["awards"].append(
        {
            "lot": first["lot"],
            "lot_name": first["lot_name"],
            "winner": {
                "tenderer": {"name": "Jardins du Littoral", "city": "Saint-Malo"},
                "amount_ht": "59900.00",
                "score": "81",
                "advantages": ["Récolte du jour livrée avant 7 h"],
            },
        }
    )
    result = make_letters_from_dict(data, tmp_path)
    assert [letter.kind for letter in result.letters].count("attribution") == 3
    (_, docx, pdf), *_ = by_kind(result, "rejet")
    for text in (flat(body_text(Path(docx))), pdf_text(Path(pdf))):
        assert "Offres retenues" in text
        assert "attribué à Maraîchers Associés SCOP, pour un montant estimé de" in text
        assert "et à Jardins du Littoral, pour un montant estimé de 59" in text
        assert "Caractéristiques et avantages relatifs de l'offre de Jardins du Littoral" in text
        assert "Récolte du jour livrée avant 7 h" in text


def test_the_signature_never_stands_alone_on_its_page(letters: LettersResult) -> None:
    for letter in letters.letters:
        pdftotext = shutil.which("pdftotext")
        assert pdftotext
        pages = subprocess.run(
            [pdftotext, letter.pdf, "-"], capture_output=True, text=True, check=True
        ).stdout.split("\f")
        last = next(page for page in pages if "Claire MARTIN" in page)
        assert "Nous vous prions d'agréer" in last, letter.pdf
        before = last.split("Nous vous prions d'agréer")[0]
        assert len(before.split()) > 12, letter.pdf  # with the end of the text, not alone
        paragraphs = Document(letter.docx).paragraphs
        closing = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Nous vous prions"))
        previous = next(p for p in reversed(paragraphs[:closing]) if p.text.strip())
        assert previous.paragraph_format.keep_with_next, letter.docx
        assert paragraphs[closing].paragraph_format.keep_with_next, letter.docx
        # « … les recours suivants, portés devant le tribunal administratif de Rennes : »
        # stays with its first item
        for paragraph in paragraphs:
            if paragraph.text.rstrip().endswith(":"):
                assert paragraph.paragraph_format.keep_with_next, paragraph.text
