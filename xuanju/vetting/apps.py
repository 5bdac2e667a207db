from django.apps import AppConfig


class VettingConfig(AppConfig):
    name = "xuanju.vetting"
    verbose_name = "人选考察"

    def ready(self) -> None:
        from xuanju.elections import hooks
        from xuanju.vetting.hooks import VettingChecks

        hooks.register_candidacy(VettingChecks())
