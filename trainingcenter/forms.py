from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Wrong username or password. Capital and small letters are different."
        ),
        "inactive": _("This account has been disabled."),
    }


DATE_PLACEHOLDER = "dd/mm/yyyy"
DATE_FORMAT = "%d/%m/%Y"


class DateInput(forms.DateInput):
    """A date typed and shown dd/mm/yyyy, whatever the browser's language.

    A plain text box, not the browser's date input (which follows the
    browser's locale: an English browser shows 12/03/2026 for 3 December).
    static/js/app.js adds the slashes as the digits are typed; the forms read
    it with the Vietnamese input formats (trainingcenter/formats).
    """

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {
            "placeholder": DATE_PLACEHOLDER,
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": "10",
            "class": "js-date",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format=DATE_FORMAT)


class FileChooser(forms.Widget):
    """A file input with a Vietnamese button and the chosen file's name.

    The browser's own button says "Choose File / No file chosen" in the
    browser's language; here the native input is visually hidden behind a
    label that opens it, and static/js/app.js writes the chosen name beside it.
    Not a subclass of FileInput, so that crispy-forms renders it as it is.
    """

    input_type = "file"
    needs_multipart_form = True

    def format_value(self, value):
        return None

    def value_from_datadict(self, data, files, name):
        return files.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in files

    def use_required_attribute(self, initial):
        return super().use_required_attribute(initial) and not initial

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        attrs.pop("class", None)
        input_id = attrs.get("id") or f"id_{name}"
        attrs["id"] = input_id
        extra = flatatt(
            {key: value for key, value in attrs.items() if value not in (False, None)}
        )
        # With an error, "is-invalid" on the wrapper shows the message that
        # follows it (Bootstrap shows .invalid-feedback after .is-invalid).
        invalid = " is-invalid" if attrs.get("aria-invalid") else ""
        return format_html(
            '<div class="file-chooser d-flex flex-wrap align-items-center gap-2{}">'
            '<input type="file" name="{}" class="visually-hidden js-file"{}>'
            '<label for="{}" class="btn btn-outline-secondary mb-0">{}</label>'
            '<span class="js-file-name text-muted" data-none="{}">{}</span></div>',
            invalid,
            name,
            extra,
            input_id,
            _("Choose a file…"),
            _("No file chosen"),
            _("No file chosen"),
        )
