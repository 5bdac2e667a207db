from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "xuanju.organizations"
    verbose_name = "组织与党员"
