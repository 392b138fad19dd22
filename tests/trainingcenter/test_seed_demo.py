import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone
from django_scopes import scopes_disabled

from courses.models import ClassSession, ClassType, Lecturer, TrainingClass
from enrollment.models import Attendance, Enrollment, Trainee
from trainingcenter.models import Center, Membership, Organization


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_seed_demo_is_idempotent_and_uses_the_given_password(capsys):
    call_command("seed_demo", password="mot-mat-khau-demo-dai")
    counts = _counts()
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
    call_command("seed_demo", password="mot-mat-khau-demo-dai")
    assert _counts() == counts
    assert ClassType.objects.count() == 12
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
        )
