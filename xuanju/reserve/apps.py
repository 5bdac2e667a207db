from django.apps import AppConfig


class ReserveConfig(AppConfig):
    name = "xuanju.reserve"
    verbose_name = "后备人才库"
