from django.urls import path

from socex.safeguarding.views import actions, context, meetings

app_name = "safeguarding"

urlpatterns = [
    # The safeguarding plan: work trays and actions.
    path("", actions.tray, name="tray"),
    path("agency/", actions.agency_tray, name="agency_tray"),
    path("actions/", actions.all_actions, name="actions"),
    path("actions/<uuid:action_id>/", actions.action_detail, name="action"),
    path("actions/<uuid:action_id>/update/", actions.action_update, name="action_update"),
    path("actions/<uuid:action_id>/complete/", actions.action_complete, name="action_complete"),
    path("actions/<uuid:action_id>/cancel/", actions.action_cancel, name="action_cancel"),
    path("cases/<int:case_id>/actions/new/", actions.action_new, name="action_new"),
    path("overdue/", actions.overdue_by_agency, name="overdue"),
    # MACE meetings.
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("meetings/<uuid:meeting_id>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<uuid:meeting_id>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<uuid:meeting_id>/attendees/", meetings.meeting_attendees, name="meeting_attendees"),
    path("meetings/<uuid:meeting_id>/agenda/add/", meetings.agenda_add, name="agenda_add"),
    path("meetings/<uuid:meeting_id>/items/<uuid:item_id>/", meetings.agenda_item, name="agenda_item"),
    path(
        "meetings/<uuid:meeting_id>/items/<uuid:item_id>/actions/new/",
        meetings.agenda_action_new,
        name="agenda_action_new",
    ),
    path("meetings/<uuid:meeting_id>/finalise/", meetings.meeting_finalise, name="meeting_finalise"),
    path("meetings/<uuid:meeting_id>/minutes.pdf", meetings.minutes, name="minutes"),
    # Contextual safeguarding.
    path("locations/", context.location_list, name="locations"),
    path("locations/new/", context.location_new, name="location_new"),
    path("locations/lpa/<str:lpa_code>/", context.location_map, name="location_map"),
    path("locations/<uuid:location_id>/", context.location_detail, name="location"),
    path("locations/<uuid:location_id>/edit/", context.location_edit, name="location_edit"),
    path("locations/<uuid:location_id>/cases/", context.location_link, name="location_link"),
    path("locations/<uuid:location_id>/cases/<int:case_id>/remove/", context.location_unlink, name="location_unlink"),
    path("peer-groups/", context.peer_group_list, name="peer_groups"),
    path("peer-groups/new/", context.peer_group_new, name="peer_group_new"),
    path("peer-groups/<uuid:group_id>/", context.peer_group_detail, name="peer_group"),
    path("peer-groups/<uuid:group_id>/edit/", context.peer_group_edit, name="peer_group_edit"),
    path("peer-groups/<uuid:group_id>/members/", context.peer_group_add_member, name="peer_group_member_add"),
    path(
        "peer-groups/<uuid:group_id>/members/<int:person_id>/remove/",
        context.peer_group_remove_member,
        name="peer_group_member_remove",
    ),
    path("peer-groups/<uuid:group_id>/cases/", context.peer_group_link, name="peer_group_link"),
    path(
        "peer-groups/<uuid:group_id>/cases/<int:case_id>/remove/",
        context.peer_group_unlink,
        name="peer_group_unlink",
    ),
]
