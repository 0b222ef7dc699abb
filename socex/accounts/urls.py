from django.urls import path

from socex.accounts.views import account, auth, directory, mfa, users

app_name = "accounts"
urlpatterns = [
    # Signing in (every path under login/ is reachable without a session).
    path("login/", auth.sign_in, name="login"),
    path("login/new-password/", auth.new_password, name="new_password"),
    path("logout/", auth.sign_out, name="logout"),
    # Two-factor authentication (reachable before the code is given).
    path("two-factor/", mfa.mfa, name="mfa"),
    path("two-factor/set-up/", mfa.mfa_enrol, name="mfa_enrol"),
    # Your account.
    path("profile/", account.profile, name="profile"),
    path("profile/password/", account.password_change, name="password_change"),
    path("profile/tokens/new/", account.token_create, name="token_create"),
    path("tokens/<uuid:token_id>/revoke/", account.token_revoke, name="token_revoke"),
    # Administration.
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<uuid:user_id>/", users.user_detail, name="user_detail"),
    path("users/<uuid:user_id>/edit/", users.user_edit, name="user_edit"),
    path("users/<uuid:user_id>/active/", users.user_set_active, name="user_set_active"),
    path("users/<uuid:user_id>/reset-mfa/", users.user_reset_mfa, name="user_reset_mfa"),
    path("users/<uuid:user_id>/reset-password/", users.user_reset_password, name="user_reset_password"),
    path("lockouts/", users.lockouts, name="lockouts"),
    path("lockouts/<int:attempt_id>/clear/", users.lockout_clear, name="lockout_clear"),
    path("roles/", directory.role_list, name="role_list"),
    path("roles/new/", directory.role_create, name="role_create"),
    path("roles/<int:role_id>/edit/", directory.role_edit, name="role_edit"),
    path("organisations/", directory.organisation_list, name="organisation_list"),
    path("organisations/new/", directory.organisation_create, name="organisation_create"),
    path("organisations/<uuid:organisation_id>/", directory.organisation_detail, name="organisation_detail"),
    path("organisations/<uuid:organisation_id>/edit/", directory.organisation_edit, name="organisation_edit"),
    path("organisations/<uuid:organisation_id>/teams/new/", directory.team_create, name="team_create"),
    path("teams/<uuid:team_id>/edit/", directory.team_edit, name="team_edit"),
]
