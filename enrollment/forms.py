import datetime
import re
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.forms import DATE_WIDGET
from enrollment.models import Rating, SubjectRequest, Trainee
from enrollment.models.privacy import MAX_EXTENSION_DAYS
from enrollment.person_dates import date_problems
from trainingcenter.forms import FileChooser
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
        self.fields["unit"].empty_label = "—"  # not Django's "---------"
        for name in ("gender", "party_status"):
            field = self.fields[name]
            field.choices = [
                ("", "—") if value == "" else (value, label)
                for value, label in field.choices
            ]
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
        # A date typed in is a whole date, even for someone known by the year.
        year_only = self.instance.birth_year_only and (
            "birth_date" not in self.changed_data
        )
        problems = date_problems(
            birth=cleaned.get("birth_date"),
            birth_year_only=year_only,
            admission=cleaned.get("admission_date"),
            full_membership=cleaned.get("full_membership_date"),
            today=timezone.localdate(),
        )
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, forms.ValidationError(message, code="dates"))
        citizen_id = cleaned.get("citizen_id")
        if citizen_id:
            same = self.center.trainees.with_citizen_id(citizen_id)
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
        if "birth_date" in self.changed_data:  # the day is now known (or cleared)
            self.instance.birth_year_only = False
        return super().save(commit=commit)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("withdraw", _("Withdraw"), css_class="btn-danger"))


# A sign is read, so that "-1" is told the range rather than "not a number".
SCORE_PATTERN = re.compile(r"[-+−–]?\d{1,3}(\.\d+)?")


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
    score = Decimal(text.replace("−", "-").replace("–", "-"))
    if not Decimal(0) <= score <= Decimal(10):
        raise ValueError(_("A score is from 0 to 10, not %(value)s.") % {"value": raw})
    if score != score.quantize(Decimal("0.1")):
        raise ValueError(
            _("A score has at most one decimal: %(value)s.") % {"value": raw}
        )
    return score.quantize(Decimal("0.1"))


class XlsxUploadForm(forms.Form):
    """An Excel file (.xlsx) no larger than `max_bytes`, with one submit button."""

    file = forms.FileField(label=_("Excel file (.xlsx)"), widget=FileChooser)
    submit_label = _("Upload and check")

    def __init__(self, *args, max_bytes, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        # .xls too, so that an old workbook can be chosen and told why it is
        # refused, rather than be missing from the chooser.
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.xls"
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
        help_text=_("Rows of the list that name no unit are given this one."),
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


# Learner feedback ----------------------------------------------------------------


class FeedbackForm(forms.Form):
    """The public form: each question's four criteria on the three-box scale."""

    comment = forms.CharField(
        label=_("Other comments and suggestions"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # Hidden from people by the style sheet; a script that fills every field
    # fills it too.
    website = forms.CharField(required=False, label="")

    def __init__(self, *args, questions, **kwargs):
        from enrollment.services.feedback import CRITERIA, CRITERION_LABELS, field_name

        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            question.fields = []
            for criterion in CRITERIA:
                name = field_name(question, criterion)
                self.fields[name] = forms.TypedChoiceField(
                    label=CRITERION_LABELS[criterion],
                    choices=Rating.choices,
                    coerce=int,
                    required=False,
                    widget=forms.RadioSelect,
                )
                question.fields.append(self[name])

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("The form could not be sent."))
        if not data.get("comment") and not any(
            data.get(name) for name in self.fields if name.startswith("q")
        ):
            raise forms.ValidationError(
                _("Choose an answer for at least one question.")
            )
        return data

    def rows(self) -> dict[str, dict[str, int | None]]:
        """The answers by question key and criterion, for the feedback services."""
        from enrollment.services.feedback import CRITERIA, field_name

        return {
            question.key: {
                c: self.cleaned_data.get(field_name(question, c)) or None
                for c in CRITERIA
            }
            for question in self.questions
        }


class PaperRowForm(forms.Form):
    """One paper form in the grid: a digit per box (1, 2, 3) and its comment."""

    # A form already typed; its comment stays when a staff member saves.
    id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    comment = forms.CharField(max_length=2000, required=False)

    def __init__(self, *args, questions, **kwargs):
        from enrollment.services.feedback import CRITERIA, field_name

        super().__init__(*args, **kwargs)
        self.questions = questions
        self.cells = []
        for question in questions:
            for criterion in CRITERIA:
                name = field_name(question, criterion)
                self.fields[name] = forms.TypedChoiceField(
                    choices=[("", "")] + [(str(v), str(v)) for v in Rating.values],
                    coerce=int,
                    empty_value=None,
                    required=False,
                    widget=forms.TextInput(
                        attrs={
                            "maxlength": 1,
                            "inputmode": "numeric",
                            "autocomplete": "off",
                            "class": "cell",
                        }
                    ),
                    error_messages={
                        "invalid_choice": _("Type 1, 2 or 3, or leave it empty.")
                    },
                )
                self.cells.append(self[name])

    def is_blank(self) -> bool:
        return not any(
            value not in (None, "")
            for name, value in self.cleaned_data.items()
            if name != "id"
        )

    def rows(self) -> dict[str, dict[str, int | None]]:
        from enrollment.services.feedback import CRITERIA, field_name

        return {
            question.key: {
                c: self.cleaned_data.get(field_name(question, c)) for c in CRITERIA
            }
            for question in self.questions
        }


class BasePaperFormSet(forms.BaseFormSet):
    def __init__(self, *args, questions, **kwargs):
        self.questions = questions
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"questions": self.questions}

    @property
    def empty_form(self):
        return self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            questions=self.questions,
            renderer=self.renderer,
        )


