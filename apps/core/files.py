"""Uploaded evidence files: check what a file really is, store it, and serve it back privately.

A producer's dossier holds 300–500 pages of evidence. Every upload goes through three steps:

    checked = upload_check(file=upload)  # by content, not by name; raises INVALID_FILE
    with stored_file_or_cleanup(checked=checked, file=upload, prefix="dossiers") as name:
        with transaction.atomic(durable=True):
            DossierFile.objects.create(
                dossier=dossier, storage_name=name, original_name=checked.original_name,
                content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
            )

Object stores are not transactional, so the object is written first and the row second, in a
transaction of its own. If anything inside the `with` raises (a constraint, a validation error, a
lost connection), the stored object is deleted again and the exception goes on: a failed or refused
upload leaves neither a row nor an orphan object. `durable=True` makes Django refuse to run the
block inside an outer transaction (ATOMIC_REQUESTS, a service's `@transaction.atomic`), where a
later rollback would drop the row after the cleanup had already passed.

Serving: a view checks the user's right to the dossier first, then returns `file_response(...)`.
Files go through `storages["default"]`: the local file system under MEDIA_ROOT, or an S3-compatible
server when OCOP_STORAGE=s3 (see the "Files" block of the settings).
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any, NoReturn
from urllib.parse import quote

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from apps.core.exceptions import ApplicationError, ErrorCode

logger = logging.getLogger(__name__)

_CHUNK = 64 * 1024
_MAX_ZIP_ENTRIES = 10_000  # a 500-page DOCX has a few hundred parts
_MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class _Kind:
    content_type: str
    extension: str  # canonical, no dot
    extensions: frozenset[str]  # what a file name of this kind may end in
    label: str  # shown to the user


PDF = _Kind("application/pdf", "pdf", frozenset({"pdf"}), "PDF")
JPEG = _Kind("image/jpeg", "jpg", frozenset({"jpg", "jpeg"}), "JPEG")
PNG = _Kind("image/png", "png", frozenset({"png"}), "PNG")
DOCX = _Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    frozenset({"docx"}),
    "Word (DOCX)",
)
XLSX = _Kind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
    frozenset({"xlsx"}),
    "Excel (XLSX)",
)
ACCEPTED_KINDS = (PDF, JPEG, PNG, DOCX, XLSX)

_MAGIC = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or an empty archive
# OLE2 compound file: legacy .doc/.xls, and also what Office writes for a password-protected DOCX.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEAD = 16  # bytes kept from the start of the file for the checks above


@dataclass(frozen=True)
class CheckedUpload:
    """What `upload_check` found: a file whose content matches its name and the limits."""

    content_type: str
    extension: str  # canonical, without the dot: pdf, jpg, png, docx, xlsx
    size: int
    sha256: str  # hex
    original_name: str  # the client's file name, cleaned: metadata for display, never a path


def upload_check(*, file: IO[bytes] | File, max_bytes: int | None = None) -> CheckedUpload:
    """Accept only PDF, JPEG, PNG, DOCX and XLSX, told apart by their bytes, not their names.

    The file is read once, in chunks, for its size and SHA-256; a DOCX/XLSX is then opened as a
    ZIP and each part is inflated once (bounded) to prove it is whole. The declared extension must
    agree with the content. `max_bytes` defaults to settings.OCOP_UPLOAD_MAX_BYTES. The file is
    left rewound. Raises ApplicationError(INVALID_FILE) with extra {"key": "file", "reason",
    "detected", "declared"}.
    """
    if max_bytes is None:
        max_bytes = settings.OCOP_UPLOAD_MAX_BYTES
    if not isinstance(file, File):
        file = File(file, name=getattr(file, "name", None))
    original_name = clean_filename(file.name or "")
    declared = _extension_of(original_name)

    known_size = _known_size(file)
    if known_size is not None and known_size > max_bytes:
        _refuse_too_large(max_bytes, declared)

    digest = hashlib.sha256()
    size = 0
    head = b""
    for chunk in file.chunks(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            _refuse_too_large(max_bytes, declared)
        digest.update(chunk)
        if len(head) < _HEAD:
            head += chunk[: _HEAD - len(head)]
    if size == 0:
        _refuse("empty", _("The file is empty."), declared=declared)

    kind = _detect(head, file, declared=declared)
    if declared not in kind.extensions:
        if declared:
            message = _(
                "The file name ends in “.%(declared)s” but the file is a %(detected)s file."
            ) % {"declared": declared, "detected": kind.label}
        else:
            message = _(
                "The file name has no extension; a %(detected)s file must end in “.%(extension)s”."
            ) % {"detected": kind.label, "extension": kind.extension}
        _refuse("mismatch", message, detected=kind.extension, declared=declared)

    file.seek(0)
    return CheckedUpload(
        content_type=kind.content_type,
        extension=kind.extension,
        size=size,
        sha256=digest.hexdigest(),
        original_name=original_name,
    )


def _detect(head: bytes, file: File, *, declared: str) -> _Kind:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(_ZIP_MAGIC):
        return _detect_ooxml(file, declared=declared)
    if head.startswith(_OLE_MAGIC):
        _refuse(
            "ole",
            _(
                "Password-protected documents and old Word/Excel files (.doc, .xls) are not "
                "accepted; save the file as .docx or .xlsx without a password."
            ),
            detected="ole",
            declared=declared,
        )
    _refuse(
        "type",
        _("This file type is not accepted. Upload a PDF, JPEG, PNG, DOCX or XLSX file."),
        detected=_sniff_unknown(head),
        declared=declared,
    )


def _detect_ooxml(file: File, *, declared: str) -> _Kind:
    """Tell DOCX from XLSX from any other ZIP; refuse encrypted, damaged and inflating archives."""
    limit = settings.OCOP_UPLOAD_MAX_UNZIPPED_BYTES
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            if len(entries) > _MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > limit:
                _refuse_zip_bomb(limit, declared)
            if any(entry.flag_bits & 0x1 for entry in entries):
                _refuse(
                    "encrypted",
                    _(
                        "The document is password-protected or encrypted; "
                        "upload it without a password."
                    ),
                    detected="zip",
                    declared=declared,
                )
            names = {entry.filename for entry in entries}
            kind = None
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    kind = DOCX
                elif "xl/workbook.xml" in names:
                    kind = XLSX
            if kind is None:
                _refuse(
                    "not_office",
                    _("The file is a ZIP archive but not a Word (DOCX) or Excel (XLSX) document."),
                    detected="zip",
                    declared=declared,
                )
            content_types = archive.read("[Content_Types].xml")
            if b"macroEnabled" in content_types or any(
                name.lower().endswith("vbaproject.bin") for name in names
            ):
                _refuse(
                    "macro",
                    _("Documents with macros are not accepted."),
                    detected=kind.extension,
                    declared=declared,
                )
            # Inflate every part once: zipfile checks each CRC and stops at the declared size,
            # so a damaged archive fails here and the work is bounded by `limit`.
            inflated = 0
            for entry in entries:
                with archive.open(entry) as part:
                    while chunk := part.read(_CHUNK):
                        inflated += len(chunk)
                        if inflated > limit:
                            _refuse_zip_bomb(limit, declared)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        # zipfile raises it for a compression method it cannot read (e.g. type 99, AES)
        NotImplementedError,
        ValueError,
        OSError,
    ) as exc:
        logger.info("Refused a damaged ZIP upload: %s", exc)
        _refuse(
            "damaged",
            _("The document is damaged and cannot be opened."),
            detected="zip",
            declared=declared,
        )
    finally:
        file.seek(0)
    return kind


def _sniff_unknown(head: bytes) -> str | None:
    """A hint for the logs and the error's `extra`, for a few formats people rename."""
    text = head.lstrip().lower()
    if head.startswith(b"MZ"):
        return "exe"
    if head.startswith(b"\x7fELF"):
        return "elf"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")):
        return "html"
    if text.startswith((b"<?xml", b"<svg")):
        return "xml"
    return None


