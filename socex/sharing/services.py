"""Sharing: granting and revoking access to a record, the legal bases, and queries for other apps.

``share_grant`` is the only way a partner organisation gains sight of a record it does not
own. It writes the share to the ledger and a SHARE event to the audit log in one transaction:
the event is the DPA 2018 s62 disclosure log (justification = the legal basis, who disclosed,
the recipient, date and time).

Other apps use the query helpers at the bottom in their own ``access.py``, e.g. a partner sees
a case when ``is_shared_with(case, user.organisation)``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from socex.audit.models import Action
from socex.audit.services import lock_chain, record, record_change, record_create, snapshot
from socex.core.references import next_reference
from socex.core.templatetags.socex import uk_date
from socex.sharing.access import LEGAL_BASES_MANAGE, MANAGE, ShareQuerySet
from socex.sharing.models import LegalBasis, Share

if TYPE_CHECKING:
    from socex.accounts.models import Organisation, User

DEFAULT_MAX_SHARE_DAYS = 730
LEGAL_BASIS_FIELDS = ("code", "title", "description", "is_active")


def max_share_days() -> int:
    """How far ahead a share may run: ``SOCEX_MAX_SHARE_DAYS`` (two years unless set)."""
    return int(getattr(settings, "SOCEX_MAX_SHARE_DAYS", DEFAULT_MAX_SHARE_DAYS))


def _grant_errors(
    *, actor: User, organisation: Organisation, legal_basis: LegalBasis, scope: str, until: dt.date
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not organisation.is_active:
        errors["organisation"] = f"{organisation} is no longer active. Choose an active organisation."
    elif organisation.pk == actor.organisation_id:
        errors["organisation"] = "Choose another organisation: your own organisation already holds this record."
    if not legal_basis.is_active:
        errors["legal_basis"] = f"{legal_basis} is no longer in use. Choose another legal basis."
    if not scope.strip():
        errors["scope"] = (
            "Enter what is being shared and why, for example 'Case summary and risk assessment for the MACE meeting'."
        )
    today = timezone.localdate()
    latest = today + dt.timedelta(days=max_share_days())
    if until < today:
        errors["until"] = "The last day of the share must be today or in the future."
    elif until > latest:
        errors["until"] = (
            f"The last day of the share must be no later than {uk_date(latest)} ({max_share_days()} days from today)."
        )
    return errors


@transaction.atomic
def share_grant(
    *,
    actor: User,
    obj: models.Model,
    organisation: Organisation,
    legal_basis: LegalBasis,
    scope: str,
    until: dt.date,
) -> Share:
    """Share ``obj`` with ``organisation`` until the end of ``until``, on ``legal_basis``.

    The caller must already have fetched ``obj`` through its own app's access function (the
    actor may see it). Raises ``PermissionDenied`` if the actor lacks ``sharing.manage`` or
    belongs to no organisation, and ``ValidationError`` with a message per field
    (``organisation``, ``legal_basis``, ``scope``, ``until``) for bad input; nothing is written
    then. Writes a SHARE audit event on ``obj`` whose justification is the legal basis.
    """
    if not actor.has_cap(MANAGE) or actor.organisation is None:
        raise PermissionDenied("You need the sharing.manage capability, in an organisation, to share records.")
    if obj.pk is None:
        raise ValueError("Only a saved record can be shared.")
    errors = _grant_errors(actor=actor, organisation=organisation, legal_basis=legal_basis, scope=scope, until=until)
    if errors:
        raise ValidationError(errors)
    # Numbering takes the audit chain's lock first, the same order as every other writer, so
    # two shares granted at once cannot take the same number or deadlock on the chain.
    lock_chain()
    now = timezone.now()
    share = Share(
        reference=next_reference(Share, "SHR", year=timezone.localdate(now).year),
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        organisation=organisation,
        legal_basis=legal_basis,
        scope=scope.strip(),
        shared_by=actor,
        shared_by_organisation=actor.organisation,
        shared_at=now,
        until=until,
    )
    share.save(force_insert=True)
    record(
        Action.SHARE,
        obj=obj,
        actor=actor,
        justification=legal_basis.title,
        detail={
            "share_id": share.pk,
            "share_reference": share.reference,
            "recipient_id": organisation.pk,
            "recipient": organisation.name,
            "legal_basis": legal_basis.code,
            "scope": share.scope,
            "until": until,
        },
    )
    return share


@transaction.atomic
def share_revoke(*, actor: User, share: Share, reason: str) -> Share:
    """End ``share`` now, giving ``reason``. Only ``sharing.manage`` holders in the organisation
    that made it may (``PermissionDenied`` otherwise); a blank reason or a share already revoked
    is a ``ValidationError``. Writes an UNSHARE event on the shared record."""
    if not Share.objects.editable_by(actor).filter(pk=share.pk).exists():
        raise PermissionDenied("Only the organisation that made a share can revoke it.")
    share = Share.objects.select_for_update().get(pk=share.pk)
    if share.revoked_at is not None:
        raise ValidationError({"reason": f"This share was already revoked on {uk_date(share.revoked_at)}."})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the share is being revoked, for example 'Case closed'."})
    share.revoked_at = timezone.now()
    share.revoked_by = actor
    share.revoke_reason = reason.strip()
    share.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    record(
        Action.UNSHARE,
        actor=actor,
        object_type=share.record_type,
        object_id=share.object_id,
        object_repr=share.object_repr,
        justification=share.revoke_reason,
        detail={
            "share_id": share.pk,
            "share_reference": share.reference,
            "recipient_id": share.organisation_id,
            "recipient": share.organisation.name,
        },
    )
    return share


# --- Legal bases ----------------------------------------------------------------------------------


def _check_can_manage_legal_bases(actor: User) -> None:
    if not actor.has_cap(LEGAL_BASES_MANAGE):
        raise PermissionDenied("Only administrators (users.manage) can change the legal bases.")


def _check_title_free(title: str, *, except_pk: int | None = None) -> None:
    same_title = LegalBasis.objects.filter(title__iexact=title)
    if except_pk is not None:
        same_title = same_title.exclude(pk=except_pk)
    if same_title.exists():
        raise ValidationError({"title": f"There is already a legal basis called '{title}'. Use a different title."})


@transaction.atomic
def legal_basis_create(*, actor: User, title: str, description: str, code: str = "") -> LegalBasis:
    """Add a legal basis. ``code`` (a short slug) is made from the title when not given."""
    _check_can_manage_legal_bases(actor)
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Enter the legal basis, for example 'Children Act 1989, section 47'."})
    code = slugify(code or title)[:64]
    if not code:
        raise ValidationError({"code": "Enter a short code using letters, numbers and hyphens."})
    if LegalBasis.objects.filter(code=code).exists():
        raise ValidationError({"code": f"The code '{code}' is already used. Choose a different code."})
    _check_title_free(title)
    legal_basis = LegalBasis(code=code, title=title, description=description.strip())
    legal_basis.save(force_insert=True)
    record_create(legal_basis, fields=LEGAL_BASIS_FIELDS)
    return legal_basis


@transaction.atomic
def legal_basis_update(*, actor: User, legal_basis: LegalBasis, title: str, description: str) -> LegalBasis:
    """Change a legal basis's title and description (its code never changes); audited old → new."""
    _check_can_manage_legal_bases(actor)
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Enter the legal basis, for example 'Children Act 1989, section 47'."})
    _check_title_free(title, except_pk=legal_basis.pk)
    before = snapshot(legal_basis, LEGAL_BASIS_FIELDS)
    legal_basis.title = title
    legal_basis.description = description.strip()
    legal_basis.save(update_fields=["title", "description"])
    record_change(legal_basis, before=before, fields=LEGAL_BASIS_FIELDS)
    return legal_basis


