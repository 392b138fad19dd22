from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrollmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "enrollment"
    verbose_name = _("Trainees and enrolment")

    def ready(self):
        from enrollment import signals
        from enrollment.paperwork.issuing import log_served_paper
        from trainingcenter.register import file_served

        signals.connect()
        file_served.connect(log_served_paper, dispatch_uid="log-served-paper")
