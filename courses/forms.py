from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Lecturer
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
