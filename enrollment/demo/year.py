"""A realistic demo year for the demo centre, built through the real services.

Deterministic (a fixed seed), so every `make run` shows the same year.
Names follow the frequency of Vietnamese family names (Nguyễn about 38%,
Trần 11%, Lê 9.5%, …), with both genders and some K'Ho, Mạ and Chu Ru names
as in Lâm Đồng.
"""

import datetime
import math
import random
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from courses.models import (
    AnnualPlan,
    ClassSession,
    ClassType,
    CoOrganizer,
    Lecturer,
    LecturerActivity,
    TrainingClass,
)
from enrollment.models import Enrollment, Trainee
from enrollment.services import (
    historic_classes,
    roster as roster_service,
    summaries,
    trainees as trainees_service,
)
from trainingcenter.models import Center, Membership, Organization

FAMILY_NAMES = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 4),
    ("Huỳnh", 1.5), ("Phan", 4.5), ("Vũ", 2.5), ("Võ", 1.5), ("Đặng", 2.1),
    ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5),
    ("Đinh", 0.6), ("Trương", 0.6),
]  # fmt: skip
MIDDLE = {
    "male": [("Văn", 40), ("Đức", 10), ("Minh", 10), ("Quang", 8), ("Hữu", 8),
             ("Công", 6), ("Thanh", 6), ("Xuân", 4), ("Ngọc", 4), ("Đình", 4)],
    "female": [("Thị", 50), ("Ngọc", 10), ("Thu", 8), ("Thanh", 8), ("Kim", 6),
               ("Minh", 6), ("Thị Thu", 4), ("Hồng", 4), ("Thùy", 4)],
}  # fmt: skip
GIVEN = {
    "male": ["Anh", "Minh", "Hùng", "Dũng", "Tuấn", "Nam", "Hải", "Long", "Sơn", "Đức",
             "Quân", "Thắng", "Hoàng", "Phúc", "Bình", "Cường", "Khoa", "Trung", "Việt",
             "Toàn", "Hiếu", "Lâm", "Tài", "Ân", "Định"],
    "female": ["Hoa", "Lan", "Hương", "Hằng", "Linh", "Trang", "Thảo", "Ngọc",
               "Mai", "Hà", "Thủy", "Nhung", "Hòa", "Yến", "Vân", "Ánh", "Oanh",
               "Diệp", "Uyên", "Đào", "Quyên", "Loan", "Nga", "Hạnh", "Liên"],
}  # fmt: skip
# (family, given names by gender, ethnicity): K'Ho men carry "K'", women "Ka".
MINORITY = [
    ("Cil", {"male": ["K' Brông", "K' Điệp"], "female": ["Ka Hồng", "Ka Thu"]}, "K'Ho"),
    ("Liêng", {"male": ["Ha Tiến"], "female": ["Ha Thủy", "Ka Siêng"]}, "K'Ho"),
    ("Điểu", {"male": ["K' Lơi"], "female": ["Thị Mai"]}, "Mạ"),
    ("Touneh", {"male": ["Ya Ngân"], "female": ["Ma Hiền"]}, "Chu Ru"),
]

# programme code, classes in the year, trainees per class (low, high)
PLAN = [
    ("nhan-thuc-ve-dang", 6, (70, 110)),
    ("dang-vien-moi", 5, (50, 90)),
    ("bi-thu-chi-bo", 2, (90, 130)),
    ("nghiep-vu-cong-tac-dang", 3, (40, 70)),
    ("cap-nhat-kien-thuc", 2, (60, 90)),
    ("lich-su-dang-bo", 1, (80, 120)),
    ("quoc-phong-an-ninh", 3, (50, 70)),
    ("chinh-tri-he", 2, (150, 220)),
    ("mat-tran-doan-the", 4, (50, 80)),
    ("so-cap-llct", 1, (40, 50)),
    ("hoc-tap-nghi-quyet", 1, (120, 160)),
]


def _weighted(rng: random.Random, pairs):
    names, weights = zip(*pairs, strict=True)
    return rng.choices(names, weights=weights)[0]


