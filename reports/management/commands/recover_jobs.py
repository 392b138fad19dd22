"""Queue again the background jobs whose worker died (trainingcenter/jobs.py).

Run by the worker's unit before it starts and by a systemd timer
(deploy/systemd/trainingcenter-recover.*); safe to run on several hosts at once.
"""

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from enrollment.models import CertificateBatch
from enrollment.services.certificate_files import resume_batch
from reports.jobs import retry_job
from reports.models import ReportJob
from trainingcenter import jobs


class Command(BaseCommand):
    help = (
        "Queue again the certificate batches and report files whose worker "
        "stopped sending signs of life (JOBS_STALLED_AFTER seconds)."
    )

    def handle(self, *args, **options):
        with scopes_disabled():
            batches = [
                batch
                for batch in jobs.stalled(CertificateBatch.objects.all())
                if resume_batch(batch)
            ]
            reports = [
                job for job in jobs.stalled(ReportJob.objects.all()) if retry_job(job)
            ]
        for batch in batches:
            self.stdout.write(f"certificate batch {batch.pk}: queued again")
        for job in reports:
            self.stdout.write(f"report job {job.pk}: queued again")
        if options["verbosity"]:
            self.stdout.write(
                f"{len(batches)} certificate batches and {len(reports)} "
                "report jobs queued again."
            )
