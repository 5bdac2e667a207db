from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xuanju.accounts"
    verbose_name = "账号"
