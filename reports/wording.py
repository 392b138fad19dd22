"""The sentences of the report's opening paragraph: what was opened in the
plan and against it, what was opened outside it, in all, and the period
before.

Written from the same `Report` as the tables; every number goes through the
Vietnamese formatting (vn_number, vn_percent).
"""

from django.utils.translation import gettext as _

from reports import notes
from reports.tables import Figures, Report
from trainingcenter.templatetags.vn import vn_number, vn_percent


def plan_shares(figures: Figures, annual: bool) -> str:
    """ "đạt 100,0% kế hoạch về số lớp và 96,0% kế hoạch về số học viên", with
    "kế hoạch năm" for a period shorter than the plan's year; "" without a
    target."""
    shares = []
    if figures.target_classes:
        text = (
            _("%(share)s of the year's plan in classes")
            if annual
            else _("%(share)s of the plan in classes")
        )
        shares.append(text % {"share": vn_percent(figures.plan_classes_share)})
    if figures.target_trainees:
        text = (
            _("%(share)s of the year's plan in trainees")
            if annual
            else _("%(share)s of the plan in trainees")
        )
        shares.append(text % {"share": vn_percent(figures.plan_trainees_share)})
    if not shares:
        return ""
    return _("reaching %(shares)s") % {"shares": _(" and ").join(shares)}


def plan_difference(figures: Figures, annual: bool) -> str:
    """ "vượt 1 lớp (120 lượt học viên) so với kế hoạch", "còn thiếu 2 lớp so
    với kế hoạch năm", "đúng kế hoạch"; "" without a target."""
    parts = []  # (direction, text): +1 over, -1 short, 0 as planned
    if figures.target_classes:
        n = figures.plan_classes_done - figures.target_classes
        parts.append(((n > 0) - (n < 0), notes.classes_text(abs(n))))
    if figures.target_trainees:
        n = figures.plan_enrolled_done - figures.target_trainees
        parts.append(((n > 0) - (n < 0), notes.enrolments_text(abs(n))))
    if not parts:
        return ""
    plan = _("the year's plan") if annual else _("the plan")
    over = _("%(count)s over %(plan)s")
    short = _("%(count)s short of %(plan)s")
    directions = {d for d, _t in parts if d}
    if not directions:
        return _("exactly as %(plan)s") % {"plan": plan}
    if len(directions) == 1 and all(d for d, _t in parts):
        count = parts[0][1]
        if len(parts) == 2:
            count = f"{parts[0][1]} ({parts[1][1]})"
        return (over if directions == {1} else short) % {"count": count, "plan": plan}
    return "; ".join(
        (over if d > 0 else short) % {"count": text, "plan": plan}
        for d, text in parts
        if d
    )


def in_plan(report: Report, when: str) -> str:
    """The classes of the plan, and how they compare with it."""
    figures = report.in_plan
    text = _("%(when)s, %(who)s opened %(classes)s in the plan for %(enrolled)s") % {
        "when": when,
        "who": _("the centre")
        if report.center_count == 1
        else _("the %(count)s centres") % {"count": vn_number(report.center_count)},
        "classes": notes.classes_text(figures.classes),
        "enrolled": notes.enrolments_text(figures.enrolled),
    }
    extra = [
        part
        for part in (
            plan_shares(figures, report.plan_is_annual),
            plan_difference(figures, report.plan_is_annual),
        )
        if part
    ]
    if extra and (planned := report.plan_years_partial):
        # Over a term whose first years have no plan, the plan compares with
        # the classes of the years that have one, and the sentence says so.
        text += "; " + (
            _("in the years with a plan (%(years)s), %(classes)s for %(enrolled)s")
            if len(planned) > 1
            else _("in the year with a plan (%(years)s), %(classes)s for %(enrolled)s")
        ) % {
            "years": notes.years_text(planned),
            "classes": notes.classes_text(figures.plan_classes_done),
            "enrolled": notes.enrolments_text(figures.plan_enrolled_done),
        }
    return text + (", " + "; ".join(extra) if extra else "") + "."


def outside(report: Report) -> str:
    """The classes outside the plan, co-organised or not, with those called
    and those who attended when the records give both; "" when there are none."""
    figures = report.outside
    if not figures.classes:
        return ""
    rows = [
        row for s in report.sections if s.outside for g in s.groups for row in g.rows
    ]
    programmes = "; ".join(
        f"{row.name}: {notes.classes_text(row.figures.classes)}"
        + (
            " " + _("(with %(partners)s)") % {"partners": ", ".join(row.partners)}
            if row.partners
            else ""
        )
        for row in rows
    )
    text = _(
        "Outside the plan, %(classes)s were opened for %(enrolled)s (%(programmes)s)"
    ) % {
        "classes": notes.classes_text(figures.classes),
        "enrolled": notes.enrolments_text(figures.enrolled),
        "programmes": programmes,
    }
    if figures.called:
        text += "; " + _(
            "%(attended)s of the %(called)s called attended, %(share)s"
        ) % {
            "attended": vn_number(figures.called_attended),
            "called": vn_number(figures.called),
            "share": vn_percent(figures.called_share),
        }
        if figures.called_classes < figures.classes:
            text += " " + _("(in the %(count)s classes that record both)") % {
                "count": vn_number(figures.called_classes)
            }
    return text + "."


def in_all(report: Report) -> str:
    """The classes and enrolments in all, and how many people they are: of
    the classes with a list, when some were entered as numbers only."""
    total = report.total
    figures = {
        "classes": notes.classes_text(total.classes),
        "enrolled": vn_number(total.enrolled),
        "listed": vn_number(total.listed),
        "persons": vn_number(report.persons),
    }
    if not total.listed:  # declared numbers only: nobody to count twice
        return _("In all: %(classes)s, %(enrolled)s enrolments.") % figures
    if total.without_list:  # people are counted among the listed only
        return (
            _(
                "In all: %(classes)s, %(enrolled)s enrolments; the %(listed)s "
                "enrolments of classes with a list of trainees are %(persons)s "
                "different people."
            )
            % figures
        )
    return (
        _(
            "In all: %(classes)s, %(enrolled)s enrolments "
            "(%(persons)s different people)."
        )
        % figures
    )


def no_previous(report: Report) -> str:
    from reports.counting import is_same_time_a_year_before

    if is_same_time_a_year_before(report.period, report.previous_period):
        return _(
            "The same period a year before (%(dates)s) had no class to compare with."
        ) % {"dates": report.previous_period.label}
    return _("The previous period (%(previous)s) had no class to compare with.") % {
        "previous": report.previous_period.label
    }
