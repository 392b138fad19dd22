from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from courses.models import (
    Block,
    ClassSession,
    ClassType,
    CoOrganizer,
    Lecturer,
    TrainingClass,
)
from trainingcenter.models import Organization


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
        # The centre comes from the URL, never from the form (SECURITY.md R15).
        self.instance.center = self.center
        return super().save(commit=commit)


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                forms.ValidationError(
                    _("The end date cannot be before the start date."),
                    code="end_before_start",
                ),
            )
        return cleaned

    def save(self, commit=True):
        self.instance.center = self.center
        return super().save(commit=commit)


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
