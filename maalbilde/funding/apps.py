from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "maalbilde.funding"
    label = "funding"
    verbose_name = "Finansiering"
