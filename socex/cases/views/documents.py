"""Uploading documents to a case and downloading them.

A download is served only here, after ``get_case_for`` (404 for anyone who may not see the case)
and ``get_document_for`` (which audits the read), as an attachment the browser must not sniff.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from socex.cases import documents, services
from socex.cases.access import can_contribute, get_case_for, get_document_for
from socex.cases.forms import DocumentForm
from socex.cases.views.common import case_url, user_of
from socex.core.forms import add_service_errors


@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id)
    if not can_contribute(request.user, case):
        raise PermissionDenied("Only people whose agency is on this case can add documents to it.")
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_add(
                actor=user_of(request), case=case, upload=form.cleaned_data["file"], title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Document added to {case.reference}: {document.title}.")
            return redirect(case_url(case, "documents"))
    context = {"page_title": "Add a document", "case": case, "form": form, "button": "Upload document", "upload": True}
    return render(request, "cases/simple_form.html", context)


@require_GET
def document_download(request: HttpRequest, case_id: int, document_id: str) -> FileResponse:
    case = get_case_for(request.user, case_id)
    document = get_document_for(request.user, case, document_id)
    store = documents.storage()
    if not store.exists(document.stored_name):
        raise Http404("The file is missing from the document store.")
    response = FileResponse(
        store.open(document.stored_name, "rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


urlpatterns = [
    path("<int:case_id>/documents/add/", document_add, name="document_add"),
    path("<int:case_id>/documents/<uuid:document_id>/", document_download, name="document_download"),
]
