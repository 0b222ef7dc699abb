from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "socex.accounts"
    label = "accounts"
