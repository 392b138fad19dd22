import re
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from courses.forms import DATE_WIDGET
from enrollment.models import Trainee
from trainingcenter.models import Organization


class TraineeForm(forms.ModelForm):
    """A person in the registry. The name is split and keyed on save."""

    confirm_new = forms.BooleanField(
        label=_("This is a different person: save as a new record"), required=False
    )

    class Meta:
        model = Trainee
        fields = [
            "full_name",
            "birth_date",
            "gender",
            "ethnicity",
            "unit",
            "position",
            "party_status",
            "admission_date",
            "full_membership_date",
            "citizen_id",
            "notes",
        ]
        widgets = {
            "birth_date": DATE_WIDGET,
            "admission_date": DATE_WIDGET,
            "full_membership_date": DATE_WIDGET,
        }

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        self.center = center
        self.fields["unit"].queryset = Organization.objects.units_of(center)
        self.fields["citizen_id"].widget.attrs["inputmode"] = "numeric"
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name.split()) < 2:
            raise forms.ValidationError(
                _("Write the full name: family name and given name."), code="short_name"
            )
        return name

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("party_status")
        if status in (
            Trainee.PartyStatus.PROBATIONARY,
            Trainee.PartyStatus.FULL,
        ) and not (cleaned.get("admission_date")):
            self.add_error(
                "admission_date",
                forms.ValidationError(
                    _("A party member needs the date of admission."), code="admission"
                ),
            )
        citizen_id = cleaned.get("citizen_id")
        if citizen_id:
            same = self.center.trainees.filter(citizen_id=citizen_id)
            if self.instance.pk:
                same = same.exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error(
                    "citizen_id",
                    forms.ValidationError(
                        _("Another trainee of this centre has this citizen ID."),
                        code="citizen_id_taken",
                    ),
                )
        return cleaned

    def save(self, commit=True):
        self.instance.center = self.center
        return super().save(commit=commit)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("withdraw", _("Withdraw"), css_class="btn-danger"))


SCORE_PATTERN = re.compile(r"\d{1,3}(\.\d+)?")


def parse_score(raw: str) -> Decimal | None:
    """A score typed the Vietnamese way ("7,5") or the other ("7.5"); empty is None.

    Raises ValueError with a Vietnamese message for anything that is not a
    number from 0 to 10 with at most one decimal.
    """
    text = raw.strip().replace(",", ".")
    if not text:
        return None
    if not SCORE_PATTERN.fullmatch(text):
        raise ValueError(_("“%(value)s” is not a number.") % {"value": raw})
    score = Decimal(text)
    if not Decimal(0) <= score <= Decimal(10):
        raise ValueError(_("A score is from 0 to 10, not %(value)s.") % {"value": raw})
    if score != score.quantize(Decimal("0.1")):
        raise ValueError(
            _("A score has at most one decimal: %(value)s.") % {"value": raw}
        )
    return score.quantize(Decimal("0.1"))


class XlsxUploadForm(forms.Form):
    """An Excel file (.xlsx) no larger than `max_bytes`, with one submit button."""

    file = forms.FileField(label=_("Excel file (.xlsx)"))
    submit_label = _("Upload and check")

    def __init__(self, *args, max_bytes, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.fields["file"].widget.attrs["accept"] = ".xlsx"
        self.helper = FormHelper()
        self.helper.add_input(Submit("upload", self.submit_label))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": self.max_bytes // (1024 * 1024)},
                code="too_big",
            )
        return upload


class ListUploadForm(XlsxUploadForm):
    """A trainee list (.xlsx) for a class, and the unit that sent it."""

    sending_unit = forms.ModelChoiceField(
        label=_("Sent by"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("The columns of its file are remembered for its next one."),
    )

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sending_unit"].queryset = Organization.objects.units_of(center)


class NewUnitForm(forms.Form):
    """A unit named in a list but missing from the catalogue, created by a director."""

    name = forms.CharField(label=_("Name"), max_length=255)
    parent = forms.ModelChoiceField(
        label=_("Belongs to"), queryset=Organization.objects.none()
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Organization.Kind.choices)

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Organization.objects.units_of(center).filter(
            level__in=[Organization.Level.PROVINCE, Organization.Level.COMMUNE]
        )


class HistoryUploadForm(XlsxUploadForm):
    """Past classes (.xlsx) from the template: counts only, no roster."""

    submit_label = _("Check and record")
