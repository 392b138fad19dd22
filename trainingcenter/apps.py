"""The project's app and the Vietnamese names of the third-party apps.

The admin lists each app under its `verbose_name`; the packages below name
theirs in English without a translation ("Axes", "Tasks Database Backend"),
so INSTALLED_APPS points at these subclasses, which change nothing but the
name. Their models' names are gettext_lazy strings of the packages, translated
in locale/vi with the project's own texts: they are listed here so that
`makemessages` keeps them in the catalogue.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _, gettext_noop
from django_tasks.apps import TasksAppConfig as TasksFrameworkConfig
from django_tasks_db.apps import TasksAppConfig as TasksDatabaseConfig


class TrainingCenterConfig(AppConfig):
    default = True  # the one this module's other configs do not replace
    default_auto_field = "django.db.models.BigAutoField"
    name = "trainingcenter"
    verbose_name = _("Centres and organizations")

    def ready(self):
        from trainingcenter import checks  # noqa: F401  (registers system checks)


class AxesConfig(AxesAppConfig):
    verbose_name = _("Login control")


class TasksConfig(TasksFrameworkConfig):
    verbose_name = _("Background tasks")


class TasksDatabaseBackendConfig(TasksDatabaseConfig):
    verbose_name = _("Background task results")


class SimpleHistoryConfig(AppConfig):
    name = "simple_history"
    verbose_name = _("Change history")


# The packages' own names of their models, which the admin shows.
THIRD_PARTY_NAMES = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("Sequences"),
    gettext_noop("sequence"),
    gettext_noop("sequences"),
)
