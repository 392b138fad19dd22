"""Retention: past the centre's period after a trainee's last class, the name
becomes initials, the birth date its year, the citizen ID and ethnicity go;
the reports, the summaries and the certificate register stay as they were,
and a person whose certificate still counts for party admission is left whole.
"""

import datetime
import hashlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.utils import timezone
from django_scopes import scopes_disabled

from courses.models import TrainingClass
from enrollment.models import Attendance, Certificate, ImportBatch, Trainee
from enrollment.services import retention
from reports import counting
from tests.conftest import table_snapshot
from tests.factories import make_certificate, make_class, make_session
from trainingcenter.encryption import EncryptedCharField
from trainingcenter.models import Center

D = datetime.date
TODAY = "2031-06-01"  # more than 24 months after every class below


def run(**options) -> str:
    out = io.StringIO()
    call_command("apply_retention", today=TODAY, stdout=out, **options)
    return out.getvalue()


def figures(centers) -> dict:
    """What the archive needs: the reports of the years, the register."""
    with scopes_disabled():
        reports = [
            counting.build_report(
                centers, counting.Period.year(year), scope_label="", issuer=None
            )
            for year in (2020, 2026)
        ]
        register = [
            (
                c.number_text,
                c.fields,
                c.digest,
                hashlib.sha256(bytes(c.pdf)).hexdigest() if c.pdf else None,
            )
            for c in Certificate.objects.order_by("pk")
        ]
    return {"reports": reports, "register": register}


def people() -> dict:
    with scopes_disabled():
        return {
            t.pk: (t.full_name, t.birth_date, t.citizen_id, t.ethnicity)
            for t in Trainee.objects.all()
        }


@pytest.fixture
def archive(db):
    """A generated centre's year 2020, and two people of 2026 with issued
    certificates: one still valid for an admission file in 2031."""
    call_command(
        "generate_data", scale="centre", year=2020, shrink=0.1, stdout=io.StringIO()
    )
    with scopes_disabled():
        center = Center.objects.get(
            pk__in=TrainingClass.objects.values("center").distinct()
        )
        center.retention_months = 24
        center.save()
        valid = make_certificate(center, valid_until=D(2031, 12, 31))
        expired = make_certificate(center, valid_until=D(2031, 1, 1))
    return center, valid.enrollment.trainee, expired.enrollment.trainee


@pytest.mark.django_db
def test_the_dry_run_lists_whom_and_changes_nothing(archive):
    center, valid, _ = archive
    before, tables, who = figures(Center.objects.all()), table_snapshot(), people()
    output = run(dry_run=True, sample=3)
    with scopes_disabled():
        due = retention.due(center, D.fromisoformat(TODAY))
        count = due.trainees.count()
        assert count == Trainee.objects.count() - 1 > 100  # all but the valid one
    assert f"{center.slug}: {count} học viên" in output
    assert "giữ nguyên 1 người" in output
    sample = [line for line in output.splitlines() if line.startswith("  #")]
    assert len(sample) == 3
    # The sample names no one in full.
    assert not any(name in output for name, *_ in who.values())
    assert (figures(Center.objects.all()), table_snapshot(), people()) == (
        before,
        tables,
        who,
    )


@pytest.mark.django_db
def test_the_run_reduces_the_details_and_keeps_the_archive(archive):
    center, valid, expired = archive
    with scopes_disabled():
        enrollment = expired.enrollments.get()
        absence = Attendance.objects.create(
            enrollment=enrollment,
            class_session=make_session(enrollment.training_class),
            present=False,
            absence_reason="Ốm, có giấy của bệnh viện",
        )
    before, who = figures(Center.objects.all()), people()
    minorities = sum(1 for *_, ethnicity in who.values() if ethnicity != "Kinh")
    assert minorities and any(citizen for _, _, citizen, _ in who.values())
    run()
    with scopes_disabled():
        absence.refresh_from_db()
    # The reason goes with the details; the absence itself still counts.
    assert (absence.present, absence.absence_reason) == (False, "")
    after = people()
    # Untouched: the holder of a certificate still valid for admission.
    assert after[valid.pk] == who[valid.pk]
    reduced = {pk: v for pk, v in after.items() if pk != valid.pk}
    for pk, (name, born, citizen, ethnicity) in reduced.items():
        old_name, old_born, *_ = who[pk]
        assert name == retention.initials(old_name) and "." in name
        assert born == (old_born and D(old_born.year, 1, 1))
        assert (citizen, ethnicity) == ("", "")
    with scopes_disabled():
        person = Trainee.objects.get(pk=expired.pk)
        assert person.birth_display == "1995" and person.details_removed_on
    # The reports and the register, as they were; and so after a recount.
    assert figures(Center.objects.all()) == before
    call_command("refresh_summaries", stdout=io.StringIO())
    assert figures(Center.objects.all()) == before
    # Nothing left to do the next night.
    assert "Tổng: đã rút gọn thông tin định danh của 0 học viên." in run()
    _assert_no_copy_left(who, reduced)


def _assert_no_copy_left(who: dict, reduced: dict) -> None:
    """No table (history included) keeps an old name or citizen ID, except
    the copy each certificate froze at issue (the register)."""
    olds = [who[pk] for pk in list(reduced)[:10]] + [who[max(reduced)]]
    texts = [(n, c) for n, _, c, _ in olds]
    with scopes_disabled():
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, EncryptedCharField) or (
                    model is Certificate and field.name == "fields"
                ):
                    continue
                if not isinstance(field, models.CharField | models.TextField):
                    continue
                for name, citizen in texts:
                    for old in (name, citizen):
                        found = model._base_manager.filter(
                            **{f"{field.name}__contains": old}
                        )
                        assert not old or not found.exists(), (model, field.name)


@pytest.mark.django_db
def test_a_centre_without_a_period_is_left_alone(archive):
    center, *_ = archive
    center.retention_months = None
    center.save()
    who = people()
    assert "0 học viên" in run()
    assert people() == who


@pytest.mark.django_db
def test_uploads_never_confirmed_go_after_a_day(site_a):
    with scopes_disabled():
        klass = make_class(site_a.center)
        old, recent = (
            ImportBatch.objects.create(
                token=token,
                center=site_a.center,
                training_class=klass,
                user=site_a.staff,
                file_name="ds.xlsx",
                sheet={"rows": [["Nguyễn Văn An", "001095000123"]]},
            )
            for token in ("old", "recent")
        )
        ImportBatch.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=2)
        )
        assert "Sẽ xóa 1 danh sách tải lên bỏ dở." in run(dry_run=True)
        assert ImportBatch.objects.count() == 2
        assert "Đã xóa 1 danh sách tải lên bỏ dở." in run()
        assert list(ImportBatch.objects.all()) == [recent]
