"""Sharing pages: who sees a share (partner yes, unrelated school no), who may revoke it,
the ledger's filters and export, the share form other apps embed, and the legal bases."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from socex.areas.models import Hub
from socex.audit.models import Action, Event
from socex.sharing.models import LegalBasis, Share
from socex.sharing.services import share_revoke
from socex.sharing.tests.factories import backdate, legal_basis, make_share

pytestmark = pytest.mark.django_db

LEDGER = reverse("sharing:list")


def _last(action):
    return Event.objects.filter(action=action).order_by("-id").first()


# --- The ledger -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["hub_detective", "walsall_partner", "auditor"])
def test_the_sharer_the_recipient_and_the_auditor_see_the_share(signed_in, request, share, persona):
    response = signed_in(request.getfixturevalue(persona)).get(LEDGER)
    assert response.status_code == 200
    assert [s.pk for s in response.context["page_obj"].object_list] == [share.pk]
    assert share.reference.encode() in response.content


def test_an_unrelated_school_sees_nothing_in_the_ledger(signed_in, school_outsider, share):
    response = signed_in(school_outsider).get(LEDGER)
    assert response.status_code == 200
    assert list(response.context["page_obj"].object_list) == []
    assert share.reference.encode() not in response.content


def test_people_without_a_ledger_role_are_refused(signed_in, vrp_officer, administrator, share):
    assert signed_in(vrp_officer).get(LEDGER).status_code == 403
    assert signed_in(administrator).get(reverse("sharing:export")).status_code == 403


def test_filters_narrow_the_ledger_and_the_search_is_logged(signed_in, hub_detective, share, hub_record, mace_chair):
    other = make_share(actor=hub_detective, obj=hub_record, organisation=mace_chair.organisation, code="consent")
    share_revoke(actor=hub_detective, share=share, reason="Case closed")
    client = signed_in(hub_detective)
    revoked = client.get(LEDGER, {"status": "revoked"})
    assert [s.pk for s in revoked.context["page_obj"].object_list] == [share.pk]
    by_basis = client.get(LEDGER, {"legal_basis": legal_basis("consent").pk, "status": "active"})
    assert [s.pk for s in by_basis.context["page_obj"].object_list] == [other.pk]
    search = _last(Action.SEARCH)
    assert search.object_type == "sharing.share"
    assert search.search_terms == "Status: Active; Legal basis: Consent of the person concerned"


def test_direction_and_record_type_filters(signed_in, walsall_partner, share):
    client = signed_in(walsall_partner)
    received = client.get(LEDGER, {"direction": "received", "record_type": "areas.hub"})
    assert [s.pk for s in received.context["page_obj"].object_list] == [share.pk]
    made = client.get(LEDGER, {"direction": "made"})
    assert list(made.context["page_obj"].object_list) == []


def test_expiring_and_expired_statuses(signed_in, hub_detective, share, hub_record, mace_chair):
    ending = make_share(actor=hub_detective, obj=hub_record, organisation=mace_chair.organisation, days=3)
    backdate(share, until_days_ago=2)
    client = signed_in(hub_detective)
    assert [s.pk for s in client.get(LEDGER, {"status": "expiring"}).context["page_obj"].object_list] == [ending.pk]
    assert [s.pk for s in client.get(LEDGER, {"status": "expired"}).context["page_obj"].object_list] == [share.pk]


def test_a_bad_filter_is_explained(signed_in, hub_detective, share):
    response = signed_in(hub_detective).get(LEDGER, {"legal_basis": "99999"})
    assert b"Choose a legal basis from the list" in response.content


# --- One share ----------------------------------------------------------------------------------


def test_the_recipient_sees_the_share_and_the_view_is_audited(signed_in, walsall_partner, share):
    response = signed_in(walsall_partner).get(reverse("sharing:detail", args=[share.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Hub contact list for the MACE meeting" in content
    assert "Children Act 1989, section 47" in content
    assert "Revoke this share" not in content
    view = _last(Action.VIEW)
    assert (view.object_type, view.object_id, view.actor_id) == ("sharing.share", str(share.pk), walsall_partner.pk)


def test_an_unrelated_school_gets_404_for_a_share_between_wmp_and_walsall(signed_in, school_outsider, share):
    client = signed_in(school_outsider)
    assert client.get(reverse("sharing:detail", args=[share.pk])).status_code == 404
    assert client.get(reverse("sharing:revoke", args=[share.pk])).status_code == 404
    assert client.post(reverse("sharing:revoke", args=[share.pk]), {"reason": "x"}).status_code == 404


def test_the_sharer_sees_the_revoke_button(signed_in, hub_officer, share):
    response = signed_in(hub_officer).get(reverse("sharing:detail", args=[share.pk]))
    assert b"Revoke this share" in response.content


# --- Revoking -----------------------------------------------------------------------------------


def test_the_recipient_cannot_revoke(signed_in, walsall_partner, share):
    client = signed_in(walsall_partner)
    url = reverse("sharing:revoke", args=[share.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "We no longer need it"}).status_code == 403
    share.refresh_from_db()
    assert share.revoked_at is None


def test_a_colleague_at_the_sharing_organisation_revokes_with_a_reason(signed_in, hub_officer, share):
    client = signed_in(hub_officer)
    url = reverse("sharing:revoke", args=[share.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Case closed at MACE on 3 July"})
    assert response.status_code == 302
    assert response["Location"] == reverse("sharing:detail", args=[share.pk])
    share.refresh_from_db()
    assert share.status == "Revoked"
    assert _last(Action.UNSHARE).justification == "Case closed at MACE on 3 July"


def test_revoking_without_a_reason_is_explained_and_changes_nothing(signed_in, hub_officer, share):
    response = signed_in(hub_officer).post(reverse("sharing:revoke", args=[share.pk]), {"reason": ""})
    assert response.status_code == 200
    assert b"Enter why the share is being revoked" in response.content
    share.refresh_from_db()
    assert share.revoked_at is None


def test_revoking_twice_is_explained(signed_in, hub_officer, share):
    share_revoke(actor=hub_officer, share=share, reason="Case closed")
    response = signed_in(hub_officer).post(reverse("sharing:revoke", args=[share.pk]), {"reason": "Again"})
    assert b"This share was already revoked" in response.content
    assert Event.objects.filter(action=Action.UNSHARE).count() == 1


# --- Export -------------------------------------------------------------------------------------


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_export_gives_what_the_user_may_see_and_is_logged(
    signed_in, walsall_partner, share, hub_detective, hub_record, mace_chair
):
    make_share(actor=hub_detective, obj=hub_record, organisation=mace_chair.organisation)  # not Walsall's
    response = signed_in(walsall_partner).get(reverse("sharing:export"), {"status": "active"})
    rows = _csv(response)
    assert rows[0][0] == "Reference"
    assert [row[0] for row in rows[1:]] == [share.reference]
    assert rows[1][4] == "Walsall Council Early Help"
    export = _last(Action.EXPORT)
    assert (export.export_count, export.object_type, export.actor_id) == (1, "sharing.share", walsall_partner.pk)
    assert export.detail["filters"] == {"Status": "Active"}


def test_export_with_a_bad_filter_goes_back_to_the_ledger(signed_in, walsall_partner, share):
    response = signed_in(walsall_partner).get(reverse("sharing:export"), {"status": "forever"})
    assert response.status_code == 302
    assert not Event.objects.filter(action=Action.EXPORT).exists()


# --- The share form other apps embed ------------------------------------------------------------


pytestmark_urls = pytest.mark.urls("socex.sharing.tests.urls")


def _share_url(code="coventry"):
    return reverse("test_hub_share", args=[code])


def _form_data(organisation, **changes):
    data = {
        "organisation": organisation.pk,
        "legal_basis": legal_basis().pk,
        "scope": "Hub staffing list for the joint visit",
        "until": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
    }
    data.update(changes)
    return data


@pytestmark_urls
def test_the_share_form_lists_other_organisations_and_active_bases(signed_in, hub_detective, walsall):
    response = signed_in(hub_detective).get(_share_url())
    assert response.status_code == 200
    organisations = list(response.context["form"].fields["organisation"].queryset)
    assert walsall in organisations
    assert hub_detective.organisation not in organisations
    assert b"Children Act 2004, section 11" in response.content


@pytestmark_urls
def test_sharing_through_the_form_writes_the_ledger_and_goes_back(signed_in, hub_detective, walsall):
    response = signed_in(hub_detective).post(_share_url(), _form_data(walsall))
    assert response.status_code == 302
    assert response["Location"] == reverse("areas:hub", args=["coventry"])
    share = Share.objects.get()
    assert (share.object_repr, share.organisation) == ("Coventry SOCEX Hub", walsall)
    assert _last(Action.SHARE).justification == legal_basis().title


@pytestmark_urls
def test_bad_share_input_is_shown_by_the_field_and_nothing_is_shared(signed_in, hub_detective, walsall):
    data = _form_data(walsall, until="2020-01-01", scope="")
    response = signed_in(hub_detective).post(_share_url(), data)
    assert response.status_code == 200
    assert b"Enter what is being shared and why" in response.content
    past = signed_in(hub_detective).post(_share_url(), _form_data(walsall, until="2020-01-01"))
    assert b"The last day of the share must be today or in the future" in past.content
    impossible = signed_in(hub_detective).post(_share_url(), _form_data(walsall, until="2030-02-30"))
    assert b"Last day of the share must be a real date" in impossible.content
    assert not Share.objects.exists()


@pytestmark_urls
def test_people_who_may_not_share_are_refused(signed_in, walsall_partner, hub_detective):
    client = signed_in(walsall_partner)
    assert client.get(_share_url()).status_code == 403
    assert client.post(_share_url(), _form_data(hub_detective.organisation)).status_code == 403
    assert not Share.objects.exists()


@pytestmark_urls
def test_the_share_form_lists_only_the_shares_the_user_may_see_in_the_ledger(
    signed_in, hub_detective, mace_chair, walsall
):
    wolverhampton = Hub.objects.get(code="wolverhampton")
    police_to_walsall = make_share(actor=hub_detective, obj=wolverhampton, organisation=walsall)
    url = _share_url("wolverhampton")
    assert list(signed_in(hub_detective).get(url).context["current_shares"]) == [police_to_walsall]
    # Sandwell may share the hub too, but a share between two other organisations stays unconfirmed.
    response = signed_in(mace_chair).get(url)
    assert response.status_code == 200
    assert list(response.context["current_shares"]) == []
    assert police_to_walsall.reference.encode() not in response.content


@pytestmark_urls
def test_a_record_the_user_cannot_see_is_a_404_before_sharing(signed_in, hub_detective):
    assert signed_in(hub_detective).get(_share_url("atlantis")).status_code == 404


# --- Legal bases ----------------------------------------------------------------------------


def test_administrators_list_the_legal_bases(signed_in, administrator):
    response = signed_in(administrator).get(reverse("sharing:legal_bases"))
    assert response.status_code == 200
    assert b"Crime and Disorder Act 1998, section 115" in response.content


@pytest.mark.parametrize("persona", ["hub_detective", "walsall_partner", "auditor"])
def test_only_administrators_manage_legal_bases(signed_in, request, persona):
    client = signed_in(request.getfixturevalue(persona))
    basis = legal_basis()
    assert client.get(reverse("sharing:legal_bases")).status_code == 403
    assert client.get(reverse("sharing:legal_basis_new")).status_code == 403
    assert client.get(reverse("sharing:legal_basis_edit", args=[basis.pk])).status_code == 403
    assert client.post(reverse("sharing:legal_basis_active", args=[basis.pk]), {"active": "0"}).status_code == 403
    assert LegalBasis.objects.get(pk=basis.pk).is_active


def test_a_legal_basis_that_does_not_exist_is_a_404(signed_in, administrator):
    assert signed_in(administrator).get(reverse("sharing:legal_basis_edit", args=[987654])).status_code == 404


def test_adding_a_legal_basis(signed_in, administrator):
    response = signed_in(administrator).post(
        reverse("sharing:legal_basis_new"),
        {"title": "Education Act 2002, section 175", "description": "Schools' safeguarding duty", "code": ""},
    )
    assert response.status_code == 302
    basis = LegalBasis.objects.get(code="education-act-2002-section-175")
    assert basis.is_active
    assert _last(Action.CREATE).object_id == str(basis.pk)


def test_a_duplicate_title_is_explained(signed_in, administrator):
    response = signed_in(administrator).post(
        reverse("sharing:legal_basis_new"), {"title": "Consent of the person concerned", "description": ""}
    )
    assert response.status_code == 200
    assert b"There is already a legal basis called" in response.content


def test_changing_a_legal_basis(signed_in, administrator):
    basis = legal_basis("consent")
    url = reverse("sharing:legal_basis_edit", args=[basis.pk])
    assert signed_in(administrator).get(url).status_code == 200
    response = signed_in(administrator).post(url, {"title": "Consent (freely given)", "description": "Informed"})
    assert response.status_code == 302
    basis.refresh_from_db()
    assert (basis.title, basis.code) == ("Consent (freely given)", "consent")
    assert _last(Action.UPDATE).changes["title"] == ["Consent of the person concerned", "Consent (freely given)"]


def test_a_withdrawn_legal_basis_is_no_longer_offered(signed_in, administrator, settings):
    basis = legal_basis("consent")
    response = signed_in(administrator).post(reverse("sharing:legal_basis_active", args=[basis.pk]), {"active": "0"})
    assert response.status_code == 302
    from socex.sharing.forms import ShareForm

    assert basis not in ShareForm(sharer=None).fields["legal_basis"].queryset
    signed_in(administrator).post(reverse("sharing:legal_basis_active", args=[basis.pk]), {"active": "1"})
    assert LegalBasis.objects.get(pk=basis.pk).is_active


def test_setting_a_legal_basis_active_needs_a_post(signed_in, administrator):
    basis = legal_basis()
    assert signed_in(administrator).get(reverse("sharing:legal_basis_active", args=[basis.pk])).status_code == 405


# --- Dashboard ----------------------------------------------------------------------------------


def _sharing_panel(client):
    panels = client.get(reverse("core:home")).context["panels"]
    return next(p for p in panels if p.title == "Sharing")


def test_the_recipient_sees_what_is_shared_with_them(signed_in, walsall_partner, share, hub_detective, hub_record):
    make_share(actor=hub_detective, obj=hub_detective.team, organisation=walsall_partner.organisation, days=5)
    figures = {f.label: f for f in _sharing_panel(signed_in(walsall_partner)).figures}
    assert figures["Records shared with your organisation"].value == "2"
    assert figures["Shares ending within 14 days"].value == "1"
    assert figures["Records your organisation has shared"].value == "0"
    assert figures["Records shared with your organisation"].href == f"{LEDGER}?direction=received&status=active"


def test_the_sharer_sees_what_they_have_shared(signed_in, hub_detective, share):
    figures = {f.label: f.value for f in _sharing_panel(signed_in(hub_detective)).figures}
    assert figures["Records your organisation has shared"] == "1"
    assert figures["Records shared with your organisation"] == "0"


def test_no_sharing_panel_without_a_sharing_role(signed_in, vrp_officer, auditor):
    for user in (vrp_officer, auditor):
        panels = signed_in(user).get(reverse("core:home")).context["panels"]
        assert all(p.title != "Sharing" for p in panels)
