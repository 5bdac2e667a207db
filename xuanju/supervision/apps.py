from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "xuanju.supervision"
    verbose_name = "纪律和监督"

    def ready(self) -> None:
        from xuanju.supervision.inbox_sources import register_sources

        register_sources()  # the inbox (xuanju.accounts.inbox)
