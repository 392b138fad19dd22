from django.urls import path

from reports import exports, views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report/", views.summary, name="summary"),
    path("report/pdf/", exports.summary_pdf, name="summary_pdf"),
    path("report/xlsx/", exports.summary_xlsx, name="summary_xlsx"),
]
