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


class LegalBasis(models.Model):
    """A lawful basis for sharing, from a configurable list (loaded with the reference data)."""

    code = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "legal bases"

    def __str__(self) -> str:
        return self.title


class ShareQuerySet(models.QuerySet["Share"]):
    def active(self, on: object = None) -> ShareQuerySet:
        today = on or timezone.localdate()
        return self.filter(revoked_at__isnull=True, shared_at__date__lte=today, until__gte=today)


class Share(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=20, unique=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="shares_received"
    )
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
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.object_repr} with {self.organisation}"

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "Revoked"
        if self.until < timezone.localdate():
            return "Expired"
        return "Active"