@transaction.atomic
def legal_basis_set_active(*, actor: User, legal_basis: LegalBasis, active: bool) -> LegalBasis:
    """Offer (or stop offering) a legal basis for new shares. Existing shares keep theirs."""
    _check_can_manage_legal_bases(actor)
    if legal_basis.is_active == active:
        return legal_basis
    before = snapshot(legal_basis, LEGAL_BASIS_FIELDS)
    legal_basis.is_active = active
    legal_basis.save(update_fields=["is_active"])
    record_change(legal_basis, before=before, fields=LEGAL_BASIS_FIELDS)
    return legal_basis


# --- Queries for other apps' access rules ------------------------------------------------------


def active_shared_ids(model_class: type[models.Model], organisation: Organisation | None) -> list[str]:
    """The ids (as strings) of ``model_class`` records actively shared with ``organisation``.

    Use as ``Case.objects.filter(pk__in=active_shared_ids(Case, org))``. It is a list, not a
    subquery, on purpose: the ledger keeps ids as text, and PostgreSQL will not compare a text
    column with a uuid or integer primary key in a subquery; Django converts each string.
    """
    if organisation is None:
        return []
    return list(
        Share.objects.active()
        .filter(content_type=ContentType.objects.get_for_model(model_class), organisation=organisation)
        .values_list("object_id", flat=True)
        .distinct()
    )


def is_shared_with(obj: models.Model, organisation: Organisation | None) -> bool:
    """Is ``obj`` shared with ``organisation`` today?"""
    if organisation is None or obj.pk is None:
        return False
    return shares_for(obj).active().filter(organisation=organisation).exists()


def shares_for(obj: models.Model) -> ShareQuerySet:
    """Every share of ``obj``, in force or not, newest first (a ``ShareQuerySet``).

    For the record's own page, shown to users who may see the record; combine with
    ``.visible_to(user)`` where only the viewer's own organisation's shares should show.
    """
    return Share.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
