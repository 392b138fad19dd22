"""Long files made by the background worker instead of inside a request
(STYLE.md S13): a summary-report PDF with many table rows (issue 6, item 5)
and a committee's rollup workbook with many rows (issue 9).

Each is a `ReportJob` row for the user who asked. The worker (django-tasks'
`db_worker`, reports/tasks.py) runs it, committing its progress as it goes;
the user follows it on its page (reports/exports.py) and downloads the file
once it is done. A job whose worker died is queued again by `retry_job`
(trainingcenter/jobs.py explains the heartbeat).
"""

import datetime
import logging
from collections.abc import Callable

from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from reports import pdf, scope
from reports.counting import Period
from reports.exports import rollups as rollup_excel
from reports.forms import RollupForm
from reports.models import ReportJob
from trainingcenter import jobs
from trainingcenter.http import PDF, XLSX
from trainingcenter.models import Organization
from trainingcenter.tenancy import ALL_ROLES, membership_for

logger = logging.getLogger(__name__)
audit = logging.getLogger("trainingcenter.audit")

# A rollup's progress is counted in hundredths: reading the rows is the first
# five, writing them the next ninety, saving the file the last five.
ROLLUP_STEPS = 100
ROLLUP_READ, ROLLUP_WRITTEN = 5, 95


def content_type(job: ReportJob) -> str:
    return XLSX if job.is_rollup else PDF


def scope_of(job: ReportJob) -> scope.Scope:
    """The job's scope as its user may see it now; Http404 once they may not."""
    if job.center_id:
        membership = membership_for(job.user, job.center)
        if membership is None or membership.role not in ALL_ROLES:
            raise Http404
        return scope.for_center(job.center)
    return scope.for_organization(job.user, job.organization_id)


def start_job(
    user, target: scope.Scope, period: Period, kind=ReportJob.Kind.SUMMARY, query=""
) -> ReportJob:
    """Queue the file of `kind` for `target` and `period` (a rollup's form
    in `query`) for `user`, or return the same request still under way: a
    second click queues nothing."""
    from reports.tasks import render_report_job

    with scopes_disabled():
        fields = {
            "user": user,
            "kind": kind,
            "query": query,
            "center_id": target.center_id,
            "organization_id": target.organization_id,
            "period_start": period.start,
            "period_end": period.end,
        }
        pending = ReportJob.objects.filter(
            **fields, status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING]
        ).first()
        if pending:
            # One whose worker died is queued again rather than waited on.
            retry_job(pending)
            return pending
        # Finished files are kept a day for their owner, then dropped.
        ReportJob.objects.filter(
            user=user, created_at__lt=timezone.now() - datetime.timedelta(days=1)
        ).exclude(
            status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING]
        ).delete()
        job = ReportJob.objects.create(
            **fields, steps_total=ROLLUP_STEPS if kind != ReportJob.Kind.SUMMARY else 3
        )
    # The job row is committed already (no ATOMIC_REQUESTS): the worker finds it.
    render_report_job.enqueue(job.pk)
    return job


def retry_job(job: ReportJob) -> bool:
    """Queue a failed or stalled job again, from its first step (its user's
    button, a second request for the same file, or `recover_jobs`). False
    when it is neither, or another request queued it first."""
    from reports.tasks import render_report_job

    with scopes_disabled():
        if not jobs.claim_for_retry(ReportJob.objects.all(), job, steps_done=0):
            return False
    job.refresh_from_db()
    render_report_job.enqueue(job.pk)
    return True


def run_job(job_id: int) -> None:
    """Make and store the job's file, committing each step so the progress
    page can show it. Access is checked again first; a user who has lost it
    gets a failed job and no file."""
    with scopes_disabled():
        job = ReportJob.objects.select_related("user", "center").get(pk=job_id)
        if job.status != ReportJob.Status.QUEUED:
            return
        _update(job, status=ReportJob.Status.RUNNING)
        try:
            target = scope_of(job)
            make = _rollup if job.is_rollup else _summary
            content, filename, pages = make(job, target)
            _update(
                job,
                content=content,
                pages=pages,
                filename=filename,
                steps_done=job.steps_total,
                status=ReportJob.Status.DONE,
                finished_at=timezone.now(),
            )
            audit.info(
                "report job=%s kind=%s center=%s organization=%s user=%s",
                job.pk,
                job.kind,
                job.center_id,
                job.organization_id,
                job.user_id,
            )
        except Http404:
            _update(
                job,
                status=ReportJob.Status.FAILED,
                error="access withdrawn",
                finished_at=timezone.now(),
            )
        except Exception as error:
            logger.exception("report job %s failed", job.pk)
            _update(
                job,
                status=ReportJob.Status.FAILED,
                error=f"{type(error).__name__}: {error}"[:2000],
                finished_at=timezone.now(),
            )
            raise


def _summary(job: ReportJob, target: scope.Scope) -> tuple[bytes, str, int]:
    """The summary report's PDF: count, lay out, save (three steps)."""
    period = Period(job.period_start, job.period_end)
    report = pdf.build(target, period)
    _update(job, steps_done=1)
    content = pdf.render(report, target, today=timezone.localdate())
    _update(job, steps_done=2)
    return content, pdf.filename(target, period), pdf.page_count(content)


def _rollup(job: ReportJob, target: scope.Scope) -> tuple[bytes, str, None]:
    """A rollup's workbook, from the form the committee sent, checked again
    (a unit that has left the organization since is refused). "As of today"
    is the day it was asked for, so a retry after midnight gives the same."""
    form = RollupForm(
        QueryDict(job.query),
        organization=Organization.objects.get(pk=target.organization_id),
    )
    if not form.is_valid() or form.cleaned_data["rollup"] != job.kind:
        raise ValueError(f"the rollup's filters no longer hold: {form.errors}")
    filters = form.filters()
    content = rollup_excel.workbook(
        job.kind,
        target,
        filters,
        timezone.localdate(job.created_at),
        progress=_progress(job),
    )
    if job.steps_done < ROLLUP_WRITTEN:  # a short list reports no progress
        _update(job, steps_done=ROLLUP_WRITTEN)
    return content, rollup_excel.file_name(job.kind, target, filters.period), None


def _progress(job: ReportJob) -> Callable[[int, int], None]:
    """What the workbook calls as it writes rows: the share written, stored
    (with the heartbeat) each time it moves by a step."""
    _update(job, steps_done=ROLLUP_READ)

    def written(done: int, total: int) -> None:
        step = ROLLUP_READ + (ROLLUP_WRITTEN - ROLLUP_READ) * done // max(total, 1)
        if step > job.steps_done:
            _update(job, steps_done=step)

    return written


def step_label(job: ReportJob) -> str:
    """What the job is doing now, for its progress page."""
    if job.status == ReportJob.Status.QUEUED:
        return _("Waiting for its turn")
    if job.status != ReportJob.Status.RUNNING:
        return job.get_status_display()
    if job.is_rollup:
        if job.steps_done < ROLLUP_READ:
            return _("Reading the rows")
        if job.steps_done < ROLLUP_WRITTEN:
            return _("Writing the rows")
        return _("Saving the file")
    steps = [
        _("Counting the figures"),
        _("Laying out the pages"),
        _("Saving the file"),
    ]
    return steps[min(job.steps_done, len(steps) - 1)]


def _update(job: ReportJob, **fields) -> None:
    fields["heartbeat_at"] = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    ReportJob.objects.filter(pk=job.pk).update(**fields)
