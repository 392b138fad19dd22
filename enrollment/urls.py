"""The enrollment app's staff URLs, one list per sub-domain, under c/<centre>/."""

from django.urls import include, path

from enrollment.views import (
    certificates,
    feedback,
    historic_classes,
    imports,
    paperwork,
    privacy,
    register,
    roster,
    trainees,
)

app_name = "enrollment"

trainee_patterns = [
    path("", trainees.trainee_list, name="trainee_list"),
    path("new/", trainees.trainee_create, name="trainee_create"),
    path("export.xlsx", trainees.registry_export, name="registry_export"),
    path("<int:pk>/", trainees.trainee_detail, name="trainee_detail"),
    path("<int:pk>/edit/", trainees.trainee_update, name="trainee_update"),
    path("<int:pk>/file.pdf", privacy.person_file_pdf, name="person_file_pdf"),
    path("<int:pk>/file.xlsx", privacy.person_file_xlsx, name="person_file_xlsx"),
]

privacy_patterns = [
    path("exports/", privacy.export_log, name="export_log"),
    path("exports.xlsx", privacy.export_log_xlsx, name="export_log_xlsx"),
    path("accesses/", privacy.access_log, name="access_log"),
    path("requests/", privacy.subject_requests, name="subject_requests"),
    path(
        "requests/new/",
        privacy.subject_request_create,
        name="subject_request_create",
    ),
    path(
        "requests/<int:pk>/",
        privacy.subject_request_update,
        name="subject_request_update",
    ),
]

enrolment_patterns = [
    path("enrol/", trainees.enrollment_add, name="enrollment_add"),
    path(
        "enrolments/<int:pk>/withdraw/",
        trainees.enrollment_withdraw,
        name="enrollment_withdraw",
    ),
]

roster_patterns = [
    path("<int:pk>/", roster.class_detail, name="class_detail"),
    path("<int:pk>/status/", roster.class_status, name="class_status"),
    path("<int:pk>/close/", roster.class_close, name="class_close"),
    path("<int:pk>/reopen/", roster.class_reopen, name="class_reopen"),
    path(
        "<int:class_pk>/sessions/<int:pk>/attendance/",
        roster.attendance,
        name="attendance",
    ),
    path("<int:class_pk>/results/", roster.results, name="results"),
    path("<int:class_pk>/roster.pdf", roster.roster_pdf, name="roster_pdf"),
    path("<int:class_pk>/roster.xlsx", roster.roster_export, name="roster_export"),
]

import_patterns = [
    path("template.xlsx", imports.class_template, name="class_template"),
    path("import/", imports.import_upload, name="import_upload"),
    path("import/<str:token>/", imports.import_preview, name="import_preview"),
    path("import/<str:token>/confirm/", imports.import_confirm, name="import_confirm"),
    path("import/<str:token>/errors.xlsx", imports.import_errors, name="import_errors"),
    path(
        "import/<str:token>/unit/",
        imports.import_unit_create,
        name="import_unit_create",
    ),
]

historic_class_patterns = [
    path("", historic_classes.historic_class_import, name="historic_class_import"),
    path(
        "template.xlsx",
        historic_classes.historic_class_template,
        name="historic_class_template",
    ),
]

class_certificate_patterns = [
    path("certificates/", certificates.class_certificates, name="class_certificates"),
    path(
        "certificates/issue/",
        certificates.certificates_issue,
        name="certificates_issue",
    ),
    path(
        "certificates/diplomas/",
        certificates.diplomas_record,
        name="diplomas_record",
    ),
    path(
        "certificates.pdf",
        certificates.class_certificates_pdf,
        name="class_certificates_pdf",
    ),
    path(
        "certificates.zip",
        certificates.class_certificates_zip,
        name="class_certificates_zip",
    ),
]

certificate_patterns = [
    path("batches/<int:pk>/", certificates.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/resume/", certificates.batch_resume, name="batch_resume"),
    path("<int:pk>/", certificates.certificate_detail, name="certificate_detail"),
    path("<int:pk>/pdf/", certificates.certificate_pdf, name="certificate_pdf"),
    path(
        "<int:pk>/revoke/", certificates.certificate_revoke, name="certificate_revoke"
    ),
    path(
        "<int:pk>/reissue/",
        certificates.certificate_reissue,
        name="certificate_reissue",
    ),
]

register_patterns = [
    path("register/", register.register, name="register"),
    path("register.pdf", register.register_pdf, name="register_pdf"),
    path("register.xlsx", register.register_xlsx, name="register_xlsx"),
]

feedback_patterns = [
    path("", feedback.class_feedback, name="class_feedback"),
    path("open/", feedback.feedback_open, name="feedback_open"),
    path("screen/", feedback.feedback_screen, name="feedback_screen"),
    path("slips.pdf", feedback.feedback_slips, name="feedback_slips"),
    path("paper/", feedback.feedback_paper, name="feedback_paper"),
]

paper_patterns = [
    path("draft.pdf", paperwork.paper_draft_pdf, name="paper_draft_pdf"),
    path("draft.docx", paperwork.paper_draft_docx, name="paper_draft_docx"),
    path("issue/", paperwork.paper_issue, name="paper_issue"),
    path("new-version/", paperwork.paper_new_version, name="paper_new_version"),
    path("issued.pdf", paperwork.paper_pdf, name="paper_pdf"),
    path("issued.docx", paperwork.paper_docx, name="paper_docx"),
    path("issued.zip", paperwork.paper_zip, name="paper_zip"),
]

urlpatterns = [
    path("trainees/", include(trainee_patterns)),
    # Historic classes come before classes/<int:pk>/ only for readability:
    # "historic" is not an int, so the two never compete.
    path("classes/historic/", include(historic_class_patterns)),
    path("classes/", include(roster_patterns)),
    path("classes/<int:class_pk>/", include(enrolment_patterns)),
    path("classes/<int:class_pk>/", include(import_patterns)),
    path("classes/<int:class_pk>/", include(class_certificate_patterns)),
    path("classes/<int:class_pk>/feedback/", include(feedback_patterns)),
    path("classes/<int:class_pk>/papers/<str:kind>/", include(paper_patterns)),
    path("papers/wording/<str:kind>/", paperwork.paper_wording, name="paper_wording"),
    path("certificates/", include(certificate_patterns)),
    path("", include(register_patterns)),
    path("personal-data/", include(privacy_patterns)),
]