PaperFormSet = forms.formset_factory(
    PaperRowForm, formset=BasePaperFormSet, extra=0, max_num=1000, absolute_max=1000
)


class FormsGivenForm(forms.Form):
    forms_given = forms.IntegerField(
        label=_("Forms given out"),
        min_value=0,
        max_value=10000,
        required=False,
        help_text=_("Left empty: one per trainee of the class."),
    )


class SubjectRequestForm(forms.ModelForm):
    """A request about a person's data as it arrives, and later how it ended.
    The deadlines follow from the kind and the day it came; the director may
    extend once, by at most 15 days, and says why in the notes."""

    class Meta:
        model = SubjectRequest
        fields = [
            "kind",
            "received_on",
            "subject_name",
            "requester",
            "details",
            "answered_on",
            "extended_to",
            "closed_on",
            "outcome",
            "outcome_note",
        ]
        widgets = {
            name: DATE_WIDGET
            for name in ("received_on", "answered_on", "extended_to", "closed_on")
        }

    def __init__(self, *args, center, trainee=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.center = center
        self.trainee = trainee = trainee or self.instance.trainee
        if trainee is not None:
            del self.fields["subject_name"]
        else:
            self.fields["subject_name"].required = True
        if not self.instance.pk:
            self.fields["received_on"].initial = timezone.localdate()
            for name in ("answered_on", "extended_to", "closed_on", "outcome"):
                del self.fields[name]
            del self.fields["outcome_note"]
        elif self.instance.answered_on or self.instance.closed_on:
            # Its dates follow from these two: once answered they stay.
            for name in ("kind", "received_on"):
                self.fields[name].disabled = True
        self.fields["details"].widget.attrs["rows"] = 3
        if "outcome_note" in self.fields:
            self.fields["outcome_note"].widget.attrs["rows"] = 3
        self.helper = FormHelper()
        if self.instance.closed_on:  # done: the register keeps it as it is
            for field in self.fields.values():
                field.disabled = True
        else:
            self.helper.add_input(Submit("save", _("Save")))

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        received = data.get("received_on")
        answered, closed = data.get("answered_on"), data.get("closed_on")
        if answered and closed and answered > closed:
            self.add_error(
                "answered_on", _("The reply comes before the request is done.")
            )
        for name in ("received_on", "answered_on", "closed_on"):
            day = data.get(name)
            if day and day > today:
                self.add_error(name, _("This day has not come yet."))
            elif day and received and day < received:
                self.add_error(name, _("This is before the request was received."))
        if received and data.get("kind"):
            _answer_by, due = SubjectRequest.deadlines(data["kind"], received)
            extended = data.get("extended_to")
            last = due + datetime.timedelta(days=MAX_EXTENSION_DAYS)
            granted = self.instance.extended_to
            if extended and extended != granted and today > due:
                # An extension is decided in time, not written in afterwards.
                self.add_error(
                    "extended_to",
                    _("The request was due on %(due)s: it can no longer be extended.")
                    % {"due": f"{due:%d/%m/%Y}"},
                )
            elif extended and not due < extended <= last:
                self.add_error(
                    "extended_to",
                    _(
                        "An extension runs from %(due)s to at most %(last)s "
                        "(15 days, once)."
                    )
                    % {"due": f"{due:%d/%m/%Y}", "last": f"{last:%d/%m/%Y}"},
                )
        if data.get("closed_on") and not data.get("outcome"):
            self.add_error("outcome", _("Say how the request ended."))
        if (
            data.get("outcome")
            and not data.get("closed_on")
            and "closed_on" not in self.errors  # already told what is wrong
        ):
            self.add_error("closed_on", _("Give the day the request was done."))
        if (
            data.get("outcome") in ("refused", "partly")
            and not data.get("outcome_note", "").strip()
        ):
            self.add_error(
                "outcome_note", _("Write the reason: the person is told why.")
            )
        return data

    def save(self, commit=True):
        # The centre and the person come from the URL, never from the form.
        request = self.instance
        if not request.pk:
            request.center = self.center
            request.trainee = self.trainee
        request.answer_by, request.due_on = SubjectRequest.deadlines(
            request.kind, request.received_on
        )
        today = timezone.localdate()
        if "answered_on" in self.changed_data:
            request.answered_recorded_on = request.answered_on and today
        if "closed_on" in self.changed_data:
            request.closed_recorded_on = request.closed_on and today
        return super().save(commit=commit)
