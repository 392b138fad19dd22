"""Background jobs of the enrolment app (django-tasks, database backend)."""

from django_tasks import task

# A director waits on a class's certificates, often with the class in the
# room; a committee's long workbook can wait. So the batches have a queue of
# their own, which a worker of its own serves at a higher CPU priority than
# the workbooks' (deploy/systemd/trainingcenter-certificates.service): a batch
# neither waits for a workbook in hand nor shares the CPU with it evenly. A
# single worker serving every queue (`make run`) still takes a batch first of
# what is queued.
CERTIFICATES_QUEUE = "certificates"
CERTIFICATES_PRIORITY = 10


@task(priority=CERTIFICATES_PRIORITY, queue_name=CERTIFICATES_QUEUE)
def render_batch_task(batch_id: int) -> None:
    """Render a large certificate batch outside the request."""
    from enrollment.services.certificate_files import render_batch

    render_batch(batch_id)
