"""share_grant / share_revoke, legal bases, and the query helpers later apps build on."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from socex.accounts.models import Team
from socex.areas.models import Hub
from socex.audit.models import Action, Event
from socex.sharing import services
from socex.sharing.models import LegalBasis, Share
from socex.sharing.tests.factories import backdate, legal_basis, make_share

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _grant(actor, obj, organisation, **changes):
    arguments = {
        "actor": actor,
        "obj": obj,
        "organisation": organisation,
        "legal_basis": legal_basis(),
        "scope": "Chronology for the strategy meeting",
        "until": TODAY() + dt.timedelta(days=10),
    }
    arguments.update(changes)
    return services.share_grant(**arguments)


def test_the_default_legal_bases_are_loaded():
    codes = set(LegalBasis.objects.values_list("code", flat=True))
    assert {
        "children-act-1989-s17",
        "children-act-1989-s47",
        "children-act-2004-s11",
        "crime-and-disorder-act-1998-s115",
        "dpa-2018-sch8-para4",
        "dpa-2018-s35",
        "pcsc-act-2022-s16",
        "modern-slavery-act-2015-s52",
        "consent",
    } <= codes
    assert all(basis.description for basis in LegalBasis.objects.all())


def test_granting_a_share_records_it_in_the_ledger_and_the_audit_log(share, hub_detective, hub_record, walsall):
    assert share.reference == f"SHR-{TODAY().year}-000001"
    assert (share.object_id, share.object_repr, share.record_type) == (str(hub_record.pk), str(hub_record), "areas.hub")
    assert share.shared_by == hub_detective
    assert share.shared_by_organisation == hub_detective.organisation
    assert share.status == "Active"
    event = Event.objects.filter(action=Action.SHARE).get()
    assert (event.object_type, event.object_id) == ("areas.hub", str(hub_record.pk))
    assert event.actor_id == hub_detective.pk
    assert event.justification == "Children Act 1989, section 47 (child protection enquiries)"
    assert event.detail["recipient"] == "Walsall Council Early Help"
    assert event.detail["recipient_id"] == str(walsall.pk)
    assert event.detail["scope"] == "Hub contact list for the MACE meeting"
    assert event.detail["until"] == share.until.isoformat()
    assert event.detail["share_reference"] == share.reference


def test_references_count_up_within_the_year(share, hub_detective, hub_record, mace_chair):
    second = _grant(hub_detective, hub_record, mace_chair.organisation)
    assert second.reference == f"SHR-{TODAY().year}-000002"


def test_numbering_starts_again_each_year(share):
    from django.db import transaction

    from socex.core.references import next_reference

    Share.objects.filter(pk=share.pk).update(reference="SHR-2020-000041")
    with transaction.atomic():
        assert next_reference(Share, "SHR", year=2020) == "SHR-2020-000042"
        assert next_reference(Share, "SHR", year=2021) == "SHR-2021-000001"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"until": dt.date(2020, 1, 1)}, "until", "must be today or in the future"),
        ({"scope": "   "}, "scope", "Enter what is being shared and why"),
    ],
)
def test_bad_input_is_named_by_field_and_writes_nothing(hub_detective, hub_record, walsall, changes, field, message):
    before = (Share.objects.count(), Event.objects.count())
    with pytest.raises(ValidationError) as caught:
        _grant(hub_detective, hub_record, walsall, **changes)
    assert message in " ".join(caught.value.message_dict[field])
    assert (Share.objects.count(), Event.objects.count()) == before


def test_a_share_cannot_run_past_the_configured_maximum(settings, hub_detective, hub_record, walsall):
    settings.SOCEX_MAX_SHARE_DAYS = 30
    with pytest.raises(ValidationError) as caught:
        _grant(hub_detective, hub_record, walsall, until=TODAY() + dt.timedelta(days=31))
    assert "(30 days from today)" in caught.value.message_dict["until"][0]
    assert _grant(hub_detective, hub_record, walsall, until=TODAY() + dt.timedelta(days=30)).pk


def test_a_share_with_your_own_organisation_is_refused(hub_detective, hub_record):
    with pytest.raises(ValidationError) as caught:
        _grant(hub_detective, hub_record, hub_detective.organisation)
    assert "your own organisation" in caught.value.message_dict["organisation"][0]


def test_inactive_recipients_and_legal_bases_are_refused_together(hub_detective, hub_record, walsall):
    walsall.is_active = False
    walsall.save(update_fields=["is_active"])
    basis = legal_basis("consent")
    basis.is_active = False
    basis.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as caught:
        _grant(hub_detective, hub_record, walsall, legal_basis=basis)
    assert set(caught.value.message_dict) == {"organisation", "legal_basis"}
    assert "no longer active" in caught.value.message_dict["organisation"][0]


def test_only_sharing_managers_can_share(walsall_partner, hub_record, hub_detective):
    with pytest.raises(PermissionDenied):
        _grant(walsall_partner, hub_record, hub_detective.organisation)
    assert not Share.objects.exists()


def test_the_database_refuses_a_share_with_itself(share):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Share.objects.filter(pk=share.pk).update(organisation=share.shared_by_organisation)


# --- Revoking -----------------------------------------------------------------------------------


def test_a_colleague_in_the_sharing_organisation_can_revoke(share, hub_officer):
    revoked = services.share_revoke(actor=hub_officer, share=share, reason="Case closed")
    assert revoked.status == "Revoked"
    assert revoked.revoked_by == hub_officer
    event = Event.objects.filter(action=Action.UNSHARE).get()
    assert (event.object_type, event.object_id) == ("areas.hub", share.object_id)
    assert event.justification == "Case closed"
    assert event.detail["share_reference"] == share.reference


def test_the_recipient_cannot_revoke(share, walsall_partner):
    with pytest.raises(PermissionDenied):
        services.share_revoke(actor=walsall_partner, share=share, reason="Not needed")
    share.refresh_from_db()
    assert share.revoked_at is None


def test_revoking_needs_a_reason_and_happens_once(share, hub_detective):
    with pytest.raises(ValidationError) as caught:
        services.share_revoke(actor=hub_detective, share=share, reason="  ")
    assert "Enter why" in caught.value.message_dict["reason"][0]
    services.share_revoke(actor=hub_detective, share=share, reason="Case closed")
    with pytest.raises(ValidationError) as again:
        services.share_revoke(actor=hub_detective, share=share, reason="Again")
    assert "already revoked" in again.value.message_dict["reason"][0]
    assert Event.objects.filter(action=Action.UNSHARE).count() == 1


# --- Queries for other apps ---------------------------------------------------------------------


def test_active_shared_ids_works_for_integer_and_uuid_keys(share, hub_detective, walsall, mace_chair):
    """Hubs have integer keys, teams UUIDs; the ledger keeps both as text."""
    team = hub_detective.team
    make_share(actor=hub_detective, obj=team, organisation=walsall)
    coventry = Hub.objects.get(code="coventry")
    make_share(actor=hub_detective, obj=coventry, organisation=mace_chair.organisation)  # someone else's
    hubs = Hub.objects.filter(pk__in=services.active_shared_ids(Hub, walsall))
    teams = Team.objects.filter(pk__in=services.active_shared_ids(Team, walsall))
    assert list(hubs) == [Hub.objects.get(code="birmingham")]
    assert list(teams) == [team]
    assert services.active_shared_ids(Hub, None) == []


def test_revoked_and_expired_shares_give_no_access(share, hub_detective, hub_record, walsall):
    team_share = make_share(actor=hub_detective, obj=hub_detective.team, organisation=walsall)
    assert services.is_shared_with(hub_record, walsall)
    services.share_revoke(actor=hub_detective, share=share, reason="Case closed")
    backdate(team_share, until_days_ago=1)
    assert not services.is_shared_with(hub_record, walsall)
    assert not services.is_shared_with(hub_detective.team, walsall)
    assert services.active_shared_ids(Hub, walsall) == []
    assert services.active_shared_ids(Team, walsall) == []


def test_a_share_is_in_force_through_its_last_day(share, hub_record, walsall):
    assert Share.objects.active(on=share.until).filter(pk=share.pk).exists()
    assert not Share.objects.active(on=share.until + dt.timedelta(days=1)).exists()


def test_shares_for_lists_every_share_of_a_record(share, hub_detective, hub_record, mace_chair):
    second = _grant(hub_detective, hub_record, mace_chair.organisation)
    services.share_revoke(actor=hub_detective, share=share, reason="Case closed")
    assert set(services.shares_for(hub_record)) == {share, second}
    assert list(services.shares_for(hub_record).active()) == [second]


# --- Legal bases ------------------------------------------------------------------------------


def test_an_administrator_adds_a_legal_basis_and_it_is_audited(administrator):
    basis = services.legal_basis_create(
        actor=administrator, title="Children and Social Work Act 2017, section 16", description="Safeguarding partners"
    )
    assert basis.code == "children-and-social-work-act-2017-section-16"
    event = Event.objects.filter(action=Action.CREATE, object_type="sharing.legalbasis").get()
    assert event.changes["title"] == [None, "Children and Social Work Act 2017, section 16"]


def test_legal_basis_titles_and_codes_are_unique(administrator):
    with pytest.raises(ValidationError) as title:
        services.legal_basis_create(actor=administrator, title="consent of the person concerned", description="")
    assert "already a legal basis" in title.value.message_dict["title"][0]
    with pytest.raises(ValidationError) as code:
        services.legal_basis_create(actor=administrator, title="Another", code="consent", description="")
    assert "already used" in code.value.message_dict["code"][0]


def test_changing_and_withdrawing_a_legal_basis_is_audited(administrator):
    basis = legal_basis("consent")
    services.legal_basis_update(actor=administrator, legal_basis=basis, title="Consent", description="Freely given")
    services.legal_basis_set_active(actor=administrator, legal_basis=basis, active=False)
    changes = [e.changes for e in Event.objects.filter(object_type="sharing.legalbasis").order_by("id")]
    assert changes[0]["title"] == ["Consent of the person concerned", "Consent"]
    assert changes[1] == {"is_active": [True, False]}
    assert not LegalBasis.objects.active().filter(pk=basis.pk).exists()


def test_only_administrators_change_legal_bases(hub_detective):
    with pytest.raises(PermissionDenied):
        services.legal_basis_set_active(actor=hub_detective, legal_basis=legal_basis(), active=False)
    assert legal_basis().is_active
