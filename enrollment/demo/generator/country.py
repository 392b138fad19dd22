"""The generated year of every centre of the run, written and counted.

Runs `centre_year` for each centre in province order, writing the queued
classes, trainees, sessions and plans whenever 200.000 rows are waiting (so
memory stays bounded at the nation's scale) and reporting progress by
province; then writes every enrolment, the certificates and, at centre
scale, the attendance. The per-class summaries are counted afterwards by
enrollment.services.summaries, the code the application itself uses, in
one pass over the year's classes.
"""

import random
import time
from collections import Counter

from django.db import connection

from enrollment.demo.generator import fmt
from enrollment.demo.generator.catalogue import Programme, ensure_lecturers
from enrollment.demo.generator.centre_year import centre_year
from enrollment.demo.generator.certificates import write_certificates
from enrollment.demo.generator.cleanup import year_classes
from enrollment.demo.generator.enrolments import write_attendance, write_enrolments
from enrollment.demo.generator.people import PersonPools
from enrollment.demo.generator.run import Run
from enrollment.demo.generator.structure import GeneratedCentre
from enrollment.services.summaries import refresh_all

FLUSH_AT = 200_000  # queued rows


def generate(
    run: Run,
    centres: list[GeneratedCentre],
    programmes: list[Programme],
    order: str,
) -> None:
    """Every centre's year: classes, trainees, sessions, plans, then enrolments,
    certificates and attendance (the last two from one seeded generator)."""
    pools = PersonPools.make()
    ensure_lecturers(run.writer, centres, pools.names)
    enrolments: list[tuple] = []  # (class, trainee, unit, party, status, …)
    class_meta: dict[int, tuple] = {}  # for certificates: issuer, end, award
    sessions_of: dict[int, list[int]] = {}
    _centre_years(run, centres, programmes, pools, enrolments, class_meta, sessions_of)
    rng = random.Random(f"{run.seed}-{run.year}-order")
    first = write_enrolments(run, rng, enrolments, order)
    write_certificates(run, rng, enrolments, first, class_meta)
    if run.attendance:
        write_attendance(run, rng, enrolments, first, sessions_of)


def _centre_years(
    run, centres, programmes, pools, enrolments, class_meta, sessions_of
) -> None:
    """Write each centre's classes, trainees, sessions and plan; collect its
    enrolment rows in `enrolments`."""
    w = run.writer
    province_started, totals = time.perf_counter(), Counter()
    for index, centre in enumerate(centres):
        class_ids, rows = centre_year(
            run, centre, programmes, pools, class_meta, sessions_of
        )
        enrolments += rows
        totals.update(classes=len(class_ids), enrolments=len(rows))
        if w.queued() > FLUSH_AT:
            w.flush()
        last = (
            index + 1 == len(centres) or centres[index + 1].province != centre.province
        )
        if last:
            run.say(
                f"Tỉnh {centre.province + 1}: đến nay {fmt(totals['classes'])} lớp, "
                f"{fmt(totals['enrolments'])} lượt "
                f"({time.perf_counter() - province_started:.1f} s)"
            )
            province_started = time.perf_counter()
    w.flush()
    run.say(
        f"Đã ghi lớp, học viên, buổi học, kế hoạch: "
        f"{fmt(w.written['courses.TrainingClass'])} lớp, "
        f"{fmt(w.written['enrollment.Trainee'])} học viên."
    )


def count_summaries(run: Run, centres: list[GeneratedCentre]) -> int:
    """Count the per-class summaries of the year's classes; returns how many."""
    return refresh_all(
        year_classes(centres, run.year),
        # One pass over the enrolments on PostgreSQL (about 25 s for the
        # nation, against 4 min in chunks of 2.000 that each read the whole
        # table); SQLite limits the parameters of a query.
        chunk=1_000_000 if connection.vendor == "postgresql" else 2000,
    )
