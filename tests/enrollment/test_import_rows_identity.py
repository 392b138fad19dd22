"""Names and identity in an imported list: invisible characters, the Excel
apostrophe, one person written two ways, a birth year alone, one citizen ID
under two names. Nothing is written when the list is refused."""

import datetime
import io
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from enrollment.models import Enrollment, Trainee
from enrollment.services import imports
from tests.conftest import table_snapshot
from tests.enrollment.excel import person, workbook
from tests.enrollment.trainee_lists import batch_for, confirm, parse
from tests.factories import make_class, make_trainee
from trainingcenter.models import Membership

# The import is asked once; the tests answer yes.
CONFIRMED = {"confirmed": "1"}


@pytest.fixture
def klass(site_a):
    with scope(center=site_a.center):
        yield make_class(site_a.center)


@pytest.mark.parametrize(
    "written, name",
    [
        ("Nguyễn Văn\u200b An", "Nguyễn Văn An"),  # zero-width space
        ("Trần\u00a0Thị Bình", "Trần Thị Bình"),  # no-break space
        ("Lê\u2009Văn\u202fCường", "Lê Văn Cường"),  # thin spaces
        ("Đỗ Thị Ma\u00adi", "Đỗ Thị Mai"),  # soft hyphen
        ("\ufeffVũ Văn Dũng", "Vũ Văn Dũng"),  # byte order mark
        ("Hoàng\u200d Thị\u2060 Em", "Hoàng Thị Em"),  # joiners
    ],
)
def test_invisible_characters_are_removed_before_the_name_is_read(
    site_a, klass, written, name
):
    content = workbook([person(1, written)])
    (row,) = parse(content, klass).rows
    assert (row.errors, row.values["full_name"]) == ([], name)
    confirm(site_a, klass, content)
    assert Trainee.objects.get().full_name == name


def test_an_error_never_shows_an_invisible_character(klass):
    with translation.override("vi"):
        (row,) = parse(workbook([person(1, "Nguyễn Văn A\u0301\u0301")]), klass).rows
    ((column, message),) = row.errors
    assert column == "Họ và tên" and "U+0301" in message
    assert "\u0301" not in message


def test_a_leading_apostrophe_is_removed_with_a_warning(site_a, klass):
    content = workbook(
        [
            person(1, "'Nguyễn Văn Dậu", citizen_id="'001095000123"),
            person(2, "H'Hen Niê", "'12/05/1987"),  # an apostrophe inside stays
        ]
    )
    with translation.override("vi"):
        dau, hen = parse(content, klass).rows
    assert (dau.errors, dau.values["full_name"]) == ([], "Nguyễn Văn Dậu")
    assert dau.values["citizen_id"] == "001095000123"
    assert "Đã bỏ dấu nháy (') ở đầu họ tên." in dau.notes
    assert (hen.errors, hen.values["full_name"]) == ([], "H'Hen Niê")
    assert not any("dấu nháy" in note for note in hen.notes)
    assert hen.notes == ["Để trống: Số CCCD; giấy tờ của lớp sẽ in ô trống."]
    assert hen.values["birth_date"] == datetime.date(1987, 5, 12)
    confirm(site_a, klass, content)
    assert set(Trainee.objects.values_list("full_name", flat=True)) == {
        "Nguyễn Văn Dậu",
        "H'Hen Niê",
    }


@pytest.mark.parametrize(
    "second",
    [
        unicodedata.normalize("NFD", "Nguyễn Thị Hòa"),  # decomposed
        "Nguyễn Thị Hoà",  # the tone mark on the other vowel
        "NGUYỄN  THỊ  HÒA",  # capitals, double spaces
        unicodedata.normalize("NFD", " nguyễn thị hoà "),
    ],
)
def test_one_person_written_two_ways_is_one_person(site_a, klass, second):
    content = workbook(
        [
            person(1, "Nguyễn Thị Hòa", "12/05/1987"),
            person(2, "Trần Văn Bình", "01/01/1990", "Nam"),
            person(3, second, "12/05/1987", citizen_id="001187000111"),
        ]
    )
    with translation.override("vi"):
        parsed = parse(content, klass)
    assert parsed.error_count == 0
    assert [row.number for row in parsed.rows] == [5, 6]
    first = parsed.rows[0]
    assert first.values["citizen_id"] == "001187000111"  # completed from row 7
    assert any("dòng 7" in note and "một lần" in note for note in first.notes)
    (skip,) = [skip for skip in parsed.skipped if skip.number == 7]
    assert str(skip.reason).startswith("Cùng một người với dòng 5")
    result = confirm(site_a, klass, content)
    assert result.created == 2
    assert Trainee.objects.filter(name_key="nguyen thi hoa").count() == 1


def test_two_spellings_that_differ_in_letters_or_cells_are_errors(klass):
    parsed = parse(
        workbook(
            [
                person(1, "Nguyễn Thị Hòa", "12/05/1987"),
                person(2, "Nguyễn Thị Hoa", "12/05/1987"),  # another letter
                person(3, "Lê Văn Tư", "01/01/1990", "Nam"),
                person(4, "Lê Văn Tư", "01/01/1990", "Nữ"),  # another gender
            ]
        ),
        klass,
    )
    assert [row.kind for row in parsed.rows] == ["error"] * 4
    assert "5, 6" in parsed.rows[0].errors[0][1]
    assert parsed.rows[3].errors[0][0] == "Giới tính"