def _person(rng: random.Random) -> tuple[str, str, str]:
    gender = rng.choice(["male", "female"])
    if rng.random() < 0.06:
        family, given, ethnicity = rng.choice(MINORITY)
        return f"{family} {rng.choice(given[gender])}", gender, ethnicity
    name = " ".join(
        [
            _weighted(rng, FAMILY_NAMES),
            _weighted(rng, MIDDLE[gender]),
            rng.choice(GIVEN[gender]),
        ]
    )
    return name, gender, "Kinh"


def build_year(center: Center, *, year: int, today: datetime.date, by) -> int:
    """Create the centre's classes of `year` with rosters, sessions and results.

    Returns the number of enrolments made. Does nothing if the centre already
    has classes in that year (so seed_demo stays idempotent).
    """
    if TrainingClass.objects.filter(center=center, start_date__year=year).exists():
        return 0
    rng = random.Random(year)
    units = list(
        Organization.objects.units_of(center)
        .exclude(level="province")
        .filter(valid_to__isnull=True)
        .order_by("code")
    )
    lecturers = list(Lecturer.objects.filter(center=center))
    membership = Membership(role=Membership.Role.DIRECTOR)
    people = []
    for _ in range(2300):
        name, gender, ethnicity = _person(rng)
        birth = datetime.date(
            rng.randint(1966, 2005), rng.randint(1, 12), rng.randint(1, 28)
        )
        people.append(
            Trainee(
                center=center,
                full_name=name,
                gender=gender,
                ethnicity=ethnicity,
                birth_date=birth,
                unit=rng.choice(units),
                position=rng.choice(
                    [
                        "Chuyên viên",
                        "Giáo viên",
                        "Bí thư chi bộ",
                        "Đoàn viên",
                        "Hội viên",
                        "Cán bộ",
                        "",
                    ]
                ),
            )
        )
    for person in people:
        roll = rng.random()
        if roll < 0.25:
            person.party_status = Trainee.PartyStatus.PROBATIONARY
            person.admission_date = datetime.date(year - 1, rng.randint(6, 12), 1)
        elif roll < 0.6:
            person.party_status = Trainee.PartyStatus.FULL
            person.admission_date = datetime.date(rng.randint(1990, year - 2), 3, 2)
        person.save()
    pools = {
        "dang-vien-moi": [p for p in people if p.party_status == "probationary"],
        "nhan-thuc-ve-dang": [p for p in people if p.party_status == "non_member"],
    }
    enrolments = 0
    starts = sorted(
        datetime.date(year, 1, 5) + datetime.timedelta(days=rng.randint(0, 350))
        for _ in range(sum(count for _, count, _ in PLAN))
    )
    plan = [(code, size) for code, count, size in PLAN for _ in range(count)]
    rng.shuffle(plan)
    per_programme: dict[str, int] = {}
    for (code, size), start in zip(plan, starts, strict=True):
        programme = ClassType.objects.get(code=code)
        per_programme[code] = per_programme.get(code, 0) + 1
        if code == "chinh-tri-he":  # the teachers' summer course is held in July
            start = datetime.date(year, 7, 1 + 7 * per_programme[code])
        days = max(1, (programme.sessions or 4) // 2)
        start = start + datetime.timedelta(days=(7 - start.weekday()) % 7)  # a Monday
        end = start + datetime.timedelta(days=days - 1)
        training_class = TrainingClass.objects.create(
            center=center,
            class_type=programme,
            start_date=start,
            end_date=end,
            intake_label=f"khóa {per_programme[code]}",
            sequence=per_programme[code],
            venue=rng.choice(
                [
                    "Hội trường Trung tâm Chính trị Đà Lạt",
                    "Hội trường Đảng ủy phường Cam Ly – Đà Lạt",
                ]
            ),
            capacity=size[1],
            periods=programme.periods,
            sessions=programme.sessions,
            assessment=programme.assessment,
            award=programme.award,
            counted_in_plan=code != "chinh-tri-he",
        )
        pool = pools.get(code, people)
        trainees = rng.sample(pool, min(len(pool), rng.randint(*size)))
        trainees_service.enroll_trainees(
            training_class, trainees=trainees, by=by, membership=membership
        )
        enrolments += len(trainees)
        _run_class(rng, training_class, days, lecturers, today, by)
    _issue_certificates(center, year, by)
    return enrolments


def _issue_certificates(center: Center, year: int, by) -> None:
    """Certificates for the two most recently closed classes that give one."""
    from enrollment.services.certificates import issue_certificates

    closed = TrainingClass.objects.filter(
        center=center, start_date__year=year, status="closed", award="certificate"
    ).order_by("-end_date")[:2]
    for training_class in closed:
        issue_certificates(
            training_class,
            issued_on=min(
                training_class.end_date + datetime.timedelta(days=3),
                timezone.localdate(),
            ),
            signer_title=center.director_title,
            signer_name=center.director_name,
            by=by,
        )


def _run_class(rng, training_class, days, lecturers, today, by):
    """Sessions for every half-day, and attendance and results once taught."""
    if training_class.start_date > today:
        roster_service.change_class_status(training_class, to="open", by=by)
        return
    sessions = []
    for day in range(days):
        for part in (ClassSession.Part.MORNING, ClassSession.Part.AFTERNOON):
            sessions.append(
                ClassSession.objects.create(
                    training_class=training_class,
                    date=training_class.start_date + datetime.timedelta(days=day),
                    part=part,
                    topic=f"Chuyên đề {len(sessions) + 1}",
                    lecturer=rng.choice(lecturers) if lecturers else None,
                    periods=5,
                )
            )
    roster = list(training_class.enrollments.all())
    for class_session in sessions:
        if class_session.date > today:
            continue
        roster_service.record_attendance(
            class_session,
            present=[e.pk for e in roster if rng.random() > 0.04],
            by=by,
        )
    for status in ("open", "in_progress"):
        roster_service.change_class_status(training_class, to=status, by=by)
    if training_class.end_date >= today:
        return
    graded = training_class.assessment != "none"
    rows = {
        e.pk: roster_service.ResultRow(
            e.pk,
            Decimal(str(round(min(10, max(3, rng.gauss(7.6, 1.1))), 1)))
            if graded
            else None,
            "",
        )
        for e in roster
    }
    training_class.refresh_from_db()
    roster_service.record_results(
        training_class, rows=rows, version=training_class.version, by=by
    )
    if not Enrollment.objects.filter(
        training_class=training_class, status="enrolled"
    ).exists():
        roster_service.change_class_status(training_class, to="closed", by=by)


# Co-organised classes and classes at a cluster of communes (DOMAIN.md §2), so
# the report's columns for them have something to count. Partners are looked
# up by organization code (enrollment/management/commands/seed_demo.py); a
# class is named by programme and intake within its year. Before the 2025
# merger the city's bodies were the partners, after it the wards'.
PARTNERS = {
    # (programme, intake): (partner before, partner from 1 July 2025)
    ("nhan-thuc-ve-dang", "khóa 1"): ("LD-DALAT-DTN", "LD-XH-DTN"),
    ("quoc-phong-an-ninh", "khóa 1"): ("LD-DALAT-BCHQS", "LD-CL-BCHQS"),
    ("chinh-tri-he", "khóa 1"): ("LD-DALAT-GDDT", "LD-XH-VHXH"),
    ("chinh-tri-he", "khóa 2"): ("LD-DALAT-GDDT", "LD-XH-VHXH"),
}
MERGER = datetime.date(2025, 7, 1)
CLUSTERS = [("mat-tran-doan-the", "khóa 2"), ("nhan-thuc-ve-dang", "khóa 5")]
CLUSTER_VENUE = "Hội trường Ủy ban nhân dân phường Cam Ly – Đà Lạt (cụm phường)"


def add_partners_and_clusters(center: Center, *, year: int) -> None:
    """Partners of the year's classes, and the year's cluster classes.

    Idempotent: a partner already recorded and a venue already set stay.
    """
    classes = {
        (c.class_type.code, c.intake_label): c
        for c in TrainingClass.objects.filter(
            center=center, start_date__year=year
        ).select_related("class_type")
    }
    partners = {o.code: o for o in Organization.objects.filter(code__startswith="LD")}
    for key, (before, after) in PARTNERS.items():
        training_class = classes.get(key)
        partner = training_class and partners.get(
            before if training_class.start_date < MERGER else after
        )
        if partner:
            CoOrganizer.objects.get_or_create(
                training_class=training_class,
                organization=partner,
                defaults={"role": CoOrganizer.Role.PARTNER},
            )
    communes = list(center.communes.all())
    for key in CLUSTERS:
        training_class = classes.get(key)
        if training_class is None or training_class.start_date < MERGER:
            continue
        if training_class.venue != CLUSTER_VENUE:
            training_class.venue = CLUSTER_VENUE
            training_class.save()
        training_class.venue_communes.add(*communes)


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


def build_history(center: Center, *, years) -> int:
    """Past years with declared counts only, as a centre enters them from the
    template of enrollment/history.py: closed classes, no roster.

    A few classes fewer each year back, so the report's chart by year has a
    trend. Skips a year that already has classes; returns the classes made.
    """
    programmes = {c.code: c for c in ClassType.objects.all()}
    years = sorted(years)
    made = 0
    for year in years:
        if TrainingClass.objects.filter(center=center, start_date__year=year).exists():
            continue
        rows = _past_year(
            year, fewer=(years[-1] + 1 - year) // 2, programmes=programmes
        )
        # One recount of the year's classes instead of one per class saved.
        with summaries.batched():
            made += len(historic_classes.import_classes(center, rows))
            add_partners_and_clusters(center, year=year)
    return made


def _past_year(
    year: int, *, fewer: int, programmes
) -> list[historic_classes.HistoryRow]:
    """The rows of a past year's class list: about `fewer` classes fewer per
    programme than the demo year, intakes numbered in the order they open."""
    rng = random.Random(f"history-{year}")
    rows = []
    for code, count, (low, high) in PLAN:
        programme = programmes[code]
        held = max(0, count - fewer + rng.choice([-1, 0, 0, 1]))
        if code == "chinh-tri-he":  # the teachers' summer course, in July
            starts = [datetime.date(year, 7, 8 + 7 * n) for n in range(held)]
        else:
            starts = sorted(
                datetime.date(year, 1, 8) + datetime.timedelta(days=rng.randint(0, 330))
                for _ in range(held)
            )
        for number, start in enumerate(starts, start=1):
            start += datetime.timedelta(days=(7 - start.weekday()) % 7)  # a Monday
            days = max(1, (programme.sessions or 4) // 2)
            enrolled = rng.randint(low, high)
            completed = enrolled - rng.randint(0, max(1, enrolled // 25))
            values = {
                "programme": programme,
                "start_date": start,
                "end_date": start + datetime.timedelta(days=days - 1),
                "intake_label": f"khóa {number}",
                "venue": "Hội trường Trung tâm Chính trị Đà Lạt"
                if start >= MERGER
                else "Hội trường Trung tâm Chính trị thành phố Đà Lạt",
                "counted_in_plan": code != "chinh-tri-he",
                "enrolled": enrolled,
                "completed": completed,
                "certified": None if programme.award == "none" else completed,
            }
            rows.append(historic_classes.HistoryRow(len(rows) + 1, values))
    return rows


def build_plans(center: Center, *, years) -> int:
    """The annual plan of each year, near what was done: some programmes above
    their target, some below (DOMAIN.md §3: "đạt 105% kế hoạch").

    Only classes counted in the plan set it. A plan already there is kept
    (the director may have changed it on the plans page); returns how many
    plan rows were made.
    """
    made = 0
    for year in years:
        rng = random.Random(f"plan-{year}")
        done = (
            TrainingClass.objects.filter(
                center=center, start_date__year=year, counted_in_plan=True
            )
            .order_by("class_type__order", "class_type__code")
            .values("class_type")
            .annotate(classes=Count("pk"), trainees=Sum("summary__enrolled"))
        )
        for number, row in enumerate(done):
            # Every other programme misses its target a little, the rest beat it.
            short = number % 2 == 0
            ratio = rng.uniform(1.03, 1.15) if short else rng.uniform(0.85, 0.97)
            classes = row["classes"]
            if short and rng.random() < 0.4:
                classes += 1
            elif not short and classes > 1 and rng.random() < 0.4:
                classes -= 1
            _plan, created = AnnualPlan.objects.get_or_create(
                center=center,
                year=year,
                class_type_id=row["class_type"],
                defaults={
                    "target_classes": classes,
                    "target_trainees": _round_ten(
                        (row["trainees"] or 0) * ratio, up=short
                    ),
                },
            )
            made += created
    return made


def _round_ten(number: float, *, up: bool) -> int:
    """Targets are round numbers: up or down to the next ten (at least ten)."""
    tens = math.ceil(number / 10) if up else math.floor(number / 10)
    return max(10, tens * 10)


# Learner feedback (issue 8): the year's finished classes were surveyed; most
# trainees answered on their phones, some on paper.
COMMENTS = [
    "Nội dung bài giảng sát thực tế cơ sở, dễ hiểu.",
    "Đề nghị tăng thời gian thảo luận, trao đổi.",
    "Giảng viên nhiệt tình, có nhiều ví dụ minh họa.",
    "Tài liệu nên phát trước để học viên nghiên cứu.",
    "Nên tổ chức thêm buổi đi thực tế.",
]


def build_feedback(center: Center, *, year: int, today: datetime.date) -> int:
    """Surveys with answers for the year's classes that have ended.

    Returns the number of forms made; does nothing for a class already
    surveyed (so seed_demo stays idempotent).
    """
    from enrollment.models import (
        FeedbackAnswer,
        FeedbackCode,
        FeedbackResponse,
        Rating,
    )
    from enrollment.services import feedback

    rng = random.Random(year * 7)
    made = 0
    classes = (
        TrainingClass.objects.filter(
            center=center, start_date__year=year, end_date__lt=today
        )
        .exclude(survey__isnull=False)
        .order_by("start_date", "pk")
    )
    for training_class in classes:
        survey = feedback.open_survey(training_class)
        codes = feedback.issue_codes(survey)
        questions = feedback.questions(training_class)
        # Some lecturers are liked a little more than others.
        bias = {q.key: rng.uniform(-0.15, 0.1) for q in questions}
        answered = [c for c in codes if rng.random() < 0.62]
        paper = int(len(codes) * 0.25)

        def ratings(key, bias=bias):
            very = 0.55 + bias[key]
            return {
                c: None
                if rng.random() < 0.03
                else _weighted(
                    rng,
                    [
                        (Rating.VERY_SATISFIED, very),
                        (Rating.SATISFIED, 0.95 - very),
                        (Rating.NOT_SATISFIED, 0.05),
                    ],
                )
                for c in feedback.CRITERIA
            }

        forms = [
            (
                FeedbackResponse.Channel.ONLINE
                if i < len(answered)
                else FeedbackResponse.Channel.PAPER,
                rng.choice(COMMENTS) if rng.random() < 0.12 else "",
            )
            for i in range(len(answered) + paper)
        ]
        responses = FeedbackResponse.objects.bulk_create(
            FeedbackResponse(survey=survey, channel=channel, comment=comment)
            for channel, comment in forms
        )
        FeedbackAnswer.objects.bulk_create(
            FeedbackAnswer(
                response=response,
                lecturer_id=int(q.key) or None,
                **ratings(q.key),
            )
            for response in responses
            for q in questions
        )
        FeedbackCode.objects.filter(pk__in=[c.pk for c in answered]).update(used=True)
        feedback.recount(survey)
        made += len(responses)
    return made
