"""Every page, walked by people who should not see it: nobody logged in, a member of another
organisation. A new page must be added to PAGES, or this test fails."""

import pytest
import yaml
from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver

from maalbilde.organisations.models import Membership, Organisation, Role
from maalbilde.plans.files import parse_plan_file, read_plan_file
from maalbilde.plans.models import Plan
from maalbilde.plans.services import plan_import
from tests.conftest import register_plan

pytestmark = pytest.mark.django_db

# Every named page of the web app: its URL for the test plan, and whether it is open to all.
PAGES = {
    "web:plan-list": ("/", "public"),  # a visitor gets the front door: tests/test_publishing.py
    "web:public-index": ("/p/", "public"),
    "web:plan-detail": ("/plans/testplan/", "plan"),
    "web:plan-status-export": ("/plans/testplan/status.xlsx", "plan"),
    "web:indicator-detail": ("/plans/testplan/indicators/skolebesok/", "plan"),
    "web:plan-publish": (None, "plan"),  # POST only: tests/test_publishing.py
    "web:plan-public": ("/p/testplan/", "published"),
    "web:import-start": ("/plans/testplan/import/", "plan"),
    "web:import-sample": ("/plans/testplan/import/tall.csv", "plan"),
    "web:initiatives": ("/plans/testplan/initiatives/", "plan"),
    "web:assessment": ("/plans/testplan/assessments/goal/flere-skolebesok/", "plan"),
    "web:plan-edit": ("/plans/testplan/edit/", "plan"),
    "web:plan-edit-file": ("/plans/testplan/edit/file/", "plan"),
    "web:plan-edit-goal": ("/plans/testplan/edit/goals/flere-skolebesok/", "plan"),
    "web:plan-edit-goal-add": (None, "plan"),  # POST only: tests/test_plan_editing.py
    "web:plan-edit-indicator": ("/plans/testplan/edit/indicators/skolebesok/", "plan"),
    "web:plan-edit-initiative": ("/plans/testplan/edit/initiatives/ny-skolepakke/", "plan"),
    "web:registers": ("/plans/testplan/registers/", "plan"),
    "web:reports": ("/plans/testplan/reports/", "plan"),
    "web:report": ("/plans/testplan/reports/board/?year=2026", "plan"),
    "web:report-file": ("/plans/testplan/reports/annual.xlsx?year=2026", "plan"),
    "web:report-make": (None, "plan"),  # POST only: tests/test_reports.py
    "web:report-made": (None, "plan"),  # one's own: tests/test_reports.py
    "web:report-made-file": (None, "plan"),
    # Reports by e-mail: tests/test_report_delivery.py.
    "web:report-subscriptions": (None, "plan"),
    "web:report-delivery": (None, "plan"),
    "web:report-unsubscribe": (None, "public"),
    "web:plan-audit": ("/plans/testplan/changes/", "plan"),
    "web:register": ("/plans/testplan/registers/omtaler/", "plan"),
    "web:register-row": (None, "plan"),  # a row of one's own: tests/test_register_pages.py
    "web:register-row-remove": (None, "plan"),
    "web:import-preview": (None, "plan"),  # an upload of one's own: tests/test_import_pages.py
    "web:import-progress": (None, "plan"),  # an upload of one's own: tests/test_import_pages.py
    "web:batch-detail": (None, "plan"),  # tests/test_import_pages.py
    "web:batch-rejects": (None, "plan"),
    "web:batch-withdraw": (None, "plan"),
    "web:organisations": ("/organisations/", "members"),
    "web:organisation": ("/organisations/testmuseet/", "plan"),
    "web:funding": ("/organisations/testmuseet/funding/", "plan"),
    "web:funding-export": ("/organisations/testmuseet/funding.csv?year=2026", "plan"),
    "web:funding-publish": (None, "plan"),  # POST only: tests/test_funding_pages.py
    "web:funding-ledger-withdraw": (None, "plan"),  # POST only: tests/test_funding_pages.py
    "web:funding-scenario": ("/organisations/testmuseet/funding/scenario/", "plan"),
    "web:funding-file": ("/organisations/testmuseet/funding/file/", "plan"),
    "web:funding-public": ("/p/funding/testmuseet/2026/", "published"),
    "web:organisation-people": ("/organisations/testmuseet/people/", "plan"),
    "web:membership-remove": (None, "plan"),  # a role of the organisation: tests/test_people.py
    "web:organisation-audit": ("/organisations/testmuseet/changes/", "plan"),
    "web:organisation-reports": ("/organisations/testmuseet/reports/", "plan"),
    "web:organisation-tokens": ("/organisations/testmuseet/tokens/", "plan"),
    "web:plan-draft": ("/organisations/testmuseet/plan-draft/", "plan"),
    "web:plan-draft-review": ("/organisations/testmuseet/plan-draft/review/", "plan"),
    "web:organisation-token-revoke": (None, "plan"),  # POST only: tests/test_api.py
    # Returns and the network's analysis: tests/test_report_pages.py.
    "web:organisation-return": (None, "plan"),
    "web:organisation-return-file": (None, "plan"),
    "web:round-analysis": (None, "round"),
    "web:round-analysis-file": (None, "round"),
    # Rounds: tests/test_round_pages.py walks them with members, the secretariat and others.
    "web:rounds": ("/rounds/", "members"),
    "web:round-new": ("/rounds/new/", "members"),
    "web:round": (None, "round"),
    "web:round-answer": (None, "round"),
    "web:round-copy": (None, "round"),
    "web:round-remind": (None, "round"),
    "web:round-results": (None, "round"),
    "web:round-survey": (None, "round"),
    "web:round-publish": (None, "round"),
    "web:round-release": (None, "round"),
    "web:round-export": (None, "round"),
    "web:round-open-data": (None, "published"),
    "web:login": ("/login/", "public"),
    "web:logout": (None, "public"),
    "web:password_reset": ("/password/reset/", "public"),
    "web:password_change": ("/password/change/", "members"),
    "web:password_change_done": ("/password/change/done/", "members"),
    "web:password_reset_done": ("/password/reset/sent/", "public"),
    "web:password_reset_confirm": (None, "public"),
    "web:password_reset_complete": ("/password/reset/done/", "public"),
}


