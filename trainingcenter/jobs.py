"""Background jobs that outlive their worker (issue 9, faults).

A certificate batch and a report PDF job are rows with a status; the worker
(django-tasks' `db_worker`) marks them running and touches `heartbeat_at` as
it commits each piece. A worker killed halfway (out of memory, a host lost,
`kill -9`) leaves a running row whose heartbeat stops: such a job is
*stalled*. Nothing half-made is visible meanwhile: every piece is committed
whole, and a file is offered only once its job is done.

A stalled job is queued again, resuming where it stopped, by
`manage.py recover_jobs` (the worker's unit runs it at every start and a
systemd timer every few minutes), or by the user's "Tiếp tục" button on its
progress page. The queueing is a compare-and-set on the row, so two hosts
recovering at once queue it once.
"""

import datetime

from django.conf import settings
from django.db.models.functions import Coalesce
from django.utils import timezone


def stalled_before() -> datetime.datetime:
    """A running job silent since before this moment has lost its worker."""
    return timezone.now() - datetime.timedelta(seconds=settings.JOBS_STALLED_AFTER)


def stalled(queryset):
    """The running jobs of `queryset` that have lost their worker (rows
    written before the heartbeat existed count from their creation)."""
    return queryset.annotate(last_heard=Coalesce("heartbeat_at", "created_at")).filter(
        status="running", last_heard__lt=stalled_before()
    )


def is_stalled(job) -> bool:
    """Whether `job` (a batch or a report job) is running without a worker."""
    last = job.heartbeat_at or job.created_at
    return job.status == "running" and last < stalled_before()


def claim_for_retry(queryset, job, **reset) -> bool:
    """Put `job` back in the queue if it failed or is stalled, and is still
    as the caller saw it; False otherwise, or if another request or host got
    there first."""
    if job.status != "failed" and not is_stalled(job):
        return False
    seen = job.heartbeat_at
    return bool(
        queryset.filter(pk=job.pk, status=job.status, heartbeat_at=seen).update(
            status="queued",
            error="",
            finished_at=None,
            heartbeat_at=timezone.now(),
            **reset,
        )
    )
