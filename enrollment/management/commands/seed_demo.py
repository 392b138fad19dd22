"""Make a demo province with one centre and a user per role (idempotent).

The stages live in enrollment/demo/; this command runs them in one
transaction and prints what was made and the logins.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from courses.models import ClassSession
from enrollment.demo.activities import build_lecturer_activities
from enrollment.demo.feedback import build_feedback
from enrollment.demo.generator.writer import analyze
from enrollment.demo.historic_classes import build_historic_classes
from enrollment.demo.partners import add_partners_and_clusters
from enrollment.demo.plans import build_plans
from enrollment.demo.province import add_lecturers, build_province
from enrollment.demo.users import add_users
from enrollment.demo.year import build_year
from enrollment.models import Attendance, Certificate, Enrollment, Trainee
from enrollment.services import summaries
from trainingcenter.models import Center


class Command(BaseCommand):
    help = (
        "Create (or bring up to date) a demo province, one centre serving two "
        "communes, a dozen units, the programme catalogue, this year's classes, "
        "four earlier years as declared counts, the plans of this year and the "
        "last, and the users admin, director, staff and committee. Refuses to "
        "run with DEBUG off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for every demo user; without it each gets a new random one.",
        )
        parser.add_argument(
            "--without-year",
            action="store_true",
            help="Only the province, centre and users; no classes.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (never on a production database).",
        )

    def handle(self, *args, password=None, force=False, without_year=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with known roles; it runs only with "
                "DJANGO_DEBUG=1, or with --force on a database you can throw away."
            )
        call_command("loaddata", "class_types", verbosity=0)
        with scopes_disabled(), transaction.atomic():
            center, committee = build_province()
            logins = add_users(center, committee=committee, password=password)
            add_lecturers(center)
            if not without_year:
                # Each class recounted once at the end, not at every session,
                # enrolment and result the year is built from.
                with summaries.batched():
                    self._year(center)
                # The plans are set near what was done: after the recount.
                today = timezone.localdate()
                build_plans(center, years=[today.year - 1, today.year])
        self.stdout.write(self.style.SUCCESS(f"Demo centre: {center.name}"))
        self.stdout.write("Log in at http://127.0.0.1:8000/ with:")
        for username, secret in logins:
            self.stdout.write(f"  {username:<10} {secret}")

    def _year(self, center: Center) -> None:
        today = timezone.localdate()
        made = build_year(
            center,
            year=today.year,
            today=today,
            by=get_user_model().objects.get(username="staff"),
            issuer=get_user_model().objects.get(username="director"),
        )
        if made:
            self.stdout.write(f"Demo year {today.year}: {made} enrolments.")
        add_partners_and_clusters(center, year=today.year)
        build_lecturer_activities(center, year=today.year, today=today)
        forms = build_feedback(center, year=today.year, today=today)
        if forms:
            self.stdout.write(f"Learner feedback: {forms} forms.")
        # Four earlier years entered as counts only, for the report.
        past = build_historic_classes(center, years=range(today.year - 4, today.year))
        if past:
            self.stdout.write(f"Earlier years: {past} classes, counts only.")
        # Statistics of the year just written, before the recount reads it:
        # tables last analysed near empty (a test database, a busy
        # autovacuum) led PostgreSQL to a nested loop that ran past the
        # statement timeout.
        analyze([Trainee, Enrollment, Attendance, ClassSession, Certificate])
