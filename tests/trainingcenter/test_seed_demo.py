import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum
from django.test import Client, override_settings
from django.utils import timezone
from django_scopes import scopes_disabled

from courses.models import (
    AnnualPlan,
    ClassSession,
    ClassType,
    CoOrganizer,
    Lecturer,
    TrainingClass,
)
from enrollment.models import (
    Attendance,
    Certificate,
    ClassSummary,
    Enrollment,
    Trainee,
)
from tests.summaries import assert_persons_add_up, stored_counts_match_sql
from trainingcenter.models import Center, Membership, Organization


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_seed_demo_is_idempotent_and_uses_the_given_password(capsys):
    call_command("seed_demo", password="mot-mat-khau-demo-dai")
    counts = _counts()
    _assert_the_report_has_something_to_show(timezone.localdate().year)
    _assert_every_summary_equals_a_fresh_count()
    with scopes_disabled():
        year = timezone.localdate().year
        classes = TrainingClass.objects.filter(start_date__year=year)
        assert classes.count() == 30
        assert 2300 <= Enrollment.objects.count() <= 2800
        assert classes.filter(status="closed").count() >= 20
        assert Attendance.objects.exists() and ClassSession.objects.exists()
        names = list(Trainee.objects.values_list("full_name", flat=True))
        assert sum(name.startswith("Nguyễn ") for name in names) / len(names) > 0.3
        assert Trainee.objects.filter(gender="female").exists()
        assert Trainee.objects.exclude(ethnicity="Kinh").exists()
        assert not Enrollment.objects.filter(
            training_class__status="closed", status="enrolled"
        ).exists()
        # The register's numbers follow its dates, as a real register's do.
        days = list(
            Certificate.objects.order_by("year", "number").values_list(
                "issued_on", flat=True
            )
        )
        assert days and days == sorted(days)
    call_command("seed_demo", password="mot-mat-khau-demo-dai")
    assert _counts() == counts
    _assert_every_summary_equals_a_fresh_count()
    assert ClassType.objects.count() == 16  # the catalogue fixture
    assert Center.objects.count() == 1
    center = Center.objects.get()
    assert center.communes.count() == 2
    assert Organization.objects.filter(parent__isnull=False).count() >= 12
    for user in get_user_model().objects.all():
        assert user.check_password("mot-mat-khau-demo-dai")
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {"director": "director", "staff": "staff", "committee": "committee"}


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_seed_demo_prints_generated_passwords_that_work(capsys):
    call_command("seed_demo", without_year=True)
    out = capsys.readouterr().out
    logins = dict(
        line.split()[:2] for line in out.splitlines() if line.startswith("  ")
    )
    assert set(logins) == {"admin", "director", "staff", "committee"}
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"username": "staff", "password": logins["staff"]},
        follow=True,
    )
    assert "Trung tâm Chính trị Đà Lạt" in response.text


@pytest.mark.django_db
def test_seed_demo_refuses_with_debug_off():
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo")
    assert not Center.objects.exists()
    call_command(
        "seed_demo", force=True, without_year=True, password="mot-mat-khau-dai"
    )
    assert Center.objects.exists()


def _counts():
    with scopes_disabled():
        return (
            Organization.objects.count(),
            Center.objects.count(),
            Membership.objects.count(),
            Lecturer.objects.count(),
            ClassType.objects.count(),
            TrainingClass.objects.count(),
            Enrollment.objects.count(),
            AnnualPlan.objects.count(),
            CoOrganizer.objects.count(),
            TrainingClass.venue_communes.through.objects.count(),
        )


def _assert_the_report_has_something_to_show(year):
    with scopes_disabled():
        # Plans this year and last, near what was done: above and below 100%.
        for plan_year in (year - 1, year):
            shares = []
            for plan in AnnualPlan.objects.filter(year=plan_year):
                done = TrainingClass.objects.filter(
                    start_date__year=plan_year,
                    class_type=plan.class_type,
                    counted_in_plan=True,
                ).aggregate(n=Sum("summary__enrolled"))["n"]
                shares.append(done / plan.target_trainees)
            assert len(shares) >= 6, plan_year
            assert min(shares) < 1 < max(shares), plan_year
            assert all(0.75 < share < 1.25 for share in shares), plan_year
        # The teachers' summer course is co-organised with a partner and is not
        # counted against the annual plan.
        summer = TrainingClass.objects.filter(class_type__code="chinh-tri-he")
        assert summer.exists() and not summer.filter(counted_in_plan=True).exists()
        assert not AnnualPlan.objects.filter(class_type__code="chinh-tri-he").exists()
        partners = CoOrganizer.objects.filter(
            role="partner", training_class__start_date__year=year
        )
        assert partners.filter(organization__name__contains="Quân sự").exists()
        assert partners.filter(organization__name__contains="Thanh niên").exists()
        clusters = TrainingClass.objects.annotate(n=Count("venue_communes"))
        assert clusters.filter(n__gte=2, start_date__year=year).exists()
        # Four earlier years entered as counts: closed classes, no roster.
        for past in range(year - 4, year):
            classes = TrainingClass.objects.filter(start_date__year=past)
            assert 5 <= classes.count() <= 40, past
            assert not classes.filter(enrollments__isnull=False).exists()
            assert set(classes.values_list("status", flat=True)) == {"closed"}
            assert not classes.filter(declared_enrolled__isnull=True).exists()


def _assert_every_summary_equals_a_fresh_count():
    with scopes_disabled():
        ids = list(TrainingClass.objects.values_list("pk", flat=True))
        assert set(ClassSummary.objects.values_list("pk", flat=True)) == set(ids)
        stored_counts_match_sql(ids)
        for center in Center.objects.all():
            dates = center.classes.values_list("start_date", flat=True)
            years = sorted({day.year for day in dates})
            assert_persons_add_up(center, years, every_date=False)
