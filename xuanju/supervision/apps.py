from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "xuanju.supervision"
    verbose_name = "纪律和监督"
