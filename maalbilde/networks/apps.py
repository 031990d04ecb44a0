from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "maalbilde.networks"
    label = "networks"
    verbose_name = "Nettverk"
