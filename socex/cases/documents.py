"""Checking and storing the files uploaded to cases.

A file is accepted only when all three agree: its name ends in an allowed extension, its first
bytes are what a file of that kind starts with (its "magic bytes"), and it is no larger than
``SOCEX_CASE_DOCUMENT_MAX_MB``. The name is never trusted for where the file is kept: each is
stored under a random name in a folder the web server does not publish
(``SOCEX_CASE_DOCUMENTS_DIR``), and leaves only through the case's download view.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage

from socex.cases import conf


@dataclass(frozen=True)
class Kind:
    extension: str
    label: str
    content_type: str


KINDS: dict[str, Kind] = {
    "pdf": Kind("pdf", "PDF", "application/pdf"),
    "docx": Kind("docx", "Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": Kind("xlsx", "Excel spreadsheet", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "jpg": Kind("jpg", "JPEG image", "image/jpeg"),
    "png": Kind("png", "PNG image", "image/png"),
    "txt": Kind("txt", "text file", "text/plain; charset=utf-8"),
}
ALIASES = {"jpeg": "jpg"}
ALLOWED_TEXT = "a PDF, Word (.docx), Excel (.xlsx), JPEG, PNG or text (.txt) file"
HEAD_BYTES = 8192


def storage() -> FileSystemStorage:
    """The private document store (read afresh, so tests and deployments can move it)."""
    return FileSystemStorage(location=conf.documents_dir(), base_url=None, file_permissions_mode=0o600)


def extension_of(name: str) -> str:
    suffix = PurePath(name).suffix.lower().lstrip(".")
    return ALIASES.get(suffix, suffix)


def _zip_member(content: IO[bytes], member: str) -> bool:
    content.seek(0)
    try:
        with zipfile.ZipFile(content) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        content.seek(0)


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The head may end part-way through a character: only a break before the last 3 bytes counts.
        return error.start >= len(head) - 3
    return True


def sniff(content: IO[bytes]) -> str | None:
    """The kind the content is, from its first bytes (None: none of the allowed kinds)."""
    content.seek(0)
    head = content.read(HEAD_BYTES)
    content.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        if _zip_member(content, "word/document.xml"):
            return "docx"
        if _zip_member(content, "xl/workbook.xml"):
            return "xlsx"
        return None
    if head and _looks_like_text(head):
        return "txt"
    return None


def check_upload(*, name: str, size: int, content: IO[bytes]) -> Kind:
    """The kind of an upload, or a ``ValidationError`` on ``file`` saying what is wrong and how to fix it."""
    limit_mb = conf.document_max_mb()
    if size <= 0:
        raise ValidationError({"file": "The selected file is empty. Choose a file that has something in it."})
    if size > limit_mb * 1024 * 1024:
        raise ValidationError({"file": f"The selected file must be smaller than {limit_mb} MB."})
    extension = extension_of(name)
    if extension not in KINDS:
        shown = f".{extension} file" if extension else "file without an extension"
        raise ValidationError({"file": f"The selected file is a {shown}. It must be {ALLOWED_TEXT}."})
    found = sniff(content)
    if found != extension:
        what = f"a {KINDS[found].label}" if found else "not a kind of file we accept"
        raise ValidationError(
            {
                "file": f"The selected file's name ends in .{extension} but its content is {what}. "
                f"Upload the file in its real format, with the right extension: {ALLOWED_TEXT}."
            }
        )
    return KINDS[extension]


def digest(content: IO[bytes]) -> str:
    content.seek(0)
    sha = hashlib.sha256()
    for chunk in iter(lambda: content.read(1024 * 1024), b""):
        sha.update(chunk)
    content.seek(0)
    return sha.hexdigest()


def as_file(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)