def _known_size(file: File) -> int | None:
    try:
        return file.size
    except (AttributeError, OSError, TypeError):
        return None


def _refuse(
    reason: str, message: str, *, detected: str | None = None, declared: str = "", **extra: Any
) -> NoReturn:
    raise ApplicationError(
        ErrorCode.INVALID_FILE,
        message,
        extra={
            "key": "file",
            "reason": reason,
            "detected": detected,
            "declared": declared,
            **extra,
        },
    )


def _refuse_too_large(max_bytes: int, declared: str) -> NoReturn:
    _refuse(
        "too_large",
        _("The file is larger than %(limit)s MB.") % {"limit": _megabytes(max_bytes)},
        declared=declared,
        max_bytes=max_bytes,
    )


def _refuse_zip_bomb(limit: int, declared: str) -> NoReturn:
    _refuse(
        "zip_bomb",
        _("The document expands to more than %(limit)s MB when unpacked.")
        % {"limit": _megabytes(limit)},
        detected="zip",
        declared=declared,
    )


def _megabytes(n: int) -> str:
    """20971520 -> "20"; 512000 -> "0,49" in Vietnamese (decimal comma)."""
    value = round(n / 1024**2, 2)
    return number_format(int(value) if value == int(value) else value)


# --- names --------------------------------------------------------------------------------------
def clean_filename(name: str) -> str:
    """The last path component of a client's file name, NFC, without control characters.

    For display and for Content-Disposition only: a stored object's path never contains it.
    macOS sends Vietnamese names decomposed (NFD); NFC makes "Hồ sơ" compare and sort as typed.
    """
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C")).strip()
    if name in {".", ".."}:
        return ""
    if len(name) > _MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        keep = _MAX_NAME_LENGTH - len(ext) - 1 if dot and len(ext) <= 10 else _MAX_NAME_LENGTH
        name = f"{stem[:keep]}.{ext}" if dot and len(ext) <= 10 else name[:keep]
    return name


