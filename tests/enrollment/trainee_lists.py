"""Trainee lists for the import tests: a messy list, people already registered,
and reading, parsing and confirming a workbook."""

import datetime
import time
import unicodedata

from enrollment.importing import parse_list, read_list
from enrollment.models import ImportBatch
from enrollment.services import imports
from tests.enrollment.excel import workbook
from tests.factories import make_organization, make_trainee
from trainingcenter.models import Membership
from trainingcenter.uploads import check_upload, read_first_sheet

MB = 1024 * 1024


def word(number: int) -> str:
    """A distinct name-like word for each number: "Aba", "Abb", …"""
    letters = "abcdeghiklmnopqrstuvxy"
    text = ""
    for _ in range(3):
        number, digit = divmod(number, len(letters))
        text += letters[digit]
    return "A" + text


def read(content, max_rows=5000):
    check_upload(content, max_bytes=5 * MB)
    return read_first_sheet(content, max_rows=max_rows + 10, reported_limit=max_rows)


def parse(content, klass):
    return parse_list(read(content), training_class=klass)


def batch_for(site, klass, content):
    return ImportBatch.objects.create(
        token=f"t{time.monotonic_ns()}",
        center=site.center,
        training_class=klass,
        user=site.staff,
        file_name="ds.xlsx",
        sheet=read_list(content).to_json(),
    )


def confirm(site, klass, content):
    return imports.import_trainee_list(
        batch_for(site, klass, content),
        by=site.staff,
        membership=Membership.objects.get(user=site.staff),
    )


# A list as centres send it: headers in their own order, names in capitals or
# decomposed (NFD), dates typed four ways, a blank row, a totals row.
MESSY_HEADERS = [
    "Ghi chú",
    "Ngày sinh",
    "Họ và tên",
    "Giới tính",
    "Dân tộc",
    "Đơn vị",
    "Chức vụ",
    "Tình trạng đảng viên",
    "Ngày vào Đảng",
    "Số CCCD",
    "STT",
]
NFD_NAME = unicodedata.normalize("NFD", "Trần Thị Ngọc Ánh")
MESSY_ROWS = [
    [None, datetime.datetime(1990, 3, 4), "  NGUYỄN   VĂN   AN ", "Nam", "Kinh",
     "tdp1", None, "Quần chúng", None, None, 1],
    [None, "4/3/85", NFD_NAME, "nữ", "Tày", "chi bo to dan pho  1", None, None,
     None, None, 2],
    [None] * 11,
    [None, "1979", "lê văn bình", "Nam", None, None, None, "Đảng viên dự bị",
     "01/06/2026", 12345678901, 3],
    [None, "04.03.2001", "Phạm Thị Hoa", "Nữ", None, None, None, None, None,
     "001301012345", 4],
    [None, None, "Tổng cộng: 4 người", None],
]  # fmt: skip


def messy_list(site):
    """The messy list, and the unit its first two rows name by code and by name."""
    unit = make_organization(
        parent=site.center.organization.parent,
        name="Chi bộ Tổ dân phố 1",
        code="TDP1",
    )
    return workbook(MESSY_ROWS, headers=MESSY_HEADERS), unit


def registered_people(site):
    """Two people already in the registry: (found by name and birth, by citizen ID)."""
    known = make_trainee(
        site.center, full_name="Nguyễn Thị Hòa", birth_date=datetime.date(1995, 5, 17)
    )
    by_id = make_trainee(
        site.center,
        full_name="Lê Văn Tám",
        citizen_id="001095000001",
        birth_date=datetime.date(1980, 1, 1),
    )
    return known, by_id
