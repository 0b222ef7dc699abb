"""Reference geography: forces, local policing areas (LPAs), hubs and LSOAs.

All of it is data loaded from files (``manage.py load_reference``), never code, so another
force can load its own. LPA membership is effective-dated because force structures change.
"""

from __future__ import annotations

from django.db import models

from socex.areas.access import AreaQuerySet


class Force(models.Model):
    code = models.CharField(max_length=16, unique=True, help_text="ONS police force area code, e.g. E23000014.")
    name = models.CharField(max_length=100, unique=True)

    objects = AreaQuerySet["Force"].as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LPA(models.Model):
    """A local policing area. In the West Midlands each one is a metropolitan borough."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="lpas")
    code = models.CharField(max_length=16, unique=True, help_text="ONS local authority district code.")
    name = models.CharField(max_length=100)
    population = models.PositiveIntegerField(help_text="Usual residents.")
    population_source = models.CharField(max_length=200)
    population_date = models.DateField(
        null=True, blank=True, help_text="The date the population figure describes (Census day for a census)."
    )
    effective_from = models.DateField(null=True, blank=True)
    effective_to = models.DateField(null=True, blank=True)

    objects = AreaQuerySet["LPA"].as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "local policing area"
        constraints = [
            models.UniqueConstraint(fields=["force", "name"], name="lpa_name_unique_in_force"),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_from__isnull=True)
                | models.Q(effective_to__gt=models.F("effective_from")),
                name="lpa_effective_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Hub(models.Model):
    """A SOCEX hub: based in one LPA, serving one or more."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="hubs")
    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100, unique=True)
    base_lpa = models.ForeignKey(LPA, on_delete=models.PROTECT, related_name="based_hubs")
    lpas_served = models.ManyToManyField(LPA, related_name="serving_hubs")

    objects = AreaQuerySet["Hub"].as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LSOA(models.Model):
    """A Lower Layer Super Output Area (2021), with Census 2021 residents by age band."""

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=100)
    lpa = models.ForeignKey(LPA, on_delete=models.PROTECT, related_name="lsoas")
    population = models.PositiveIntegerField()
    population_0_15 = models.PositiveIntegerField(null=True, blank=True)
    population_16_24 = models.PositiveIntegerField(null=True, blank=True)

    objects = AreaQuerySet["LSOA"].as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "LSOA"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
