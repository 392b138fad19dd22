from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from courses.models import (
    Block,
    ClassSession,
    ClassType,
    CoOrganizer,
    Lecturer,
    LecturerActivity,
    TrainingClass,
)
from trainingcenter.forms import DateInput
from trainingcenter.models import Organization
from trainingcenter.templatetags.vn import vn_number


def check_date_order(form: forms.BaseForm, cleaned: dict) -> None:
    """A class ends on or after the day it starts: the error sits on the end
    date, for the class form and the correction of a past class alike."""
    start, end = cleaned.get("start_date"), cleaned.get("end_date")
    if start and end and end < start:
        form.add_error(
            "end_date",
            forms.ValidationError(
                _("The end date cannot be before the start date."),
                code="end_before_start",
            ),
        )


class LecturerForm(forms.ModelForm):
    class Meta:
        model = Lecturer
        fields = [
            "full_name",
            "kind",
            "unit",
            "position",
            "qualifications",
            "is_active",
        ]

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        self.center = center
        self.fields["unit"].queryset = Organization.objects.units_of(center)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def save(self, commit=True):
        # The centre comes from the URL, never from the form (no cross-posting).
        self.instance.center = self.center
        return super().save(commit=commit)


# Dates typed and shown dd/mm/yyyy whatever the browser (trainingcenter.forms).
DATE_WIDGET = DateInput()


class LecturerActivityForm(forms.ModelForm):
    """Peer teaching, a class observation or a contest of one lecturer.

    The rules (a prize for a contest only, no date in the future) are the
    model's (LecturerActivity.clean), so the admin keeps them too.
    """

    class Meta:
        model = LecturerActivity
        fields = ["kind", "date", "title", "award", "note"]
        widgets = {"date": DATE_WIDGET, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, lecturer, **kwargs):
        super().__init__(*args, **kwargs)
        self.lecturer = lecturer
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def save(self, commit=True):
        # The lecturer comes from the URL, never from the form (no cross-posting).
        self.instance.lecturer = self.lecturer
        return super().save(commit=commit)


class TrainingClassForm(forms.ModelForm):
    """Open or edit a class; a new class starts from its programme's defaults."""

    class Meta:
        model = TrainingClass
        fields = [
            "class_type",
            "intake_label",
            "sequence",
            "start_date",
            "end_date",
            "venue",
            "venue_communes",
            "organizer",
            "ordering_body",
            "certificate_issuer",
            "capacity",
            "counted_in_plan",
            "periods",
            "sessions",
            "assessment",
            "award",
        ]
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "venue_communes": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        self.center = center
        self.fields["class_type"].queryset = ClassType.objects.active()
        organizations = Organization.objects.units_of(center)
        for name in ("organizer", "ordering_body", "certificate_issuer"):
            self.fields[name].queryset = organizations
        self.fields["venue_communes"].queryset = organizations.filter(
            level=Organization.Level.COMMUNE,
            kind=Organization.Kind.PARTY_COMMITTEE,
        )
        self.helper = FormHelper()
        self.helper.form_tag = False

    @staticmethod
    def initial_from(class_type: ClassType) -> dict:
        """What a new class takes from its programme (issue: prefilled form)."""
        return {
            "class_type": class_type.pk,
            "periods": class_type.periods,
            "sessions": class_type.sessions,
            "assessment": class_type.assessment,
            "award": class_type.award,
        }

    def clean(self):
        cleaned = super().clean()
        check_date_order(self, cleaned)
        return cleaned

    def save(self, commit=True):
        self.instance.center = self.center
        return super().save(commit=commit)


