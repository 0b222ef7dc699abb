"""A stand-in for the case-work apps still to come, installed only in the test settings.

It links to people the two ways later apps will (a subject and a set of participants), so tests
prove that a merge moves every link to the survivor and an unmerge puts each one back.
"""

from django.db import models


class CaseFile(models.Model):
    title = models.CharField(max_length=100)
    subject = models.ForeignKey("people.Person", null=True, on_delete=models.PROTECT, related_name="+")
    participants = models.ManyToManyField("people.Person", related_name="+", blank=True)

    def __str__(self) -> str:
        return self.title
