"""Background jobs whose worker died (`trainingcenter.models.Job`): nothing
half-made is offered, and the job resumes from the page or from
`manage.py recover_jobs`. The worker really killed: tests/production/test_faults.py."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from pypdf import PdfReader

from enrollment.models import Certificate, CertificateBatch
from enrollment.services import certificate_files as service
from reports import counting, jobs as report_jobs, scope
from reports.models import ReportJob
from tests.enrollment import test_certificates_views
from tests.enrollment.test_certificates_views import NAMES, client_for, issue_all, url

closed_class = test_certificates_views.closed_class  # the fixture

LONG_AGO = timezone.now() - datetime.timedelta(hours=1)


def interrupt(batch_pk, printed: int):
    """What a worker killed after `printed` certificates leaves: those PDFs
    committed, the rest without, the batch running with an old heartbeat."""
    with scopes_disabled():
        ids = list(
            Certificate.objects.filter(batch_id=batch_pk)
            .order_by("number")
            .values_list("pk", flat=True)
        )
        Certificate.objects.filter(pk__in=ids).update(pdf=None, digest="")
        service.render_certificates(ids[:printed])
        CertificateBatch.objects.filter(pk=batch_pk).update(
            status="running", heartbeat_at=LONG_AGO, finished_at=None
        )
        return {
            c.pk: (bytes(c.pdf), c.digest)
            for c in Certificate.objects.filter(pk__in=ids[:printed])
        }


@pytest.fixture
@override_settings(CERTIFICATE_INLINE_MAX=2)
def batch(site_a, closed_class, django_capture_on_commit_callbacks):
    """The four certificates of the closed class, issued and printed."""
    with django_capture_on_commit_callbacks(execute=True):
        issue_all(site_a, closed_class)
    with scopes_disabled():
        return CertificateBatch.objects.get()


def snapshot():
    with scopes_disabled():
        return list(
            Certificate.objects.order_by("pk").values_list(
                "pk", "number", "number_text", "digest"
            )
        ), list(CertificateBatch.objects.values_list("pk", "status"))


@override_settings(CERTIFICATE_INLINE_MAX=2, CERTIFICATE_CHUNK=2)
def test_an_interrupted_batch_offers_no_half_file_and_resumes_where_it_stopped(
    site_a,
    closed_class,
    batch,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    with scopes_disabled():
        numbers = dict(Certificate.objects.values_list("pk", "number_text"))
    kept = interrupt(batch.pk, printed=2)
    client = client_for(site_a.staff)
    page = client.get(url("batch_detail", site_a, batch.pk)).content.decode()
    assert "Đang in bị gián đoạn" in page and "Tiếp tục in" in page
    assert "data-reload-after" not in page
    # The class file is not offered with two of its four certificates.
    for name in ("class_certificates_pdf", "class_certificates_zip"):
        response = client.get(url(name, site_a, closed_class.pk), follow=True)
        assert response.redirect_chain[-1][0] == url("batch_detail", site_a, batch.pk)
        assert "vẫn đang được in" in response.content.decode()

    rendered = []
    render_group = service._render_group

    def spy(certificates, template):
        rendered.extend(c.pk for c in certificates)
        render_group(certificates, template)

    monkeypatch.setattr(service, "_render_group", spy)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("batch_resume", site_a, batch.pk), follow=True)
    assert "Tiếp tục in từ chỗ đã dừng" in response.content.decode()
    assert sorted(rendered) == sorted(set(numbers) - set(kept))
    with scopes_disabled():
        batch.refresh_from_db()
        certificates = list(Certificate.objects.all())
    assert batch.status == "done" and batch.finished_at
    assert all(c.pdf for c in certificates)
    # The numbers stand, and what was printed before is not printed again.
    assert {c.pk: c.number_text for c in certificates} == numbers
    for certificate in certificates:
        if certificate.pk in kept:
            assert (bytes(certificate.pdf), certificate.digest) == kept[certificate.pk]
        assert service.digest(certificate.fields, bytes(certificate.pdf)) == (
            certificate.digest
        )
    whole = client.get(url("class_certificates_pdf", site_a, closed_class.pk))
    assert len(PdfReader(io.BytesIO(whole.content)).pages) == len(NAMES)


@override_settings(CERTIFICATE_INLINE_MAX=2, CERTIFICATE_CHUNK=2)
def test_a_batch_still_alive_or_done_is_not_resumed(site_a, site_b, batch):
    before = snapshot()
    client = client_for(site_a.staff)
    response = client.post(url("batch_resume", site_a, batch.pk), follow=True)
    assert "không chờ tiếp tục" in response.content.decode()
    interrupt(batch.pk, printed=1)
    CertificateBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now())
    page = client.get(url("batch_detail", site_a, batch.pk)).content.decode()
    assert "data-reload-after" in page and "Tiếp tục in" not in page
    running = snapshot()
    assert client.post(url("batch_resume", site_a, batch.pk)).status_code == 302
    call_command("recover_jobs", verbosity=0)
    assert snapshot() == running != before
    # Another centre's staff: 404, and a GET changes nothing.
    other = client_for(site_b.staff)
    assert other.post(url("batch_resume", site_b, batch.pk)).status_code == 404
    assert client.get(url("batch_resume", site_a, batch.pk)).status_code == 405
    assert snapshot() == running


@override_settings(CERTIFICATE_INLINE_MAX=2, CERTIFICATE_CHUNK=2)
def test_recover_jobs_requeues_what_lost_its_worker_once(batch, capsys):
    interrupt(batch.pk, printed=3)
    call_command("recover_jobs")
    assert f"certificate batch {batch.pk}: queued again" in capsys.readouterr().out
    with scopes_disabled():
        batch.refresh_from_db()
        assert batch.status == "done"
        assert not Certificate.objects.filter(pdf=None).exists()
    call_command("recover_jobs")
    assert "0 certificate batches and 0 report jobs" in capsys.readouterr().out


def stalled_job(site):
    with scopes_disabled():
        job = ReportJob.objects.create(
            user=site.staff,
            center=site.center,
            period_start=counting.Period.year(2026).start,
            period_end=counting.Period.year(2026).end,
            status=ReportJob.Status.RUNNING,
            steps_done=1,
        )
        ReportJob.objects.filter(pk=job.pk).update(heartbeat_at=LONG_AGO)
        job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_an_interrupted_report_pdf_is_laid_out_again_for_its_owner(site_a, site_b):
    job = stalled_job(site_a)
    client = Client()
    client.force_login(site_a.staff)
    page = client.get(reverse("report_job", args=[job.pk])).content.decode()
    assert "bị gián đoạn" in page and "Thử lại" in page
    assert "data-reload-after" not in page
    assert reverse("report_job_file", args=[job.pk]) not in page
    retry = reverse("report_job_retry", args=[job.pk])
    # Only its owner may retry it.
    for other in (site_a.director, site_b.staff):
        client.force_login(other)
        assert client.post(retry).status_code == 404
    with scopes_disabled():
        assert ReportJob.objects.get().status == ReportJob.Status.RUNNING
    client.force_login(site_a.staff)
    response = client.post(retry)  # the test backend runs the task at once
    assert response["Location"] == reverse("report_job", args=[job.pk])
    with scopes_disabled():
        job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and job.steps_done == 3
    pdf = client.get(reverse("report_job_file", args=[job.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_asking_again_for_a_stalled_report_pdf_requeues_it(site_a):
    """Before, a second click was sent to the dead job's page for good."""
    job = stalled_job(site_a)
    again = report_jobs.start_job(
        site_a.staff, scope.for_center(site_a.center), counting.Period.year(2026)
    )
    with scopes_disabled():
        assert again.pk == job.pk and ReportJob.objects.count() == 1
        assert ReportJob.objects.get().status == ReportJob.Status.DONE


def test_recover_jobs_finds_every_job_model_without_importing_them():
    from trainingcenter.management.commands.recover_jobs import job_models

    assert job_models() == [CertificateBatch, ReportJob]


@pytest.mark.django_db
def test_recover_jobs_requeues_a_stalled_report_file_once(site_a, capsys):
    job = stalled_job(site_a)
    call_command("recover_jobs")
    out = capsys.readouterr().out
    assert f"report job {job.pk}: queued again" in out
    assert "0 certificate batches and 1 report jobs queued again." in out
    with scopes_disabled():
        job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and job.steps_done == 3
    call_command("recover_jobs")
    assert "0 certificate batches and 0 report jobs" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_failed_job_is_claimed_for_retry_by_one_copy_only(site_a):
    job = stalled_job(site_a)
    job.fail(ValueError("disk full"))
    with scopes_disabled():
        first, second = ReportJob.objects.get(), ReportJob.objects.get()
    assert first.error == "ValueError: disk full" and first.finished_at
    assert first.claim_for_retry() is True
    assert second.claim_for_retry() is False  # the row moved on since it was read
    with scopes_disabled():
        job.refresh_from_db()
    assert (job.status, job.steps_done, job.error) == (ReportJob.Status.QUEUED, 0, "")
