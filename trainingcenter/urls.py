from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from enrollment.views.feedback import feedback_form, feedback_start
from enrollment.views.verification import verify
from reports import (
    committee as committee_reports,
    issuing as report_issuing,
    views as report_views,
)
from trainingcenter import views
from trainingcenter.forms import LoginForm

admin.site.site_header = admin.site.site_title = "Trung tâm Chính trị"

center_urls = [
    path("", include("reports.urls")),
    path("", include("courses.urls")),
    path("", include("enrollment.urls")),
    path("", include("trainingcenter.center_urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("centers/", views.center_list, name="center_list"),
    path("roles/", views.role_table, name="roles"),
    path("c/<slug:center>/", include(center_urls)),
    path(
        "o/<int:organization>/report/",
        report_views.report,
        name="org_report",
    ),
    path(
        "o/<int:organization>/report/pdf/",
        report_views.report_pdf,
        name="org_report_pdf",
    ),
    path("o/<int:organization>/rollups/", report_views.rollup_page, name="org_rollups"),
    path(
        "o/<int:organization>/rollups/xlsx/",
        report_views.rollup_xlsx,
        name="org_rollups_xlsx",
    ),
    path("report-jobs/<int:pk>/", report_views.report_job, name="report_job"),
    path(
        "report-jobs/<int:pk>/retry/",
        report_views.report_job_retry,
        name="report_job_retry",
    ),
    path(
        "report-jobs/<int:pk>/file/",
        report_views.report_job_file,
        name="report_job_file",
    ),
    path(
        "o/<int:organization>/report/docx/",
        report_issuing.report_docx,
        name="org_report_docx",
    ),
    path(
        "o/<int:organization>/report/xlsx/",
        report_views.report_xlsx,
        name="org_report_xlsx",
    ),
    path(
        "o/<int:organization>/report/text/",
        committee_reports.report_text,
        name="org_report_text",
    ),
    path(
        "o/<int:organization>/report/issue/",
        committee_reports.report_issue,
        name="org_report_issue",
    ),
    path(
        "o/<int:organization>/report/issued/",
        committee_reports.issued_reports,
        name="org_issued_reports",
    ),
    path(
        "o/<int:organization>/report/issued/<int:pk>/",
        committee_reports.issued_report,
        name="org_issued_report",
    ),
    path(
        "o/<int:organization>/report/issued/<int:pk>/pdf/",
        committee_reports.issued_file,
        {"kind": "pdf"},
        name="org_issued_pdf",
    ),
    path(
        "o/<int:organization>/report/issued/<int:pk>/docx/",
        committee_reports.issued_file,
        {"kind": "docx"},
        name="org_issued_docx",
    ),
    path(
        "o/<int:organization>/report/issued/<int:pk>/new-version/",
        committee_reports.issued_new_version,
        name="org_issued_new_version",
    ),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("f/<str:token>/", feedback_start, name="feedback_start"),
    path("f/<str:token>/<str:code>/", feedback_form, name="feedback_form"),
    path("v/", verify, name="verify_form"),
    path("v/<str:code>/", verify, name="verify"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

handler400 = "trainingcenter.errors.bad_request"
handler500 = "trainingcenter.errors.server_error"
