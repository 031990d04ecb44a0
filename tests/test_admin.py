"""Every model of the plan domain can be browsed and opened in the admin."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from maalbilde.plans.files import read_plan_file
from maalbilde.plans.services import plan_import
from tests.conftest import SHIPPED_PLANS

pytestmark = pytest.mark.django_db

DOMAIN_APPS = {"organisations", "plans", "maalbilde_data"}


def test_admin_lists_and_opens_every_domain_model(client):
    plan_import(document=read_plan_file(next(p for p in SHIPPED_PLANS if "ringve" in p.name)))
    client.force_login(User.objects.create_superuser("admin", password="x"))
    models = [m for m in admin.site._registry if m._meta.app_label in DOMAIN_APPS]
    assert {m.__name__ for m in models} >= {
        "Organisation",
        "Plan",
        "PlanVersion",
        "FocusArea",
        "Goal",
        "Indicator",
        "Target",
        "Initiative",
        "Dataset",
    }
    for model in models:
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        first = model.objects.first()
        if first is not None:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            assert client.get(change).status_code == 200, change


def test_admin_is_closed_to_non_staff(client):
    client.force_login(User.objects.create_user("kari", password="x"))
    response = client.get(reverse("admin:plans_plan_changelist"))
    assert response.status_code == 302


def test_no_admin_page_changes_what_has_a_service_of_its_own(client):
    """Plans, their versions and everything in them, organisations, roles and datasets: adding,
    changing and deleting are refused, and a posted change leaves the row as it was."""
    from maalbilde.data.models import Dataset
    from maalbilde.organisations.models import Membership, Organisation
    from maalbilde.plans.models import Indicator, Plan, Target

    plan_import(document=read_plan_file(next(p for p in SHIPPED_PLANS if "ringve" in p.name)))
    client.force_login(User.objects.create_superuser("admin", password="x"))
    guarded = [m for m in admin.site._registry if m._meta.app_label in DOMAIN_APPS]
    assert {Plan, Indicator, Target, Organisation, Membership, Dataset} <= set(guarded)
    for model in guarded:
        opts, first = model._meta, model.objects.order_by("pk").first()
        before = list(model.objects.order_by("pk").values())
        name = f"admin:{opts.app_label}_{opts.model_name}"
        assert client.post(reverse(f"{name}_add"), {}).status_code == 403, model
        if first is not None:
            fields = {f.name: "endret" for f in opts.concrete_fields if f.name != "id"}
            change = client.post(reverse(f"{name}_change", args=[first.pk]), fields)
            assert change.status_code == 403, model
            delete = client.post(reverse(f"{name}_delete", args=[first.pk]), {"post": "yes"})
            assert delete.status_code == 403, model
        assert list(model.objects.order_by("pk").values()) == before, model
