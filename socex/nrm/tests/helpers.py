"""Helpers for the NRM tests: potential victims and referrals at given stages."""

from __future__ import annotations

from socex.nrm import services
from socex.nrm.services import ExploitationFacts
from socex.people.details import PersonDetails
from socex.people.services import person_create


def make_person(
    actor, *, dob=None, precision="exact", given="Kieran", family="Smith", gender="male", nationality="British"
):
    details = PersonDetails(
        given_name=given,
        family_name=family,
        date_of_birth=dob,
        dob_precision=precision if dob else "",
        gender=gender,
        postcodes=["WS2 8AA"],
    )
    return person_create(actor=actor, details=details, profile={"gender": gender, "nationality": nationality})


def facts(lpa, **values):
    base = {"lpa": lpa, "exploitation_types": ["forced-to-commit-crime"], "location": "uk", "uk_locations": ["Walsall"]}
    return ExploitationFacts(**(base | values))


def start(actor, person, lpa, *, under_18="yes", referred_on=None, case=None, **values):
    consent = values.pop("consent", "")
    consent_on = values.pop("consent_on", None)
    return services.nrm_start(
        actor=actor,
        person=person,
        under_18=under_18,
        facts=facts(lpa, **values),
        consent=consent,
        consent_on=consent_on,
        case=case,
        referred_on=referred_on,
    )


def submitted(actor, person, lpa, on, **values):
    referral = start(actor, person, lpa, referred_on=on, **values)
    return services.nrm_referral_submit(actor=actor, referral=referral, submitted_on=on, ho_reference="HO-1")
