"""The sharing ledger: what was shared, with which organisation, on what legal basis, until when.

A share is the only way a partner organisation gains sight of a record it does not own.
Shares are never deleted; revoking one ends it and keeps the history.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from socex.sharing.access import LegalBasisQuerySet, ShareQuerySet


class LegalBasis(models.Model):
    """A lawful basis for sharing, from a configurable list.

    The defaults come from migration 0003; administrators (``users.manage``) add, edit and
    deactivate them in the app. A basis in use is deactivated, never deleted, so the ledger
    keeps the basis each share was made on.
    """

    code = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    objects = LegalBasisQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "legal bases"

    def __str__(self) -> str:
        return self.title


class Share(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=20, unique=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="shares_received")
    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT, related_name="shares")
    scope = models.TextField(help_text="What was shared, and for what purpose.")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="shares_made"
    )
    shared_at = models.DateTimeField(default=timezone.now)
    until = models.DateField(help_text="The last day on which the share is in force.")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.TextField(blank=True)

    objects = ShareQuerySet.as_manager()

    class Meta:
        ordering = ["-shared_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="share_object_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(revoked_at__isnull=True, revoked_by__isnull=True, revoke_reason="")
                    | (models.Q(revoked_at__isnull=False, revoked_by__isnull=False) & ~models.Q(revoke_reason=""))
                ),
                name="share_revocation_complete",
            ),
            models.CheckConstraint(condition=~models.Q(scope=""), name="share_scope_required"),
            models.CheckConstraint(
                condition=~models.Q(organisation=models.F("shared_by_organisation")), name="share_not_with_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.object_repr} with {self.organisation}"

    @property
    def record_type(self) -> str:
        """The shared record's ``app_label.model_name``, as the audit log names it."""
        return f"{self.content_type.app_label}.{self.content_type.model}"

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "Revoked"
        if self.until < timezone.localdate():
            return "Expired"
        return "Active"