class HistoricClassForm(forms.ModelForm):
    """A director's correction of a class from before the system.

    Only what the records give: dates, label, venue and the numbers; an
    empty number is not known. Every correction is kept in the class's history
    with its reason.
    """

    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=100,
        help_text=_("E.g. “corrected from the 2017 annual report”."),
    )

    class Meta:
        model = TrainingClass
        fields = [
            "intake_label",
            "start_date",
            "end_date",
            "venue",
            "counted_in_plan",
            "declared_called",
            "declared_attended",
            "declared_enrolled",
            "declared_completed",
            "declared_certified",
            "co_organizer_names",
            "certificate_issuer",
            "issuer_name",
        ]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate_issuer"].queryset = Organization.objects.units_of(
            center
        )
        for name in COUNT_FIELDS:
            self.fields[name].help_text = _("Leave empty when it is not known.")
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save the correction")))

    def clean(self):
        cleaned = super().clean()
        check_date_order(self, cleaned)
        for larger, smaller, message in (
            (
                "declared_called",
                "declared_attended",
                _("More attended than were called."),
            ),
            (
                "declared_enrolled",
                "declared_completed",
                _("More completed than enrolled."),
            ),
            (
                "declared_completed",
                "declared_certified",
                _("More certified than completed."),
            ),
        ):
            high, low = cleaned.get(larger), cleaned.get(smaller)
            if high is not None and low is not None and low > high:
                self.add_error(
                    smaller, forms.ValidationError(message, code="more_than_total")
                )
        return cleaned


COUNT_FIELDS = [
    "declared_called",
    "declared_attended",
    "declared_enrolled",
    "declared_completed",
    "declared_certified",
]


class CoOrganizerForm(forms.ModelForm):
    class Meta:
        model = CoOrganizer
        fields = ["organization", "role"]

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.units_of(center)


CoOrganizerFormSet = forms.inlineformset_factory(
    TrainingClass, CoOrganizer, form=CoOrganizerForm, extra=2, can_delete=True
)


