from django.urls import path

from socex.sharing import views

app_name = "sharing"
urlpatterns = [
    path("", views.share_list, name="list"),
    path("export.csv", views.share_export, name="export"),
    path("<uuid:share_id>/", views.share_detail, name="detail"),
    path("<uuid:share_id>/revoke/", views.share_revoke, name="revoke"),
    path("legal-bases/", views.legal_basis_list, name="legal_bases"),
    path("legal-bases/new/", views.legal_basis_create, name="legal_basis_new"),
    path("legal-bases/<int:legal_basis_id>/", views.legal_basis_edit, name="legal_basis_edit"),
    path("legal-bases/<int:legal_basis_id>/active/", views.legal_basis_set_active, name="legal_basis_active"),
]
