from django.urls import path

from socex.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("two-factor/", views.mfa, name="mfa"),
    path("users/", views.user_list, name="user_list"),
]