class ClassSessionForm(forms.ModelForm):
    class Meta:
        model = ClassSession
        fields = ["date", "part", "topic", "lecturer", "periods"]
        widgets = {"date": DATE_WIDGET}
        field_classes = {"lecturer": SafeModelChoiceField}

    def __init__(self, *args, training_class, **kwargs):
        super().__init__(*args, **kwargs)
        self.training_class = training_class
        self.fields["lecturer"].queryset = training_class.center.lecturers.filter(
            is_active=True
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def clean_date(self):
        day = self.cleaned_data["date"]
        start, end = self.training_class.start_date, self.training_class.end_date
        if not start <= day <= end:
            raise forms.ValidationError(
                _("The session must fall within the class dates (%(start)s – %(end)s).")
                % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"},
                code="outside_class",
            )
        return day

    def clean(self):
        cleaned = super().clean()
        taken = self.training_class.class_sessions.filter(
            date=cleaned.get("date"), part=cleaned.get("part")
        )
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if cleaned.get("date") and taken.exists():
            raise forms.ValidationError(
                _("This class already has a session on that half-day."),
                code="session_taken",
            )
        return cleaned

    def save(self, commit=True):
        self.instance.training_class = self.training_class
        return super().save(commit=commit)


class ClassFilterForm(forms.Form):
    """The filters of the class list (GET)."""

    q = forms.CharField(label=_("Search"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int)
    class_type = forms.ModelChoiceField(
        label=_("Programme"), required=False, queryset=ClassType.objects.none()
    )
    block = forms.ModelChoiceField(
        label=_("Block"), required=False, queryset=Block.objects.all()
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", "---------"), *TrainingClass.Status.choices],
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All"))] + [(y, y) for y in years]
        self.fields["class_type"].empty_label = _("All")
        self.fields["block"].empty_label = _("All")
        self.fields["status"].choices = [("", _("All")), *TrainingClass.Status.choices]
        self.fields["class_type"].queryset = ClassType.objects.all()

    def filter(self, classes):
        if not self.is_valid():
            return classes
        data = self.cleaned_data
        if data["q"]:
            classes = classes.matching(data["q"])
        if data["year"]:
            classes = classes.filter(start_date__year=data["year"])
        if data["class_type"]:
            classes = classes.filter(class_type=data["class_type"])
        if data["block"]:
            classes = classes.filter(class_type__block=data["block"])
        if data["status"]:
            classes = classes.filter(status=data["status"])
        return classes


# The annual plan page (courses/views.py).

PLAN_FIRST_YEAR = 1990
MAX_PLANNED_CLASSES = 1_000
MAX_PLANNED_TRAINEES = 100_000


def plan_years() -> tuple[int, int]:
    """The first and last year a plan can be kept for: 1990 to next year."""
    return PLAN_FIRST_YEAR, timezone.localdate().year + 1


class PlanYearForm(forms.Form):
    """The year switcher of the plans page (GET)."""

    year = forms.IntegerField(
        label=_("Year"),
        error_messages={
            "required": _("Enter a year."),
            "invalid": _("Enter a year, such as 2026."),
        },
        widget=forms.NumberInput(attrs={"class": "form-control grid-input"}),
    )

    def clean_year(self):
        year = self.cleaned_data["year"]
        first, last = plan_years()
        if not first <= year <= last:
            raise forms.ValidationError(
                _("Enter a year from %(first)s to %(last)s.")
                % {"first": first, "last": last},
                code="year_out_of_range",
            )
        return year


class TargetField(forms.IntegerField):
    """A planned number: a whole number from 0 to `limit`; blank means 0."""

    default_error_messages = {"invalid": _("Write a whole number, such as 12.")}

    def __init__(self, *, limit: int, **kwargs):
        self.limit = limit
        super().__init__(required=False, **kwargs)
        self.widget.attrs.update(
            {
                "class": "form-control form-control-sm text-end grid-input",
                "min": 0,
                "max": limit,
            }
        )

    def clean(self, value):
        number = super().clean(value)
        if number is None:
            return 0
        if number < 0:
            raise forms.ValidationError(
                _("A target cannot be negative."), code="negative"
            )
        if number > self.limit:
            raise forms.ValidationError(
                _("That is too many: at most %(limit)s.")
                % {"limit": vn_number(self.limit)},
                code="too_large",
            )
        return number


class PlanRow:
    """One programme of the plan table with its two inputs."""

    def __init__(self, class_type, classes, trainees):
        self.class_type = class_type
        self.classes = classes
        self.trainees = trainees
        self.fields = (classes, trainees)


class AnnualPlanForm(forms.Form):
    """A year's targets: planned classes and trainees for each programme.

    Field names carry the programme's id, so the form accepts only the
    programmes it was built with. A field missing from the posted data keeps
    its saved value (a programme added to the catalogue while the page was
    open stays as it was); a blank one means 0.
    """

    def __init__(self, *args, class_types, plans, editable, **kwargs):
        super().__init__(*args, **kwargs)
        self.editable = editable
        self.rows = []
        for class_type in class_types:
            plan = plans.get(class_type.pk)
            for prefix, limit, initial in (
                ("classes", MAX_PLANNED_CLASSES, plan and plan.target_classes),
                ("trainees", MAX_PLANNED_TRAINEES, plan and plan.target_trainees),
            ):
                name = f"{prefix}_{class_type.pk}"
                field = TargetField(limit=limit, initial=initial)
                field.disabled = not editable or (
                    self.is_bound and name not in self.data
                )
                # The row and column headers name the input for screen readers.
                field.widget.attrs["aria-labelledby"] = (
                    f"plan-row-{class_type.pk} plan-col-{prefix}"
                )
                self.fields[name] = field
            self.rows.append(
                PlanRow(
                    class_type,
                    self[f"classes_{class_type.pk}"],
                    self[f"trainees_{class_type.pk}"],
                )
            )

    def clean(self):
        cleaned = super().clean()
        for row in self.rows:
            classes = cleaned.get(row.classes.name)
            if classes == 0 and cleaned.get(row.trainees.name):
                self.add_error(
                    row.classes.name,
                    forms.ValidationError(
                        _("Plan at least one class for these trainees."),
                        code="trainees_without_classes",
                    ),
                )
        return cleaned

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                # A red border, not Bootstrap's is-invalid: its icon would
                # hide the digits of a narrow number input.
                attrs["class"] += " border-danger"
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{name}-error"

    def targets(self) -> dict[int, tuple[int, int]]:
        """Programme id -> (classes, trainees), once the form is valid."""
        return {
            row.class_type.pk: (
                self.cleaned_data[row.classes.name],
                self.cleaned_data[row.trainees.name],
            )
            for row in self.rows
        }

    def totals(self) -> tuple[int, int]:
        """The sums of the numbers shown; a number with an error counts as 0."""
        if not self.is_bound:
            values = {name: field.initial or 0 for name, field in self.fields.items()}
        else:
            values = getattr(self, "cleaned_data", {})
        classes = sum(values.get(row.classes.name) or 0 for row in self.rows)
        trainees = sum(values.get(row.trainees.name) or 0 for row in self.rows)
        return classes, trainees
