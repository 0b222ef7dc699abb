"""The NRM app's services: every change to an NRM record goes through one of these functions.

They are typed, keyword-only, atomic, refuse a broken rule with a ``ValidationError`` that names
the rule, and write their own audit events. Pages, the API, commands and the demo all call them.
"""

from socex.nrm.services.decisions import (
    current_decision,
    decision_record,
    reconsideration_decide,
    reconsideration_request,
    status_for,
)
from socex.nrm.services.first_responders import (
    first_responder_add,
    first_responder_for,
    first_responder_remove,
    first_responders_sync,
    require_first_responder,
)
from socex.nrm.services.published import published_figure_add, published_figure_delete, published_import
from socex.nrm.services.referrals import (
    REFUSED,
    ExploitationFacts,
    age_group_for,
    dtn_create,
    dtn_submit,
    nrm_age_assessment_record,
    nrm_referral_create,
    nrm_referral_submit,
    nrm_referral_update,
    nrm_start,
    pack_answers_save,
    pack_chronology_set,
    support_referral_add,
    support_referral_update,
)

__all__ = [
    "REFUSED",
    "ExploitationFacts",
    "age_group_for",
    "current_decision",
    "decision_record",
    "dtn_create",
    "dtn_submit",
    "first_responder_add",
    "first_responder_for",
    "first_responder_remove",
    "first_responders_sync",
    "nrm_age_assessment_record",
    "nrm_referral_create",
    "nrm_referral_submit",
    "nrm_referral_update",
    "nrm_start",
    "pack_answers_save",
    "pack_chronology_set",
    "published_figure_add",
    "published_figure_delete",
    "published_import",
    "reconsideration_decide",
    "reconsideration_request",
    "require_first_responder",
    "status_for",
    "support_referral_add",
    "support_referral_update",
]
