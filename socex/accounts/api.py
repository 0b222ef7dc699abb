"""Accounts API: who the token belongs to."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Router, Schema

from socex.accounts.access import get_user_for
from socex.accounts.models import User

router = Router()


class OrganisationOut(Schema):
    id: uuid.UUID
    name: str
    type: str
    type_label: str
    lpa: str | None


class RoleOut(Schema):
    code: str
    name: str


class MeOut(Schema):
    id: uuid.UUID
    email: str
    full_name: str
    job_title: str
    organisation: OrganisationOut | None
    team: str | None
    roles: list[RoleOut]
    capabilities: list[str]


def _me(user: User) -> MeOut:
    organisation = user.organisation
    return MeOut(
        id=user.pk,
        email=user.email,
        full_name=user.full_name,
        job_title=user.job_title,
        organisation=OrganisationOut(
            id=organisation.pk,
            name=organisation.name,
            type=organisation.org_type,
            type_label=organisation.get_org_type_display(),
            lpa=organisation.lpa.name if organisation.lpa else None,
        )
        if organisation
        else None,
        team=user.team.name if user.team else None,
        roles=[RoleOut(code=role.code, name=role.name) for role in user.roles.all()],
        capabilities=sorted(user.capabilities),
    )


@router.get("/me", response=MeOut, summary="The signed-in user: organisation, roles and capabilities")
def me(request: HttpRequest) -> MeOut:
    user = get_user_for(request.auth, request.auth.pk)  # type: ignore[attr-defined]
    return _me(user)
