from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "xuanju.audit"
    verbose_name = "审计"
