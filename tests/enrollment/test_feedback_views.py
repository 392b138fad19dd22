"""Learner feedback surveys, the staff's side: opening a survey and printing
the slips, the shares per lecturer and class, paper forms typed as a grid,
the report's Biểu 3, and that no page says who answered what."""

import datetime
import io
import re

import openpyxl
import pytest
from django.db import models
from django.urls import reverse
from django_scopes import scopes_disabled
from pypdf import PdfReader

from enrollment.models import (
    Enrollment,
    FeedbackAnswer,
    FeedbackCode,
    FeedbackResponse,
    Survey,
)
from enrollment.services import feedback
from reports import counting
from tests.conftest import table_snapshot
from tests.enrollment.feedback import (
    client_of,
    ended_class,
    fill,
    survey_with_codes,
)


@pytest.fixture
def klass(site_a):
    return ended_class(site_a)


@pytest.fixture
def survey(klass):
    return survey_with_codes(klass)


@pytest.mark.django_db
def test_opening_gives_a_code_to_each_trainee_in_the_class(site_a, klass):
    staff = client_of(site_a.staff)
    response = staff.post(
        reverse("enrollment:feedback_open", args=[site_a.center.slug, klass.pk])
    )
    assert response.status_code == 302
    response = staff.get(
        reverse("enrollment:feedback_slips", args=[site_a.center.slug, klass.pk])
    )
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages
    )
    with scopes_disabled():
        survey = Survey.objects.get(training_class=klass)
        codes = {c.enrollment.trainee.full_name: c.code for c in survey.codes.all()}
    # A code per trainee (none for the one who withdrew); the slips show the
    # codes as ABCD-EFGH and no name at all: they are handed out at random.
    assert sorted(codes) == [
        "Hoàng Văn Em",
        "Lê Văn Cường",
        "Phạm Thị Dung",
        "Vũ Thị Giang",
    ]
    for name in ("Đỗ Văn Hải", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng", "Vũ Thị"):
        assert name not in text
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1
    for code in codes.values():
        assert re.fullmatch(f"[{feedback.ALPHABET}]{{8}}", code)
        # (Letter-spaced on the slip: the extracted text has gaps.)
        assert feedback.shown_code(code) in re.sub(r"\s", "", text)
    assert f"/f/{survey.token}/" in re.sub(r"\s", "", text)
    # Printing again keeps the codes.
    staff.get(reverse("enrollment:feedback_slips", args=[site_a.center.slug, klass.pk]))
    with scopes_disabled():
        assert {
            c.enrollment.trainee.full_name: c.code for c in survey.codes.all()
        } == codes


@pytest.mark.django_db
def test_shares_per_lecturer_and_class(site_a, klass, survey):
    fill(
        survey,
        klass,
        [
            ("1112", "2222", "Bài giảng rất sát thực tế"),
            ("1123", "22--", ""),
            ("2133", "1---", "Nên thêm thời gian thảo luận"),
        ],
    )
    with scopes_disabled():
        survey.refresh_from_db()
        total, lecturers = feedback.class_results(survey)
    an, binh = lecturers
    assert an.label == "Nguyễn Văn An"
    content = an.criteria["content"]
    assert (content.very_satisfied, content.satisfied, content.not_satisfied) == (
        2,
        1,
        0,
    )
    manner = an.criteria["manner"]
    assert (manner.very_satisfied, manner.satisfied, manner.not_satisfied) == (1, 1, 1)
    # Binh's manner was answered on one form only: the share is of answers.
    assert binh.criteria["manner"].answers == 1
    assert float(binh.criteria["content"].very_satisfied_share) == pytest.approx(1 / 3)
    assert (total.given, total.received) == (4, 3)
    assert total.criteria["content"].answers == 6

    page = client_of(site_a.staff).get(
        reverse("enrollment:class_feedback", args=[site_a.center.slug, klass.pk])
    )
    text = page.text
    assert "Đã thu về 3/4 phiếu phát ra (75,0%)" in text
    assert "66,7%" in text and "33,3%" in text
    # Staff see no comment; the director does.
    assert "Bài giảng rất sát thực tế" not in text
    director = client_of(site_a.director).get(
        reverse("enrollment:class_feedback", args=[site_a.center.slug, klass.pk])
    )
    assert "Bài giảng rất sát thực tế" in director.text
    assert "Nên thêm thời gian thảo luận" in director.text

    # The annual report's Biểu 3 sums the same tallies.
    with scopes_disabled():
        report = counting.build_report(
            type(site_a.center).objects.filter(pk=site_a.center.pk),
            counting.Period.year(klass.start_date.year),
            scope_label="x",
            issuer=None,
        )
    table = report.feedback
    (row,) = table.rows
    assert (row.given, row.received) == (4, 3)
    assert row.criteria["content"].very_satisfied == 2 + 1  # An 2, Bình 1
    assert [r.label for r in table.lecturers] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert float(table.lecturers[0].criteria["usefulness"].pleased_share) == (
        pytest.approx(1 / 3)  # usefulness: 2, 3, 3
    )


@pytest.mark.django_db
def test_no_page_or_report_says_who_answered_what(site_a, klass, survey):
    # By construction: an answer keeps no code, no person and no time.
    for model in (FeedbackResponse, FeedbackAnswer):
        for f in model._meta.get_fields():
            assert not isinstance(f, models.DateField | models.DateTimeField)
            if f.is_relation and f.many_to_one:
                assert f.related_model not in (Enrollment, FeedbackCode), f
    assert not any(
        isinstance(f, models.DateField | models.DateTimeField)
        for f in FeedbackCode._meta.get_fields()
    )
    fill(survey, klass, [("1111", "1111", "Ý kiến riêng")])
    slug = site_a.center.slug
    director = client_of(site_a.director)
    pages = [
        director.get(reverse("enrollment:class_feedback", args=[slug, klass.pk])),
        director.get(reverse("enrollment:feedback_paper", args=[slug, klass.pk])),
        director.get(
            reverse("reports:report", args=[slug]), {"year": klass.start_date.year}
        ),
    ]
    year = {"year": klass.start_date.year}
    workbook = director.get(reverse("reports:report_xlsx", args=[slug]), year)
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content))["Biểu 3"]
    pdf = director.get(reverse("reports:report_pdf", args=[slug]), year)
    texts = [page.text for page in pages] + [
        " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row),
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages),
    ]
    assert all(page.status_code == 200 for page in pages)
    assert "Ý kiến riêng" in texts[0]  # the director reads the comment…
    for text in texts:
        for name in survey.issued:
            assert name not in text  # …but nothing says whose it is
        for code in survey.issued.values():
            assert code not in text and feedback.shown_code(code) not in text


