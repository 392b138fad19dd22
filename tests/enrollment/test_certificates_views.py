"""Certificates in the browser: issuing, batches, downloads, revoke and reissue,
diplomas, the register, and the public verification page."""

import datetime
import hashlib
import io
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from enrollment.models import (
    Certificate,
    CertificateBatch,
    CertificateEvent,
    Enrollment,
)
from enrollment.services import certificate_files, certificates as certificates_service
from tests.artifacts import ARTIFACTS
from tests.conftest import table_snapshot
from tests.factories import make_class, make_enrollment, make_trainee
from tests.production.serving import DB_BACKEND

NAMES = ["Lê Thị Ánh", "Trần Văn Đức", "Nguyễn Thị Hòa", "Đặng Văn Bình"]


@pytest.fixture
def closed_class(site_a):
    with scope(center=site_a.center):
        klass = make_class(site_a.center, status="closed", venue="Hội trường A")
        for name in NAMES:
            make_enrollment(
                klass,
                make_trainee(site_a.center, full_name=name),
                status=Enrollment.Status.COMPLETED,
                grade="Khá",
            )
        make_enrollment(
            klass,
            make_trainee(site_a.center, full_name="Võ Văn Rớt"),
            status=Enrollment.Status.FAILED,
        )
        yield klass


def url(name, site, *args):
    return reverse(f"enrollment:{name}", args=[site.center.slug, *args])


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def issue_all(site, klass, client=None, **extra):
    client = client or client_for(site.director)
    with scopes_disabled():
        ids = list(
            klass.enrollments.filter(status="completed").values_list("pk", flat=True)
        )
    data = {
        "issued_on": "2026-03-10",
        "signer_title": "GIÁM ĐỐC",
        "signer_name": "Nguyễn Thị Hòa",
        "enrollment": ids,
        "confirmed": "1",
        **extra,
    }
    return client.post(url("certificates_issue", site, klass.pk), data)


def test_director_issues_to_every_passing_trainee_in_one_action(
    site_a, closed_class, django_capture_on_commit_callbacks
):
    page = client_for(site_a.director).get(
        url("class_certificates", site_a, closed_class.pk)
    )
    assert "Cấp cho những học viên đã chọn" in page.text
    assert "Võ Văn Rớt" not in page.text  # failed: not offered
    with django_capture_on_commit_callbacks(execute=True):
        response = issue_all(site_a, closed_class)
    with scopes_disabled():
        batch = CertificateBatch.objects.get()
        certificates = list(Certificate.objects.order_by("number"))
    assert response.status_code == 302
    assert response["Location"] == url("batch_detail", site_a, batch.pk)
    assert [c.number_text for c in certificates] == [
        f"{n}/GCN-TTCT" for n in range(1, 5)
    ]
    assert all(c.pdf for c in certificates)
    page = client_for(site_a.staff).get(response["Location"])
    assert 'value="4" max="4"' in page.text and "data-reload-after" not in page.text
    assert "Hoàn tất" in page.text


def test_staff_cannot_issue_and_nothing_changes(site_a, closed_class):
    before = table_snapshot()
    response = issue_all(site_a, closed_class, client=client_for(site_a.staff))
    assert response.status_code == 403
    assert table_snapshot() == before
    page = client_for(site_a.staff).get(
        url("class_certificates", site_a, closed_class.pk)
    )
    assert "Giám đốc cấp giấy chứng nhận" in page.text


def test_bad_date_or_nobody_ticked_gives_a_message_and_changes_nothing(
    site_a, closed_class
):
    client = client_for(site_a.director)
    before = table_snapshot()
    response = issue_all(site_a, closed_class, client=client, issued_on="31/02/2026")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Kiểm tra ngày cấp và người ký" in page.text
    response = issue_all(site_a, closed_class, client=client, issued_on="2026-03-05")
    assert (
        "Ngày cấp không thể trước ngày 06/03/2026"
        in client.get(response["Location"]).text
    )
    response = issue_all(site_a, closed_class, client=client, issued_on="2099-01-01")
    assert "Ngày cấp không thể ở tương lai" in client.get(response["Location"]).text
    response = issue_all(site_a, closed_class, client=client, enrollment=[])
    assert "Hãy chọn ít nhất một học viên" in client.get(response["Location"]).text
    with scopes_disabled():
        failed = Enrollment.objects.get(status="failed")
    response = issue_all(site_a, closed_class, client=client, enrollment=[failed.pk])
    assert "Chỉ học viên đạt mới được cấp" in client.get(response["Location"]).text
    assert table_snapshot() == before


