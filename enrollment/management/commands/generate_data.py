"""Fill the database with a generated year of work, for benchmarks and trials.

`manage.py generate_data --scale centre|province|nation --year 2026` makes one
centre (about 110 classes, 6.000 enrolments), one province (22 centres, about
2.400 classes, 130.000 enrolments) or the whole country (700 centres under 34
provinces, about 76.000 classes, 4,2 million enrolments, 3 million persons).

Everything it makes hangs under organizations coded "GEN-…" and centres whose
short name starts with "gen-". It never reads, changes or deletes anything of
another centre; --force deletes only the generated centres' classes of that
year (and what hangs from them) before making them again.

The stages, and why they write rows directly instead of through the
services, are in enrollment/demo/generator/. Everything happens in one
transaction: an error leaves nothing behind.
"""

import argparse
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django_scopes import scopes_disabled

from courses.models import (
    AnnualPlan,
    ClassSession,
    CoOrganizer,
    Lecturer,
    TrainingClass,
)
from enrollment.demo.generator import GeneratorError, fmt
from enrollment.demo.generator.catalogue import load_programmes
from enrollment.demo.generator.cleanup import clear_year
from enrollment.demo.generator.country import count_summaries, generate
from enrollment.demo.generator.run import Run
from enrollment.demo.generator.structure import LAYOUTS, build_structure
from enrollment.demo.generator.writer import Writer, analyze, rebuilt_after
from enrollment.models import (
    Attendance,
    Certificate,
    ClassLecturerSummary,
    ClassSummary,
    ClassUnitSummary,
    Enrollment,
    Trainee,
)
from trainingcenter.models import Center, Organization

# The tables loaded bare at the nation's scale (see rebuilt_after).
BIG = [Trainee, Enrollment, ClassSession]
# The tables vacuumed and analysed at the end: every table the generator
# writes, the summary tables the reports read included. Left to autovacuum,
# their first reads found no visibility map and set each row's hint bits,
# and autovacuum then ran beside whatever came next (the nation's
# build_report took 1,0 s instead of 0,44 s).
ANALYSED = [
    Organization, Center, Lecturer, TrainingClass, ClassSession, CoOrganizer,
    AnnualPlan, Trainee, Enrollment, Attendance, Certificate, ClassSummary,
    ClassUnitSummary, ClassLecturerSummary,
]  # fmt: skip


class Command(BaseCommand):
    help = (
        "Fill the database with a generated year of classes, trainees, enrolments "
        "and results (every class closed, as at the end of the year): one centre "
        "(~110 classes, ~6.000 enrolments), one province (22 centres, ~2.400 "
        "classes, ~130.000 enrolments) or the nation (700 centres in 34 provinces, "
        "~76.000 classes, ~4,2 million enrolments, ~3 million persons; about 3 "
        "minutes on PostgreSQL, which locks the trainee, enrolment and session "
        "tables meanwhile). Only centres whose short name starts with 'gen-' are "
        "touched. Attendance is generated at centre scale only (the nation would "
        "need ~25 million rows); certificates for every certifying class at "
        "centre scale and for 5% of them otherwise (--certificate-share)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", choices=["centre", "province", "nation"], required=True
        )
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--order",
            choices=["random", "class"],
            default="random",
            help="random: enrolments stored in random class order (the worst "
            "case for reading one centre); class: stored class by class.",
        )
        parser.add_argument(
            "--certificate-share",
            type=float,
            help="Share of the classes with an award whose passed trainees get "
            "certificates (93%% of them). Default 1 at centre scale, 0,05 otherwise.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Delete the generated centres' classes of that year first.",
        )
        # Tests: fewer classes per centre, same distributions.
        parser.add_argument("--shrink", type=float, default=1.0, help=argparse.SUPPRESS)
        # Tests: the nation's way of loading (see rebuilt_after) at any scale.
        parser.add_argument(
            "--rebuild-indexes", action="store_true", help=argparse.SUPPRESS
        )

    def say(self, text: str) -> None:
        self.stdout.write(f"[{time.perf_counter() - self.started:7.1f} s] {text}")

    def handle(self, *args, scale, year, seed, order, force, shrink, **options):
        self.started = time.perf_counter()
        share = options.get("certificate_share")
        run = Run(
            year=year,
            seed=seed,
            certificate_share=(
                share if share is not None else (1.0 if scale == "centre" else 0.05)
            ),
            attendance=scale == "centre",
            writer=Writer(),
            say=self.say,
            shrink=shrink,
        )
        rebuild = scale == "nation" or options.get("rebuild_indexes")
        pg = connection.vendor == "postgresql"
        with scopes_disabled():
            try:
                if pg:  # bulk statements outlive the site's per-statement limit
                    with connection.cursor() as cursor:
                        cursor.execute("SET statement_timeout = 0")
                with transaction.atomic():
                    self._generate(run, LAYOUTS[scale], order, force, rebuild)
                analyze(ANALYSED)
                self.say("Đã cập nhật thống kê (VACUUM ANALYZE / ANALYZE).")
            except GeneratorError as error:
                raise CommandError(str(error)) from error
            finally:
                if pg:
                    with connection.cursor() as cursor:
                        cursor.execute("RESET statement_timeout")
        written = ", ".join(
            f"{label.split('.')[1]} {fmt(n)}" for label, n in run.writer.written.items()
        )
        self.say(f"Xong. Đã ghi: {written}.")

    def _generate(self, run: Run, layout, order: str, force: bool, rebuild) -> None:
        """The stages, inside the command's transaction."""
        programmes = load_programmes()
        if connection.vendor == "postgresql":
            # Check foreign keys per statement: deferred to the commit,
            # millions of checks queue up in memory. (loaddata sets them back
            # to deferred, so after it.)
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        centres, new_organizations, new_centres = build_structure(layout)
        self.say(
            f"Cây tổ chức: {fmt(new_organizations)} đơn vị mới, "
            f"{fmt(new_centres)} trung tâm mới."
        )
        clear_year(run, centres, force=force)
        self.say(f"{len(centres)} trung tâm; sinh dữ liệu năm {run.year}…")
        with rebuilt_after(BIG if rebuild else [], self.say):
            generate(run, centres, programmes, order)
        self.say("Đếm tổng hợp theo lớp (enrollment.services.summaries)…")
        self.say(f"Đã đếm {fmt(count_summaries(run, centres))} lớp.")
