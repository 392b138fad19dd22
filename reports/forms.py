import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.forms import DATE_WIDGET
from reports.counting import Period

FIRST_YEAR = 1990


class PeriodForm(forms.Form):
    """A report's period: a year, a term of several years, or from–to dates."""

    KINDS = [
        ("year", _("A year")),
        ("term", _("A term of several years")),
        ("dates", _("From date to date")),
    ]
    kind = forms.ChoiceField(label=_("Period"), choices=KINDS, initial="year")
    year = forms.IntegerField(label=_("Year"), required=False)
    from_year = forms.IntegerField(label=_("From year"), required=False)
    to_year = forms.IntegerField(label=_("To year"), required=False)
    start = forms.DateField(label=_("From date"), required=False, widget=DATE_WIDGET)
    end = forms.DateField(label=_("To date"), required=False, widget=DATE_WIDGET)

    def __init__(self, data=None, **kwargs):
        today = timezone.localdate()
        defaults = {"kind": "year", "year": today.year}
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
