"""Importing a list of people through the web: upload, check (a dry run), then import.

The uploaded file is kept server-side between the check and the import, in the default file
storage under a random token (``people-imports/<token>.csv``); the user's session maps the token
to the file's name, the user's id and the choice made about matches. Nothing about the rows
travels through the browser: the import reads the same bytes again and checks and matches every
row afresh, so the page a user confirmed can never be swapped for other data. A token from
another session or user is a 404. Files are deleted once imported or cancelled, and any left
behind by an abandoned check are deleted after :data:`KEEP_FOR`.

Only users who may add people (``access.can_create``) may import; others get 403.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import secrets
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socex.core.forms import StyledForm
from socex.people.access import can_create
from socex.people.import_columns import COLUMNS
from socex.people.importing import (
    FileRefused,
    ImportReport,
    parse,
    people_import,
    possible_threshold,
    probable_threshold,
)
from socex.people.spreadsheets import EXTENSIONS, describe_size, max_bytes, max_rows

if TYPE_CHECKING:
    from socex.accounts.models import User

FOLDER = "people-imports"
SESSION_KEY = "people_imports"
RESULT_KEY = "people_import_result"
KEEP_FOR = dt.timedelta(hours=2)
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
MATCH_CHOICES = [
    ("link", "Link the row to that person (recommended)"),
    ("create", "Add the row as a new person anyway"),
]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require_importer(request: HttpRequest) -> None:
    if not can_create(request.user):
        raise PermissionDenied("Only people who can add people to the index may import a list.")


class UploadForm(StyledForm):
    file = forms.FileField(
        label="Upload a file",
        error_messages={"required": "Choose the file with your list of people", "empty": "The chosen file is empty"},
    )
    matches = forms.ChoiceField(
        label="When a row probably matches someone already in the index",
        choices=MATCH_CHOICES,
        initial="link",
        widget=forms.RadioSelect,
        help_text="Linking adds your organisation and any new details to the existing record instead of a duplicate.",
        error_messages={"required": "Choose what to do with probable matches"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"A CSV file saved as UTF-8, or an Excel workbook (.xlsx); at most {describe_size(max_bytes())} "
            f"and {max_rows():,} people"
        )
        self.fields["file"].widget.attrs["accept"] = ",".join(EXTENSIONS)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(
                f"The file is {describe_size(upload.size)}; it must be {describe_size(max_bytes())} or smaller"
            )
        data = upload.read()
        try:
            parse(upload.name, data)  # refuses a bad type, encoding or header now, beside the field
        except FileRefused as refused:
            raise forms.ValidationError(refused.message) from None
        self.cleaned_data["data"] = data
        return upload


# --- keeping the file between the check and the import --------------------------------------------


def _store(request: HttpRequest, file_name: str, data: bytes, link_matches: bool) -> str:
    _delete_stale()
    token = secrets.token_urlsafe(24)
    extension = PurePath(file_name).suffix.lower()
    stored = default_storage.save(f"{FOLDER}/{token}{extension}", ContentFile(data))
    uploads = request.session.get(SESSION_KEY, {})
    uploads[token] = {
        "file_name": PurePath(file_name).name[:200],
        "path": stored,
        "user_id": str(request.user.pk),
        "link_matches": link_matches,
        "uploaded_at": timezone.now().isoformat(),
    }
    request.session[SESSION_KEY] = uploads
    return token


def _upload(request: HttpRequest, token: str) -> dict[str, Any]:
    """The upload this user made in this session under ``token``, with its bytes; else 404."""
    entry = request.session.get(SESSION_KEY, {}).get(token) if TOKEN.match(token) else None
    if entry is None or entry["user_id"] != str(request.user.pk):
        raise Http404("No such upload.")
    try:
        with default_storage.open(entry["path"], "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        _forget(request, token)
        raise Http404("This upload has expired. Upload the file again.") from None
    return {**entry, "data": data}


def _forget(request: HttpRequest, token: str) -> None:
    uploads = request.session.get(SESSION_KEY, {})
    entry = uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads
    if entry is not None:
        default_storage.delete(entry["path"])


def _delete_stale() -> None:
    """Delete uploads older than KEEP_FOR (checks that were never imported or cancelled)."""
    if not default_storage.exists(FOLDER):
        return
    cutoff = timezone.now() - KEEP_FOR
    for name in default_storage.listdir(FOLDER)[1]:
        name_path = f"{FOLDER}/{name}"
        if default_storage.get_modified_time(name_path) < cutoff:
            default_storage.delete(name_path)


# --- pages ---------------------------------------------------------------------------------------


def _columns_context() -> dict[str, Any]:
    return {
        "columns": COLUMNS,
        "max_size": describe_size(max_bytes()),
        "max_rows": max_rows(),
        "probable_percent": round(probable_threshold() * 100),
        "possible_percent": round(possible_threshold() * 100),
    }


@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        token = _store(request, upload.name, form.cleaned_data["data"], form.cleaned_data["matches"] == "link")
        return redirect("people:import_preview", token)
    context = {"page_title": "Import a list of people", "form": form, **_columns_context()}
    return render(request, "people/import_start.html", context)


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([column.name for column in COLUMNS])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="people-import-template.csv"'
    return response


def _preview_page(request: HttpRequest, token: str, upload: dict[str, Any], report: ImportReport) -> HttpResponse:
    context = {
        "page_title": f"Check {upload['file_name']}",
        "token": token,
        "upload": upload,
        "report": report,
        "organisation": _user(request).organisation,
        **_columns_context(),
    }
    return render(request, "people/import_preview.html", context)


def _refused(request: HttpRequest, token: str, refused: FileRefused) -> HttpResponse:
    _forget(request, token)
    messages.error(request, f"The file could not be imported: {refused.message}")
    return redirect("people:import_start")


def _run_import(request: HttpRequest, upload: dict[str, Any], *, dry_run: bool) -> ImportReport:
    """Check (``dry_run``) or import the uploaded file as the signed-in user."""
    return people_import(
        actor=_user(request),
        file_name=upload["file_name"],
        data=upload["data"],
        link_matches=upload["link_matches"],
        dry_run=dry_run,
    )


@require_GET
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    _require_importer(request)
    upload = _upload(request, token)
    try:
        report = _run_import(request, upload, dry_run=True)
    except FileRefused as refused:
        return _refused(request, token, refused)
    return _preview_page(request, token, upload, report)


def _lock_upload(token: str) -> None:
    """Hold a lock on this upload until the transaction ends, so that a second click on the
    button waits for the first import and then finds the upload gone (404) instead of importing
    the file twice. SQLite needs nothing: its transactions begin IMMEDIATE, holding the write lock.
    Only import commits take this lock, always before the audit chain's, so it cannot deadlock."""
    if connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.sha256(f"people-import:{token}".encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


@require_POST
def import_commit(request: HttpRequest, token: str) -> HttpResponse:
    _require_importer(request)
    with transaction.atomic():
        _lock_upload(token)
        upload = _upload(request, token)
        try:
            report = _run_import(request, upload, dry_run=False)
        except FileRefused as refused:
            return _refused(request, token, refused)
        if report.committed:
            _forget(request, token)
    if not report.committed:
        # Something changed since the check (or the file did): show why, and write nothing.
        messages.error(request, "Nothing was imported: the rows below have problems. Fix them and upload again.")
        return _preview_page(request, token, upload, report)
    request.session[RESULT_KEY] = {
        "summary": report.summary(),
        "file_name": report.file_name,
        "rows": [
            {
                "number": row.number,
                "name": row.display_name,
                "linked": row.link,
                "person_id": row.person.pk,
                "reference": row.person.reference,
                "outcome": "Linked to existing person" if row.link else "Added",
            }
            for row in report.rows
            if row.person is not None
        ],
    }
    return redirect("people:import_done")


@require_POST
def import_cancel(request: HttpRequest, token: str) -> HttpResponse:
    _require_importer(request)
    _upload(request, token)
    _forget(request, token)
    messages.success(request, "The upload was cancelled and the file deleted. Nothing was imported.")
    return redirect("people:import_start")


@require_GET
def import_done(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    result = request.session.pop(RESULT_KEY, None)
    if result is None:
        return redirect("people:import_start")
    context = {
        "page_title": f"Imported {result['file_name']}",
        "result": result,
        "search_url": reverse("people:search"),
    }
    return render(request, "people/import_done.html", context)


urlpatterns = [
    path("import/", import_start, name="import_start"),
    path("import/template.csv", import_template, name="import_template"),
    path("import/done/", import_done, name="import_done"),
    path("import/<str:token>/", import_preview, name="import_preview"),
    path("import/<str:token>/commit/", import_commit, name="import_commit"),
    path("import/<str:token>/cancel/", import_cancel, name="import_cancel"),
]
