"""Certificates: numbering, the frozen PDF, revoke and reissue."""

import datetime
import io
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope
from pypdf import PdfReader

from enrollment.models import Certificate, CertificateEvent, Enrollment
from enrollment.services import certificate_files, certificates as certificates_service
from tests.artifacts import ARTIFACTS
from tests.conftest import table_snapshot
from tests.factories import make_class, make_enrollment, make_trainee

ISSUED = datetime.date(2026, 3, 10)


@pytest.fixture
def closed_class(site_a):
    with scope(center=site_a.center):
        klass = make_class(site_a.center, status="closed", venue="Hội trường A")
        yield klass


def passing(klass, name, **extra):
    trainee = make_trainee(klass.center, full_name=name, **extra)
    return make_enrollment(
        klass, trainee, status=Enrollment.Status.COMPLETED, grade="Khá"
    )


def issue(klass, by, **extra):
    return certificates_service.issue_certificates(
        klass,
        issued_on=ISSUED,
        signer_title="GIÁM ĐỐC",
        signer_name="Nguyễn Thị Hòa",
        by=by,
        **extra,
    )


def test_numbers_follow_the_pattern_and_never_skip(
    site_a, closed_class, django_capture_on_commit_callbacks
):
    names = ["Lê Thị Ánh", "Trần Văn Đức", "Nguyễn Thị Hòa"]
    for name in names:
        passing(closed_class, name)
    make_enrollment(
        closed_class,
        make_trainee(site_a.center, full_name="Võ Văn Rớt"),
        status=Enrollment.Status.FAILED,
    )
    make_enrollment(
        closed_class,
        make_trainee(site_a.center, full_name="Phan Văn Rút"),
        status=Enrollment.Status.WITHDRAWN,
    )
    with django_capture_on_commit_callbacks(execute=True):
        issued = issue(closed_class, site_a.director)
    assert [c.number_text for c in issued] == ["1/GCN-TTCT", "2/GCN-TTCT", "3/GCN-TTCT"]
    assert [c.fields["full_name"] for c in issued] == names  # Vietnamese order
    assert {
        e.trainee.full_name
        for e in Enrollment.objects.filter(certificates__isnull=True)
    } == {"Võ Văn Rớt", "Phan Văn Rút"}
    assert (
        CertificateEvent.objects.filter(action="issue", user=site_a.director).count()
        == 3
    )
    certificate = Certificate.objects.get(number=2)
    text = PdfReader(io.BytesIO(certificate.pdf)).pages[0].extract_text()
    for expected in (
        "GIẤY CHỨNG NHẬN",
        "Trần Văn Đức",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Bồi dưỡng nhận thức về Đảng",
        "2/GCN-TTCT",
        "Nguyễn Thị Hòa",
        "ngày 10 tháng 3 năm 2026",
        "Khá",
    ):
        assert expected in text, expected
    assert certificate.valid_until == datetime.date(2031, 3, 6)  # 60 months
    assert certificate.digest == certificate_files.digest(
        certificate.fields, certificate.pdf
    )
    if shutil.which("pdftoppm"):
        (ARTIFACTS / "certificate.pdf").write_bytes(certificate.pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-singlefile",
                str(ARTIFACTS / "certificate.pdf"),
                str(ARTIFACTS / "certificate"),
            ],
            check=True,
        )


def test_issuing_twice_gives_nobody_a_second_certificate(site_a, closed_class):
    passing(closed_class, "Lê Thị Ánh")
    issue(closed_class, site_a.director)
    before = table_snapshot()
    with pytest.raises(ValidationError):
        issue(closed_class, site_a.director)
    assert table_snapshot() == before


def test_an_open_class_or_a_failed_trainee_gets_nothing(site_a, closed_class):
    failed = make_enrollment(
        closed_class,
        make_trainee(site_a.center, full_name="Võ Văn Rớt"),
        status=Enrollment.Status.FAILED,
    )
    before = table_snapshot()
    with pytest.raises(ValidationError):
        issue(closed_class, site_a.director, enrollments=[failed])
    type(closed_class).objects.filter(pk=closed_class.pk).update(status="in_progress")
    closed_class.refresh_from_db()
    passing(closed_class, "Lê Thị Ánh")
    with pytest.raises(ValidationError, match="closed|bế giảng"):
        issue(closed_class, site_a.director)
    after = table_snapshot()
    for table in ("Trainee", "Enrollment", "HistoricalEnrollment"):
        after.pop(f"enrollment.{table}"), before.pop(f"enrollment.{table}")
    assert after == before


