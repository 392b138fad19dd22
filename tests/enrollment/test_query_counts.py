"""Pages run the same number of queries for 10 rows as for 300."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from courses.models import TrainingClass
from enrollment.models import Attendance, Enrollment, Trainee
from tests.factories import make_class, make_class_type, make_session


def grow(center, training_class, session, count):
    """Bring the class roster, the registry and the centre's classes to `count` rows."""
    with scopes_disabled():
        have = Trainee.objects.filter(center=center).count()
        trainees = [
            Trainee(center=center, full_name=f"Lê Văn Người {i}", gender="male")
            for i in range(have, count)
        ]
        for trainee in trainees:
            trainee.save()
        new = [Enrollment(training_class=training_class, trainee=t) for t in trainees]
        Enrollment.objects.bulk_create(new)
        Attendance.objects.bulk_create(
            Attendance(enrollment=e, class_session=session, present=i % 3 > 0)
            for i, e in enumerate(Enrollment.objects.filter(pk__in=[e.pk for e in new]))
        )
        programme = training_class.class_type
        classes = TrainingClass.objects.filter(center=center).count()
        for i in range(classes, count):
            TrainingClass(
                center=center,
                class_type=programme,
                start_date=datetime.date(2026, 1, 5),
                end_date=datetime.date(2026, 1, 9),
                assessment="essay",
                award="certificate",
                intake_label=f"đợt {i}",
            ).save()
        person = Trainee.objects.filter(center=center).first()
        return person


def queries(client, path, data=None):
    """Queries of a GET (200), or of a form POST (`data`; a redirect)."""
    with CaptureQueriesContext(connection) as captured:
        if data is None:
            response = client.get(path)
        else:
            response = client.post(path, data)
    assert response.status_code == (200 if data is None else 302), path
    return len(captured)


@pytest.fixture
def roster(site_a):
    """A class with one session, and a client logged in as the centre's clerk."""
    with scopes_disabled():
        training_class = make_class(site_a.center, class_type=make_class_type())
        session = make_session(training_class)
    client = Client()
    client.force_login(site_a.staff)
    return training_class, session, client


@pytest.mark.django_db
def test_page_query_counts_do_not_grow_with_rows(site_a, roster):
    training_class, session, client = roster
    center = site_a.center
    slug = center.slug
    person = grow(center, training_class, session, 10)
    pages = {
        "class list": reverse("courses:class_list", args=[slug]),
        "class page": training_class.get_absolute_url(),
        "registry": reverse("enrollment:trainee_list", args=[slug]),
        "attendance": reverse(
            "enrollment:attendance", args=[slug, training_class.pk, session.pk]
        ),
        "results": reverse("enrollment:results", args=[slug, training_class.pk]),
        "lecturers": reverse("courses:lecturer_list", args=[slug]),
    }
    person_page = person.get_absolute_url()
    small = {name: queries(client, path) for name, path in pages.items()}
    small["person"] = queries(client, person_page)
    grow(center, training_class, session, 300)
    with scopes_disabled():
        for other in TrainingClass.objects.filter(center=center).exclude(
            pk=training_class.pk
        )[:20]:
            Enrollment.objects.create(training_class=other, trainee=person)
    large = {name: queries(client, path) for name, path in pages.items()}
    large["person"] = queries(client, person_page)
    assert large == small


@pytest.mark.django_db
def test_saving_a_roster_runs_the_same_queries_for_10_rows_as_for_300(site_a, roster):
    """Results and attendance of a whole roster are written in bulk, history too."""
    training_class, session, client = roster
    center = site_a.center
    slug = center.slug
    results = reverse("enrollment:results", args=[slug, training_class.pk])
    attendance = reverse(
        "enrollment:attendance", args=[slug, training_class.pk, session.pk]
    )

    def save_all(score):
        with scopes_disabled():
            enrollments = list(training_class.enrollments.all())
            training_class.refresh_from_db()
        data = {"version": training_class.version}
        data.update({f"score-{e.pk}": score for e in enrollments})
        counts = (
            queries(client, results, data),
            queries(client, attendance, {"present": [e.pk for e in enrollments]}),
        )
        with scopes_disabled():
            scored = training_class.enrollments.filter(score=score.replace(",", "."))
            assert scored.count() == len(enrollments)
            history = Enrollment.history.filter(
                training_class_id=training_class.pk,
                history_change_reason="results",
                history_user=site_a.staff,
                score=score.replace(",", "."),
            )
            assert history.count() == len(enrollments)
        return counts

    grow(center, training_class, session, 10)
    small = save_all("7,5")
    grow(center, training_class, session, 300)
    large = save_all("8,5")
    # The same statements; SQLite's 999-parameter limit splits a bulk write of
    # 300 rows into a few batches, PostgreSQL sends each as one. Row by row, the
    # 290 more rows would cost 580 more queries. The roll call (everyone now
    # present) turns the fails it no longer supports into passes, a third of
    # the rows, in one bulk write too.
    batches = 0 if connection.vendor == "postgresql" else 5
    assert small[0] <= large[0] <= small[0] + batches
    assert small[1] <= large[1] <= small[1] + batches
