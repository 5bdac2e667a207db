from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "xuanju.elections"
    verbose_name = "换届选举"
