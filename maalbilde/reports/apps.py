from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "maalbilde.reports"
    label = "reports"
    verbose_name = "Rapporter"
