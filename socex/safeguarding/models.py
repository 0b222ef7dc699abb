"""Partnership safeguarding: the safeguarding plan's actions, MACE meetings and contextual safeguarding.

* An :class:`Action` belongs to one case's safeguarding plan. One agency owns it (and, optionally,
  one person there); it has a due date and a status. It may come from a decision at a MACE meeting
  (its ``agenda_item``) or be added to the plan directly.
* A :class:`Meeting` is a multi-agency child exploitation (MACE) meeting: a date, a chair, the
  agencies (and people) attending and an agenda of cases (:class:`AgendaItem`), each with its
  discussion, decisions and the actions agreed.
* A :class:`Location` of concern (a park, a takeaway, a suspected trap house...) and a
  :class:`PeerGroup` of people from the index are linked to the cases they bear on.

Who may see and change each is in ``socex.safeguarding.access``; every change goes through
``socex.safeguarding.services``.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from socex.safeguarding.access import (
    ActionQuerySet,
    AgendaItemQuerySet,
    LocationQuerySet,
    MeetingQuerySet,
    PeerGroupQuerySet,
)


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.CANCELLED)
OPEN_Q = Q(status__in=["open", "in_progress"])


class Action(models.Model):
    """One action in a case's safeguarding plan."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=20, unique=True, help_text="ACT-YYYY-NNNNNN")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="safeguarding_actions")
    description = models.TextField()
    owner_agency = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="safeguarding_actions", verbose_name="agency"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="safeguarding_actions",
        verbose_name="person",
    )
    due_date = models.DateField()
    status = models.CharField(max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    agenda_item = models.ForeignKey(
        "AgendaItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
        help_text="The MACE discussion that agreed it, if any.",
    )
    completed_at = models.DateTimeField(null=True, blank=True, help_text="When it was done or cancelled.")
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completion_note = models.TextField(blank=True, help_text="What was done, or why it was cancelled.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change; detects concurrent edits.")

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "reference"]
        indexes = [
            # The work trays and the API: an agency's (or a person's) actions by status, soonest due
            # first; the partial indexes hold only open actions, already in the trays' order, so a
            # tray's first page and its counts read only the rows they show or count.
            models.Index(fields=["owner_agency", "status", "due_date"], name="action_agency_status_due"),
            models.Index(fields=["owner", "status", "due_date"], name="action_owner_status_due"),
            models.Index(
                fields=["owner_agency", "due_date", "reference"], condition=OPEN_Q, name="action_open_agency_due"
            ),
            models.Index(fields=["owner", "due_date", "reference"], condition=OPEN_Q, name="action_open_owner_due"),
            # The case page's plan, and a partner's actions (the cases they can see).
            models.Index(fields=["case", "status", "due_date"], name="action_case_status_due"),
            # Police's "all actions" and the overdue figures.
            models.Index(fields=["due_date", "reference"], condition=OPEN_Q, name="action_open_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="action_description_required"),
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress"], completed_at__isnull=True, completed_by__isnull=True)
                | (Q(status__in=["done", "cancelled"], completed_at__isnull=False) & ~Q(completion_note="")),
                name="action_closed_has_when_and_note",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("safeguarding:action", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()

    @property
    def is_due_soon(self) -> bool:
        """Open and due today or within the next ``SOCEX_ACTION_DUE_SOON_DAYS`` calendar days."""
        from socex.safeguarding.conf import due_soon_days

        today = timezone.localdate()
        return self.is_open and today <= self.due_date <= today + dt.timedelta(days=due_soon_days())


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held: minutes final"


class Meeting(models.Model):
    """A MACE meeting. Its minutes go to each attending agency, redacted to what that agency may see."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=20, unique=True, help_text="MACE-YYYY-NNNNNN")
    title = models.CharField(max_length=200, help_text="For example, Walsall MACE")
    meeting_date = models.DateField("date")
    lpa = models.ForeignKey(
        "areas.LPA",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="local policing area",
    )
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_meetings")
    organiser = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="organised_meetings",
        help_text="The chair's organisation when the meeting was set up.",
    )
    agencies = models.ManyToManyField("accounts.Organisation", related_name="mace_meetings", blank=True)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="mace_meetings", blank=True)
    status = models.CharField(max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-meeting_date", "-reference"]
        indexes = [models.Index(fields=["organiser", "-meeting_date"], name="meeting_organiser_date")]
        verbose_name = "MACE meeting"

    def __str__(self) -> str:
        return f"{self.title} ({self.reference})"

    def get_absolute_url(self) -> str:
        return reverse("safeguarding:meeting", args=[self.pk])


class AgendaItem(models.Model):
    """One case on a meeting's agenda, with what was said and decided about it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="mace_items")
    position = models.PositiveIntegerField()
    discussion = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = "MACE agenda item"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="agenda_case_once"),
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting.reference} item {self.position}"

    def get_absolute_url(self) -> str:
        return reverse("safeguarding:agenda_item", args=[self.meeting_id, self.pk])


class LocationKind(models.TextChoices):
    PARK = "park", "Park or open space"
    TAKEAWAY = "takeaway", "Takeaway or shop"
    TRANSPORT_HUB = "transport_hub", "Transport hub"
    TRAP_HOUSE = "trap_house", "Suspected trap house"
    SCHOOL = "school", "School or college"
    OTHER = "other", "Other"


class Location(models.Model):
    """A place of concern: an address or postcode, or a point on the map, in one LPA."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, help_text="What people call it, e.g. 'Bus station underpass'")
    kind = models.CharField("type", max_length=16, choices=LocationKind.choices)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lpa = models.ForeignKey("areas.LPA", on_delete=models.PROTECT, related_name="+", verbose_name="local policing area")
    notes = models.TextField(blank=True)
    cases = models.ManyToManyField("cases.Case", related_name="locations_of_concern", blank=True)
    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="recorded by agency"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = LocationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "location of concern"
        verbose_name_plural = "locations of concern"
        indexes = [models.Index(fields=["lpa", "kind"], name="location_lpa_kind")]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="location_point_has_both_coordinates",
            ),
            models.CheckConstraint(
                condition=~Q(address="") | ~Q(postcode="") | Q(latitude__isnull=False),
                name="location_has_address_postcode_or_point",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("safeguarding:location", args=[self.pk])

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def where(self) -> str:
        """The address and postcode as one line, or the point when there is neither."""
        parts = [part for part in (self.address, self.postcode) if part]
        if parts:
            return ", ".join(parts)
        return f"{self.latitude}, {self.longitude}" if self.has_point else ""


class PeerGroup(models.Model):
    """Young people seen together, whose group is itself a safeguarding concern."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, help_text="A working name, e.g. 'Caldmore Green group'")
    lpa = models.ForeignKey(
        "areas.LPA",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="local policing area",
    )
    notes = models.TextField(blank=True)
    members = models.ManyToManyField("people.Person", related_name="peer_groups", blank=True)
    cases = models.ManyToManyField("cases.Case", related_name="peer_groups", blank=True)
    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="recorded by agency"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = PeerGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "peer group"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("safeguarding:peer_group", args=[self.pk])


class ReminderSent(models.Model):
    """One reminder email sent to one user on one day, so a second run that day sends none."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    overdue = models.PositiveIntegerField(default=0)
    due_soon = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "sent_on"], name="reminder_once_a_day")]

    def __str__(self) -> str:
        return f"Reminder to {self.user_id} on {self.sent_on}"