def test_frozen_renaming_changes_nothing(
    site_a, closed_class, django_capture_on_commit_callbacks
):
    enrollment = passing(closed_class, "Lê Thị Ánh")
    with django_capture_on_commit_callbacks(execute=True):
        (certificate,) = issue(closed_class, site_a.director)
    certificate.refresh_from_db()
    pdf, fields = bytes(certificate.pdf), dict(certificate.fields)
    enrollment.trainee.full_name = "Lê Thị Ánh Mới"
    enrollment.trainee.save()
    closed_class.venue = "Nơi khác"
    closed_class.save()
    certificate_files.render_certificates([certificate.pk])  # never re-rendered
    certificate.refresh_from_db()
    assert bytes(certificate.pdf) == pdf and certificate.fields == fields


def test_revoke_and_reissue_keep_the_chain(
    site_a, closed_class, django_capture_on_commit_callbacks
):
    passing(closed_class, "Lê Thị Ánh")
    passing(closed_class, "Trần Văn Đức")
    with django_capture_on_commit_callbacks(execute=True):
        first, _second = issue(closed_class, site_a.director)
    with django_capture_on_commit_callbacks(execute=True):
        new = certificates_service.reissue_certificate(
            first, issued_on=ISSUED, by=site_a.director, note="Sai ngày sinh"
        )
    first.refresh_from_db()
    new.refresh_from_db()
    assert new.number == 3 and new.replaces == first
    assert first.status == "replaced" and new.status == "valid"
    assert new.pdf
    with pytest.raises(ValidationError):
        certificates_service.revoke_certificate(new, reason=" ", by=site_a.director)
    certificates_service.revoke_certificate(new, reason="Cấp nhầm", by=site_a.director)
    new.refresh_from_db()
    assert new.status == "revoked" and new.revoked_reason == "Cấp nhầm"
    assert Certificate.objects.count() == 3  # nothing is ever deleted
    assert list(CertificateEvent.objects.values_list("action", flat=True)) == [
        "issue",
        "issue",
        "reissue",
        "revoke",
    ]


def test_person_page_lists_every_certificate_with_its_status(site_a, closed_class):
    from django.test import Client

    enrollment = passing(closed_class, "Lê Thị Ánh")
    (first,) = issue(closed_class, site_a.director)
    certificates_service.reissue_certificate(
        first, issued_on=ISSUED, by=site_a.director
    )
    client = Client()
    client.force_login(site_a.staff)
    page = client.get(enrollment.trainee.get_absolute_url()).text
    assert "1/GCN-TTCT" in page and "2/GCN-TTCT" in page
    assert "Đã được thay thế" in page and "Còn giá trị" in page


# Rendering fetches nothing ------------------------------------------------------


def test_a_hostile_name_venue_and_template_fetch_nothing(
    site_a, closed_class, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    import time

    from courses.models import CertificateTemplate
    from trainingcenter import pdf

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    fetchers = []
    make_fetcher = pdf._static_only_fetcher

    def recording_fetcher():
        fetcher = make_fetcher()
        fetchers.append(fetcher)
        return fetcher

    monkeypatch.setattr(pdf, "_static_only_fetcher", recording_fetcher)
    class_type = closed_class.class_type
    class_type.certificate_template = CertificateTemplate.objects.create(
        name="Mẫu lạ",
        body=(
            '<section class="certificate"><p>{{ c.full_name }}</p><p>{{ c.venue }}</p>'
            f'<link rel="attachment" href="file://{secret}">'
            '<img src="http://169.254.169.254/latest/meta-data/"></section>'
        ),
        css="@import url(http://127.0.0.1:9/x.css); h1 { color: red; }",
    )
    class_type.save()
    closed_class.venue = f'</p><link rel=attachment href="file://{secret}">'
    closed_class.save()
    name = f'<img src="file://{secret}">'
    passing(closed_class, name)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        (certificate,) = issue(closed_class, site_a.director)
    elapsed = time.monotonic() - started
    certificate.refresh_from_db()
    reader = PdfReader(io.BytesIO(certificate.pdf))
    assert reader.attachments == {}
    text = reader.pages[0].extract_text()

    def squeezed(value):  # the long name wraps over two lines
        return "".join(value.split())

    assert squeezed(name) in squeezed(text) and "TOP SECRET" not in text
    refused = {url for fetcher in fetchers for url in fetcher.refused}
    assert {
        f"file://{secret}",
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:9/x.css",
    } <= refused
    # Refused at once: a fetch left to the network would wait for its timeout.
    assert elapsed < 10


def test_a_template_that_loads_other_templates_is_refused_on_save(db):
    from courses.models import CertificateTemplate

    for body in ('{% include "base.html" %}', "{% load static %}", "{% if %}"):
        with pytest.raises(ValidationError):
            CertificateTemplate(name="x", body=body).full_clean()
    CertificateTemplate(name="y", body="<p>{{ c.full_name }}</p>").full_clean()


# Numbers: never reused, never skipped -------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_eight_issuers_at_once_get_200_numbers_without_a_gap(site_a, monkeypatch):
    """Eight threads, each on its own connection, take 25 numbers each, one by one."""
    import threading

    from django.db import connection

    monkeypatch.setattr(certificates_service, "start_rendering", lambda batch: None)
    with scope(center=site_a.center):
        classes = []
        for _ in range(8):
            klass = make_class(site_a.center, status="closed")
            for index in range(25):
                passing(klass, f"Nguyễn Văn {index}")
            classes.append(klass)
    errors = []
    barrier = threading.Barrier(8)

    def issuer(klass):
        try:
            barrier.wait()
            with scope(center=site_a.center):
                for enrollment in list(klass.enrollments.order_by("pk")):
                    issue(klass, site_a.director, enrollments=[enrollment])
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issuer, args=(k,)) for k in classes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with scope(center=site_a.center):
        numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 201))


