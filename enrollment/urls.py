from django.urls import path

from enrollment import certificate_views as cv, feedback_views as fv, views

app_name = "enrollment"

urlpatterns = [
    path("trainees/", views.trainee_list, name="trainee_list"),
    path("trainees/new/", views.trainee_create, name="trainee_create"),
    path("trainees/<int:pk>/", views.trainee_detail, name="trainee_detail"),
    path("trainees/<int:pk>/edit/", views.trainee_update, name="trainee_update"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("classes/<int:pk>/status/", views.class_status, name="class_status"),
    path("classes/<int:class_pk>/enrol/", views.enrollment_add, name="enrollment_add"),
    path(
        "classes/<int:class_pk>/enrolments/<int:pk>/withdraw/",
        views.enrollment_withdraw,
        name="enrollment_withdraw",
    ),
    path(
        "classes/<int:class_pk>/sessions/<int:pk>/attendance/",
        views.attendance,
        name="attendance",
    ),
    path("classes/<int:class_pk>/results/", views.results, name="results"),
    path("classes/<int:class_pk>/roster.pdf", views.roster_pdf, name="roster_pdf"),
    path(
        "classes/<int:class_pk>/roster.xlsx", views.roster_export, name="roster_export"
    ),
    path(
        "classes/<int:class_pk>/template.xlsx",
        views.class_template,
        name="class_template",
    ),
    path("classes/<int:class_pk>/import/", views.import_upload, name="import_upload"),
    path(
        "classes/<int:class_pk>/import/<str:token>/",
        views.import_preview,
        name="import_preview",
    ),
    path(
        "classes/<int:class_pk>/import/<str:token>/confirm/",
        views.import_confirm,
        name="import_confirm",
    ),
    path(
        "classes/<int:class_pk>/import/<str:token>/errors.xlsx",
        views.import_errors,
        name="import_errors",
    ),
    path(
        "classes/<int:class_pk>/import/<str:token>/unit/",
        views.import_unit_create,
        name="import_unit_create",
    ),
    path("trainees/export.xlsx", views.registry_export, name="registry_export"),
    path(
        "classes/<int:class_pk>/certificates/",
        cv.class_certificates,
        name="class_certificates",
    ),
    path(
        "classes/<int:class_pk>/certificates/issue/",
        cv.certificates_issue,
        name="certificates_issue",
    ),
    path(
        "classes/<int:class_pk>/certificates/diplomas/",
        cv.diplomas_record,
        name="diplomas_record",
    ),
    path(
        "classes/<int:class_pk>/certificates.pdf",
        cv.class_certificates_pdf,
        name="class_certificates_pdf",
    ),
    path(
        "classes/<int:class_pk>/certificates.zip",
        cv.class_certificates_zip,
        name="class_certificates_zip",
    ),
    path("certificates/batches/<int:pk>/", cv.batch_detail, name="batch_detail"),
    path(
        "certificates/batches/<int:pk>/resume/",
        cv.batch_resume,
        name="batch_resume",
    ),
    path("certificates/<int:pk>/", cv.certificate_detail, name="certificate_detail"),
    path("certificates/<int:pk>/pdf/", cv.certificate_pdf, name="certificate_pdf"),
    path(
        "certificates/<int:pk>/revoke/",
        cv.certificate_revoke,
        name="certificate_revoke",
    ),
    path(
        "certificates/<int:pk>/reissue/",
        cv.certificate_reissue,
        name="certificate_reissue",
    ),
    path("classes/history/", views.history_import, name="history_import"),
    path(
        "classes/history/template.xlsx",
        views.history_template,
        name="history_template",
    ),
    path("classes/<int:class_pk>/feedback/", fv.class_feedback, name="class_feedback"),
    path(
        "classes/<int:class_pk>/feedback/open/",
        fv.feedback_open,
        name="feedback_open",
    ),
    path(
        "classes/<int:class_pk>/feedback/screen/",
        fv.feedback_screen,
        name="feedback_screen",
    ),
    path(
        "classes/<int:class_pk>/feedback/slips.pdf",
        fv.feedback_slips,
        name="feedback_slips",
    ),
    path(
        "classes/<int:class_pk>/feedback/paper/",
        fv.feedback_paper,
        name="feedback_paper",
    ),
    path("register/", cv.register, name="register"),
    path("register.pdf", cv.register_pdf, name="register_pdf"),
    path("register.xlsx", cv.register_xlsx, name="register_xlsx"),
]
