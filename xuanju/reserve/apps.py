from django.apps import AppConfig


class ReserveConfig(AppConfig):
    name = "xuanju.reserve"
    verbose_name = "后备人才库"

    def ready(self) -> None:
        from xuanju.elections import hooks
        from xuanju.reserve.hooks import PoolOnResults

        hooks.register_results(PoolOnResults())
