from django.urls import path

from socex.funding import views

app_name = "funding"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("budgets/new/", views.budget_create, name="budget_create"),
    path("budgets/<int:budget_id>/", views.budget_detail, name="budget"),
    path("budgets/<int:budget_id>/allocate/", views.allocation_create, name="allocation_create"),
    path("allocations/<int:allocation_id>/", views.allocation_detail, name="allocation"),
    path("allocations/<int:allocation_id>/change/", views.allocation_edit, name="allocation_edit"),
    path("allocations/<int:allocation_id>/claim/", views.claim_create, name="claim_create"),
    path("allocations/<int:allocation_id>/return/", views.return_create, name="return_create"),
    path("claims/<int:claim_id>/decide/", views.claim_decide, name="claim_decide"),
    path("bids/", views.bid_list, name="bids"),
    path("bids/new/", views.bid_create, name="bid_create"),
    path("bids/<int:bid_id>/", views.bid_detail, name="bid"),
    path("bids/<int:bid_id>/decide/", views.bid_decide, name="bid_decide"),
    path("response-awards/", views.award_list, name="awards"),
    path("response-awards/new/", views.award_create, name="award_create"),
    path("cases/<int:case_id>/refer/", views.refer_case, name="refer_case"),
    path("reports/allocations/", views.allocation_report, name="allocation_report"),
]
