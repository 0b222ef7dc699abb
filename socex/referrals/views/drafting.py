"""The referral form: GOV.UK question pages that save a draft as they go, live person matching
on the subject page, check your answers, and the confirmation with the reference.

Every page starts from ``socex.referrals.access``: only a draft's author may open its question
pages (anyone else who can see it gets 403; anyone who cannot, 404), and each read is audited
there. Live matching is audited as a search of the person index, as on the people pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socex.audit.services import record_search
from socex.core.forms import StyledForm, add_service_errors
from socex.people.access import RECORD_TYPE as PERSON_RECORD_TYPE
from socex.people.access import get_person_for
from socex.people.matching import match_person
from socex.referrals import services
from socex.referrals.access import get_referral_for
from socex.referrals.forms import AwarenessForm, ConcernsForm, LevelForm, RisksForm, ScreeningForm, SubjectForm
from socex.referrals.models import Referral, ReferralStatus
from socex.referrals.screening import tool_for
from socex.referrals.steps import check_url, next_url, position, resume_url, step_of, steps_for
from socex.referrals.views.common import answers_context, current_user, posted_version, require_referrer

LIVE_MATCH_LIMIT = 5
SAVED_DRAFT = "Your draft referral has been saved. Carry on with it from My referrals when you are ready."


def _draft(request: HttpRequest, referral_id: UUID) -> Referral:
    """The user's own draft (404 if they may not see it, 403 if they may see but not change it)."""
    return get_referral_for(request.user, need="edit", pk=referral_id)


def _after_save(request: HttpRequest, referral: Referral, step: str) -> HttpResponse:
    if "save_draft" in request.POST:
        messages.success(request, SAVED_DRAFT)
        return redirect("referrals:mine")
    if request.GET.get("return") == "check":
        return redirect(check_url(referral))
    return redirect(next_url(referral, step))


def _page_context(referral: Referral, step: str, **extra: Any) -> dict[str, Any]:
    number, total = position(referral, step)
    back = steps_for(tool_for(referral.tool_version or None))
    keys = [s.key for s in back]
    back_url = back[keys.index(step) - 1].url(referral) if step in keys and keys.index(step) > 0 else ""
    return {"referral": referral, "step_number": number, "step_total": total, "back_url": back_url, **extra}


@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest) -> HttpResponse:
    """The start page; starting makes a draft and goes to the first question."""
    require_referrer(request)
    if request.method == "POST":
        referral = services.referral_start(actor=current_user(request))
        return redirect("referrals:subjects", referral.pk)
    return render(request, "referrals/start.html", {"page_title": "Make a referral to the hub", "tool": tool_for()})


