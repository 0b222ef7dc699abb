"""Sharing pages: the ledger, one share, revoking, CSV export, legal bases, and the share form
other apps put on their record pages (:func:`share_record_view`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socex.audit.access import can_read_audit
from socex.audit.listing import audited_csv, audited_filtered_page
from socex.core.templatetags.socex import uk_date
from socex.sharing import services
from socex.sharing.access import (
    MANAGE,
    VIEW_ALL,
    can_manage_legal_bases,
    can_use_ledger,
    get_legal_basis_for,
    get_share_for,
)
from socex.sharing.forms import LegalBasisForm, NewLegalBasisForm, RevokeForm, ShareFilterForm, ShareForm
from socex.sharing.models import LegalBasis, Share

if TYPE_CHECKING:
    from socex.accounts.models import User

SHARE_TYPE = "sharing.share"
CSV_HEADER = [
    "Reference", "Record type", "Record id", "Record", "Shared with", "Legal basis", "What was shared",
    "Shared by", "Sharing organisation", "Shared on", "Last day", "Status", "Revoked on", "Revoked by",
    "Reason for revoking",
]  # fmt: skip


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require_ledger(request: HttpRequest) -> None:
    if not can_use_ledger(request.user):
        raise PermissionDenied("Your roles do not include the sharing ledger.")


def _shares(request: HttpRequest) -> Any:
    return Share.objects.visible_to(request.user).select_related(
        "content_type", "organisation", "legal_basis", "shared_by", "shared_by_organisation"
    )


@require_GET
def share_list(request: HttpRequest) -> HttpResponse:
    _require_ledger(request)
    form = ShareFilterForm(request.GET or None, user=_user(request))
    context = {
        "page_title": "Sharing ledger",
        **audited_filtered_page(request, form, _shares(request), record_type=SHARE_TYPE),
        "can_manage_legal_bases": can_manage_legal_bases(request.user),
        "sees_all": _user(request).has_cap(VIEW_ALL),
    }
    return render(request, "sharing/share_list.html", context)


@require_GET
def share_detail(request: HttpRequest, share_id: str) -> HttpResponse:
    share = get_share_for(request.user, share_id)
    context = {
        "page_title": f"Share {share.reference}",
        "share": share,
        "can_revoke": share.revoked_at is None and Share.objects.editable_by(request.user).filter(pk=share.pk).exists(),
        "can_audit": can_read_audit(request.user),
    }
    return render(request, "sharing/share_detail.html", context)


@require_http_methods(["GET", "POST"])
def share_revoke(request: HttpRequest, share_id: str) -> HttpResponse:
    share = get_share_for(request.user, share_id, need="edit")
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.share_revoke(actor=_user(request), share=share, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Share {share.reference} revoked: {share.organisation} can no longer see it.")
            return redirect("sharing:detail", share.pk)
    return render(request, "sharing/share_revoke.html", {"page_title": "Revoke share", "share": share, "form": form})


def _csv_row(share: Share) -> list[Any]:
    revoked_on = timezone.localtime(share.revoked_at).isoformat() if share.revoked_at else ""
    return [
        share.reference, share.record_type, share.object_id, share.object_repr, share.organisation.name,
        share.legal_basis.title, share.scope, share.shared_by.email, share.shared_by_organisation.name,
        timezone.localtime(share.shared_at).isoformat(), share.until.isoformat(), share.status, revoked_on,
        share.revoked_by.email if share.revoked_by else "", share.revoke_reason,
    ]  # fmt: skip


@require_GET
def share_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    _require_ledger(request)
    form = ShareFilterForm(request.GET or None, user=_user(request))
    if form.is_bound and not form.is_valid():
        return redirect(f"{reverse('sharing:list')}?{request.GET.urlencode()}")
    shares = form.filter(_shares(request).select_related("revoked_by")).order_by("shared_at")
    return audited_csv(
        filename=f"sharing-ledger-{timezone.localdate():%Y-%m-%d}.csv",
        header=CSV_HEADER,
        rows=(_csv_row(share) for share in shares.iterator(chunk_size=1000)),
        count=shares.count(),
        record_type=SHARE_TYPE,
        filters=form.terms(),
    )


def share_record_view(
    request: HttpRequest, obj: models.Model, *, back_url: str, template: str = "sharing/share_form.html"
) -> HttpResponse:
    """Show and handle the "share this record" form for ``obj``; on success go to ``back_url``.

    How another app puts sharing on its record pages: fetch the record through that app's
    access function (the user must be allowed to see it), then hand it over, e.g. in
    ``socex/cases/views.py``::

        @require_http_methods(["GET", "POST"])
        def case_share(request, case_id):
            case = get_case_for(request.user, case_id, need="edit")
            return share_record_view(request, case, back_url=reverse("cases:detail", args=[case.pk]))

    with ``path("<uuid:case_id>/share/", views.case_share, name="share")`` in its urls.py. The
    form lists active organisations other than the user's own and the active legal bases,
    and the record's shares in force that the user may see in the ledger; ``share_grant``
    checks everything and writes the ledger entry and the audit event. Users
    without ``sharing.manage`` get 403. ``shares_for(case)`` lists the record's shares.
    """
    user = _user(request)
    if not user.has_cap(MANAGE):
        raise PermissionDenied("You need the sharing.manage capability to share records.")
    form = ShareForm(request.POST or None, sharer=user.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            share = services.share_grant(actor=user, obj=obj, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Shared with {share.organisation} until {uk_date(share.until)} ({share.reference})."
            )
            return redirect(back_url)
    context = {
        "page_title": "Share this record",
        "form": form,
        "record": obj,
        "back_url": back_url,
        # Only the shares this user may see in the ledger: a share between two other
        # organisations is not confirmed to exist here either.
        "current_shares": services.shares_for(obj)
        .visible_to(user)
        .active()
        .select_related("organisation", "legal_basis"),
        "legal_bases": LegalBasis.objects.active(),
    }
    return render(request, template, context)


# --- Legal bases (users.manage) ------------------------------------------------------------------


def _require_legal_basis_manager(request: HttpRequest) -> None:
    if not can_manage_legal_bases(request.user):
        raise PermissionDenied("Only administrators can manage the legal bases for sharing.")


@require_GET
def legal_basis_list(request: HttpRequest) -> HttpResponse:
    _require_legal_basis_manager(request)
    context = {"page_title": "Legal bases for sharing", "legal_bases": LegalBasis.objects.visible_to(request.user)}
    return render(request, "sharing/legal_basis_list.html", context)


@require_http_methods(["GET", "POST"])
def legal_basis_create(request: HttpRequest) -> HttpResponse:
    _require_legal_basis_manager(request)
    form = NewLegalBasisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            legal_basis = services.legal_basis_create(actor=_user(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Added the legal basis “{legal_basis}”.")
            return redirect("sharing:legal_bases")
    return render(request, "sharing/legal_basis_form.html", {"page_title": "Add a legal basis", "form": form})


@require_http_methods(["GET", "POST"])
def legal_basis_edit(request: HttpRequest, legal_basis_id: int) -> HttpResponse:
    legal_basis = get_legal_basis_for(request.user, legal_basis_id, need="edit")
    initial = {"title": legal_basis.title, "description": legal_basis.description}
    form = LegalBasisForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_basis_update(actor=_user(request), legal_basis=legal_basis, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved the legal basis “{legal_basis}”.")
            return redirect("sharing:legal_bases")
    context = {"page_title": "Change a legal basis", "form": form, "legal_basis": legal_basis}
    return render(request, "sharing/legal_basis_form.html", context)


@require_POST
def legal_basis_set_active(request: HttpRequest, legal_basis_id: int) -> HttpResponse:
    legal_basis = get_legal_basis_for(request.user, legal_basis_id, need="edit")
    active = request.POST.get("active") == "1"
    services.legal_basis_set_active(actor=_user(request), legal_basis=legal_basis, active=active)
    state = "offered for new shares again" if active else "no longer offered for new shares"
    messages.success(request, f"“{legal_basis}” is {state}.")
    return redirect("sharing:legal_bases")
