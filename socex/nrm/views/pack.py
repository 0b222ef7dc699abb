"""The referral pack: the Home Office form's questions with drafted answers, the officer's own
answers page by page, the chronology entries to quote, and the text and PDF exports (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from socex.audit.listing import audited_file
from socex.core.forms import add_service_errors
from socex.nrm import services
from socex.nrm.access import REFERRAL_RECORD, get_referral_for
from socex.nrm.form_vocab import form_pages
from socex.nrm.forms import ChronologyPickForm, pack_page_form
from socex.nrm.models import NrmReferral
from socex.nrm.pack import build_pack, chronology_for, drafts, pack_pdf, pack_text
from socex.nrm.views.common import can_edit, user_of


def _case_entries(request: HttpRequest, referral: NrmReferral) -> list[Any]:
    from socex.cases.models import ChronologyEntry

    if referral.case_id is None:
        return []
    return list(
        ChronologyEntry.objects.visible_to(request.user).filter(case_id=referral.case_id).order_by("occurred_at")
    )


@require_http_methods(["GET", "POST"])
def pack_view(request: HttpRequest, pk: str) -> HttpResponse:
    referral = get_referral_for(request.user, need="edit" if request.method == "POST" else "view", pk=pk)
    entries = _case_entries(request, referral)
    form = ChronologyPickForm(
        request.POST or None, entries=entries, initial={"entries": [str(i) for i in referral.pack_chronology]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pack_chronology_set(
                actor=user_of(request), referral=referral, entry_ids=[int(i) for i in form.cleaned_data["entries"]]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved the chronology entries for the pack.")
            return redirect("nrm:pack", referral.pk)
    context = {
        "page_title": f"Referral pack: {referral.reference}",
        "referral": referral,
        "pack": build_pack(referral, user_of(request)),
        "form": form if entries else None,
        "can_edit": can_edit(request, referral),
    }
    return render(request, "nrm/pack.html", context)


@require_http_methods(["GET", "POST"])
def pack_page_edit(request: HttpRequest, pk: str, page: str) -> HttpResponse:
    referral = get_referral_for(request.user, need="edit", pk=pk)
    found = next((p for p in form_pages() if p.key == page), None)
    if found is None:
        raise Http404("No such page of the form.")
    drafted = drafts(referral, chronology_for(referral, user_of(request)))
    initial = {q.field: referral.pack_answers.get(q.field, drafted.get(q.field, ("", ""))[0]) for q in found.questions}
    form = pack_page_form(found, initial, request.POST or None)
    if request.method == "POST" and form.is_valid():
        answers = {}
        for question in found.questions:
            value = form.cleaned_data.get(question.field)
            draft = drafted.get(question.field, ("", ""))[0]
            # Keep only what differs from the draft, so the draft follows later changes to the referral.
            answers[question.field] = "" if value == draft else value
        services.pack_answers_save(actor=user_of(request), referral=referral, answers=answers)
        messages.success(request, f"Saved your answers to '{found.header}'.")
        return redirect(f"{reverse('nrm:pack', args=[referral.pk])}#page-{found.key}")
    context = {"page_title": found.header, "form": form, "referral": referral, "page": found}
    return render(request, "nrm/pack_page.html", context)


def _export(request: HttpRequest, pk: str) -> tuple[NrmReferral, Any]:
    referral = get_referral_for(request.user, pk=pk)
    return referral, build_pack(referral, user_of(request))


@require_GET
def pack_text_export(request: HttpRequest, pk: str) -> HttpResponse:
    referral, pack = _export(request, pk)
    return audited_file(
        content=pack_text(pack, user_of(request)).encode("utf-8"),
        filename=f"{referral.reference}-referral-pack.txt",
        content_type="text/plain; charset=utf-8",
        record_type=REFERRAL_RECORD,
        count=pack.question_count,
        obj=referral,
    )


@require_GET
def pack_pdf_export(request: HttpRequest, pk: str) -> HttpResponse:
    referral, pack = _export(request, pk)
    return audited_file(
        content=pack_pdf(pack, user_of(request)),
        filename=f"{referral.reference}-referral-pack.pdf",
        content_type="application/pdf",
        record_type=REFERRAL_RECORD,
        count=pack.question_count,
        obj=referral,
    )


urlpatterns = [
    path("referrals/<uuid:pk>/pack/", pack_view, name="pack"),
    path("referrals/<uuid:pk>/pack/<slug:page>/", pack_page_edit, name="pack_page"),
    path("referrals/<uuid:pk>/pack.txt", pack_text_export, name="pack_text"),
    path("referrals/<uuid:pk>/pack.pdf", pack_pdf_export, name="pack_pdf"),
]
