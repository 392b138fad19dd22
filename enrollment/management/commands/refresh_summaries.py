"""Recount every class's summary from its rows (after an upgrade or a repair)."""

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from courses.models import TrainingClass
from enrollment.services.summaries import refresh_all


class Command(BaseCommand):
    help = "Recount the per-class summaries the reports add up."

    def add_arguments(self, parser):
        parser.add_argument("--center", help="Only this centre (its slug).")

    def handle(self, *args, center=None, **options):
        with scopes_disabled():
            classes = TrainingClass.objects.all()
            if center:
                classes = classes.filter(center__slug=center)
            done = refresh_all(classes)
        self.stdout.write(f"Đã đếm lại {done} lớp.")
