from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "maalbilde.plans"
    verbose_name = _("Plans")

    def ready(self) -> None:
        from maalbilde.data.apps import figures_changed_on_save
        from maalbilde.organisations.services import placements_register
        from maalbilde.plans.models import Indicator, Plan, PlanVersion, Target
        from maalbilde.plans.services import plan_placements

        figures_changed_on_save(Plan, PlanVersion, Indicator, Target)
        # A plan's targets and tasks stay inside its owner when organisations move.
        placements_register(plan_placements)
