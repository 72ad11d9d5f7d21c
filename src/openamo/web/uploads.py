"""Files sent by users: limited while they stream in, then checked for what they really are.

Size: the upload handlers (``FILE_UPLOAD_HANDLERS``) count the bytes of each file as they
arrive and, past ``OPENAMO_UPLOAD_MAX_BYTES``, drop what they kept and the rest: an oversized
file is never held whole, and the form says so next to its field, with the rest of what was
typed kept. The web server's own limit (nginx
``client_max_body_size``) stops bodies larger still before they reach Django.

Content: the type is sniffed from the bytes (``filetype``), never trusted from the name or the
browser; office files (OOXML and OpenDocument are zip archives) are opened with a cap on the
bytes really decompressed (archive bombs) and refused when they carry macros (``vbaProject.bin``,
macro-enabled content types, OpenDocument ``Basic/`` or ``Scripts/`` libraries).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

import filetype
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, MemoryFileUploadHandler
from django.core.files.uploadhandler import (
    TemporaryFileUploadHandler as DjangoTemporaryFileUploadHandler,
)

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_ARCHIVE_ENTRIES = 2000
MAX_ARCHIVE_BYTES = 50 * 1024 * 1024
"""What an office file may decompress to, in all: a 5 Mo DOCX of text and images stays far below."""
MAX_ENTRY_RATIO = 200
"""Compressed → decompressed ratio above which an entry of more than 1 Mo is a bomb."""
_CHUNK = 64 * 1024
_MACRO_MARKERS = (b"vbaproject", b"macroenabled", b"vbadata")
_OPENDOCUMENT_MACROS = ("basic/", "scripts/")


def max_bytes() -> int:
    return int(getattr(settings, "OPENAMO_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    if value < 1:
        return f"{size // 1024} ko"
    return f"{value:.1f}".removesuffix(".0").replace(".", ",") + " Mo"  # « 5 Mo », « 2,5 Mo »


if TYPE_CHECKING:
    _Uploaded = UploadedFile[bytes]
else:  # django-stubs' generic is not subscriptable at run time
    _Uploaded = UploadedFile


class RefusedUpload(_Uploaded):
    """What stands for a file that exceeded the limit while it streamed: its name, no content."""

    def __init__(self, name: str, content_type: str, received: int) -> None:
        super().__init__(io.BytesIO(b""), name, content_type, received)
        self.refusal = (
            f"Le fichier « {PurePath(name).name} » dépasse {megabytes(max_bytes())}, la taille "
            "maximale : il n'a pas été reçu. Réduisez-le (PDF compressé, images allégées) ou "
            "découpez-le, puis déposez-le à nouveau."
        )


class _SizeLimit(FileUploadHandler):
    """Counts each file's bytes while they arrive; past the limit, drops what was kept."""

    def new_file(
        self,
        field_name: str,
        file_name: str,
        content_type: str,
        content_length: int | None,
        charset: str | None = None,
        content_type_extra: dict[str, bytes] | None = None,
    ) -> None:
        self.received = 0
        self.exceeded = False
        super().new_file(  # the memory handler stops the chain here
            field_name, file_name, content_type, content_length, charset, content_type_extra
        )  # the memory handler stops the chain here

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.exceeded:
            return None
        if self.received > max_bytes():
            self.exceeded = True
            self.drop()
            return None
        return super().receive_data_chunk(raw_data, start)

    def drop(self) -> None:
        """Forget the bytes kept so far (closing, hence deleting, a temporary file)."""

    def file_complete(self, file_size: int) -> UploadedFile[bytes] | None:
        if self.exceeded:
            return RefusedUpload(
                self.file_name or "fichier", self.content_type or "", self.received
            )
        return super().file_complete(file_size)


