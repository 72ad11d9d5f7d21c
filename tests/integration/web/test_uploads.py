"""Files sent by users (issue 14, item 6): the size is limited while the file streams in (never
held whole), the type is sniffed, archive bombs and macro-bearing office files are refused —
with a French message next to the field, the rest of the input kept — on every upload form."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl
import pytest
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test import override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from docx import Document

from openamo.web import uploads
from openamo.web.contracts.models import Contract
from openamo.web.operations.models import Operation
from tests.integration.web._amendments import make_contract, make_holders, propose
from tests.integration.web.conftest import Cast, client_for, text

LIMIT = 64 * 1024


def parse(fields: dict[str, object]) -> tuple[Any, Any, list[Any]]:
    """Run Django's multipart parser with the project's handlers on an encoded body."""
    body = encode_multipart(BOUNDARY, fields)
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    handlers = [uploads.MemoryUploadHandler(), uploads.TemporaryFileUploadHandler()]
    post, files = MultiPartParser(meta, io.BytesIO(body), handlers).parse()
    return post, files, handlers


@override_settings(OPENAMO_UPLOAD_MAX_BYTES=LIMIT, FILE_UPLOAD_MAX_MEMORY_SIZE=16 * 1024)
def test_a_file_over_the_limit_is_dropped_while_it_streams_and_the_fields_are_kept() -> None:
    big = SimpleUploadedFile("gros.pdf", b"%PDF-" + b"0" * (4 * LIMIT))
    post, files, handlers = parse({"note": "Mon message", "piece": big, "after": "après"})
    refused = files["piece"]
    assert isinstance(refused, uploads.RefusedUpload)
    assert refused.read() == b"" and "gros.pdf" in refused.refusal and "64 ko" in refused.refusal
    # The temporary file was closed (deleted) as soon as the limit was passed.
    temporary = handlers[1]
    assert temporary.file.closed
    assert post["note"] == "Mon message" and post["after"] == "après"


@override_settings(OPENAMO_UPLOAD_MAX_BYTES=LIMIT, FILE_UPLOAD_MAX_MEMORY_SIZE=16 * 1024)
def test_a_file_within_the_limit_arrives_whole() -> None:
    content = b"%PDF-" + b"1" * (LIMIT - 10)
    _, files, _ = parse({"piece": SimpleUploadedFile("ok.pdf", content)})
    received = files["piece"]
    assert isinstance(received, TemporaryUploadedFile) and received.read() == content
    small = parse({"piece": SimpleUploadedFile("petit.pdf", b"%PDF-1")})[1]["piece"]
    assert small.read() == b"%PDF-1"


def test_the_project_s_handlers_and_limits_are_installed() -> None:
    assert settings.FILE_UPLOAD_HANDLERS[0] == "openamo.web.uploads.MemoryUploadHandler"
    assert settings.OPENAMO_UPLOAD_MAX_BYTES == 5 * 1024 * 1024
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440


def docx_bytes(*extra: tuple[str, bytes], content_types: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("Devis du fromager")
    document.save(buffer)
    if not extra and content_types is None:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml" and content_types is not None:
                data = content_types
            target.writestr(info, data)
        for name, data in extra:
            target.writestr(name, data)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    workbook = io.BytesIO()
    openpyxl.Workbook().save(workbook)
    return workbook.getvalue()


def check(name: str, content: bytes, accepted: set[str]) -> str:
    try:
        uploads.check(SimpleUploadedFile(name, content), accepted)
    except forms.ValidationError as error:
        return " ".join(error.messages)
    return ""


OFFICE = {".docx", ".xlsx", ".odt", ".ods", ".pdf", ".png"}


def test_a_real_document_is_accepted() -> None:
    assert check("devis.docx", docx_bytes(), OFFICE) == ""
    assert check("dqe.xlsx", xlsx_bytes(), OFFICE) == ""


def test_an_archive_bomb_is_refused() -> None:
    bomb = docx_bytes(("word/media/zeros.bin", b"\0" * (60 * 1024 * 1024)))
    assert len(bomb) < 1024 * 1024
    assert "bombe de décompression" in check("devis.docx", bomb, OFFICE)
    ratio = docx_bytes(("word/media/zeros.bin", b"\0" * (3 * 1024 * 1024)))
    assert "bombe de décompression" in check("devis.docx", ratio, OFFICE)


def test_macro_bearing_office_files_are_refused() -> None:
    vba = docx_bytes(("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macros"))
    assert "contient des macros" in check("devis.docx", vba, OFFICE)
    declared = docx_bytes(
        content_types=b'<Types><Override ContentType="application/vnd.ms-word.document.'
        b'macroEnabled.main+xml" PartName="/word/document.xml"/></Types>'
    )
    assert "contient des macros" in check("devis.docx", declared, OFFICE)
    assert "Type de fichier non accepté" in check("devis.docm", docx_bytes(), OFFICE)


def test_the_type_is_sniffed_not_taken_from_the_name() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    assert "ne correspond pas" in check("devis.docx", b"%PDF-1.7 devis", OFFICE)
    assert "ne correspond pas" in check("plan.pdf", png, OFFICE)
    assert "pas un fichier CSV" in check("achats.csv", png, {".csv"})
    assert "classeur" in check("achats.csv", xlsx_bytes(), {".csv"})
    assert "pas un fichier CSV" in check("achats.csv", docx_bytes(), {".csv"})
    broken = docx_bytes()[:-400]
    assert "endommagé" in check("devis.docx", broken, OFFICE)
    assert check("achats.csv", "siret;description\n1;Pommes é\n".encode(), {".csv"}) == ""


@pytest.fixture
def contract(cast: Cast, operation: Operation) -> Contract:
    return make_contract(cast, make_holders(cast), operation)


@override_settings(OPENAMO_UPLOAD_MAX_BYTES=LIMIT)
def test_every_upload_form_refuses_an_oversized_file_next_to_the_field_and_keeps_the_input(
    cast: Cast, contract: Contract
) -> None:
    amendment = propose(cast, contract)
    big = b"0" * (2 * LIMIT)
    cases = [
        (
            client_for(cast.consultant),
            reverse("amendments:exchange", args=[contract.pk, amendment.pk]),
            {"note": "Message gardé"},
            "piece",
            "devis.pdf",
            "Message gardé",
        ),
        (
            client_for(cast.mo),
            reverse("catering:forecasts", args=[cast.commune.pk]),
            {"title": "DQE gardé", "year": "2027"},
            "file",
            "dqe.csv",
            "DQE gardé",
        ),
        (
            client_for(cast.mo),
            reverse("catering:import_upload", args=[cast.commune.pk]),
            {},
            "file",
            "achats.csv",
            "",
        ),
        (
            client_for(cast.mo),
            reverse("contracts:index_import", args=[contract.pk]),
            {"series": "IPAG-0105"},
            "file",
            "indices.csv",
            "IPAG-0105",
        ),
    ]
    for client, url, fields, field, name, kept in cases:
        response = client.post(url, {**fields, field: SimpleUploadedFile(name, big)})
        page = text(response)
        assert response.status_code == 200, url
        assert f"Le fichier « {name} » dépasse 64 ko" in page, url
        assert kept in page, url
        body = response.content.decode()
        assert body.index("dépasse 64 ko") > body.index(f'name="{field}"') - 3000, url


def test_a_form_body_over_the_limit_is_explained_in_french(
    cast: Cast, operation: Operation
) -> None:
    url = reverse("operations:edit", args=[operation.pk])
    response = client_for(cast.mo).post(url, {"title": "x" * 3_000_000})
    assert response.status_code == 400
    assert "Le formulaire envoyé dépasse 2,5 Mo de texte" in text(response)
