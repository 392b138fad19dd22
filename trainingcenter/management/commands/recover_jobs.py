"""Queue again the background jobs whose worker died (`trainingcenter.models.Job`).

Run by the worker's unit before it starts and by a systemd timer
(deploy/systemd/trainingcenter-recover.*); safe to run on several hosts at once.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import translation
from django_scopes import scopes_disabled

from trainingcenter.models import Job


def job_models() -> list[type[Job]]:
    """Every concrete job model of the installed apps, in their order: found
    here rather than imported, since the apps that define them sit above."""
    return [model for model in apps.get_models() if issubclass(model, Job)]


class Command(BaseCommand):
    help = (
        "Queue again the certificate batches and report files whose worker "
        "stopped sending signs of life (JOBS_STALLED_AFTER seconds)."
    )

    def handle(self, *args, **options):
        counts = []
        for model in job_models():
            # The worker's host recovers every centre's jobs, and a
            # committee's job has no centre.
            with scopes_disabled():
                resumed = [job for job in model.objects.stalled() if job.resume()]
            # The output is for the operator's log: in English, as the code.
            with translation.override(None):
                name = str(model._meta.verbose_name)
                plural = str(model._meta.verbose_name_plural)
            for job in resumed:
                self.stdout.write(f"{name} {job.pk}: queued again")
            counts.append(f"{len(resumed)} {plural}")
        if options["verbosity"]:
            self.stdout.write(f"{' and '.join(counts)} queued again.")
