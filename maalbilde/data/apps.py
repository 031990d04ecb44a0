from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataConfig(AppConfig):
    name = "maalbilde.data"
    label = "maalbilde_data"
    verbose_name = _("Data")
