from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "xuanju.documents"
    verbose_name = "文书"
