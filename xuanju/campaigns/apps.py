from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "xuanju.campaigns"
    verbose_name = "集中换届"