def _extension_of(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def _ascii_fallback(name: str) -> str:
    """ "Hồ sơ Đăk Lăk.pdf" -> "Ho so Dak Lak.pdf", for clients that ignore filename*."""
    name = name.replace("đ", "d").replace("Đ", "D")
    name = unicodedata.normalize("NFKD", name)
    name = "".join(ch for ch in name if not unicodedata.combining(ch))
    name = name.encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^A-Za-z0-9 ._()\-]", "_", name).strip(" .")
    return name or "file"


def content_disposition(filename: str, *, as_attachment: bool = True) -> str:
    """A Content-Disposition value for any file name (RFC 6266, filename* per RFC 8187/5987)."""
    kind = "attachment" if as_attachment else "inline"
    name = clean_filename(filename) or "file"
    fallback = _ascii_fallback(name)
    value = f'{kind}; filename="{fallback}"'
    if fallback != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value


# --- storage ------------------------------------------------------------------------------------
_PREFIX = re.compile(r"[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_-]*)*\Z")


def stored_file_save(*, checked: CheckedUpload, file: IO[bytes] | File, prefix: str) -> str:
    """Store a checked upload under `<prefix>/<yyyy>/<mm>/<uuid>.<ext>`; return the storage name.

    Nothing the client sent becomes part of the path: the prefix comes from code, the rest is a
    random UUID and the detected extension. The original name stays in `checked.original_name`
    for the caller's row. A UUID, not the SHA-256, names the object: two rows may hold the same
    bytes, and deleting one's object on cleanup must never remove the other's.
    """
    if not _PREFIX.match(prefix):
        raise ValueError(f"Storage prefix must be lower-case path segments, not {prefix!r}")
    name = f"{prefix}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{checked.extension}"
    # A plain File wrapper: copied (not moved) from a temporary upload, and its content type is
    # the detected one, never the one the client declared (S3 stores it as the object's type).
    content = File(file, name=name)
    content.content_type = checked.content_type
    content.seek(0)
    try:
        return storages["default"].save(name, content, max_length=255)
    except OSError as exc:
        # Disk full, quota, permissions, an unreachable S3 server (botocore's errors are not
        # OSErrors and go on as they are). The local storage leaves nothing behind
        # (apps/core/storage.py); the caller's previous version is untouched.
        logger.exception("Could not store %s", name)
        raise ApplicationError(
            ErrorCode.STORAGE_FAILED,
            _(
                "The file could not be stored (the server's storage is full or unavailable). "
                "Nothing was changed; try again later."
            ),
            extra={"key": "file", "errno": exc.errno},
        ) from exc


def stored_file_delete(*, storage_name: str) -> None:
    """Delete a stored object; a name that is already gone is not an error."""
    storages["default"].delete(storage_name)


@contextmanager
def stored_file_or_cleanup(
    *, checked: CheckedUpload, file: IO[bytes] | File, prefix: str
) -> Iterator[str]:
    """Store the file, yield its storage name; if the block raises, delete the object again.

    Create the row inside the block, in `transaction.atomic(durable=True)` (see the module doc).
    """
    storage_name = stored_file_save(checked=checked, file=file, prefix=prefix)
    try:
        yield storage_name
    except BaseException:
        try:
            stored_file_delete(storage_name=storage_name)
        except Exception:  # the original error matters more; a sweep can find the orphan
            logger.exception("Could not delete %s after a failed upload", storage_name)
        raise


# --- serving ------------------------------------------------------------------------------------
def file_response(
    *, storage_name: str, filename: str, content_type: str, as_attachment: bool = True
) -> FileResponse:
    """Stream a stored private file to the browser. The caller has already checked the right.

    `filename` is the original (Vietnamese) name shown in the save dialog; `content_type` the one
    `upload_check` detected. The response is never cached and never content-sniffed. Raises Http404
    when the object is missing.
    """
    storage = storages["default"]
    try:
        stored = storage.open(storage_name, "rb")
        s3_object = getattr(stored, "obj", None)
        if s3_object is not None:
            # django-storages' S3File would download the whole object into a spooled temp file
            # first; stream the body from S3 instead.
            got = s3_object.get()
            stored.close()
            stream, length = got["Body"], got["ContentLength"]
        else:
            stream, length = stored, None
    except Exception as exc:
        if _is_missing(exc):
            raise Http404(storage_name) from exc
        raise

    response = FileResponse(stream, content_type=content_type)
    response.block_size = _CHUNK
    if length is not None:
        response["Content-Length"] = str(length)
    response["Content-Disposition"] = content_disposition(filename, as_attachment=as_attachment)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    add_never_cache_headers(response)  # Cache-Control: ..., no-store, private
    return response


def _is_missing(exc: Exception) -> bool:
    if isinstance(exc, FileNotFoundError):
        return True
    error = getattr(exc, "response", None)  # botocore ClientError
    if isinstance(error, dict):
        code = str(error.get("Error", {}).get("Code", ""))
        return code in {"404", "NoSuchKey", "NotFound"}
    return False
