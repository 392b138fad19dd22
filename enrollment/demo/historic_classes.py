"""Earlier years of the demo centre, entered as declared counts only.

Writes closed classes without a roster through the service behind the
historic-classes upload (`historic_classes.import_classes`), as a centre
enters its past years from that page's template, and their partners and
cluster venues. The counts are recounted once per year, not once per class.
"""

import datetime
import random

from courses.models import ClassType, TrainingClass
from enrollment.demo.partners import MERGER, add_partners_and_clusters
from enrollment.demo.year import PLAN
from enrollment.services import historic_classes, summaries
from trainingcenter.models import Center


def build_historic_classes(center: Center, *, years) -> int:
    """Past years with declared counts only: closed classes, no roster.

    A few classes fewer each year back, so the report's chart by year has a
    trend. Skips a year that already has classes; returns the classes made.
    """
    programmes = {c.code: c for c in ClassType.objects.all()}
    years = sorted(years)
    made = 0
    for year in years:
        if TrainingClass.objects.filter(center=center, start_date__year=year).exists():
            continue
        rows = _past_year(
            year, fewer=(years[-1] + 1 - year) // 2, programmes=programmes
        )
        # One recount of the year's classes instead of one per class saved.
        with summaries.batched():
            made += len(historic_classes.import_classes(center, rows))
            add_partners_and_clusters(center, year=year)
    return made


def _past_year(
    year: int, *, fewer: int, programmes
) -> list[historic_classes.HistoryRow]:
    """The rows of a past year's class list: about `fewer` classes fewer per
    programme than the demo year, intakes numbered in the order they open."""
    rng = random.Random(f"history-{year}")
    rows = []
    for code, count, (low, high) in PLAN:
        programme = programmes[code]
        held = max(0, count - fewer + rng.choice([-1, 0, 0, 1]))
        if code == "chinh-tri-he":  # the teachers' summer course, in July
            starts = [datetime.date(year, 7, 8 + 7 * n) for n in range(held)]
        else:
            starts = sorted(
                datetime.date(year, 1, 8) + datetime.timedelta(days=rng.randint(0, 330))
                for _ in range(held)
            )
        for number, start in enumerate(starts, start=1):
            start += datetime.timedelta(days=(7 - start.weekday()) % 7)  # a Monday
            days = max(1, (programme.sessions or 4) // 2)
            enrolled = rng.randint(low, high)
            completed = enrolled - rng.randint(0, max(1, enrolled // 25))
            values = {
                "programme": programme,
                "start_date": start,
                "end_date": start + datetime.timedelta(days=days - 1),
                "intake_label": f"khóa {number}",
                "venue": "Hội trường Trung tâm Chính trị Đà Lạt"
                if start >= MERGER
                else "Hội trường Trung tâm Chính trị thành phố Đà Lạt",
                "counted_in_plan": code != "chinh-tri-he",
                "enrolled": enrolled,
                "completed": completed,
                "certified": None if programme.award == "none" else completed,
            }
            rows.append(historic_classes.HistoryRow(len(rows) + 1, values))
    return rows
