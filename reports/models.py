"""What the reports app stores: only the background jobs that make a long file
(a summary-report PDF, a committee's rollup workbook).

Figures are never stored here; they are counted afresh (reports/counting.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trainingcenter.models import Center, Job, JobQuerySet, Organization
from trainingcenter.tenancy import center_scoped


class ReportJob(Job):
    """One long file made in the background for the user who asked: a
    summary-report PDF, or a committee's rollup workbook (reports/jobs.py);
    its status, heartbeat and retry are every job's (`trainingcenter.models.Job`).

    The scope is one centre or one organization's subtree, never both (a
    rollup's is always an organization). Only its user may follow or
    download it, and only while they may still see that scope: access is
    checked again when it runs and when it is downloaded (`jobs.scope_of`).
    """

    class Kind(models.TextChoices):
        # The stored value predates the name: "summary" is the summary report.
        REPORT = "summary", _("Summary report (PDF)")
        UNITS = "units", _("Rollup by sending unit (Excel)")
        CERTIFIED = "certified", _("Certified trainees by unit (Excel)")
        CENTERS = "centers", _("Rollup by centre (Excel)")
        PIPELINE = "pipeline", _("Party admission pipeline (Excel)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="+",
        verbose_name=_("asked by"),
    )
    center = models.ForeignKey(
        Center,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("centre"),
    )
    organization = models.ForeignKey(
        Organization,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=Kind,
        default=Kind.REPORT,
        db_default=Kind.REPORT,
    )
    # A rollup's form as the committee sent it (a query string), read again
    # and checked again when the job runs.
    query = models.TextField(_("filters"), blank=True, db_default="")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    steps_done = models.PositiveSmallIntegerField(_("steps done"), default=0)
    steps_total = models.PositiveSmallIntegerField(_("steps"), default=3)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    # The column kept its first name, from when every job made a PDF.
    content = models.BinaryField(
        _("file"), null=True, blank=True, editable=False, db_column="pdf"
    )

    # Organization jobs have no centre: their views and task run unscoped and
    # filter by user explicitly, as the organization report does.
    objects = center_scoped(JobQuerySet, center="center")

    # A retry lays the file out again from its first step.
    restart_fields = {"steps_done": 0}

    class Meta(Job.Meta):
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(center__isnull=False, organization__isnull=True)
                    | Q(center__isnull=True, organization__isnull=False)
                ),
                name="reports_reportjob_one_scope",
            ),
        ]

    def __str__(self):
        return f"{self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"

    @property
    def is_rollup(self) -> bool:
        return self.kind != self.Kind.REPORT

    def progress(self) -> tuple[int, int]:
        return self.steps_done, self.steps_total

    def run_later(self) -> None:
        from reports.tasks import render_report_job

        render_report_job.enqueue(self.pk)
