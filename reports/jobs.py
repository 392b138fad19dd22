"""Long files made by the background worker instead of inside a request: a
summary-report PDF with many table rows and a committee's rollup workbook
with many rows.

Each is a `ReportJob` row for the user who asked. The worker (django-tasks'
`db_worker`, reports/tasks.py) runs it, committing its progress as it goes;
the user follows it on its page (reports/exports.py) and downloads the file
once it is done. A job whose worker died is queued again by `job.resume()`
(`trainingcenter.models.Job` explains the heartbeat). Every write to a job
goes through `Job`'s methods: this module only reads.
"""

import datetime
import logging
from collections.abc import Callable

from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import document, pdf, scope
from reports.counting import Period
from reports.exports import rollups as rollup_exports
from reports.forms import RollupForm
from reports.models import ReportJob
from trainingcenter.http import PDF, XLSX
from trainingcenter.logs import audit
from trainingcenter.models import Organization
from trainingcenter.tenancy import job_scope, jobs_of, membership_for

logger = logging.getLogger(__name__)

# A rollup's progress is counted in hundredths: reading the rows is the first
# five, writing them the next ninety, saving the file the last five.
ROLLUP_STEPS = 100
ROLLUP_READ, ROLLUP_WRITTEN = 5, 95
# Finished files are kept a day for their owner, then dropped.
KEPT_FOR = datetime.timedelta(days=1)


def content_type(job: ReportJob) -> str:
    return XLSX if job.is_rollup else PDF


def scope_of(job: ReportJob) -> scope.Scope:
    """The job's scope as its user may see it now; Http404 once they may not."""
    if job.center_id:
        if membership_for(job.user, job.center) is None:
            raise Http404
        return scope.for_center(job.center)
    return scope.for_organization(job.user, job.organization_id)


def start_job(
    user, target: scope.Scope, period: Period, kind=ReportJob.Kind.REPORT, query=""
) -> ReportJob:
    """Queue the file of `kind` for `target` and `period` (a rollup's form
    in `query`) for `user`, or return the same request still under way: a
    second click queues nothing."""
    fields = {
        "kind": kind,
        "query": query,
        "center_id": target.center_id,
        "organization_id": target.organization_id,
        "period_start": period.start,
        "period_end": period.end,
    }
    own = jobs_of(ReportJob, user=user)
    pending = own.filter(**fields).pending().first()
    if pending:
        # One whose worker died is queued again rather than waited on.
        pending.resume()
        return pending
    own.prune(before=timezone.now() - KEPT_FOR)
    job = ReportJob.queue(
        user=user,
        **fields,
        steps_total=ROLLUP_STEPS if kind != ReportJob.Kind.REPORT else 3,
    )
    # The job row is committed already (no ATOMIC_REQUESTS): the worker finds it.
    job.run_later()
    return job


def run_job(job_id: int) -> None:
    """Make and store the job's file, committing each step so the progress
    page can show it. Access is checked again first; a user who has lost it
    gets a failed job and no file."""
    job = jobs_of(ReportJob, pk=job_id).select_related("user", "center").get()
    if job.status != ReportJob.Status.QUEUED:
        return
    job.start()
    try:
        with job_scope(job.center):
            target = scope_of(job)
            make = _rollup if job.is_rollup else _report
            content, filename, pages = make(job, target)
        job.finish(
            content=content, pages=pages, filename=filename, steps_done=job.steps_total
        )
        audit(
            "report",
            job=job.pk,
            kind=job.kind,
            center=job.center_id,
            organization=job.organization_id,
            user=job.user_id,
        )
    except Http404:
        job.fail("access withdrawn")
    except Exception as error:
        logger.exception("report job %s failed", job.pk)
        job.fail(error)
        raise


def _report(job: ReportJob, target: scope.Scope) -> tuple[bytes, str, int]:
    """The summary report's PDF: count, lay out, save (three steps)."""
    period = Period(job.period_start, job.period_end)
    report = pdf.build(target, period)
    job.beat(steps_done=1)
    texts = document.draft_texts(target, period)
    content = pdf.render(report, target, today=timezone.localdate(), texts=texts)
    job.beat(steps_done=2)
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
    content = rollup_exports.workbook(
        job.kind,
        target,
        filters,
        timezone.localdate(job.created_at),
        progress=_progress(job),
    )
    if job.steps_done < ROLLUP_WRITTEN:  # a short list reports no progress
        job.beat(steps_done=ROLLUP_WRITTEN)
    return content, rollup_exports.file_name(job.kind, target, filters.period), None


def _progress(job: ReportJob) -> Callable[[int, int], None]:
    """What the workbook calls as it writes rows: the share written, stored
    (with the heartbeat) each time it moves by a step."""
    job.beat(steps_done=ROLLUP_READ)

    def written(done: int, total: int) -> None:
        step = ROLLUP_READ + (ROLLUP_WRITTEN - ROLLUP_READ) * done // max(total, 1)
        if step > job.steps_done:
            job.beat(steps_done=step)

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
