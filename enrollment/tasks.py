"""Background jobs of the enrolment app (django-tasks, database backend)."""

from django_tasks import task


@task()
def render_batch_task(batch_id: int) -> None:
    """Render a large certificate batch outside the request."""
    from enrollment.services.certificate_files import render_batch

    render_batch(batch_id)
