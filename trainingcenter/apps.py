from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingCenterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "trainingcenter"
    verbose_name = _("Centres and organizations")

    def ready(self):
        from trainingcenter import checks  # noqa: F401  (registers system checks)