def year_only_list():
    return workbook(
        [
            person(1, "Nguyễn Thị Hòa", "1987"),
            person(2, "Trần Văn Bình", "01/01/1990", "Nam"),
        ]
    )


@pytest.fixture
def hoa(site_a):
    return make_trainee(
        site_a.center, full_name="Nguyễn Thị Hòa", birth_date=datetime.date(1987, 5, 12)
    )


def test_a_birth_year_alone_is_probably_the_registered_person(site_a, klass, hoa):
    with translation.override("vi"):
        parsed = parse(year_only_list(), klass)
    row = parsed.rows[0]
    assert (row.kind, row.match_id) == ("match", hoa.pk)
    assert row.candidates == [(hoa.pk, "Nguyễn Thị Hòa, sinh 12/05/1987", False)]
    assert "Có thể là người đã có" in row.match_how
    assert parsed.rows[1].kind == "new"
    # Another year is another person.
    other = parse(workbook([person(1, "Nguyễn Thị Hòa", "1988")]), klass).rows[0]
    assert (other.kind, other.candidates) == ("new", [])

    result = confirm(site_a, klass, year_only_list())  # no answer: the registered one
    assert (result.created, result.matched) == (1, 1)
    assert Trainee.objects.filter(full_name="Nguyễn Thị Hòa").count() == 1
    assert Enrollment.objects.filter(trainee=hoa, training_class=klass).exists()


def test_a_registered_birth_year_alone_is_probably_the_listed_person(site_a, klass):
    known = make_trainee(
        site_a.center,
        full_name="Nguyễn Thị Hòa",
        birth_date=datetime.date(1987, 1, 1),
        birth_year_only=True,
    )
    (row,) = parse(workbook([person(1, "Nguyễn Thị Hoà", "12/05/1987")]), klass).rows
    assert (row.kind, row.match_id, len(row.candidates)) == ("match", known.pk, 1)


def test_the_user_may_say_a_probable_match_is_a_new_person(site_a, klass, hoa):
    batch = batch_for(site_a, klass, year_only_list())
    result = imports.import_trainee_list(
        batch,
        by=site_a.staff,
        membership=Membership.objects.get(user=site_a.staff),
        choices={"person-5": "new"},
    )
    assert (result.created, result.matched) == (2, 0)
    assert Trainee.objects.filter(full_name="Nguyễn Thị Hòa").count() == 2
    assert not Enrollment.objects.filter(trainee=hoa).exists()


def test_the_preview_asks_about_a_probable_match(site_a, klass, hoa):
    client = Client()
    client.force_login(site_a.staff)
    response = client.post(
        reverse("enrollment:import_upload", args=["trung-tam-a", klass.pk]),
        {"file": io.BytesIO(year_only_list())},
    )
    page = client.get(response["Location"]).text
    assert "Có thể đã có trong danh sách học viên: hãy xác nhận" in page
    assert f'name="person-5" value="{hoa.pk}"' in page
    assert 'form="import-confirm"' in page and 'id="import-confirm"' in page
    client.post(response["Location"] + "confirm/", {"person-5": "new", **CONFIRMED})
    with scopes_disabled():
        assert Trainee.objects.filter(full_name="Nguyễn Thị Hòa").count() == 2


def test_one_citizen_id_under_two_names_is_an_error_on_that_column(site_a, klass):
    rows = [person(i, f"Nguyễn Văn {name}", "01/01/1990", "Nam")
            for i, name in enumerate(["An", "Ba", "Cư", "Du"], start=1)]  # fmt: skip
    rows[1][9] = rows[2][9] = "001090000777"  # Excel rows 6 and 7
    content = workbook(rows)
    with translation.override("vi"):
        parsed = parse(content, klass)
    assert [row.kind for row in parsed.rows] == ["new", "error", "error", "new"]
    for row in parsed.rows[1:3]:
        ((column, message),) = row.errors
        assert column == "Số CCCD"
        assert "001090000777" in message
        assert "6: Nguyễn Văn Ba" in message and "7: Nguyễn Văn Cư" in message
    batch = batch_for(site_a, klass, content)
    before = table_snapshot()
    with pytest.raises(ValidationError):
        imports.import_trainee_list(
            batch,
            by=site_a.staff,
            membership=Membership.objects.get(user=site_a.staff),
        )
    assert table_snapshot() == before


def test_a_column_left_empty_throughout_is_no_news_about_a_row(klass):
    """No one gives a citizen ID: no row is told so; once one does, those
    without one are."""
    people = [person(1, "Nguyễn Văn An"), person(2, "Lê Thị Bình", "01/01/1980")]
    with translation.override("vi"):
        rows = parse(workbook(people), klass).rows
        assert not any("Để trống" in note for row in rows for note in row.notes)
        people[0] = person(1, "Nguyễn Văn An", citizen_id="001095000123")
        _an, binh = parse(workbook(people), klass).rows
    assert "Để trống: Số CCCD; giấy tờ của lớp sẽ in ô trống." in binh.notes
