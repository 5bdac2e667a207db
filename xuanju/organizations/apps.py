from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "xuanju.organizations"
    verbose_name = "组织与党员"

    def ready(self) -> None:
        from xuanju.organizations.inbox_sources import register_sources

        register_sources()  # the inbox (xuanju.accounts.inbox)