class MemoryUploadHandler(_SizeLimit, MemoryFileUploadHandler):
    """Small requests: the file is kept in memory, within the limit."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if not self.activated:
            return raw_data
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int) -> UploadedFile[bytes] | None:
        if not self.activated:
            return None
        return super().file_complete(file_size)

    def drop(self) -> None:
        self.file = io.BytesIO()


class TemporaryFileUploadHandler(_SizeLimit, DjangoTemporaryFileUploadHandler):
    """Larger requests: a temporary file (0600), closed and deleted once the limit is passed."""

    def drop(self) -> None:
        self.file.close()


@dataclass(frozen=True)
class Kind:
    """An accepted file type: the extension(s) users give it and what sniffing finds in it."""

    label: str
    content_type: str
    sniffed: str | None  # filetype's extension; None for plain text (nothing to sniff)
    archive: bool = False


TEXT = Kind("texte", "text/plain", None)
KINDS = {
    ".csv": Kind("CSV", "text/csv", None),
    ".tsv": Kind("CSV", "text/tab-separated-values", None),
    ".txt": TEXT,
    ".json": Kind("JSON", "application/json", None),
    ".pdf": Kind("PDF", "application/pdf", "pdf"),
    ".docx": Kind(
        "DOCX",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        archive=True,
    ),
    ".xlsx": Kind(
        "XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        archive=True,
    ),
    ".odt": Kind("ODT", "application/vnd.oasis.opendocument.text", "odt", archive=True),
    ".ods": Kind("ODS", "application/vnd.oasis.opendocument.spreadsheet", "ods", archive=True),
    ".png": Kind("PNG", "image/png", "png"),
    ".jpg": Kind("JPEG", "image/jpeg", "jpg"),
    ".jpeg": Kind("JPEG", "image/jpeg", "jpg"),
}
_SPREADSHEETS = {"xlsx", "xls", "ods", "zip"}


def received(upload: UploadedFile[bytes]) -> None:
    """Refuse a file the upload handler stopped receiving (too large)."""
    if isinstance(upload, RefusedUpload):
        raise forms.ValidationError(upload.refusal, code="too_large")


def check(upload: UploadedFile[bytes], accepted: set[str], limit: int | None = None) -> bytes:
    """The file's bytes once it is known to be what its extension says, or a French error."""
    received(upload)
    name = PurePath(upload.name or "").name
    suffix = PurePath(name).suffix.lower()
    if suffix not in accepted:
        labels = ", ".join(sorted({KINDS[s].label for s in accepted if s in KINDS}))
        raise forms.ValidationError(
            f"Type de fichier non accepté : déposez un fichier {labels}.", code="type"
        )
    ceiling = min(limit or max_bytes(), max_bytes())
    if (upload.size or 0) > ceiling:
        raise forms.ValidationError(
            f"Le fichier dépasse {megabytes(ceiling)}, la taille maximale.", code="too_large"
        )
    content: bytes = upload.read()
    upload.seek(0)
    kind = KINDS[suffix]
    error = content_error(content, kind, suffix)
    if error:
        raise forms.ValidationError(error, code="content")
    return content


def content_error(content: bytes, kind: Kind, suffix: str) -> str | None:
    """Why these bytes are not a safe file of this kind (None when they are)."""
    found = filetype.guess_extension(content[: 64 * 1024]) if content else None
    if kind.sniffed is None:
        if found in _SPREADSHEETS:
            return (
                "Ce fichier est un classeur (.xlsx ou .ods) : enregistrez-le au format CSV "
                "(« CSV UTF-8 » ou « CSV (séparateur : point-virgule) ») puis déposez-le."
            )
        if found is not None:
            return (
                f"Ce fichier n'est pas un fichier {kind.label} : son contenu est un « .{found} »."
            )
        return None
    if found != kind.sniffed:
        return f"Le contenu du fichier ne correspond pas à son extension « {suffix} »."
    if kind.archive:
        return archive_error(content)
    return None


def archive_error(content: bytes) -> str | None:
    """An office file that would decompress to too much, or that carries macros."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ARCHIVE_ENTRIES:
                return _BOMB
            for entry in entries:
                lowered = entry.filename.lower()
                if any(m.decode() in lowered for m in _MACRO_MARKERS) or lowered.startswith(
                    _OPENDOCUMENT_MACROS
                ):
                    return _MACROS
            total = 0
            for entry in entries:
                size = 0
                with archive.open(entry) as stream:
                    while chunk := stream.read(_CHUNK):
                        size += len(chunk)
                        total += len(chunk)
                        if total > MAX_ARCHIVE_BYTES:
                            return _BOMB
                        if size > 1024 * 1024 and size > MAX_ENTRY_RATIO * max(
                            entry.compress_size, 1
                        ):
                            return _BOMB
                if entry.filename == "[Content_Types].xml" and _has_macro_type(archive, entry):
                    return _MACROS
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
        return "Ce fichier est endommagé : il ne s'ouvre pas. Enregistrez-le à nouveau."
    except RuntimeError:  # an encrypted entry
        return "Ce fichier est protégé par un mot de passe : déposez-le sans protection."
    return None


def _has_macro_type(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    declared = archive.read(entry).lower()
    return any(marker in declared for marker in _MACRO_MARKERS)


_BOMB = (
    "Ce fichier compressé se décompresse en un volume anormal (bombe de décompression) : il est "
    "refusé. Enregistrez à nouveau le document depuis votre traitement de texte ou tableur."
)
_MACROS = (
    "Ce document contient des macros : il est refusé (elles peuvent exécuter du code chez qui "
    "l'ouvre). Enregistrez-le sans macros (.docx, .xlsx, .odt, .ods) puis déposez-le."
)
