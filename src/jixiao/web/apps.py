from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jixiao.web"
    label = "web"
    verbose_name = "绩效自评"

    def ready(self) -> None:
        from . import textguard

        textguard.connect()
