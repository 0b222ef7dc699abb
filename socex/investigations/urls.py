from django.urls import path

from socex.investigations import views

app_name = "investigations"

urlpatterns = [
    path("", views.investigation_list, name="list"),
    path("new/", views.investigation_create, name="create"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("workload/", views.workload_page, name="workload"),
    path("workload/staff/", views.staff_edit, name="staff_edit"),
    path("disruptions/", views.disruption_list, name="disruptions"),
    path("disruptions/new/", views.disruption_create, name="disruption_create"),
    path("operations/", views.operation_list, name="operations"),
    path("operations/new/", views.operation_create, name="operation_create"),
    path("operations/<int:operation_id>/", views.operation_detail, name="operation"),
    path("<str:reference>/", views.investigation_detail, name="detail"),
    path("<str:reference>/status/", views.investigation_status, name="status"),
    path("<str:reference>/people/", views.investigation_add_person, name="add_person"),
    path("<str:reference>/outcomes/", views.investigation_outcome, name="outcome"),
]
