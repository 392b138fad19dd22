"""Background jobs of the enrolment app (django-tasks, database backend)."""

from django_tasks import task

# A director waits on a class's certificates, often with the class in the
# room; a committee's long workbook can wait: a worker takes a batch first
# of what is queued (it still finishes the job in hand, so a host runs two
# workers: one is free for the batch while the other writes a workbook).
CERTIFICATES_PRIORITY = 10


@task(priority=CERTIFICATES_PRIORITY)
def render_batch_task(batch_id: int) -> None:
    """Render a large certificate batch outside the request."""
    from enrollment.services.certificate_files import render_batch

    render_batch(batch_id)
