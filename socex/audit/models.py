"""The append-only audit log.

Each event carries the hash of the one before it, so any change to history breaks the
chain (``manage.py audit_verify``). Database triggers reject UPDATE and DELETE on the table
(see migration 0002). Actor and organisation are copied as labels as well as ids so that the
record stays readable if a user is later removed.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from socex.audit.access import EventQuerySet


class Action(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    EXPORT = "export", "Exported"
    SHARE = "share", "Shared"
    UNSHARE = "unshare", "Share revoked"
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Failed sign-in"
    LOGOUT = "logout", "Signed out"
    MFA = "mfa", "Two-factor authentication"
    TOKEN = "token", "API token"
    VERIFY = "verify", "Audit chain verified"
    MERGE = "merge", "Merged"
    UNMERGE = "unmerge", "Merge undone"
    IMPORT = "import", "Imported"
    DECIDE = "decide", "Decided"


class Event(models.Model):
    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.UUIDField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=254, blank=True)
    organisation_id = models.UUIDField(null=True, blank=True)
    organisation_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=32, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    search_terms = models.TextField(blank=True)
    export_count = models.PositiveIntegerField(null=True, blank=True)
    justification = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-occurred_at"], name="audit_event_object_idx"),
            models.Index(fields=["actor_id", "-occurred_at"], name="audit_event_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.get_action_display()} {self.object_repr}".strip()
