from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "maalbilde.plans"
    verbose_name = _("Plans")
