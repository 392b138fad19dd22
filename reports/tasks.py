"""Background jobs of the reports app (django-tasks, database backend)."""

from django_tasks import task


@task()
def render_report_job(job_id: int) -> None:
    """Lay out a long summary-report PDF outside the request (issue 6, item 5)."""
    from reports.pdf import run_job

    run_job(job_id)