@pytest.mark.django_db
def test_paper_forms_typed_as_a_grid(site_a, klass, survey):
    url = reverse("enrollment:feedback_paper", args=[site_a.center.slug, klass.pk])
    staff = client_of(site_a.staff)
    page = staff.get(url)
    assert page.status_code == 200
    assert (
        page.text.count('class="form-control form-control-sm text-center cell')
        == 10 * 8
    )

    def grid(rows, given=""):
        data = {
            "form-TOTAL_FORMS": len(rows),
            "form-INITIAL_FORMS": 0,
            "forms_given": given,
        }
        for i, (first, second, comment) in enumerate(rows):
            data[f"form-{i}-comment"] = comment
            for lecturer, digits in zip(klass.lecturers, (first, second), strict=True):
                for criterion, digit in zip(feedback.CRITERIA, digits, strict=True):
                    data[f"form-{i}-q{lecturer.pk}_{criterion}"] = digit.strip("-")
        return data

    # A 4 is not on the form: refused with the row marked, nothing saved.
    before = table_snapshot()
    refused = staff.post(url, grid([("1114", "1111", "")]))
    assert refused.status_code == 200
    assert "Gõ 1, 2 hoặc 3, hoặc để trống." in refused.text
    assert table_snapshot() == before
    # More forms than given out: refused, nothing saved.
    five = [("1111", "1111", "")] * 5
    refused = staff.post(url, grid(five))
    assert "nhiều hơn 4 phiếu phát ra" in refused.text
    assert table_snapshot() == before

    response = staff.post(
        url, grid([("1111", "2222", "Tốt"), ("----", "----", ""), ("2233", "----", "")])
    )
    assert response.status_code == 302
    with scopes_disabled():
        survey.refresh_from_db()
        assert (survey.received, survey.received_online) == (2, 0)
        total, _ = feedback.class_results(survey)
    assert total.criteria["method"].very_satisfied == 1
    assert total.criteria["manner"].not_satisfied == 1
    # The grid shows the forms again, their comments to the director only.
    again = staff.get(url)
    assert "Tốt" not in again.text and "dành cho Giám đốc" in again.text
    director = client_of(site_a.director)
    assert 'value="Tốt"' in director.get(url).text
    # A staff member corrects a digit of the first form, empties the second
    # (removing it) and says how many forms were given out: the first form's
    # comment, unseen, stays.
    with scopes_disabled():
        first, second = survey.responses.order_by("number")
    data = grid([("1112", "2222", ""), ("----", "----", "")], given="30")
    data |= {"form-0-id": first.pk, "form-1-id": second.pk}
    assert staff.post(url, data).status_code == 302
    with scopes_disabled():
        survey.refresh_from_db()
        assert (survey.received, survey.forms_given) == (1, 30)
        (kept,) = FeedbackResponse.objects.all()
        assert kept.comment == "Tốt"
        assert kept.answers.get(lecturer=klass.lecturers[0]).usefulness == 2


