"""The person index: one record per child, adult, suspect or associate, however many agencies know them.

A :class:`Person` holds the details that identify someone; the sub-records (aliases,
identifiers, addresses, phones, emails, markers and the agencies that hold a record) hang off
it. Every person is sensitive: each read goes through ``access.get_person_for`` and is audited.

``MatchKey`` rows are the blocking keys live matching looks up through an index (see
``socex.people.keys``); services rebuild them whenever a person's identifying details change.

A person merged into another keeps its row (``merged_into`` set) so links and the audit
trail stay resolvable, and so :class:`Merge` can be undone exactly.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from socex.people.access import PersonQuerySet


class DobPrecision(models.TextChoices):
    EXACT = "exact", "Exact date"
    YEAR = "year", "Year only"
    AGE = "age", "Estimated from age"


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    SELF_DESCRIBED = "self", "Self-described"
    NOT_KNOWN = "unknown", "Not known"


class Ethnicity(models.TextChoices):
    """ONS Census 2021 ethnic groups (England and Wales), with 'not stated'."""

    ASIAN_BANGLADESHI = "A1", "Asian, Asian British or Asian Welsh: Bangladeshi"
    ASIAN_CHINESE = "A2", "Asian, Asian British or Asian Welsh: Chinese"
    ASIAN_INDIAN = "A3", "Asian, Asian British or Asian Welsh: Indian"
    ASIAN_PAKISTANI = "A4", "Asian, Asian British or Asian Welsh: Pakistani"
    ASIAN_OTHER = "A5", "Asian, Asian British or Asian Welsh: Other Asian"
    BLACK_AFRICAN = "B1", "Black, Black British, Black Welsh, Caribbean or African: African"
    BLACK_CARIBBEAN = "B2", "Black, Black British, Black Welsh, Caribbean or African: Caribbean"
    BLACK_OTHER = "B3", "Black, Black British, Black Welsh, Caribbean or African: Other Black"
    MIXED_WHITE_ASIAN = "M1", "Mixed or Multiple ethnic groups: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = "M2", "Mixed or Multiple ethnic groups: White and Black African"
    MIXED_WHITE_BLACK_CARIBBEAN = "M3", "Mixed or Multiple ethnic groups: White and Black Caribbean"
    MIXED_OTHER = "M4", "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups"
    WHITE_BRITISH = "W1", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "W2", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "W3", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "W4", "White: Roma"
    WHITE_OTHER = "W5", "White: Other White"
    OTHER_ARAB = "O1", "Other ethnic group: Arab"
    OTHER_ANY = "O2", "Other ethnic group: Any other ethnic group"
    NOT_STATED = "NS", "Not stated"


# The categories whose meaning comes from the person's own words.
SELF_DESCRIBED_ETHNICITIES = frozenset(
    {Ethnicity.ASIAN_OTHER, Ethnicity.BLACK_OTHER, Ethnicity.MIXED_OTHER, Ethnicity.WHITE_OTHER, Ethnicity.OTHER_ANY}
)


class Person(models.Model):
    id = models.BigAutoField(primary_key=True)
    given_name = models.CharField(max_length=100, blank=True)
    middle_names = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    preferred_name = models.CharField(max_length=100, blank=True, help_text="The name they like to be called.")
    date_of_birth = models.DateField(
        null=True, blank=True, help_text="Exact, or the middle of the range when only a year or age is known."
    )
    dob_precision = models.CharField("date of birth precision", max_length=8, choices=DobPrecision.choices, blank=True)
    gender = models.CharField(max_length=8, choices=Gender.choices, default=Gender.NOT_KNOWN)
    gender_self_described = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(max_length=2, choices=Ethnicity.choices, default=Ethnicity.NOT_STATED)
    ethnicity_self_described = models.CharField(max_length=100, blank=True)
    nationality = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)

    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="people_owned",
        help_text="The organisation that created the record.",
    )
    lpa = models.ForeignKey("areas.LPA", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_people"
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["merged_into"], name="person_merged_into_idx")]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.reference})"

    @property
    def reference(self) -> str:
        return f"P-{self.pk:07d}" if self.pk else "P-new"

    @property
    def display_name(self) -> str:
        name = " ".join(part for part in (self.given_name, self.family_name) if part)
        return name or "Name not known"

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class PersonPart(models.Model):
    """A detail that belongs to one person (its ``person`` field); merging moves these to the survivor."""

    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class AliasKind(models.TextChoices):
    ALIAS = "alias", "Alias"
    NICKNAME = "nickname", "Nickname or street name"
    PREVIOUS = "previous", "Previous name"
    SPELLING = "spelling", "Other spelling"


class Alias(PersonPart):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(max_length=10, choices=AliasKind.choices, default=AliasKind.ALIAS)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["kind", "family_name", "given_name"]
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)


class IdentifierKind(models.TextChoices):
    PNC = "pnc", "PNC ID"
    NHS = "nhs", "NHS number"
    UPN = "upn", "Unique Pupil Number"
    LA = "la", "Local authority ID"
    PASSPORT = "passport", "Passport number"
    OTHER = "other", "Other"


class Identifier(PersonPart):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=10, choices=IdentifierKind.choices)
    value = models.CharField(max_length=64, help_text="Stored in its normal form (no spaces, upper case).")
    issued_by = models.CharField(max_length=200, blank=True, help_text="The agency or country that issued it.")

    class Meta:
        ordering = ["kind", "value"]
        indexes = [models.Index(fields=["kind", "value"], name="identifier_kind_value_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class Address(PersonPart):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField(max_length=200, blank=True)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True, help_text="Normalised: upper case, one space.")
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-date_from", "-id"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return ", ".join(part for part in (self.line_1, self.line_2, self.town, self.postcode) if part)

    @property
    def is_current(self) -> bool:
        return self.date_to is None or self.date_to >= timezone.localdate()


class Phone(PersonPart):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=20, help_text="E.164, for example +447700900123.")
    label = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number


class Email(PersonPart):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emails")
    address = models.EmailField()

    class Meta:
        ordering = ["address"]

    def __str__(self) -> str:
        return self.address


class MarkerKind(models.TextChoices):
    VIOLENCE = "violence", "Violent"
    WEAPONS = "weapons", "Weapons"
    DRUGS = "drugs", "Drugs"
    SELF_HARM = "self_harm", "Self-harm or suicide risk"
    MENTAL_HEALTH = "mental_health", "Mental health"
    MISSING = "missing", "Goes missing"
    CCE = "cce", "Child criminal exploitation"
    CSE = "cse", "Child sexual exploitation"
    TRAFFICKING = "trafficking", "Modern slavery or trafficking"
    OTHER = "other", "Other"


class Marker(PersonPart):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="markers")
    kind = models.CharField(max_length=16, choices=MarkerKind.choices)
    detail = models.CharField(max_length=300, blank=True)
    date_from = models.DateField(default=timezone.localdate)
    date_to = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-date_from", "kind"]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_current(self) -> bool:
        return self.date_to is None or self.date_to >= timezone.localdate()


class Holding(PersonPart):
    """An agency that holds a record about this person, with its own reference for them."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="holdings")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="people_held")
    local_reference = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.local_reference}" if self.local_reference else str(self.organisation)


