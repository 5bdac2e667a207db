from django.apps import AppConfig


class CountingConfig(AppConfig):
    name = "xuanju.counting"
    verbose_name = "计票"
