"""manage.py synth_cases: the benchmark's generator makes what it says, keeps every database rule,
refuses production and says what to do when the geography is missing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from socex.audit.models import Action, Event
from socex.cases.models import Case, CaseSubject, ChronologyEntry, RiskReview
from socex.referrals.models import Referral, ReferralStatus
from socex.safeguarding.models import Action as PlanAction
from socex.sharing.models import Share

pytestmark = pytest.mark.django_db

SMALL = ["--cases", "30", "--referrals", "60", "--chronology", "200", "--actions", "80", "--shares", "5",
         "--big-chronology", "50", "--no-progress"]  # fmt: skip


def synth(*args):
    out = StringIO()
    call_command("synth_cases", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_makes_the_counts_asked_for(west_midlands, wmp, hub_officer, signed_in):
    output = synth(*SMALL)
    assert "Synthetic case work created." in output
    assert Case.objects.count() == 30
    assert CaseSubject.objects.count() >= 30
    assert RiskReview.objects.count() == 30
    assert ChronologyEntry.objects.count() == 200
    assert Referral.objects.count() == 60
    assert Referral.objects.filter(status=ReferralStatus.TRIAGED, case__isnull=False).count() >= 30
    assert PlanAction.objects.count() == 80
    assert Share.objects.count() == 5
    biggest = Case.objects.order_by("id").first()
    assert biggest.chronology.count() >= 50
    assert len(set(Case.objects.values_list("reference", flat=True))) == 30
    assert Event.objects.filter(action=Action.IMPORT, object_type="cases.case").count() == 1
    # The synthetic records work on the pages.
    client = signed_in(hub_officer)
    assert client.get(reverse("cases:detail", args=[biggest.pk])).status_code == 200
    assert client.get(reverse("cases:chronology_pdf", args=[biggest.pk])).status_code == 200
    assert client.get(reverse("cases:dashboard")).context["open_total"] > 0


def test_a_second_run_adds_more_with_fresh_references(west_midlands, wmp):
    synth(*SMALL)
    synth(*SMALL)
    assert Case.objects.count() == 60
    assert len(set(Case.objects.values_list("reference", flat=True))) == 60
    assert len(set(PlanAction.objects.values_list("reference", flat=True))) == 160


def test_it_refuses_production(settings, west_midlands):
    settings.MODE = "production"
    with pytest.raises(CommandError, match="never runs in production"):
        synth(*SMALL)
    assert not Case.objects.exists()


def test_it_needs_the_geography(db):
    with pytest.raises(CommandError, match=r"run `manage\.py load_reference` first"):
        synth(*SMALL)


def test_bad_counts_are_refused(west_midlands):
    with pytest.raises(CommandError):
        synth("--cases", "lots")
    with pytest.raises(CommandError, match="belong to cases"):
        synth("--cases", "0", "--no-progress")
