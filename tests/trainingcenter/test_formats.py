import datetime

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given, strategies as st

from trainingcenter.templatetags.vn import vn_document_date, vn_number, vn_percent
from trainingcenter.text import search_key


@pytest.mark.parametrize(
    "value, text",
    [
        (168151, "168.151"),
        (0, "0"),
        (999, "999"),
        (1000, "1.000"),
        (1234567, "1.234.567"),
        (2.5, "2,5"),
        (-4200, "-4.200"),
        (None, ""),
    ],
)
def test_vn_number(value, text):
    assert vn_number(value) == text


@pytest.mark.parametrize(
    "value, text",
    [
        (1546 / 1607, "96,2%"),
        (0.99155, "99,2%"),
        (0.00049, "0,0%"),
        (0.00050, "0,1%"),
        (1, "100,0%"),
        (12.5, "1.250,0%"),
        (None, "–"),
    ],
)
def test_vn_percent_rounds_half_up_to_one_decimal(value, text):
    assert vn_percent(value) == text


@pytest.mark.parametrize(
    "day, text",
    [
        (datetime.date(2019, 11, 8), "ngày 08 tháng 11 năm 2019"),
        (datetime.date(2018, 4, 3), "ngày 03 tháng 4 năm 2018"),
        (datetime.date(2018, 2, 20), "ngày 20 tháng 02 năm 2018"),
        (datetime.date(2026, 1, 15), "ngày 15 tháng 01 năm 2026"),
    ],
)
def test_vn_document_date(day, text):
    assert vn_document_date(day) == text


def test_dates_show_as_dd_mm_yyyy_in_vietnamese():
    with translation.override("vi"):
        html = Template("{{ d|date:'SHORT_DATE_FORMAT' }}").render(
            Context({"d": datetime.date(2026, 3, 4)})
        )
    assert html == "04/03/2026"


@pytest.mark.parametrize(
    "text",
    ["Nguyễn Thị Hòa", "Nguyễn Thị Hoà", "  NGUYỄN   THỊ HOÀ ", "nguyen thi hoa"],
)
def test_search_key_ignores_diacritics_case_and_spaces(text):
    import unicodedata

    assert search_key(text) == "nguyen thi hoa"
    assert search_key(unicodedata.normalize("NFD", text)) == "nguyen thi hoa"


def test_search_key_maps_d_with_stroke():
    assert search_key("Đặng Đình Đức") == "dang dinh duc"


@given(
    st.text(
        alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹ ĐÂ\u0301\u0300 \t"
    )
)
def test_search_key_is_idempotent_and_plain_ascii_letters(text):
    key = search_key(text)
    assert search_key(key) == key
    assert all(ch == " " or ch.isascii() for ch in key)
    assert key == key.strip() and "  " not in key


def test_every_date_field_of_every_form_is_typed_dd_mm_yyyy():
    """A form class anywhere in the apps whose date field would fall back to
    the browser's own date input (which follows the browser's language)."""
    import importlib
    import pkgutil

    from django import forms

    from trainingcenter.forms import DateInput

    for app in ("trainingcenter", "courses", "enrollment", "reports"):
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name and "management" not in module.name:
                importlib.import_module(module.name)
    offenders, seen = [], set()
    pending = [forms.BaseForm]
    while pending:
        for form in pending.pop().__subclasses__():
            pending.append(form)
            if form in seen or not form.__module__.startswith(
                ("trainingcenter", "courses", "enrollment", "reports")
            ):
                continue
            seen.add(form)
            for name, field in form.base_fields.items():
                if isinstance(field, forms.DateField) and not isinstance(
                    field.widget, DateInput
                ):
                    offenders.append(f"{form.__module__}.{form.__name__}.{name}")
    assert seen, "no form class found"
    assert not offenders, offenders


def test_a_score_keeps_its_decimal_as_results_are_written():
    from decimal import Decimal

    from trainingcenter.templatetags.vn import vn_score

    assert vn_score(Decimal("9")) == "9,0" and vn_score(Decimal("7.5")) == "7,5"
    assert vn_score(10) == "10,0" and vn_score(None) == ""
