"""The demo lecturers' year outside the classroom, for Biểu 2.

Writes `LecturerActivity` rows: peer teaching, class observations and the
provincial lecturer contest (a second and a third prize), in one bulk insert;
the rows have no side effects on other tables, so no service is needed.
"""

import datetime

from courses.models import Lecturer, LecturerActivity
from trainingcenter.models import Center

PEER, OBSERVED, CONTEST = LecturerActivity.Kind
MARXISM = (
    "Chủ nghĩa Mác – Lênin, tư tưởng Hồ Chí Minh – nền tảng tư tưởng, "
    "kim chỉ nam cho hành động của Đảng"
)
LOCAL_HISTORY = "Lịch sử Đảng bộ tỉnh Lâm Đồng"
RULE_OF_LAW = "Xây dựng Nhà nước pháp quyền xã hội chủ nghĩa Việt Nam"
DEFENCE = "Tăng cường quốc phòng, an ninh, bảo vệ vững chắc Tổ quốc"
# lecturer, kind, share of the year gone by, topic or contest, prize
ACTIVITIES = [
    ("Nguyễn Thị Thu Hà", PEER, 0.15, MARXISM, ""),
    ("Trần Văn Đức", OBSERVED, 0.15, MARXISM, ""),
    ("Phạm Ngọc Ánh", OBSERVED, 0.15, MARXISM, ""),
    ("Lê Hoàng Long", OBSERVED, 0.3, DEFENCE, ""),
    ("Trần Văn Đức", PEER, 0.45, LOCAL_HISTORY, ""),
    ("Nguyễn Thị Thu Hà", OBSERVED, 0.45, LOCAL_HISTORY, ""),
    ("Phạm Ngọc Ánh", PEER, 0.7, RULE_OF_LAW, ""),
    ("Lê Hoàng Long", OBSERVED, 0.7, RULE_OF_LAW, ""),
    ("Nguyễn Thị Thu Hà", CONTEST, 0.85, "{contest}", LecturerActivity.Award.SECOND),
    ("Trần Văn Đức", CONTEST, 0.85, "{contest}", LecturerActivity.Award.THIRD),
]
CONTEST_NAME = "Hội thi giảng viên lý luận chính trị giỏi cấp tỉnh năm {year}"


def build_lecturer_activities(
    center: Center, *, year: int, today: datetime.date
) -> int:
    """The year's peer teaching, class observations and the provincial
    lecturer contest (a second and a third prize), for Biểu 2.

    The days are spread over the part of the year gone by, so none is in the
    future. Does nothing if the centre's lecturers already have a record that
    year; returns how many were made.
    """
    lecturers = {
        lecturer.full_name: lecturer
        for lecturer in Lecturer.objects.filter(center=center)
    }
    if LecturerActivity.objects.filter(
        lecturer__center=center, date__year=year
    ).exists():
        return 0
    first = datetime.date(year, 1, 1)
    last = min(today, datetime.date(year, 12, 31))
    made = [
        LecturerActivity(
            lecturer=lecturers[name],
            kind=kind,
            date=first + datetime.timedelta(days=round(share * (last - first).days)),
            title=title.format(contest=CONTEST_NAME.format(year=year)),
            award=award,
        )
        for name, kind, share, title, award in ACTIVITIES
        if name in lecturers
    ]
    LecturerActivity.objects.bulk_create(made)
    return len(made)
