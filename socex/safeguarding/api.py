"""The safeguarding endpoints of the API (mounted at /api/v1/safeguarding/).

A council or health system lists the actions its agency owns and updates them (status and a
note) with the same rules as the pages (``socex.safeguarding.access`` and the services): an
action whose case the caller cannot see is a 404; one they can see but whose agency is not
theirs (and whose case they may not change) is a 403. Each update names the ``version`` it
read: if the action changed since, the answer is 409 and nothing is saved. Every page of the
list is recorded in the audit log as an export; every read of one action as a view.
"""

# No ``from __future__ import annotations`` here: django-ninja must see ``Query[...]`` as a
# real type when the module is imported.

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as ApiValidationError
from ninja.pagination import paginate

from socex.audit.listing import ApiExport, AuditedApiPagination
from socex.safeguarding import services
from socex.safeguarding.access import ACTION_TYPE, can_use_safeguarding, get_action_for
from socex.safeguarding.forms import ActionFilterForm
from socex.safeguarding.models import Action, ActionStatus

router = Router()


class ActionOut(Schema):
    id: uuid.UUID
    reference: str = Field(examples=["ACT-2026-000123"])
    url: str = Field(description="The action's page in the web app")
    case_reference: str = Field(examples=["CASE-2026-000045"])
    description: str
    owner_agency: str = Field(examples=["Walsall Council Early Help"])
    owner_agency_id: uuid.UUID
    owner: str | None = Field(description="The person who owns it (email), if any", examples=["jo@walsall.example"])
    due_date: dt.date
    status: str = Field(description="open, in_progress, done or cancelled", examples=["open"])
    overdue: bool
    due_soon: bool
    from_mace_meeting: str | None = Field(description="The MACE meeting that agreed it", examples=["MACE-2026-000004"])
    completed_at: dt.datetime | None
    completion_note: str
    version: int = Field(description="Send it back with a change; it detects concurrent edits", examples=[3])

    @staticmethod
    def resolve_url(action: Action) -> str:
        return action.get_absolute_url()

    @staticmethod
    def resolve_case_reference(action: Action) -> str:
        return action.case.reference

    @staticmethod
    def resolve_owner_agency(action: Action) -> str:
        return action.owner_agency.name

    @staticmethod
    def resolve_owner(action: Action) -> str | None:
        return action.owner.email if action.owner else None

    @staticmethod
    def resolve_overdue(action: Action) -> bool:
        return action.is_overdue

    @staticmethod
    def resolve_due_soon(action: Action) -> bool:
        return action.is_due_soon

    @staticmethod
    def resolve_from_mace_meeting(action: Action) -> str | None:
        return action.agenda_item.meeting.reference if action.agenda_item else None


class ActionFilters(Schema):
    state: str = Field(
        "", description="open (the default: open or in progress), overdue, due_soon, done, cancelled or any"
    )
    case: str = Field("", description="A case reference, e.g. CASE-2026-000045")
    due_by: dt.date | None = Field(None, description="Due on or before this date")


class ActionUpdateIn(Schema):
    version: int = Field(description="The version you read; a different current version gives 409")
    status: str | None = Field(
        None,
        description="open, in_progress or done (done needs a note of what was done). Cancelling is for the hub.",
    )
    note: str = Field("", description="A progress note, or what was done when the status is done")


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


@router.get("/actions", response=list[ActionOut], summary="List the actions your agency owns")
@paginate(AuditedApiPagination)
def list_actions(request: HttpRequest, filters: Query[ActionFilters]) -> ApiExport:
    """The actions your agency owns in the cases it can see, soonest due first (open ones unless
    ``state`` says otherwise). A bad filter is a 422 naming it; without safeguarding roles or an
    agency, 403. Every page is recorded in the audit log as an export, with the filters."""
    user = _user(request)
    if not can_use_safeguarding(user) or user.organisation_id is None:
        raise HttpError(403, "Your roles do not include safeguarding actions, or you belong to no agency.")
    data = {key: str(value) for key, value in filters.dict().items() if value not in ("", None)}
    if "due_by" in data:
        data["due_by"] = filters.due_by.strftime("%d/%m/%Y")  # type: ignore[union-attr]
    form = ActionFilterForm(data=data or None, user=user, with_agency=False)
    if form.is_bound and not form.is_valid():
        raise HttpError(422, form.error_text())
    actions = (
        Action.objects.visible_to(user)
        .filter(owner_agency_id=user.organisation_id)
        .select_related("case", "owner_agency", "owner", "agenda_item__meeting")
        .order_by("due_date", "reference")
    )
    return ApiExport(rows=form.filter(actions), record_type=ACTION_TYPE, filters=form.terms())


@router.get("/actions/{action_id}", response=ActionOut, summary="One action")
def get_action(request: HttpRequest, action_id: uuid.UUID) -> Action:
    """One action in the plan of a case you can see (404 otherwise). Reading it is recorded."""
    return get_action_for(_user(request), pk=action_id)


def _errors(error: ValidationError) -> list[dict[str, Any]]:
    if not hasattr(error, "error_dict"):
        return [{"type": "value_error", "loc": ["body", "payload"], "msg": " ".join(error.messages)}]
    return [
        {"type": "value_error", "loc": ["body", "payload", "status" if name == "reason" else name], "msg": message}
        for name, messages in error.message_dict.items()
        for message in messages
    ]


@router.patch("/actions/{action_id}", response=ActionOut, summary="Update an action your agency owns")
def update_action(request: HttpRequest, action_id: uuid.UUID, payload: ActionUpdateIn) -> Action:
    """Set the status (open, in_progress, or done with a note of what was done) or add a note.

    404 if you cannot see the action; 403 if it is not your agency's (and you may not change its
    case); 409 if it changed since the ``version`` you send; 422, naming the field, for a bad
    status, a missing note, or an action already done or cancelled.
    """
    user = _user(request)
    try:
        action = get_action_for(user, need="edit", pk=action_id)
        if payload.status == ActionStatus.DONE:
            return services.action_complete(actor=user, action=action, version=payload.version, note=payload.note)
        if payload.status == ActionStatus.CANCELLED:
            raise PermissionDenied("Only someone who may change the case can cancel an action: ask the hub.")
        return services.action_update(
            actor=user, action=action, version=payload.version, status=payload.status, note=payload.note
        )
    except PermissionDenied as error:
        raise HttpError(403, str(error) or "You cannot change this action.") from None
    except ValidationError as error:
        if hasattr(error, "error_dict") and "version" in error.error_dict:
            raise HttpError(409, " ".join(error.message_dict["version"])) from None
        raise ApiValidationError(_errors(error)) from None
