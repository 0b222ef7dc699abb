"""The shared access rule: not visible -> 404, visible but not editable -> 403, sensitive -> audited."""

import pytest
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404

from socex.accounts.models import Organisation
from socex.audit.models import Action, Event
from socex.core.access import ProtectedQuerySet, get_for
from socex.core.forms import StyledForm

pytestmark = pytest.mark.django_db


class OwnOrganisationOnly(ProtectedQuerySet[Organisation]):
    """A toy rule: you see your own organisation and may change it if you manage users."""

    def visible_to(self, user):
        return self.filter(pk=user.organisation_id)

    def editable_by(self, user):
        return self.visible_to(user).filter(pk__in=[user.organisation_id] if user.has_cap("users.manage") else [])


def organisations() -> OwnOrganisationOnly:
    return OwnOrganisationOnly(model=Organisation)


def test_a_record_you_cannot_see_is_not_found(walsall_partner, school_outsider):
    with pytest.raises(Http404):
        get_for(school_outsider, organisations(), pk=walsall_partner.organisation_id)


def test_a_malformed_id_is_not_found_rather_than_an_error(walsall_partner):
    with pytest.raises(Http404):
        get_for(walsall_partner, organisations(), pk="not-a-uuid")


def test_a_record_you_can_see_but_not_change_is_forbidden(walsall_partner):
    assert get_for(walsall_partner, organisations(), pk=walsall_partner.organisation_id)
    with pytest.raises(PermissionDenied):
        get_for(walsall_partner, organisations(), pk=walsall_partner.organisation_id, need="edit")


def test_an_editor_gets_the_record_to_change(administrator):
    org = get_for(administrator, organisations(), pk=administrator.organisation_id, need="edit")
    assert org.pk == administrator.organisation_id


def test_reading_a_sensitive_record_is_audited_with_its_justification(walsall_partner):
    before = Event.objects.count()
    get_for(walsall_partner, organisations(), pk=walsall_partner.organisation_id, sensitive=True, justification="s47")
    event = Event.objects.order_by("-id").first()
    assert Event.objects.count() == before + 1
    assert event.action == Action.VIEW
    assert event.object_id == str(walsall_partner.organisation_id)
    assert event.justification == "s47"


def test_a_plain_read_is_not_audited(walsall_partner):
    before = Event.objects.count()
    get_for(walsall_partner, organisations(), pk=walsall_partner.organisation_id)
    assert Event.objects.count() == before


def test_an_unknown_need_is_a_programming_error(walsall_partner):
    with pytest.raises(ValueError, match="need must be"):
        get_for(walsall_partner, organisations(), pk=walsall_partner.organisation_id, need="delete")


class ChoicesForm(StyledForm):
    colours = forms.MultipleChoiceField(
        choices=[("red", "Red"), ("blue", "Blue")], widget=forms.CheckboxSelectMultiple, required=True
    )
    size = forms.ChoiceField(choices=[("s", "Small"), ("l", "Large")], widget=forms.RadioSelect)
    name = forms.CharField(help_text="As on the record")


def test_forms_render_as_gov_uk_components_with_errors_beside_fields():
    form = ChoicesForm(data={"name": ""})
    html = str(form)
    assert 'class="govuk-checkboxes' in html
    assert 'type="checkbox" value="red"' in html
    assert 'class="govuk-radios' in html
    assert "govuk-input--error" in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert ("#id_name", "This field is required.") in form.error_summary()
