"""The background job every long piece of work shares: queued, claimed by the
worker, beating while it runs, finished, failed or retried once."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobQuerySet(models.QuerySet):
    def pending(self):
        """Jobs not yet finished: waiting for the worker, or running."""
        return self.filter(status__in=Job.PENDING)

    def stalled(self):
        """The running jobs that have lost their worker (rows written before
        the heartbeat existed count from their creation)."""
        return self.annotate(last_heard=Coalesce("heartbeat_at", "created_at")).filter(
            status=Job.Status.RUNNING, last_heard__lt=Job.stalled_before()
        )

    def prune(self, *, before: datetime.datetime) -> None:
        """Drop the finished jobs (and their files) created before `before`."""
        self.filter(created_at__lt=before).exclude(status__in=Job.PENDING).delete()


class Job(models.Model):
    """Long work done by the background worker (django-tasks' `db_worker`)
    instead of inside a request: a batch of certificate PDFs, a long report
    PDF, a committee's rollup workbook.

    The worker marks its job running and touches `heartbeat_at` as it commits
    each piece. A worker killed halfway (out of memory, a host lost,
    `kill -9`) leaves a running row whose heartbeat stops: such a job is
    *stalled*. Nothing half-made is visible meanwhile: every piece is
    committed whole, and a file is offered only once its job is done.

    A stalled or failed job is queued again by `resume()`: from its user's
    button on its progress page, or by `manage.py recover_jobs` for every
    concrete job model (the worker's unit runs it at every start and a
    systemd timer every few minutes). The queueing is a compare-and-set on
    the row, so two hosts recovering at once queue it once.

    A concrete job defines `progress()` (what is done, out of what) and
    `run_later()` (queue its task, or run it now when it is short); it may
    name the progress fields a retry starts again from (`restart_fields`).
    The writes below go to the row by its primary key, as `save()` does:
    the worker holds the row and no request, so no centre scope applies.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    PENDING = (Status.QUEUED, Status.RUNNING)

    status = models.CharField(
        _("status"), max_length=8, choices=Status, default=Status.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Touched as each piece is committed: a running job whose heartbeat is old
    # lost its worker.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    restart_fields: dict = {}

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @classmethod
    def queue(cls, **fields) -> "Job":
        """A new job, waiting for the worker; the caller queues its task."""
        return cls._base_manager.create(**fields)

    @staticmethod
    def stalled_before() -> datetime.datetime:
        """A running job silent since before this moment has lost its worker."""
        return timezone.now() - datetime.timedelta(seconds=settings.JOBS_STALLED_AFTER)

    @property
    def running(self) -> bool:
        """Not finished: waiting for the worker, or under way."""
        return self.status in self.PENDING

    @property
    def is_stalled(self) -> bool:
        """Running without a worker."""
        last = self.heartbeat_at or self.created_at
        return self.status == self.Status.RUNNING and last < self.stalled_before()

    @property
    def percent(self) -> int:
        done, total = self.progress()
        return round(100 * done / total) if total else 0

    def progress(self) -> tuple[int, int]:
        raise NotImplementedError

    def run_later(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        """The worker has picked the job up."""
        self.beat(status=self.Status.RUNNING)

    def beat(self, **progress) -> None:
        """A sign of life, with the progress fields that moved."""
        self._write(heartbeat_at=timezone.now(), **progress)

    def finish(self, **result) -> None:
        """Done, with what it made (a file, its name)."""
        self.beat(status=self.Status.DONE, finished_at=timezone.now(), **result)

    def fail(self, error: Exception | str) -> None:
        """Failed: the error is kept for the administrator, not shown to users."""
        if isinstance(error, Exception):
            error = f"{type(error).__name__}: {error}"
        self.beat(
            status=self.Status.FAILED, error=error[:2000], finished_at=timezone.now()
        )

    def claim_for_retry(self) -> bool:
        """Put the job back in the queue if it failed or is stalled, and is
        still as this copy saw it; False otherwise, or if another request or
        host got there first."""
        if self.status != self.Status.FAILED and not self.is_stalled:
            return False
        claimed = (
            type(self)
            ._base_manager.filter(
                pk=self.pk, status=self.status, heartbeat_at=self.heartbeat_at
            )
            .update(
                status=self.Status.QUEUED,
                error="",
                finished_at=None,
                heartbeat_at=timezone.now(),
                **self.restart_fields,
            )
        )
        return bool(claimed)

    def resume(self) -> bool:
        """Queue a failed or stalled job again (its user's button, or
        `recover_jobs`). False when it is neither, or another request resumed
        it first."""
        if not self.claim_for_retry():
            return False
        self.refresh_from_db()
        self.run_later()
        return True

    def _write(self, **fields) -> None:
        for name, value in fields.items():
            setattr(self, name, value)
        type(self)._base_manager.filter(pk=self.pk).update(**fields)