def test_a_failed_issue_gives_its_number_to_the_next(site_a, closed_class):
    from django.db import IntegrityError, transaction

    first = passing(closed_class, "Lê Thị Ánh")
    second = passing(closed_class, "Trần Văn Đức")
    with pytest.raises(RuntimeError), transaction.atomic():
        issue(closed_class, site_a.director, enrollments=[first])
        raise RuntimeError("the issuing transaction fails after numbering")
    assert not Certificate.objects.exists()
    (certificate,) = issue(closed_class, site_a.director, enrollments=[second])
    assert certificate.number == 1
    duplicate = Certificate(
        enrollment=first,
        kind="certificate",
        issuer=certificate.issuer,
        year=certificate.year,
        number=1,
        number_text="1/GCN-TTCT",
        issued_on=ISSUED,
        code="another-code",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_numbers_restart_with_the_local_year_and_per_issuer(
    site_a, closed_class, time_machine
):
    from django.utils import timezone

    from tests.factories import make_organization

    for name in ("Lê Thị Ánh", "Trần Văn Đức", "Nguyễn Thị Hòa"):
        passing(closed_class, name)
    ann, duc, hoa = closed_class.enrollments.order_by("pk")
    # 23:59:59 on 31/12 in Hồ Chí Minh City is still 2026 there.
    time_machine.move_to(
        datetime.datetime(2026, 12, 31, 16, 59, 59, tzinfo=datetime.UTC)
    )
    (last,) = issue_on(closed_class, site_a, [ann], timezone.localdate())
    time_machine.move_to(datetime.datetime(2026, 12, 31, 17, 0, 1, tzinfo=datetime.UTC))
    (new_year,) = issue_on(closed_class, site_a, [duc], timezone.localdate())
    assert (last.year, last.number) == (2026, 1)
    assert (new_year.year, new_year.number) == (2027, 1)
    certificates_service.revoke_certificate(
        new_year, reason="Cấp nhầm", by=site_a.director
    )
    closed_class.certificate_issuer = make_organization(name="Ban Tuyên giáo tỉnh")
    closed_class.save()
    (other,) = issue_on(closed_class, site_a, [hoa], timezone.localdate())
    assert (other.issuer, other.year, other.number) == (
        closed_class.certificate_issuer,
        2027,
        1,
    )
    closed_class.certificate_issuer = None
    closed_class.save()
    reissued = certificates_service.reissue_certificate(
        last, issued_on=timezone.localdate(), by=site_a.director
    )
    assert (reissued.year, reissued.number, reissued.replaces) == (2027, 2, last)


def issue_on(klass, site, enrollments, day):
    return certificates_service.issue_certificates(
        klass,
        enrollments=enrollments,
        issued_on=day,
        signer_title="GIÁM ĐỐC",
        signer_name="Nguyễn Thị Hòa",
        by=site.director,
    )
