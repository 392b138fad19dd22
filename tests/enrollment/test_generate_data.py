"""`manage.py generate_data`: generated data counts as real data."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from courses.models import AnnualPlan, ClassSession, CoOrganizer, TrainingClass
from enrollment.models import Attendance, Certificate, ClassSummary, Enrollment, Trainee
from enrollment.services import summaries as summaries_service
from reports import counting, scope
from tests.factories import make_center, make_class, make_enrollment, make_member
from trainingcenter.models import Center, Membership

YEAR = 2026


def generate(**options):
    out = io.StringIO()
    call_command(
        "generate_data", scale="centre", year=YEAR, shrink=0.1, stdout=out, **options
    )
    return out.getvalue()


def constraints() -> dict:
    """Every index and constraint of the tables loaded in bulk, by name."""
    with connection.cursor() as cursor:
        return {
            model._meta.db_table: connection.introspection.get_constraints(
                cursor, model._meta.db_table
            )
            for model in (Trainee, Enrollment, ClassSession)
        }


def summaries_match(classes) -> int:
    stored = {s.pk: s for s in ClassSummary.objects.filter(training_class__in=classes)}
    fresh = summaries_service.compute(classes.values_list("pk", flat=True))
    assert fresh and len(fresh) == len(stored)
    for counted in fresh:
        for name in summaries_service.COUNTED_FIELDS:
            assert getattr(stored[counted.pk], name) == getattr(counted, name), name
    return len(fresh)


@pytest.mark.django_db
def test_a_generated_centre_is_counted_like_real_data(site_a):
    with scopes_disabled():
        real_class = make_class(site_a.center)
        make_enrollment(real_class)
        real_summary = ClassSummary.objects.get(pk=real_class.pk)
    before = constraints()
    # The nation's way: load bare, then rebuild indexes and foreign keys.
    output = generate(rebuild_indexes=True)
    assert "Xong." in output
    assert constraints() == before
    with scopes_disabled():
        center = Center.objects.get(slug="gen-01-01")
        classes = TrainingClass.objects.filter(center=center)
        n = classes.count()
        assert 6 <= n <= 16
        enrolments = Enrollment.objects.filter(training_class__in=classes)
        assert 30 * n <= enrolments.count() <= 80 * n
        # Some people take two classes; everyone belongs to the centre.
        people = Trainee.objects.filter(center=center)
        assert enrolments.count() > people.count() > enrolments.count() / 2
        assert not enrolments.exclude(trainee__center=center).exists()
        shares = people.aggregate(
            women=Count("pk", filter=Q(gender="female")),
            minorities=Count("pk", filter=summaries_service.minority_q()),
        )
        assert 0.35 < shares["women"] / people.count() < 0.65
        assert 0 < shares["minorities"] / people.count() < 0.25
        assert enrolments.filter(status="completed", grade="Khá").exists()
        assert ClassSession.objects.filter(training_class__in=classes).exists()
        assert AnnualPlan.objects.filter(center=center, year=YEAR).exists()
        # Centre scale: attendance, and certificates for every certifying class.
        assert Attendance.objects.filter(enrollment__in=enrolments).exists()
        assert Certificate.objects.filter(enrollment__in=enrolments).exists()
        # The stored per-class counts are what the summaries service counts.
        assert summaries_match(classes) == n
        report_scope = scope.for_center(center)
        report = counting.build_report(
            report_scope.centers,
            counting.Period.year(YEAR),
            scope_label=report_scope.label,
            issuer=report_scope.issuer,
        )
        assert report.total.classes == n
        assert report.total.enrolled == enrolments.exclude(status="withdrawn").count()
        assert report.total.target_classes > 0
        assert 0 < report.total.certified <= report.total.passed
        assert report.persons == (
            enrolments.exclude(status="withdrawn").values("trainee").distinct().count()
        )
        assert report.lecturers
        # Nothing of the real centre changed.
        assert TrainingClass.objects.filter(center=site_a.center).count() == 1
        assert ClassSummary.objects.get(pk=real_class.pk).enrolled == (
            real_summary.enrolled
        )
        assert Center.objects.filter(slug__startswith="gen-").count() == 1
    member = make_member(center, Membership.Role.DIRECTOR)
    client = Client()
    client.force_login(member)
    page = client.get(
        reverse("reports:report", args=[center.slug]),
        {"kind": "year", "year": YEAR},
    )
    assert page.status_code == 200
    assert f"{report.total.enrolled:,}".replace(",", ".") in page.text


@pytest.mark.django_db
def test_the_same_year_twice_is_refused_unless_forced():
    generate()
    with scopes_disabled():
        before = {
            "classes": TrainingClass.objects.count(),
            "enrolments": Enrollment.objects.count(),
            "trainees": Trainee.objects.count(),
            "partners": CoOrganizer.objects.count(),
        }
    with pytest.raises(CommandError, match="--force"):
        generate()
    generate(force=True)  # the same seed: the same year again, nothing doubled
    with scopes_disabled():
        after = {
            "classes": TrainingClass.objects.count(),
            "enrolments": Enrollment.objects.count(),
            "trainees": Trainee.objects.count(),
            "partners": CoOrganizer.objects.count(),
        }
        assert after == before
        assert summaries_match(TrainingClass.objects.all()) == before["classes"]


@pytest.mark.django_db
def test_a_real_centre_with_a_generated_looking_name_is_left_alone():
    with scopes_disabled():
        make_center(slug="gen-01-01")
    with pytest.raises(CommandError, match="gen-01-01"):
        generate()
    with scopes_disabled():
        assert not TrainingClass.objects.exists()


@pytest.mark.django_db
def test_a_certificate_issued_after_generating_follows_the_generated_numbers():
    """The generated certificates advance the issuer's counter: the next one
    issued on the page is numbered after them, not refused as a duplicate."""
    import datetime

    from django.db.models import Max

    from enrollment.services.certificates import issue_certificates

    generate()
    with scopes_disabled():
        center = Center.objects.get(slug__startswith="gen-")
        generated = Certificate.objects.filter(
            issuer=center.organization, year=YEAR
        ).aggregate(top=Max("number"))["top"]
        assert generated
        closed = make_class(
            center,
            status="closed",
            award="certificate",
            start_date=datetime.date(YEAR, 10, 5),
            end_date=datetime.date(YEAR, 10, 9),
        )
        passed = make_enrollment(closed, status="completed")
        director = make_member(center, Membership.Role.DIRECTOR)
        (issued,) = issue_certificates(
            closed,
            enrollments=[passed],
            issued_on=datetime.date(YEAR, 10, 12),
            signer_title="GIÁM ĐỐC",
            signer_name="Nguyễn Văn An",
            by=director,
        )
    assert (issued.issuer_id, issued.year, issued.number) == (
        center.organization_id,
        YEAR,
        generated + 1,
    )
