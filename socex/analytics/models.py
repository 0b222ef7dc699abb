"""Public crime data (data.police.uk) and its monthly aggregates.

``Crime`` holds one row per street-level crime or anti-social behaviour incident, as
imported from the data.police.uk archive CSVs or the API's JSON (``socex.analytics.importing``).
``CrimeCount`` is the aggregate the pages read: counts per month, LPA, LSOA and category,
rebuilt for every month an import touches, so no page ever scans ``Crime``.

Everything here is public, already-anonymised data (snap-point locations, no victims or
suspects), so it is not sensitive in the audit sense; imports are still audited as writes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from socex.analytics.access import AnalyticsQuerySet


class ImportFormat(models.TextChoices):
    ARCHIVE_CSV = "archive_csv", "data.police.uk archive CSV"
    API_JSON = "api_json", "data.police.uk API JSON"


class ImportStatus(models.TextChoices):
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed, nothing imported"


class CrimeImport(models.Model):
    """One run of ``import_crime``: what was read, what went in, and why rows were skipped."""

    source_name = models.CharField(max_length=500, help_text="The file, folder or zip imported.")
    format = models.CharField(max_length=16, choices=ImportFormat.choices)
    months = models.JSONField(default=list, help_text="The months covered, as YYYY-MM strings.")
    force = models.CharField(max_length=100, blank=True, help_text="The force named in 'Reported by'.")
    rows_read = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, help_text="The validation report: skipped rows with file, row and reason.")
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.COMPLETED)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AnalyticsQuerySet["CrimeImport"].as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source_name} ({', '.join(self.months)})"


class Crime(models.Model):
    """A street-level crime or ASB incident. Coordinates are police.uk's anonymised snap points."""

    id = models.BigAutoField(primary_key=True)
    month = models.DateField(help_text="The first day of the month the crime was recorded in.")
    crime_id = models.CharField(
        max_length=64, blank=True, help_text="The data.police.uk Crime ID; blank for anti-social behaviour."
    )
    category = models.CharField(max_length=40, help_text="police.uk category slug, e.g. violent-crime.")
    # Built for bulk loading (ADR 0018): few indexes, since pages read CrimeCount, never this table,
    # and re-imports delete by month and LPA (the one index below); and no database-level foreign
    # keys, whose per-row checks at commit cost PostgreSQL longer than the whole rest of an import.
    # The import fills the keys from the areas tables it has just read, and on_delete=PROTECT is
    # still enforced by Django.
    lsoa = models.ForeignKey(
        "areas.LSOA",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    lpa = models.ForeignKey(
        "areas.LPA", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=200, blank=True)
    crime_import = models.ForeignKey(
        CrimeImport, on_delete=models.CASCADE, related_name="crimes", db_index=False, db_constraint=False
    )

    objects = AnalyticsQuerySet["Crime"].as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["month", "lpa"], name="crime_month_lpa"),
        ]
        constraints = [
            # "ends in -01" rather than month__day=1: on SQLite the day lookup calls a Python
            # function for every row inserted, which made a million-row import several times slower.
            models.CheckConstraint(condition=models.Q(month__endswith="-01"), name="crime_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.month:%Y-%m}"


class CrimeCount(models.Model):
    """Crimes per month, LPA, LSOA (null where no LSOA could be placed) and category."""

    month = models.DateField()
    # The composite indexes below lead with lpa and category, so no separate foreign-key indexes;
    # no database-level foreign keys either, as for Crime (ADR 0018).
    lpa = models.ForeignKey(
        "areas.LPA", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    lsoa = models.ForeignKey(
        "areas.LSOA",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    category = models.CharField(max_length=40)
    count = models.PositiveIntegerField()

    objects = AnalyticsQuerySet["CrimeCount"].as_manager()

    class Meta:
        ordering = ["month", "lpa", "category"]
        indexes = [
            models.Index(fields=["lpa", "category", "month"], name="crimecount_lpa_cat_month"),
            models.Index(fields=["category", "month"], name="crimecount_cat_month"),
        ]
        constraints = [
            # Two partial constraints rather than nulls_distinct=False, which SQLite lacks.
            models.UniqueConstraint(
                fields=["month", "lsoa", "lpa", "category"],
                condition=models.Q(lsoa__isnull=False),
                name="crimecount_unique",
            ),
            models.UniqueConstraint(
                fields=["month", "lpa", "category"],
                condition=models.Q(lsoa__isnull=True),
                name="crimecount_unique_no_lsoa",
            ),
            models.CheckConstraint(condition=models.Q(month__endswith="-01"), name="crimecount_month_first_day"),
            models.CheckConstraint(condition=models.Q(count__gt=0), name="crimecount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.category}: {self.count}"


class CrimeLPAMonth(models.Model):
    """Crimes per month, LPA and category: ``CrimeCount`` summed over LSOAs, a few thousand rows.

    Rebuilt with ``CrimeCount`` for the months an import touches, so pages that compare LPAs or
    draw monthly trends read this small table instead of summing the per-LSOA one.
    """

    month = models.DateField()
    lpa = models.ForeignKey(
        "areas.LPA", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    category = models.CharField(max_length=40)
    count = models.PositiveIntegerField()

    objects = AnalyticsQuerySet["CrimeLPAMonth"].as_manager()

    class Meta:
        ordering = ["month", "lpa", "category"]
        verbose_name = "crime count by LPA and month"
        indexes = [models.Index(fields=["category", "month"], name="crimelpamonth_cat_month")]
        constraints = [
            models.UniqueConstraint(fields=["lpa", "category", "month"], name="crimelpamonth_unique"),
            models.CheckConstraint(condition=models.Q(month__endswith="-01"), name="crimelpamonth_month_first_day"),
            models.CheckConstraint(condition=models.Q(count__gt=0), name="crimelpamonth_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.category}: {self.count}"
