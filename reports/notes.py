"""The notes a report's tables carry, so a reader can check every figure:
what a block counts, what "% of plan" compares, and what the period before
is. The page, the PDF, the Word file and the workbook print the same text."""

from django.utils.translation import gettext as _, ngettext

from trainingcenter.templatetags.vn import vn_number


def classes_text(count: int) -> str:
    """ "12 lớp", "1.204 lớp"."""
    return ngettext("%(counter)s class", "%(counter)s classes", count) % {
        "counter": vn_number(count)
    }


def enrolments_text(count: int) -> str:
    """ "1 lượt học viên", "168.151 lượt học viên"."""
    return ngettext("%(counter)s enrolment", "%(counter)s enrolments", count) % {
        "counter": vn_number(count)
    }


def block_rule() -> str:
    """What a block's figures count, as the page, the PDF and the chart say."""
    return _(
        "Block figures count the refresher courses of the block's programmes "
        "that count in the plan; training, resolution study sessions and "
        "classes outside the plan are counted apart."
    )


def plan_years_partial(report) -> list[int]:
    """The years of the period that have a plan, when some year has none:
    a term whose first years were entered before plans were."""
    years = range(report.period.start.year, report.period.end.year + 1)
    planned = sorted(report.plan_years & set(years))
    return planned if planned and len(planned) < len(years) else []


def years_text(years: list[int]) -> str:
    """ "2025", "2024, 2025"."""
    return ", ".join(str(year) for year in years)


def plan_rule(report) -> str:
    """What "% of plan" divides, when the table alone would mislead: the
    classes outside the plan are not in it, and over a term only the years
    with a plan are. "" when neither applies or there is no plan."""
    figures = report.in_plan
    if not (figures.target_classes or figures.target_trainees):
        return ""
    partial = plan_years_partial(report)
    if not partial and not report.outside.classes:
        return ""
    text = _(
        "Percent of plan divides the %(classes)s and %(enrolled)s of the "
        "classes counted in the plan"
    ) % {
        "classes": classes_text(figures.plan_classes_done),
        "enrolled": enrolments_text(figures.plan_enrolled_done),
    }
    if partial:
        text += " " + (
            _(
                "that opened in the years with a plan (%(years)s): the plan "
                "columns are those years' plans, the actual columns the whole period"
            )
            if len(partial) > 1
            else _(
                "that opened in the year with a plan (%(years)s): the plan "
                "columns are that year's plan, the actual columns the whole period"
            )
        ) % {"years": years_text(partial)}
    if report.outside.classes:
        text += "; " + _("the classes outside the plan (part IV) are not counted")
    return text + "."


def grade_rule(report) -> str:
    """What the grades' percentages divide; "" before anyone is graded."""
    total = report.total
    if not total.graded:
        return ""
    return _(
        "Each grade's percentage is of the %(assessed)s enrolments with a "
        "recorded result, not of all enrolments."
    ) % {"assessed": vn_number(total.assessed)}


def unlisted_rule(report) -> str:
    """Whom the women and minorities columns count, when some classes of the
    period were entered as numbers only; "" when every class has its list."""
    total = report.total
    if not total.without_list:
        return ""
    if not total.listed:
        return _(
            "The classes of this period were entered as numbers only: they do "
            "not record women or ethnic minorities."
        )
    return "* " + _(
        "Women and ethnic minorities are counted in the classes with a list of "
        "trainees only: %(listed)s of %(enrolled)s enrolments; classes entered "
        "as numbers do not record them."
    ) % {"listed": vn_number(total.listed), "enrolled": vn_number(total.enrolled)}


def previous_label(report) -> str:
    """ "năm 2025", or "cùng kỳ năm trước (từ ngày … đến ngày …)"."""
    from reports.counting import is_same_time_a_year_before

    if is_same_time_a_year_before(report.period, report.previous_period):
        return _("the same period a year before (%(dates)s)") % {
            "dates": report.previous_period.label
        }
    return report.previous_period.label
