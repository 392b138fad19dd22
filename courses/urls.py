from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("programmes/", views.class_type_list, name="class_type_list"),
    path("lecturers/", views.lecturer_list, name="lecturer_list"),
    path("lecturers/new/", views.lecturer_create, name="lecturer_create"),
    path("lecturers/<int:pk>/", views.lecturer_update, name="lecturer_update"),
]
