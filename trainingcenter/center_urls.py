"""The pages of a centre that belong to no app above the tenancy core: the
register of outgoing documents."""

from django.urls import path

from trainingcenter import register

app_name = "documents"

urlpatterns = [
    path("documents/", register.register, name="outgoing"),
    path("documents/xlsx/", register.register_xlsx, name="outgoing_xlsx"),
    path("documents/period/", register.register_period, name="outgoing_period"),
    path(
        "documents/<int:pk>/pdf/",
        register.register_file,
        {"kind": "pdf"},
        name="outgoing_pdf",
    ),
    path(
        "documents/<int:pk>/docx/",
        register.register_file,
        {"kind": "docx"},
        name="outgoing_docx",
    ),
]