@pytest.mark.django_db
def test_another_centre_cannot_see_or_type_in(site_a, site_b, klass, survey):
    other = client_of(site_b.director)
    before = table_snapshot()
    for name in (
        "class_feedback",
        "feedback_screen",
        "feedback_slips",
        "feedback_paper",
    ):
        url = reverse(f"enrollment:{name}", args=[site_b.center.slug, klass.pk])
        assert other.get(url).status_code == 404
    url = reverse("enrollment:feedback_open", args=[site_b.center.slug, klass.pk])
    assert other.post(url).status_code == 404
    assert table_snapshot() == before


@pytest.mark.django_db
def test_the_roster_prints_the_forms_link(site_a, klass, survey):
    response = client_of(site_a.staff).get(
        reverse("enrollment:roster_pdf", args=[site_a.center.slug, klass.pk])
    )
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages
    )
    assert f"/f/{survey.token}/" in text.replace("\n", "")
    # Once the form has closed, a list printed again sends nobody to it.
    with scopes_disabled():
        klass.start_date = klass.start_date - datetime.timedelta(days=60)
        klass.end_date = klass.end_date - datetime.timedelta(days=60)
        klass.save()
    response = client_of(site_a.staff).get(
        reverse("enrollment:roster_pdf", args=[site_a.center.slug, klass.pk])
    )
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "/f/" not in text.replace("\n", "")
    assert "Lê Văn Cường" in text


@pytest.mark.django_db
def test_the_report_workbook_has_biểu_3(site_a, klass, survey):
    fill(survey, klass, [("1111", "2222", ""), ("2222", "3333", "")])
    response = client_of(site_a.director).get(
        reverse("reports:report_xlsx", args=[site_a.center.slug]),
        {"year": klass.start_date.year},
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Biểu 3"]
    rows = [
        list(row)
        for row in sheet.iter_rows(values_only=True)
        if row and row[0] in (1, "TỔNG CỘNG")
    ]
    first, total, by_lecturer = rows[0], rows[1], rows[2:]
    assert [row[1] for row in by_lecturer] == ["Nguyễn Văn An"]
    assert first[2:4] == [4, 2]  # given out, received
    # Content over both lecturers: form 1 rates An 1 and Bình 2, form 2 rates
    # An 2 and Bình 3: very satisfied 1, satisfied 2, not 1; pleased 3 of 4.
    assert first[4:8] == [1, 2, 1, pytest.approx(0.75)]
    assert total[2:8] == first[2:8]