@require_GET
def referral_resume(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    referral = get_referral_for(request.user, pk=referral_id)
    if referral.status != ReferralStatus.DRAFT:
        return redirect(referral.get_absolute_url())
    return redirect(resume_url(referral))


# --- who the referral is about ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def subjects(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    referral = _draft(request, referral_id)
    form = SubjectForm(request.POST if request.POST.get("action") == "add" else None)
    continuing = StyledForm(request.POST if request.POST.get("action") == "continue" else None)
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            services.referral_subject_add(
                actor=current_user(request),
                referral=referral,
                details=form.subject_details(),
                version=posted_version(request),
            )
        except ValidationError as error:
            add_service_errors(form, error, {"version": None})
        else:
            typed = form.subject_details()
            messages.success(request, f"Added {f'{typed.given_name} {typed.family_name}'.strip()}.")
            return redirect("referrals:subjects", referral.pk)
    if request.method == "POST" and continuing.is_bound:
        if referral.subjects.exists():
            return _after_save(request, referral, "subjects")
        continuing.add_error(None, "Add the child or adult you are referring")
    candidates = _candidates(request, referral, form) if form.is_bound else None
    context = _page_context(
        referral,
        "subjects",
        page_title="Who are you referring?",
        form=form,
        continuing=continuing,
        subjects=list(referral.subjects.select_related("person")),
        candidates=candidates,
    )
    return render(request, "referrals/subjects.html", context)


def _candidates(request: HttpRequest, referral: Referral, form: SubjectForm) -> list[Any] | None:
    """People in the index who may be the one typed, that this user may see (the search is audited)."""
    details = form.partial_details()
    if not (details.names() or details.postcodes):
        return None
    on_referral = [pk for pk in referral.subjects.values_list("person_id", flat=True) if pk]
    found = match_person(details, user=request.user, limit=LIVE_MATCH_LIMIT, exclude=on_referral)
    record_search(record_type=PERSON_RECORD_TYPE, terms=form.terms(), results=len(found))
    return found


@require_POST
def subject_match(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    """The live "this may be someone already known" panel, for htmx while a subject is typed."""
    # Checked without a VIEW event: this runs on every keystroke, and the search itself is logged.
    if not Referral.objects.editable_by(request.user).filter(pk=referral_id).exists():
        raise Http404
    referral = Referral.objects.get(pk=referral_id)
    candidates = _candidates(request, referral, SubjectForm(request.POST))
    return render(request, "referrals/_subject_matches.html", {"candidates": candidates, "referral": referral})


@require_POST
def subject_use(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    """Add a person the referrer picked from the candidates (one they may see: else 404)."""
    referral = _draft(request, referral_id)
    person_id = request.POST.get("person", "")
    if not person_id.isdigit():
        raise Http404
    person = get_person_for(request.user, int(person_id))
    try:
        services.referral_subject_add(
            actor=current_user(request), referral=referral, person=person, version=posted_version(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Added {person.display_name} ({person.reference}).")
    return redirect("referrals:subjects", referral.pk)


@require_POST
def subject_remove(request: HttpRequest, referral_id: UUID, subject_id: int) -> HttpResponse:
    referral = _draft(request, referral_id)
    subject = referral.subjects.filter(pk=subject_id).select_related("person").first()
    if subject is None:
        raise Http404
    try:
        services.referral_subject_remove(actor=current_user(request), subject=subject, version=posted_version(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Removed {subject.name} from this referral.")
    return redirect("referrals:subjects", referral.pk)


# --- one question page at a time ----------------------------------------------------------------


def _question(
    request: HttpRequest,
    referral: Referral,
    *,
    step: str,
    form: Form,
    save: Callable[[], object],
    title: str,
    template: str = "referrals/question.html",
    **extra: Any,
) -> HttpResponse:
    """Show a question page; on a valid POST, save through the service and go on (or back to
    check your answers, or to My referrals when saving the draft for later)."""
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as error:
            add_service_errors(form, error, {"version": None})
        else:
            return _after_save(request, referral, step)
    return render(request, template, _page_context(referral, step, page_title=title, form=form, **extra))


@require_http_methods(["GET", "POST"])
def concerns(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    referral = _draft(request, referral_id)
    initial = {
        "exploitation_types": referral.exploitation_types,
        "concern_summary": referral.concern_summary,
        "lpa": referral.lpa_id,
        "version": referral.version,
    }
    form = ConcernsForm(request.POST or None, initial=initial)

    def save() -> object:
        return services.referral_update(
            actor=current_user(request),
            referral=referral,
            version=form.cleaned_data["version"],
            exploitation_types=form.cleaned_data["exploitation_types"],
            concern_summary=form.cleaned_data["concern_summary"],
            lpa=form.cleaned_data["lpa"],
        )

    return _question(request, referral, step="concerns", form=form, save=save, title="Your concerns")


@require_http_methods(["GET", "POST"])
def screening(request: HttpRequest, referral_id: UUID, group_code: str) -> HttpResponse:
    referral = _draft(request, referral_id)
    tool = tool_for(referral.tool_version or None)
    group = tool.group(group_code)
    if group is None:
        raise Http404
    initial = {"version": referral.version, **referral.screening_answers}
    form = ScreeningForm(request.POST or None, initial=initial, tool=tool, group=group)

    def save() -> object:
        return services.referral_screen(
            actor=current_user(request),
            referral=referral,
            answers=form.answers(),
            groups=[group.code],
            version=form.cleaned_data["version"],
        )

    return _question(
        request,
        referral,
        step=f"screening-{group.code}",
        form=form,
        save=save,
        title=group.title,
        template="referrals/screening.html",
        group=group,
        tool=tool,
    )


@require_http_methods(["GET", "POST"])
def level(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    referral = _draft(request, referral_id)
    tool = tool_for(referral.tool_version or None)
    if not referral.suggested_level:
        messages.info(request, "Answer every screening question first: the tool then suggests a level of risk.")
        return redirect(step_of(referral, "screening", tool).url(referral))
    initial = {
        "confirmed_level": referral.confirmed_level or referral.suggested_level,
        "override_reason": referral.override_reason,
        "version": referral.version,
    }
    form = LevelForm(request.POST or None, initial=initial)

    def save() -> object:
        return services.referral_confirm_level(
            actor=current_user(request),
            referral=referral,
            level=form.cleaned_data["confirmed_level"],
            override_reason=form.cleaned_data["override_reason"],
            version=form.cleaned_data["version"],
        )

    return _question(
        request,
        referral,
        step="level",
        form=form,
        save=save,
        title="Level of risk",
        template="referrals/level.html",
        suggestion=tool.suggest(referral.screening_answers),
        tool=tool,
    )


@require_http_methods(["GET", "POST"])
def awareness(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    referral = _draft(request, referral_id)
    initial = {
        "child_aware": referral.child_aware,
        "family_aware": referral.family_aware,
        "awareness_detail": referral.awareness_detail,
        "version": referral.version,
    }
    form = AwarenessForm(request.POST or None, initial=initial)

    def save() -> object:
        data = form.cleaned_data
        return services.referral_update(
            actor=current_user(request),
            referral=referral,
            version=data["version"],
            child_aware=data["child_aware"],
            family_aware=data["family_aware"],
            awareness_detail=data["awareness_detail"],
        )

    return _question(
        request, referral, step="awareness", form=form, save=save, title="What they know about the referral"
    )


@require_http_methods(["GET", "POST"])
def risks(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    referral = _draft(request, referral_id)
    form = RisksForm(
        request.POST or None, initial={"immediate_risks": referral.immediate_risks, "version": referral.version}
    )

    def save() -> object:
        return services.referral_update(
            actor=current_user(request),
            referral=referral,
            version=form.cleaned_data["version"],
            immediate_risks=form.cleaned_data["immediate_risks"],
        )

    return _question(
        request, referral, step="risks", form=form, save=save, title="Immediate risks", template="referrals/risks.html"
    )


# --- check and send -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    referral = _draft(request, referral_id)
    form = StyledForm(request.POST or None)
    if request.method == "POST":
        try:
            referral = services.referral_submit(
                actor=current_user(request), referral=referral, version=posted_version(request)
            )
        except ValidationError as error:
            add_service_errors(form, error, {"version": None})
        else:
            return redirect("referrals:submitted", referral.pk)
    problems = [
        (step_of(referral, field).url(referral), message)
        for field, message in services.referral_problems(referral).items()
    ]
    context = {
        **answers_context(referral),
        "page_title": "Check your answers before sending your referral",
        "form": form,
        "problems": problems,
        "change": True,
        "change_urls": {
            field: f"{step_of(referral, field).url(referral)}?return=check" for field in services.STEP_OF_FIELD
        },
        "back_url": reverse("referrals:risks", args=[referral.pk]),
    }
    return render(request, "referrals/check.html", context)


@require_GET
def submitted(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    referral = get_referral_for(request.user, pk=referral_id)
    if referral.status == ReferralStatus.DRAFT:
        return redirect(resume_url(referral))
    return render(request, "referrals/submitted.html", {"referral": referral, "page_title": "Referral sent"})


urlpatterns = [
    path("new/", referral_new, name="new"),
    path("<uuid:referral_id>/resume/", referral_resume, name="resume"),
    path("<uuid:referral_id>/subjects/", subjects, name="subjects"),
    path("<uuid:referral_id>/subjects/match/", subject_match, name="subject_match"),
    path("<uuid:referral_id>/subjects/use/", subject_use, name="subject_use"),
    path("<uuid:referral_id>/subjects/<int:subject_id>/remove/", subject_remove, name="subject_remove"),
    path("<uuid:referral_id>/concerns/", concerns, name="concerns"),
    path("<uuid:referral_id>/screening/<slug:group_code>/", screening, name="screening"),
    path("<uuid:referral_id>/level/", level, name="level"),
    path("<uuid:referral_id>/awareness/", awareness, name="awareness"),
    path("<uuid:referral_id>/risks/", risks, name="risks"),
    path("<uuid:referral_id>/check/", check, name="check"),
    path("<uuid:referral_id>/sent/", submitted, name="submitted"),
]
