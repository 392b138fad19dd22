"""What the feedback tests share: a class that has just ended, its survey
with a code per trainee, and the public form's answers."""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from enrollment.models import Enrollment
from enrollment.services import feedback
from tests.factories import (
    make_class,
    make_enrollment,
    make_lecturer,
    make_session,
    make_trainee,
)

TODAY = timezone.localdate()


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def ended_class(site_a):
    """A class that ended yesterday, taught by two lecturers, four trainees
    and one who withdrew."""
    training_class = make_class(
        site_a.center,
        start_date=TODAY - datetime.timedelta(days=4),
        end_date=TODAY - datetime.timedelta(days=1),
    )
    an = make_lecturer(site_a.center, full_name="Nguyễn Văn An")
    binh = make_lecturer(site_a.center, full_name="Trần Thị Bình")
    make_session(training_class, lecturer=an, topic="Chuyên đề 1")
    make_session(training_class, lecturer=binh, topic="Chuyên đề 2", part=2)
    for name in ("Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang"):
        make_enrollment(training_class, make_trainee(site_a.center, full_name=name))
    make_enrollment(
        training_class,
        make_trainee(site_a.center, full_name="Đỗ Văn Hải"),
        status=Enrollment.Status.WITHDRAWN,
    )
    training_class.lecturers = (an, binh)
    return training_class


def survey_with_codes(klass):
    """The class's survey, opened, with `issued`: each trainee's code by name."""
    with scopes_disabled():
        survey = feedback.open_survey(klass)
        survey.issued = {
            code.enrollment.trainee.full_name: code.code
            for code in feedback.issue_codes(survey)
        }
    return survey


def answers(klass, first, second=None, comment=""):
    """The POST of the public form: `first` and `second` rate the two
    lecturers (one digit per criterion: content, method, manner, usefulness)."""
    data = {"comment": comment, "website": ""}
    for lecturer, digits in zip(klass.lecturers, (first, second), strict=True):
        for criterion, digit in zip(feedback.CRITERIA, digits or "", strict=False):
            if digit != "-":
                data[f"q{lecturer.pk}_{criterion}"] = digit
    return data


def form_url(survey, code):
    return reverse("feedback_form", args=[survey.token, code])


def fill(survey, klass, forms):
    """`forms`: (first lecturer's digits, second's, comment) per online form."""
    for (first, second, comment), name in zip(forms, survey.issued, strict=False):
        response = Client().post(
            form_url(survey, survey.issued[name]),
            answers(klass, first, second, comment),
        )
        assert response.status_code == 200, response.text
