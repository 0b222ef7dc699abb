"""Every change to safeguarding records: typed, keyword-only, atomic, audited (see each module).

* :mod:`.actions`: the safeguarding plan's actions (create, update, complete, cancel);
* :mod:`.meetings`: MACE meetings, their agendas and decisions;
* :mod:`.context`: locations of concern and peer groups;
* :mod:`socex.safeguarding.minutes`: each agency's redacted copy of the minutes;
* :mod:`socex.safeguarding.tasks`: the daily reminder emails.
"""

from socex.safeguarding.services.actions import action_cancel, action_complete, action_create, action_update
from socex.safeguarding.services.context import (
    context_link_case,
    context_unlink_case,
    location_create,
    location_update,
    peer_group_add_member,
    peer_group_create,
    peer_group_remove_member,
    peer_group_update,
)
from socex.safeguarding.services.meetings import (
    agenda_item_add,
    agenda_item_record,
    meeting_create,
    meeting_finalise,
    meeting_set_attendees,
    meeting_update,
)

__all__ = [
    "action_cancel",
    "action_complete",
    "action_create",
    "action_update",
    "agenda_item_add",
    "agenda_item_record",
    "context_link_case",
    "context_unlink_case",
    "location_create",
    "location_update",
    "meeting_create",
    "meeting_finalise",
    "meeting_set_attendees",
    "meeting_update",
    "peer_group_add_member",
    "peer_group_create",
    "peer_group_remove_member",
    "peer_group_update",
]
