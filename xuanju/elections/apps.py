from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "xuanju.elections"
    verbose_name = "换届选举"

    def ready(self) -> None:
        from xuanju.elections.inbox_sources import register_sources

        register_sources()  # the inbox (xuanju.accounts.inbox)
