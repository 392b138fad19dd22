"""The courses app's staff URLs, one list per sub-domain, under c/<centre>/."""

from django.urls import include, path

from courses import views

app_name = "courses"

catalogue_patterns = [
    path("", views.class_type_list, name="class_type_list"),
]

plan_patterns = [
    path("", views.plan_current, name="plan_current"),
    path("<int:year>/", views.plan_form, name="plan_form"),
]

lecturer_patterns = [
    path("", views.lecturer_list, name="lecturer_list"),
    path("new/", views.lecturer_create, name="lecturer_create"),
    path("<int:pk>/", views.lecturer_update, name="lecturer_update"),
    path(
        "<int:lecturer_pk>/activities/new/",
        views.lecturer_activity_create,
        name="lecturer_activity_create",
    ),
    path(
        "<int:lecturer_pk>/activities/<int:pk>/",
        views.lecturer_activity_update,
        name="lecturer_activity_update",
    ),
    path(
        "<int:lecturer_pk>/activities/<int:pk>/delete/",
        views.lecturer_activity_delete,
        name="lecturer_activity_delete",
    ),
]

class_patterns = [
    path("", views.class_list, name="class_list"),
    path("new/", views.class_create, name="class_create"),
    path("<int:pk>/edit/", views.class_update, name="class_update"),
    path("<int:pk>/correct/", views.class_correct, name="class_correct"),
    path("<int:pk>/quotas/", views.class_quotas, name="class_quotas"),
    path("<int:class_pk>/sessions/new/", views.session_create, name="session_create"),
    path(
        "<int:class_pk>/sessions/<int:pk>/",
        views.session_update,
        name="session_update",
    ),
]

urlpatterns = [
    path("programmes/", include(catalogue_patterns)),
    path("plans/", include(plan_patterns)),
    path("lecturers/", include(lecturer_patterns)),
    path("classes/", include(class_patterns)),
]
