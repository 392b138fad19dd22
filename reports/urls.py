from django.urls import path

from reports import issuing, views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report/", views.report, name="report"),
    path("report/pdf/", views.report_pdf, name="report_pdf"),
    path("report/xlsx/", views.report_xlsx, name="report_xlsx"),
    path("report/docx/", issuing.report_docx, name="report_docx"),
    path("report/text/", issuing.report_text, name="report_text"),
    path("report/issue/", issuing.report_issue, name="report_issue"),
    path("report/issued/", issuing.issued_reports, name="issued_reports"),
    path("report/issued/<int:pk>/", issuing.issued_report, name="issued_report"),
    path(
        "report/issued/<int:pk>/pdf/",
        issuing.issued_file,
        {"kind": "pdf"},
        name="issued_pdf",
    ),
    path(
        "report/issued/<int:pk>/docx/",
        issuing.issued_file,
        {"kind": "docx"},
        name="issued_docx",
    ),
    path(
        "report/issued/<int:pk>/new-version/",
        issuing.issued_new_version,
        name="issued_new_version",
    ),
]
