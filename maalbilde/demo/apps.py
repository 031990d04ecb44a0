from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Made-up figures for the four source plans and a network's rounds, and a demo login:
    the top layer, loaded through the same services as people's own data."""

    name = "maalbilde.demo"
    verbose_name = _("Demo data")
