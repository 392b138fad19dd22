"""Where the background jobs wait: certificate batches in a queue of their
own, served in production by a worker of its own at a higher CPU priority
than the report PDFs and workbooks of the default queue; a single worker of
both queues takes a batch first."""

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from enrollment.tasks import render_batch_task
from reports.tasks import render_report_job
from tests.production.serving import DB_BACKEND


@pytest.mark.django_db
def test_a_batch_waits_in_its_own_queue_ahead_of_workbooks_queued_earlier():
    with override_settings(TASKS=DB_BACKEND):
        render_report_job.enqueue(1)
        render_report_job.enqueue(2)
        render_batch_task.enqueue(3)
        queued = [(r.task_path, r.queue_name) for r in DBTaskResult.objects.ready()]
    assert queued == [
        ("enrollment.tasks.render_batch_task", "certificates"),
        ("reports.tasks.render_report_job", "default"),
        ("reports.tasks.render_report_job", "default"),
    ]
