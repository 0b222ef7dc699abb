"""The first responder list: who may make NRM referrals. Administrators change it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socex.core.access import get_for
from socex.core.forms import add_service_errors
from socex.nrm import rules, services
from socex.nrm.access import can_manage_first_responders, can_use_nrm
from socex.nrm.forms import FirstResponderAddForm
from socex.nrm.models import FirstResponder
from socex.nrm.views.common import user_of


@require_GET
def first_responder_list(request: HttpRequest) -> HttpResponse:
    if not (can_use_nrm(request.user) or can_manage_first_responders(request.user)):
        raise PermissionDenied("Your roles do not include NRM referrals.")
    entries = FirstResponder.objects.visible_to(request.user).select_related("organisation")
    context = {
        "page_title": "First responder list",
        "entries": entries,
        "labels": dict(rules.first_responder_types()),
        "version": rules.first_responder_list()["version"],
        "source": rules.first_responder_list()["source"],
        "can_change": can_manage_first_responders(request.user),
    }
    return render(request, "nrm/first_responders.html", context)


@require_http_methods(["GET", "POST"])
def first_responder_add_view(request: HttpRequest) -> HttpResponse:
    if not can_manage_first_responders(request.user):
        raise PermissionDenied("Only administrators change the first responder list.")
    form = FirstResponderAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.first_responder_add(actor=user_of(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['organisation']} is now on the first responder list.")
            return redirect("nrm:first_responders")
    context = {
        "page_title": "Add a first responder",
        "form": form,
        "heading": "Add an organisation to the list",
        "button": "Add to the list",
        "back": "/nrm/first-responders/",
        "caption": "First responder list",
    }
    return render(request, "nrm/simple_form.html", context)


@require_POST
def first_responder_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_for(request.user, FirstResponder.objects.all(), need="edit", pk=pk)
    services.first_responder_remove(actor=user_of(request), entry=entry)
    messages.success(request, f"{entry.organisation.name} is no longer on the first responder list.")
    return redirect("nrm:first_responders")


urlpatterns = [
    path("first-responders/", first_responder_list, name="first_responders"),
    path("first-responders/new/", first_responder_add_view, name="first_responder_add"),
    path("first-responders/<int:pk>/remove/", first_responder_remove_view, name="first_responder_remove"),
]
