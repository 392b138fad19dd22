"""The number of people a class asks of each sending unit ("Phân bổ số
lượng triệu tập"): a unit of the centre's province and a number, once per
unit. The summons to a unit asks for its number (courses.models.UnitQuota)."""

from django import forms
from django.utils.translation import gettext as _

from courses.models import TrainingClass, UnitQuota
from trainingcenter.models import Organization


class UnitQuotaForm(forms.ModelForm):
    class Meta:
        model = UnitQuota
        fields = ["organization", "number"]

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        unit, number = self.fields["organization"], self.fields["number"]
        unit.queryset = Organization.objects.units_of(center)
        unit.error_messages["invalid_choice"] = _(
            "Choose a unit of the centre's province."
        )
        whole = _("The number is a whole number from 1 to 999.")
        for code in ("invalid", "min_value", "max_value"):
            number.error_messages[code] = whole
        number.widget.attrs.update(min=1, max=999)


class BaseUnitQuotaFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """A unit appears once: a second line for it is refused, with its name."""
        seen, twice = set(), []
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            data = getattr(form, "cleaned_data", {})
            unit = data.get("organization")
            if unit is None or data.get("DELETE"):
                continue
            if unit.pk in seen and unit.name not in twice:
                twice.append(unit.name)
            seen.add(unit.pk)
        if twice:
            raise forms.ValidationError(
                _("%(units)s is listed twice: give each unit one number.")
                % {"units": ", ".join(twice)},
                code="unit_twice",
            )
        super().clean()


UnitQuotaFormSet = forms.inlineformset_factory(
    TrainingClass,
    UnitQuota,
    form=UnitQuotaForm,
    formset=BaseUnitQuotaFormSet,
    extra=3,
    can_delete=True,
)


def total(training_class) -> int | None:
    """The class's number called, the sum of its units' numbers; None when no
    number is set."""
    numbers = [quota.number for quota in training_class.quotas.all()]
    return sum(numbers) if numbers else None