@override_settings(CERTIFICATE_INLINE_MAX=2, CERTIFICATE_CHUNK=3)
def test_a_large_batch_goes_to_the_background_worker_with_progress(
    site_a, closed_class, django_capture_on_commit_callbacks, monkeypatch
):
    """With the real database backend: queued, shown at 0 %, done by db_worker.

    The worker must not close the test's connection (it holds the test
    transaction), so only its connection recycling is switched off.
    """
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    with override_settings(TASKS=DB_BACKEND):
        with django_capture_on_commit_callbacks(execute=True):
            response = issue_all(site_a, closed_class)
        page = client_for(site_a.staff).get(response["Location"])
        assert 'value="0" max="4"' in page.text
        assert "data-reload-after" in page.text
        # The batch waits in its own queue: a worker of the other jobs'
        # queue (report PDFs, workbooks) leaves it; the certificates' worker
        # prints it.
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        with scopes_disabled():
            assert CertificateBatch.objects.get().status == "queued"
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--queue-name",
            "certificates",
            verbosity=0,
        )
    with scopes_disabled():
        batch = CertificateBatch.objects.get()
        assert batch.status == "done" and batch.finished_at
        assert not Certificate.objects.filter(pdf=None).exists()
    page = client_for(site_a.staff).get(response["Location"])
    assert 'value="4" max="4"' in page.text and "data-reload-after" not in page.text


def test_class_pdf_and_zip_hold_the_stored_bytes(
    site_a, closed_class, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue_all(site_a, closed_class)
    client = client_for(site_a.staff)
    response = client.get(url("class_certificates_pdf", site_a, closed_class.pk))
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert "attachment; filename=" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 4
    texts = [p.extract_text() for p in reader.pages]
    for name in NAMES[:2] + NAMES[3:]:  # NAMES[2] is also the signer's
        assert sum(name in t for t in texts) == 1, name
    (ARTIFACTS / "certificates-class.pdf").write_bytes(response.content)
    if shutil.which("pdftoppm"):  # page 1 of the batch, to look at
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"]
            + [str(ARTIFACTS / "certificates-class.pdf")]
            + [str(ARTIFACTS / "certificates-class-page-1")],
            check=True,
        )
    response = client.get(url("class_certificates_zip", site_a, closed_class.pk))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    with scopes_disabled():
        stored = {
            c.number_text: (bytes(c.pdf), c.digest, c.fields)
            for c in Certificate.objects.all()
        }
    assert len(archive.namelist()) == 4
    assert "1-gcn-ttct-le-thi-anh.pdf" in archive.namelist()
    for number, (pdf, digest, fields) in stored.items():
        member = next(n for n in archive.namelist() if n.startswith(f"{number[0]}-"))
        assert archive.read(member) == pdf
        assert certificate_files.digest(fields, archive.read(member)) == digest


def test_frozen_re_download_after_renaming_and_a_new_template(
    site_a, closed_class, django_capture_on_commit_callbacks
):
    """Rename the person, edit the class and change the template: the
    re-downloaded file hashes to the stored digest and prints the old name."""
    from courses.models import CertificateTemplate

    with django_capture_on_commit_callbacks(execute=True):
        issue_all(site_a, closed_class)
    with scopes_disabled():
        certificate = Certificate.objects.get(number=1)
        trainee = certificate.enrollment.trainee
        trainee.full_name = "Lê Thị Ánh Hồng"
        trainee.save()
        closed_class.venue = "Nơi khác"
        closed_class.save()
        class_type = closed_class.class_type
        class_type.certificate_template = CertificateTemplate.objects.create(
            name="Mới", css="h1.cert-title { color: red; }"
        )
        class_type.save()
    response = client_for(site_a.staff).get(
        url("certificate_pdf", site_a, certificate.pk)
    )
    assert (
        certificate_files.digest(certificate.fields, response.content)
        == certificate.digest
    )
    assert (
        hashlib.sha256(response.content).digest()
        == hashlib.sha256(bytes(certificate.pdf)).digest()
    )
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Lê Thị Ánh" in text and "Hồng" not in text


