from django.apps import AppConfig


class CongressConfig(AppConfig):
    name = "xuanju.congress"
    verbose_name = "党员代表大会"

    def ready(self) -> None:
        from xuanju.congress.hooks import CongressFlow
        from xuanju.elections import hooks

        hooks.register(CongressFlow())
