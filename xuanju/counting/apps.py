from django.apps import AppConfig


class CountingConfig(AppConfig):
    name = "xuanju.counting"
    verbose_name = "计票"

    def ready(self) -> None:
        from xuanju.counting.closing import CountingFlow
        from xuanju.elections import hooks

        hooks.register_counting(CountingFlow())