def test_a_revoked_trainee_is_shown_with_the_number_and_not_ticked(
    site_a, closed_class, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue_all(site_a, closed_class)
    with scopes_disabled():
        first = Certificate.objects.get(number=1)
        certificates_service.revoke_certificate(
            first, reason="Cấp nhầm", by=site_a.director
        )
    page = client_for(site_a.director).get(
        url("class_certificates", site_a, closed_class.pk)
    )
    row = page.text.split(first.fields["full_name"])[0].rsplit("<tr>", 1)[1]
    assert f'value="{first.enrollment_id}"' in row and "checked" not in row
    assert "1/GCN-TTCT" in page.text and "Đã thu hồi" in page.text


def test_a_programme_without_certificates_offers_no_issuing(site_a):
    with scope(center=site_a.center):
        klass = make_class(site_a.center, status="closed", award="none")
        make_enrollment(klass, status=Enrollment.Status.COMPLETED)
    page = client_for(site_a.director).get(url("class_certificates", site_a, klass.pk))
    assert "Chương trình này không cấp giấy chứng nhận" in page.text
    assert 'name="enrollment"' not in page.text
    assert "Cấp cho những học viên đã chọn" not in page.text
    # Nor a column of numbers that reads "chưa cấp" beside everyone.
    assert "chưa cấp" not in page.text and "Số giấy chứng nhận" not in page.text


def test_revoke_and_reissue_through_the_pages(
    site_a, closed_class, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue_all(site_a, closed_class)
    with scopes_disabled():
        first = Certificate.objects.get(number=1)
    director = client_for(site_a.director)
    staff = client_for(site_a.staff)
    before = table_snapshot()
    assert (
        staff.post(url("certificate_revoke", site_a, first.pk), {"reason": "x"})
    ).status_code == 403
    response = director.post(
        url("certificate_revoke", site_a, first.pk), {"reason": " "}
    )
    assert "Hãy ghi lý do thu hồi" in director.get(response["Location"]).text
    assert table_snapshot() == before
    asked = director.post(
        url("certificate_reissue", site_a, first.pk),
        {"issued_on": "12/03/2026", "note": "Sai ngày sinh"},
    )
    assert "nhận số kế tiếp, 5/GCN-TTCT" in asked.text
    assert "không thể thu hồi số" in asked.text
    assert table_snapshot() == before
    with django_capture_on_commit_callbacks(execute=True):
        response = director.post(
            url("certificate_reissue", site_a, first.pk),
            {"issued_on": "12/03/2026", "note": "Sai ngày sinh", "confirmed": "1"},
        )
    with scopes_disabled():
        new = Certificate.objects.get(number=5)
        assert new.replaces == first and new.pdf
        assert new.events.get().user == site_a.director
    assert response["Location"] == url("certificate_detail", site_a, new.pk)
    page = director.get(url("certificate_detail", site_a, first.pk)).text
    assert "Đã được thay thế" in page and "5/GCN-TTCT" in page
    asked = director.post(
        url("certificate_revoke", site_a, new.pk), {"reason": "Cấp nhầm"}
    )
    assert "không thể hoàn tác" in asked.text
    assert (
        "Đã thu hồi" not in director.get(url("certificate_detail", site_a, new.pk)).text
    )
    director.post(
        url("certificate_revoke", site_a, new.pk),
        {"reason": "Cấp nhầm", "confirmed": "1"},
    )
    page = director.get(url("certificate_detail", site_a, new.pk)).text
    assert "Đã thu hồi" in page and "Cấp nhầm" in page
    with scopes_disabled():
        # One register event per action, with the user and the time.
        events = list(CertificateEvent.objects.values_list("action", "user"))
    assert events.count(("reissue", site_a.director.pk)) == 1
    assert events.count(("revoke", site_a.director.pk)) == 1
    assert len(events) == 4 + 2


def test_diplomas_are_recorded_with_the_schools_numbers(site_a):
    with scope(center=site_a.center):
        klass = make_class(site_a.center, status="closed", award="diploma")
        people = [
            make_enrollment(
                klass,
                make_trainee(site_a.center, full_name=name),
                status=Enrollment.Status.COMPLETED,
            )
            for name in NAMES[:2]
        ]
    director = client_for(site_a.director)
    target = url("diplomas_record", site_a, klass.pk)
    before = table_snapshot()
    response = director.post(
        target,
        {
            "issued_on": "2026-06-01",
            f"number-{people[0].pk}": "A-0001",
            f"number-{people[1].pk}": "A-0001",
        },
    )
    assert "Mỗi bằng cần một số riêng" in director.get(response["Location"]).text
    assert table_snapshot() == before
    director.post(
        target,
        {
            "issued_on": "2026-06-01",
            f"number-{people[0].pk}": "A-0001",
            f"number-{people[1].pk}": "A-0002",
        },
    )
    with scopes_disabled():
        diplomas = list(Certificate.objects.order_by("number_text"))
    assert [(d.kind, d.number, d.number_text) for d in diplomas] == [
        ("diploma", None, "A-0001"),
        ("diploma", None, "A-0002"),
    ]
    page = director.get(url("class_certificates", site_a, klass.pk)).text
    assert "A-0002" in page


def test_register_page_pdf_and_excel_show_the_chain(
    site_a, closed_class, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue_all(site_a, closed_class)
        with scopes_disabled():
            first = Certificate.objects.get(number=1)
            certificates_service.reissue_certificate(
                first, issued_on=datetime.date(2026, 3, 12), by=site_a.director
            )
    client = client_for(site_a.staff)
    page = client.get(url("register", site_a) + "?year=2026").text
    assert "Sổ cấp giấy chứng nhận" in page
    assert "Thay cho số 1/GCN-TTCT" in page and "Được thay bằng số 5/GCN-TTCT" in page
    purpose = {"purpose": "certificate"}
    response = client.post(url("register_pdf", site_a) + "?year=2026", purpose)
    assert response["Cache-Control"] == "no-store"
    (ARTIFACTS / "register.pdf").write_bytes(response.content)
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "SỔ CẤP GIẤY CHỨNG NHẬN" in text
    assert "Trần Văn Đức" in text and "Thay cho số 1/" in text
    assert "Đã được thay thế; được thay bằng số 5/" in text
    response = client.post(url("register_xlsx", site_a) + "?year=2026", purpose)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in sheet.iter_rows(values_only=True) if r[0] and "/GCN" in r[0]]
    assert [r[0] for r in rows] == [f"{n}/GCN-TTCT" for n in range(1, 6)]
    assert rows[0][10] == "Đã được thay thế"
    assert rows[0][11] == "được thay bằng số 5/GCN-TTCT"
    assert rows[4][8] == datetime.datetime(2026, 3, 12)
    assert rows[0][3] == datetime.datetime(1995, 5, 17)  # a date, as the others
    assert client.get(url("register", site_a) + "?year=2031").status_code == 200


def test_the_register_cannot_be_edited_or_deleted_in_the_admin(site_a):
    """Audit rows are append-only, even for a superuser."""
    from django.contrib.auth.models import User

    from tests.factories import make_certificate

    with scopes_disabled():
        certificate = make_certificate(site_a.center)
        event = CertificateEvent.objects.create(
            certificate=certificate, action="issue", user=site_a.director
        )
    admin = User.objects.create_superuser("root", "root@example.org", "x")
    client = client_for(admin)
    before = table_snapshot()
    for model, pk in (("certificate", certificate.pk), ("certificateevent", event.pk)):
        base = f"/admin/enrollment/{model}/{pk}"
        assert client.get(f"{base}/change/").status_code == 200  # view only
        assert client.post(f"{base}/change/", {"note": "x"}).status_code == 403
        assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert table_snapshot() == before


def test_issuing_asks_first_with_the_numbers_and_takes_none(site_a, closed_class):
    """The confirmation says how many numbers, from which to which, and that
    they cannot be taken back; until it is answered no number is taken."""
    before = table_snapshot()
    asked = issue_all(site_a, closed_class, confirmed="")
    assert asked.status_code == 200
    assert (
        "4 giấy chứng nhận sẽ được cấp số, từ 1/GCN-TTCT đến 4/GCN-TTCT" in asked.text
    )
    assert "không thể thu hồi số" in asked.text
    assert table_snapshot() == before
    with scopes_disabled():
        assert not Certificate.objects.exists()


def test_a_birth_year_alone_prints_as_the_year_of_birth(
    site_a, closed_class, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        make_enrollment(
            closed_class,
            make_trainee(
                site_a.center,
                full_name="Hứa Thị Ánh",
                birth_date=datetime.date(1992, 1, 1),
                birth_year_only=True,
            ),
            status=Enrollment.Status.COMPLETED,
            grade="Khá",
        )
    with django_capture_on_commit_callbacks(execute=True):
        issue_all(site_a, closed_class)
    with scopes_disabled():
        texts = {
            c.enrollment.trainee.full_name: " ".join(
                page.extract_text() for page in PdfReader(io.BytesIO(c.pdf)).pages
            )
            for c in Certificate.objects.select_related("enrollment__trainee")
        }
    assert "Năm sinh: 1992" in texts["Hứa Thị Ánh"]
    assert "Sinh ngày:" not in texts["Hứa Thị Ánh"]
    assert "Sinh ngày:" in texts["Lê Thị Ánh"]
