from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from maalbilde.web import (
    accounts,
    assessments,
    audit,
    drafts,
    editing,
    funding,
    imports,
    people,
    registers,
    reports,
    rounds,
    tokens,
    views,
)

app_name = "web"
urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("plans/<slug:slug>/", views.plan_detail, name="plan-detail"),
    path(
        "plans/<slug:slug>/status.<str:kind>", views.plan_status_export, name="plan-status-export"
    ),
    path("plans/<slug:slug>/publish/", views.plan_publish, name="plan-publish"),
    path("plans/<slug:slug>/reports/", reports.report_list, name="reports"),
    path(
        "plans/<slug:slug>/reports/subscriptions/",
        reports.report_subscriptions,
        name="report-subscriptions",
    ),
    path(
        "plans/<slug:slug>/reports/deliveries/<int:delivery>.eml",
        reports.report_delivery,
        name="report-delivery",
    ),
    path("plans/<slug:slug>/reports/<slug:kind>/make/", reports.report_make, name="report-make"),
    path("plans/<slug:slug>/reports/made/<int:made>/", reports.report_made, name="report-made"),
    path(
        "plans/<slug:slug>/reports/made/<int:made>/file",
        reports.report_made,
        {"download": True},
        name="report-made-file",
    ),
    path("reports/unsubscribe/<str:token>/", reports.report_unsubscribe, name="report-unsubscribe"),
    path("plans/<slug:slug>/reports/<slug:kind>/", reports.report_view, name="report"),
    path(
        "plans/<slug:slug>/reports/<slug:kind>.<str:fmt>", reports.report_view, name="report-file"
    ),
    path("plans/<slug:slug>/edit/", editing.plan_edit, name="plan-edit"),
    path("plans/<slug:slug>/edit/file/", editing.plan_edit_file, name="plan-edit-file"),
    path(
        "plans/<slug:slug>/edit/areas/<slug:area>/goals/",
        editing.plan_edit_goal_add,
        name="plan-edit-goal-add",
    ),
    path(
        "plans/<slug:slug>/edit/goals/<slug:goal>/", editing.plan_edit_goal, name="plan-edit-goal"
    ),
    path(
        "plans/<slug:slug>/edit/indicators/<slug:indicator>/",
        editing.plan_edit_indicator,
        name="plan-edit-indicator",
    ),
    path(
        "plans/<slug:slug>/edit/initiatives/<slug:initiative>/",
        editing.plan_edit_initiative,
        name="plan-edit-initiative",
    ),
    path("p/", views.public_index, name="public-index"),
    path("p/<slug:slug>/", views.plan_public, name="plan-public"),
    path("plans/<slug:slug>/initiatives/", views.initiatives, name="initiatives"),
    path(
        "plans/<slug:slug>/assessments/<str:subject>/<slug:item>/",
        assessments.assessment,
        name="assessment",
    ),
    path("plans/<slug:slug>/import/", imports.import_start, name="import-start"),
    path(
        "plans/<slug:slug>/import/<slug:dataset>.csv", imports.import_sample, name="import-sample"
    ),
    path("plans/<slug:slug>/import/<int:upload>/", imports.import_preview, name="import-preview"),
    path(
        "plans/<slug:slug>/import/<int:upload>/progress/",
        imports.import_progress,
        name="import-progress",
    ),
    path("plans/<slug:slug>/batches/<int:batch>/", imports.batch_detail, name="batch-detail"),
    path(
        "plans/<slug:slug>/batches/<int:batch>/rejects.csv",
        imports.batch_rejects,
        name="batch-rejects",
    ),
    path(
        "plans/<slug:slug>/batches/<int:batch>/withdraw/",
        imports.batch_withdraw_view,
        name="batch-withdraw",
    ),
    path("plans/<slug:slug>/registers/", registers.register_list, name="registers"),
    path("plans/<slug:slug>/changes/", audit.plan_audit, name="plan-audit"),
    path("plans/<slug:slug>/registers/<slug:dataset>/", registers.register_detail, name="register"),
    path(
        "plans/<slug:slug>/registers/<slug:dataset>/<int:row>/",
        registers.register_row,
        name="register-row",
    ),
    path(
        "plans/<slug:slug>/registers/<slug:dataset>/<int:row>/remove/",
        registers.register_row_remove_view,
        name="register-row-remove",
    ),
    path(
        "plans/<slug:slug>/indicators/<slug:indicator>/",
        views.indicator_detail,
        name="indicator-detail",
    ),
    path("organisations/", people.organisation_list, name="organisations"),
    path("organisations/<slug:slug>/", people.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/funding/", funding.funding_overview, name="funding"),
    path(
        "organisations/<slug:slug>/reports/",
        reports.organisation_reports,
        name="organisation-reports",
    ),
    path(
        "organisations/<slug:slug>/returns/<slug:template>/",
        reports.organisation_return,
        name="organisation-return",
    ),
    path(
        "organisations/<slug:slug>/returns/<slug:template>.<str:fmt>",
        reports.organisation_return,
        name="organisation-return-file",
    ),
    path(
        "organisations/<slug:slug>/funding/publish/",
        funding.funding_publish,
        name="funding-publish",
    ),
    path("p/funding/<slug:slug>/<int:year>/", funding.funding_public, name="funding-public"),
    path(
        "organisations/<slug:slug>/funding/ledger/<int:pk>/withdraw/",
        funding.funding_ledger_withdraw,
        name="funding-ledger-withdraw",
    ),
    path("organisations/<slug:slug>/funding/file/", funding.funding_file_edit, name="funding-file"),
    path(
        "organisations/<slug:slug>/funding/scenario/",
        funding.funding_scenario,
        name="funding-scenario",
    ),
    path(
        "organisations/<slug:slug>/funding.<str:kind>",
        funding.funding_export,
        name="funding-export",
    ),
    path(
        "organisations/<slug:slug>/people/", people.organisation_people, name="organisation-people"
    ),
    path(
        "organisations/<slug:slug>/people/<int:membership>/remove/",
        people.membership_remove_view,
        name="membership-remove",
    ),
    path("organisations/<slug:slug>/changes/", audit.organisation_audit, name="organisation-audit"),
    path("organisations/<slug:slug>/plan-draft/", drafts.plan_draft_start, name="plan-draft"),
    path(
        "organisations/<slug:slug>/plan-draft/review/",
        drafts.plan_draft_review,
        name="plan-draft-review",
    ),
    path(
        "organisations/<slug:slug>/tokens/", tokens.organisation_tokens, name="organisation-tokens"
    ),
    path(
        "organisations/<slug:slug>/tokens/<int:token>/revoke/",
        tokens.organisation_token_revoke,
        name="organisation-token-revoke",
    ),
    path("rounds/", rounds.round_list, name="rounds"),
    path("rounds/new/", rounds.round_new, name="round-new"),
    path("rounds/<slug:slug>/", rounds.round_detail, name="round"),
    path("rounds/<slug:slug>/answers/<slug:member>/", rounds.round_answer, name="round-answer"),
    path("rounds/<slug:slug>/copy/", rounds.round_copy_view, name="round-copy"),
    path("rounds/<slug:slug>/remind/", rounds.round_remind, name="round-remind"),
    path("rounds/<slug:slug>/results/", rounds.round_results, name="round-results"),
    path("rounds/<slug:slug>/survey/", rounds.round_survey, name="round-survey"),
    path("rounds/<slug:slug>/analysis/", reports.round_analysis, name="round-analysis"),
    path(
        "rounds/<slug:slug>/analysis.<str:fmt>", reports.round_analysis, name="round-analysis-file"
    ),
    path("rounds/<slug:slug>/publish/", rounds.round_publish, name="round-publish"),
    path("rounds/<slug:slug>/release/", rounds.round_release, name="round-release"),
    path("rounds/<slug:slug>/answers.<str:kind>", rounds.round_export, name="round-export"),
    path("open/<slug:slug>.<str:kind>", rounds.round_open_data, name="round-open-data"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("password/change/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("web:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
