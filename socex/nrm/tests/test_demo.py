"""The demo's NRM records: every stage the work tray shows, made once however often the seed runs."""

from io import StringIO

import pytest
from django.core.management import call_command

from socex.accounts.models import Organisation, User
from socex.demo.nrm import OFFICER, STAGES, seed_demo_nrm
from socex.demo.seed import SeedSummary, demo_password, seed_demo
from socex.nrm.clocks import work_tray
from socex.nrm.models import DutyToNotify, NrmReferral, NrmStatus, PublishedFigure

pytestmark = pytest.mark.django_db


def test_the_demo_has_referrals_at_every_stage_an_overdue_rg_and_a_dtn_once(db):
    call_command("load_reference", stdout=StringIO(), stderr=StringIO())
    summary = seed_demo(password=demo_password())  # runs seed_demo_nrm among the rest
    organisations = {o.name: o for o in Organisation.objects.all()}
    assert summary.created["NRM referrals"] == len(STAGES)
    assert summary.created["Duty to Notify reports"] == 1
    statuses = set(NrmReferral.objects.values_list("status", flat=True))
    assert {
        NrmStatus.DRAFT,
        NrmStatus.AWAITING_RG,
        NrmStatus.AWAITING_CG,
        NrmStatus.NEGATIVE_RG,
        NrmStatus.POSITIVE_CG,
    } <= statuses
    tray = work_tray(User.objects.get(email=OFFICER))
    assert len(tray.rg_overdue) == 1
    assert len(tray.awaiting_rg) == 1
    assert len(tray.reconsiderations) == 1
    assert DutyToNotify.objects.get().submitted_on is not None
    assert PublishedFigure.objects.count() == 10

    again = SeedSummary()
    seed_demo_nrm(organisations=organisations, summary=again)
    assert [again.created[key] for key in ("NRM referrals", "Duty to Notify reports", "published NRM figures")] == [
        0,
        0,
        0,
    ]
    assert again.existing["NRM referrals"] == len(STAGES)
    assert NrmReferral.objects.count() == len(STAGES)
    assert DutyToNotify.objects.count() == 1
