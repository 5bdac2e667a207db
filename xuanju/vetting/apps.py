from django.apps import AppConfig


class VettingConfig(AppConfig):
    name = "xuanju.vetting"
    verbose_name = "人选考察"
