"""My referrals, one referral's page and the referrals dashboard.

Lists start from ``Referral.objects.visible_to`` and their filters are audited as searches; one
referral comes through ``get_referral_for`` (404 if not visible; the read is audited).
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET

from socex.audit.listing import audited_filtered_page
from socex.cases.models import Case
from socex.referrals.access import RECORD_TYPE, can_refer, can_triage, can_use_referrals, get_referral_for
from socex.referrals.dashboard import Period, over_time
from socex.referrals.forms import MineFilterForm
from socex.referrals.models import Referral, ReferralStatus
from socex.referrals.views.common import answers_context, current_user


def _require_referrals(request: HttpRequest) -> None:
    if not can_use_referrals(request.user):
        raise PermissionDenied("Your roles do not include referrals.")


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The navigation entry: the queue for hub staff, My referrals for referrers."""
    _require_referrals(request)
    return redirect("referrals:queue" if can_triage(request.user) else "referrals:mine")


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The referrals the user's organisation made (and the user's own drafts), newest first."""
    _require_referrals(request)
    user = current_user(request)
    form = MineFilterForm(request.GET or None, user=user)
    items = (
        Referral.objects.visible_to(user)
        .filter(referrer_agency_id=user.organisation_id)
        .select_related("referrer", "case")
        .prefetch_related("subjects__person")
        .order_by("-created_at")
    )
    context = audited_filtered_page(request, form, items, record_type=RECORD_TYPE)
    context.update(page_title="My referrals", can_refer=can_refer(user))
    return render(request, "referrals/mine.html", context)


@require_GET
def detail(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    referral = get_referral_for(request.user, pk=referral_id)
    case_visible = (
        referral.case_id is not None and Case.objects.visible_to(request.user).filter(pk=referral.case_id).exists()
    )
    context = {
        **answers_context(referral),
        "page_title": referral.reference or "Draft referral",
        "case_visible": case_visible,
        "can_triage": can_triage(request.user) and referral.status == ReferralStatus.SUBMITTED,
        "is_author": referral.referrer_id == request.user.pk,
    }
    return render(request, "referrals/detail.html", context)


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_referrals(request)
    period: Period = "month" if request.GET.get("period") == "month" else "week"
    user = current_user(request)
    context = {
        "page_title": "Referrals dashboard",
        "period": period,
        "figures": over_time(user, period),
        "sees_all": can_triage(user),
    }
    return render(request, "referrals/dashboard.html", context)


urlpatterns = [
    path("", index, name="index"),
    path("mine/", mine, name="mine"),
    path("dashboard/", dashboard, name="dashboard"),
    path("<uuid:referral_id>/", detail, name="detail"),
]
