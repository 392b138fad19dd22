import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.forms import DATE_WIDGET
from courses.models import ClassType
from reports.counting import Period
from reports.rollups import Filters
from trainingcenter.models import Organization

FIRST_YEAR = 1990


class PeriodForm(forms.Form):
    """A report's period: a year, a term of several years, or from–to dates."""

    KINDS = [
        ("year", _("A year")),
        ("term", _("A term of several years")),
        ("dates", _("From date to date")),
    ]
    kind = forms.ChoiceField(label=_("Period"), choices=KINDS, initial="year")
    # Django's own words for a bad number read oddly in Vietnamese.
    year = forms.IntegerField(
        label=_("Year"), required=False, error_messages={"invalid": _("Enter a year.")}
    )
    from_year = forms.IntegerField(
        label=_("From year"),
        required=False,
        error_messages={"invalid": _("Enter a year.")},
    )
    to_year = forms.IntegerField(
        label=_("To year"),
        required=False,
        error_messages={"invalid": _("Enter a year.")},
    )
    start = forms.DateField(label=_("From date"), required=False, widget=DATE_WIDGET)
    end = forms.DateField(label=_("To date"), required=False, widget=DATE_WIDGET)

    # What an empty query string means; subclasses add their own fields'.
    defaults: dict = {}

    def __init__(self, data=None, **kwargs):
        today = timezone.localdate()
        defaults = {"kind": "year", "year": today.year, **self.defaults}
        super().__init__({**defaults, **data.dict()} if data else defaults, **kwargs)
        self.today = today

    def _year(self, name: str) -> int:
        value = self.cleaned_data.get(name)
        if value is None:
            raise forms.ValidationError({name: _("Enter a year.")})
        if not FIRST_YEAR <= value <= self.today.year + 1:
            raise forms.ValidationError(
                {
                    name: _("Enter a year from %(first)s to %(last)s.")
                    % {"first": FIRST_YEAR, "last": self.today.year + 1}
                }
            )
        return value

    def clean(self):
        data = super().clean()
        if self.errors:  # a field already says what is wrong with it
            return data
        kind = data.get("kind")
        if kind == "year":
            data["period"] = Period.year(self._year("year"))
        elif kind == "term":
            first, last = self._year("from_year"), self._year("to_year")
            if last < first:
                raise forms.ValidationError(
                    {"to_year": _("The last year comes before the first.")}
                )
            data["period"] = Period(
                datetime.date(first, 1, 1), datetime.date(last, 12, 31)
            )
        elif kind == "dates":
            start, end = data.get("start"), data.get("end")
            if start is None or end is None:
                raise forms.ValidationError(_("Enter both dates."))
            if end < start:
                raise forms.ValidationError(
                    {"end": _("The end comes before the start.")}
                )
            if start.year < FIRST_YEAR:
                raise forms.ValidationError(
                    {
                        "start": _("Enter a date from %(first)s on.")
                        % {"first": FIRST_YEAR}
                    }
                )
            data["period"] = Period(start, end)
        return data


class RollupForm(PeriodForm):
    """A rollup's period, and optionally one programme and one unit's subtree."""

    KINDS_OF_ROLLUP = [
        ("units", _("By sending unit")),
        ("certified", _("Certified trainees by unit")),
        ("centers", _("By centre (Biểu 4)")),
        ("pipeline", _("Party admission pipeline")),
    ]
    rollup = forms.ChoiceField(
        label=_("Rollup"), choices=KINDS_OF_ROLLUP, initial="units"
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=ClassType.objects.none(),
        required=False,
        empty_label=_("All programmes"),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("All units"),
    )
    by_today = forms.BooleanField(
        label=_("Group units under today's communes"), required=False
    )

    defaults = {"rollup": "units"}

    def __init__(self, data=None, *, organization, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["programme"].queryset = ClassType.objects.order_by(
            "block__order", "order", "name"
        )
        # Only units inside the committee's own organization can be chosen:
        # another organization's unit is "not one of the available choices".
        self.fields["unit"].queryset = Organization.objects.filter(
            pk__in=Organization.objects.subtree_ids([organization.pk])
        ).order_by("name_order", "pk")

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            period=data["period"],
            programme=data.get("programme"),
            unit=data.get("unit"),
            by_today=data.get("by_today", False),
        )
