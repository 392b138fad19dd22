from django.urls import path

from courses import plan_views, views

app_name = "courses"

urlpatterns = [
    path("programmes/", views.class_type_list, name="class_type_list"),
    path("plans/", plan_views.plan_current, name="plan_current"),
    path("plans/<int:year>/", plan_views.plan_form, name="plan_form"),
    path("lecturers/", views.lecturer_list, name="lecturer_list"),
    path("lecturers/new/", views.lecturer_create, name="lecturer_create"),
    path("lecturers/<int:pk>/", views.lecturer_update, name="lecturer_update"),
    path(
        "lecturers/<int:lecturer_pk>/activities/new/",
        views.lecturer_activity_create,
        name="lecturer_activity_create",
    ),
    path(
        "lecturers/<int:lecturer_pk>/activities/<int:pk>/",
        views.lecturer_activity_update,
        name="lecturer_activity_update",
    ),
    path(
        "lecturers/<int:lecturer_pk>/activities/<int:pk>/delete/",
        views.lecturer_activity_delete,
        name="lecturer_activity_delete",
    ),
    path("classes/", views.class_list, name="class_list"),
    path("classes/new/", views.class_create, name="class_create"),
    path("classes/<int:pk>/edit/", views.class_update, name="class_update"),
    path(
        "classes/<int:class_pk>/sessions/new/",
        views.session_create,
        name="session_create",
    ),
    path(
        "classes/<int:class_pk>/sessions/<int:pk>/",
        views.session_update,
        name="session_update",
    ),
]
