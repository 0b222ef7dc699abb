"""Sharing API: the ledger entries the token holder may see, with the ledger page's filters.

The same access rules as the pages (socex.sharing.access): a share the caller may not see is a
404, reading one is recorded in the audit log, and every page of the list is recorded as an
export, with the filters in use (socex.audit.listing.AuditedApiPagination).
"""

# No ``from __future__ import annotations`` here: django-ninja must see ``Query[...]`` as a
# real type when the module is imported.

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from socex.audit.listing import ApiExport, AuditedApiPagination
from socex.sharing.access import can_use_ledger, get_share_for
from socex.sharing.forms import ShareFilterForm
from socex.sharing.models import Share

router = Router()


class OrganisationRef(Schema):
    id: uuid.UUID
    name: str


class ShareOut(Schema):
    id: uuid.UUID
    reference: str
    record_type: str
    record_id: str
    record: str
    shared_with: OrganisationRef
    shared_by_organisation: OrganisationRef
    shared_by: str
    legal_basis_code: str
    legal_basis: str
    scope: str
    shared_at: dt.datetime
    until: dt.date
    status: str
    revoked_at: dt.datetime | None
    revoke_reason: str

    @staticmethod
    def resolve_record_id(share: Share) -> str:
        return share.object_id

    @staticmethod
    def resolve_record(share: Share) -> str:
        return share.object_repr

    @staticmethod
    def resolve_shared_with(share: Share) -> OrganisationRef:
        return OrganisationRef(id=share.organisation.pk, name=share.organisation.name)

    @staticmethod
    def resolve_shared_by_organisation(share: Share) -> OrganisationRef:
        organisation = share.shared_by_organisation
        return OrganisationRef(id=organisation.pk, name=organisation.name)

    @staticmethod
    def resolve_shared_by(share: Share) -> str:
        return share.shared_by.email

    @staticmethod
    def resolve_legal_basis_code(share: Share) -> str:
        return share.legal_basis.code

    @staticmethod
    def resolve_legal_basis(share: Share) -> str:
        return share.legal_basis.title


class ShareFilters(Schema):
    direction: str = ""
    status: str = ""
    organisation: uuid.UUID | None = None
    legal_basis: int | None = None
    record_type: str = ""


@router.get("/shares", response=list[ShareOut], summary="List shares in the sharing ledger")
@paginate(AuditedApiPagination)
def list_shares(request: HttpRequest, filters: Query[ShareFilters]) -> ApiExport:
    """Shares made or received by your organisation (every share with ``sharing.view_all``), newest first.

    ``status`` is one of active, expiring, expired, revoked; ``direction`` received or made.
    A bad filter value is a 422 naming the field; without a ledger capability, 403. Every page
    returned is recorded in the audit log as an export, with the filters.
    """
    if not can_use_ledger(request.auth):  # type: ignore[attr-defined]
        raise HttpError(403, "Your roles do not include the sharing ledger.")
    data = {k: str(v) for k, v in filters.dict().items() if v not in ("", None)}
    form = ShareFilterForm(data=data, user=request.auth)  # type: ignore[attr-defined]
    if not form.is_valid():
        raise HttpError(422, form.error_text())
    shares = form.filter(
        Share.objects.visible_to(request.auth).select_related(  # type: ignore[attr-defined]
            "content_type", "organisation", "legal_basis", "shared_by", "shared_by_organisation"
        )
    )
    return ApiExport(rows=shares, record_type="sharing.share", filters=form.terms())


@router.get("/shares/{share_id}", response=ShareOut, summary="One share")
def get_share(request: HttpRequest, share_id: uuid.UUID) -> Share:
    """One share; 404 if it is not yours to see. Reading it is recorded in the audit log."""
    return get_share_for(request.auth, share_id)  # type: ignore[attr-defined]
