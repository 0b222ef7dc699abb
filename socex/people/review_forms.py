"""Forms of the duplicate review pages: the queue's filter and the decision on one pair."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from socex.audit.forms import AuditedFilterForm
from socex.core.forms import StyledForm
from socex.people.models import CandidatePair, Decision
from socex.people.review import NOTE_MAX_LENGTH

SHOWN = {
    Decision.SAME: "Decided: same person",
    Decision.NOT_SAME: "Decided: not the same person",
    Decision.UNSURE: "Decided: unsure",
    "all": "Every pair, decided or not",
}


class QueueFilterForm(AuditedFilterForm):
    """Which pairs to list; with no filter, the ones waiting for a decision."""

    decision = forms.ChoiceField(
        label="Decision", required=False, choices=[("", "Waiting for a decision"), *SHOWN.items()]
    )

    def decision_wanted(self) -> str:
        if self.is_valid() and self.cleaned_data["decision"]:
            return str(self.cleaned_data["decision"])
        return Decision.PENDING

    def filter(self, items: QuerySet[CandidatePair]) -> QuerySet[CandidatePair]:
        # The queryset already holds the pairs with the wanted decision (review.pairs_for_review).
        return items


class DecisionForm(StyledForm):
    decision = forms.ChoiceField(
        label="Are these the same person?",
        choices=[
            (Decision.SAME, "Yes, the same person"),
            (Decision.NOT_SAME, "No, different people"),
            (Decision.UNSURE, "Unsure: leave it for someone else to check"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether these are the same person, not the same person, or unsure"},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you checked, for example: different dates of birth confirmed by the school; twins",
        error_messages={"max_length": f"The note must be {NOTE_MAX_LENGTH:,} characters or fewer"},
    )