class MatchKey(models.Model):
    """One blocking key of one person. Live matching looks keys up through the (key, person) index."""

    id = models.BigAutoField(primary_key=True)
    key = models.CharField(max_length=80)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="match_keys")

    class Meta:
        indexes = [models.Index(fields=["key", "person"], name="matchkey_key_person_idx")]

    def __str__(self) -> str:
        return self.key


class Merge(models.Model):
    """One person (``merged``) folded into another (``survivor``), with what it takes to undo it.

    ``undo`` holds the survivor's fields before the merge, the ids of the parts and links that
    moved, and the ids of anything the merge created; unmerging replays it backwards.
    """

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_survived")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_absorbed")
    reason = models.TextField()
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)
    undo = models.JSONField(default=dict)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undo_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged.reference} merged into {self.survivor.reference}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None


class DedupeRunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Failed"


class DedupeRun(models.Model):
    """One batch run of Splink over the whole index."""

    status = models.CharField(max_length=10, choices=DedupeRunStatus.choices, default=DedupeRunStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    threshold = models.FloatField(help_text="Pairs at or above this match probability are kept for review.")
    people_count = models.PositiveIntegerField(default=0)
    pair_count = models.PositiveIntegerField(default=0)
    cluster_count = models.PositiveIntegerField(default=0)
    model = models.JSONField(default=dict, blank=True, help_text="The trained Splink settings (m and u values).")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Duplicate check {self.requested_at:%d/%m/%Y %H:%M} ({self.get_status_display()})"


class Decision(models.TextChoices):
    PENDING = "pending", "Not yet reviewed"
    SAME = "same", "Same person"
    NOT_SAME = "not_same", "Not the same person"
    UNSURE = "unsure", "Unsure"


class CandidatePair(models.Model):
    """Two people a run thinks may be one. ``person_a`` always has the lower id.

    A pair is unique: a later run updates its score rather than adding it again, and keeps the
    decision an officer made.
    """

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(DedupeRun, on_delete=models.PROTECT, related_name="pairs")
    probability = models.FloatField()
    match_weight = models.FloatField()
    cluster = models.CharField(max_length=40, blank=True)
    explanation = models.JSONField(default=list, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["decision", "-probability"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="candidate_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")), name="candidate_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["decision", "probability"], name="candidate_pair_queue_idx")]

    def __str__(self) -> str:
        return f"{self.person_a.reference} / {self.person_b.reference} ({self.probability:.0%})"
