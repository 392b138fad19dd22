"""Background jobs of the reports app (django-tasks, database backend)."""

from django_tasks import task


@task()
def render_report_job(job_id: int) -> None:
    """Make a long file outside the request: a summary-report PDF or a
    rollup workbook."""
    from reports.jobs import run_job

    run_job(job_id)