def named_patterns(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace != "admin":
                names |= named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and namespace.startswith("web"):
            names.add(f"{namespace}{pattern.name}")
    return names


@pytest.fixture
def plan(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(register_plan(), allow_unicode=True), encoding="utf-8")
    return plan_import(document=read_plan_file(path)).plan


def test_every_page_is_listed():
    assert named_patterns() == set(PAGES)


def test_nobody_logged_in_reaches_only_the_public_pages(client, plan):
    for name, (url, access) in PAGES.items():
        if url is None:
            continue
        response = client.get(url)
        if access == "public":
            assert response.status_code == 200, name
        elif access == "published":
            assert response.status_code == 404, name  # nothing published yet
        else:
            assert response.status_code == 302, name
            assert response["Location"].startswith("/login/?next="), name


def test_a_member_of_another_organisation_is_refused_everything_of_the_plan(client, plan):
    stranger = User.objects.create_user("ola", password="x")
    other = Organisation.objects.create(slug="naboen", name="Naboen", path="/naboen/")
    Membership.objects.create(user=stranger, organisation=other, role=Role.ADMINISTRATOR)
    client.force_login(stranger)
    for name, (url, access) in PAGES.items():
        if url is not None and access == "plan":
            assert client.get(url).status_code == 403, name
            assert client.get(url.replace("/plans/", "/en/plans/")).status_code == 403, name


def test_a_viewer_sees_the_plan_but_changes_nothing(client, plan):
    """Every action of the web app, sent by a viewer of the plan's own organisation, is
    refused, and the stored data stays as it was."""
    from maalbilde.data.imports import batch_import
    from maalbilde.data.models import Batch, Dataset, RegisterRow
    from maalbilde.data.registers import register_row_save
    from maalbilde.organisations.models import AuditEntry
    from maalbilde.plans.models import Observation

    museum = Organisation.objects.get(slug="testmuseet")
    row = register_row_save(dataset=Dataset.objects.get(slug="omtaler"),
                            organisation=Organisation.objects.get(slug="nord"),
                            cells={"dato": "01.02.2026", "dekning": "lokal"})  # fmt: skip
    data = register_plan()
    data["datasets"].append({"slug": "tall", "name": "Tall", "organisation": "testmuseet",
                             "date_column": "dato", "columns": [
                                 {"name": "dato", "role": "date"},
                                 {"name": "n", "role": "measure"}]})  # fmt: skip
    plan_import(document=parse_plan_file(yaml.safe_dump(data, allow_unicode=True).encode()))
    batch = batch_import(dataset=Dataset.objects.get(slug="tall"),
                         raw=b"dato;n\n01.01.2026;5\n", file_name="tall.csv").batch  # fmt: skip
    versions = plan.versions.count()
    viewer = User.objects.create_user("vera", password="x")
    Membership.objects.create(user=viewer, organisation=museum, role=Role.VIEWER)
    client.force_login(viewer)
    for name, (url, access) in PAGES.items():
        if url is not None and access == "plan":
            # Editing, the trail of changes and the people are for editors and administrators.
            editors_only = name.startswith("web:plan-edit") or name in (
                "web:plan-audit",
                "web:organisation-audit",
                "web:organisation-people",
                "web:organisation-tokens",
                "web:plan-draft",
                "web:plan-draft-review",
                "web:funding",
                "web:funding-export",
                "web:funding-scenario",
                "web:funding-file",
            )
            assert client.get(url).status_code == (403 if editors_only else 200), name
    actions = {
        "/plans/testplan/publish/": {"year": 2026, "action": "publish"},
        "/plans/testplan/indicators/skolebesok/": {"organisation": "nord", "year": 2026,
                                                   "month": 0, "value": "5"},
        "/plans/testplan/import/": {"dataset": "omtaler", "organisation": "nord"},
        "/plans/testplan/assessments/goal/flere-skolebesok/": {"year": 2026, "text": "Bra"},
        "/plans/testplan/registers/omtaler/": {"organisation": "nord", "column_dato": "1.1.2026",
                                               "column_dekning": "lokal"},
        f"/plans/testplan/registers/omtaler/{row.pk}/": {"organisation": "nord",
                                                         "column_dato": "2.1.2026"},
        f"/plans/testplan/registers/omtaler/{row.pk}/remove/": {},
        f"/plans/testplan/batches/{batch.pk}/withdraw/": {},
        "/plans/testplan/edit/": {"based_on": versions, "title": "Ny tittel"},
        "/plans/testplan/edit/file/": {"based_on": 1, "text": "format: maalbilde-plan/1"},
        "/plans/testplan/edit/areas/formidling/goals/": {"based_on": 1, "title": "Nytt mål"},
        "/plans/testplan/edit/goals/flere-skolebesok/": {"based_on": 1, "title": "Nytt"},
        "/plans/testplan/edit/indicators/skolebesok/": {"based_on": 1, "name": "Nytt"},
        "/plans/testplan/edit/initiatives/ny-skolepakke/": {"based_on": 1, "status": "done"},
        "/organisations/testmuseet/people/": {"action": "invite", "email": "x@y.no",
                                              "role": "administrator", "organisation": "nord"},
        f"/organisations/testmuseet/people/{viewer.memberships.get().pk}/remove/": {},
        "/plans/testplan/reports/subscriptions/": {"recipient": viewer.pk, "report": "board",
                                                   "frequency": "monthly"},
        "/organisations/testmuseet/plan-draft/": {"text": "Mål:\n• Øke besøket til 300."},
        "/organisations/testmuseet/plan-draft/review/": {"action": "save"},
    }  # fmt: skip
    audit = AuditEntry.objects.count()
    for url, form in actions.items():
        assert client.post(url, form).status_code == 403, url
    assert AuditEntry.objects.count() == audit
    assert plan.versions.count() == versions and not plan.publications.exists()
    assert Plan.objects.count() == 1 and "plan-draft" not in client.session
    assert not Observation.objects.exists() and RegisterRow.objects.get() == row
    assert Batch.objects.get(pk=batch.pk).withdrawn_at is None
    # Every action URL of the app is among those tried.
    action_names = {"web:plan-publish", "web:register-row-remove", "web:batch-withdraw",
                    "web:plan-edit-goal-add"}  # fmt: skip
    assert action_names <= set(PAGES)
