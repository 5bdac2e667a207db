from django.apps import AppConfig


class LimitsConfig(AppConfig):
    name = "xuanju.limits"
    verbose_name = "访问频率限制"
