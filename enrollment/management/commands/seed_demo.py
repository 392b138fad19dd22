"""Make a demo province with one centre and a user per role (idempotent)."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from courses.models import Lecturer
from enrollment.demo.year import (
    add_partners_and_clusters,
    build_feedback,
    build_history,
    build_lecturer_activities,
    build_plans,
    build_year,
)
from enrollment.services import summaries
from trainingcenter.models import Center, Membership, Organization

K = Organization.Kind
L = Organization.Level
MERGER = datetime.date(2025, 7, 1)

# code, name, kind, level, parent code, valid from, valid to
ORGANIZATIONS = [
    ("LD", "Đảng bộ tỉnh Lâm Đồng", K.PARTY_COMMITTEE, L.PROVINCE, None, None, None),
    (
        "LD-DALAT",
        "Đảng bộ thành phố Đà Lạt",
        K.PARTY_COMMITTEE,
        L.DISTRICT,
        "LD",
        None,
        MERGER - datetime.timedelta(days=1),
    ),
    (
        "LD-TTCT-DALAT-CU",
        "Trung tâm Chính trị thành phố Đà Lạt",
        K.TRAINING_CENTER,
        L.DISTRICT,
        "LD-DALAT",
        None,
        MERGER - datetime.timedelta(days=1),
    ),
    # The city's bodies that co-organised the centre's classes until the merger.
    (
        "LD-DALAT-DTN",
        "Thành đoàn Đà Lạt",
        K.MASS_ORGANIZATION,
        L.DISTRICT,
        "LD-DALAT",
        None,
        MERGER - datetime.timedelta(days=1),
    ),
    (
        "LD-DALAT-BCHQS",
        "Ban Chỉ huy Quân sự thành phố Đà Lạt",
        K.MILITARY,
        L.DISTRICT,
        "LD-DALAT",
        None,
        MERGER - datetime.timedelta(days=1),
    ),
    (
        "LD-DALAT-GDDT",
        "Phòng Giáo dục và Đào tạo thành phố Đà Lạt",
        K.GOVERNMENT_OFFICE,
        L.DISTRICT,
        "LD-DALAT",
        None,
        MERGER - datetime.timedelta(days=1),
    ),
    (
        "LD-XH",
        "Đảng bộ phường Xuân Hương – Đà Lạt",
        K.PARTY_COMMITTEE,
        L.COMMUNE,
        "LD",
        MERGER,
        None,
    ),
    (
        "LD-CL",
        "Đảng bộ phường Cam Ly – Đà Lạt",
        K.PARTY_COMMITTEE,
        L.COMMUNE,
        "LD",
        MERGER,
        None,
    ),
    (
        "LD-TTCT-DALAT",
        "Trung tâm Chính trị Đà Lạt",
        K.TRAINING_CENTER,
        L.COMMUNE,
        "LD-XH",
        MERGER,
        None,
    ),
    ("LD-XH-CB1", "Chi bộ Tổ dân phố 1", K.PARTY_CELL, L.CELL, "LD-XH", MERGER, None),
    ("LD-XH-CB2", "Chi bộ Tổ dân phố 2", K.PARTY_CELL, L.CELL, "LD-XH", MERGER, None),
    (
        "LD-XH-CBTH",
        "Chi bộ Trường Tiểu học Đoàn Thị Điểm",
        K.PARTY_CELL,
        L.CELL,
        "LD-XH",
        MERGER,
        None,
    ),
    (
        "LD-XH-UBND",
        "Ủy ban nhân dân phường Xuân Hương – Đà Lạt",
        K.GOVERNMENT_OFFICE,
        L.COMMUNE,
        "LD-XH",
        MERGER,
        None,
    ),
    (
        "LD-XH-MTTQ",
        "Ủy ban Mặt trận Tổ quốc Việt Nam phường Xuân Hương – Đà Lạt",
        K.MASS_ORGANIZATION,
        L.COMMUNE,
        "LD-XH",
        MERGER,
        None,
    ),
    (
        "LD-XH-DTN",
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh phường Xuân Hương – Đà Lạt",
        K.MASS_ORGANIZATION,
        L.COMMUNE,
        "LD-XH",
        MERGER,
        None,
    ),
    (
        "LD-XH-PN",
        "Hội Liên hiệp Phụ nữ phường Xuân Hương – Đà Lạt",
        K.MASS_ORGANIZATION,
        L.COMMUNE,
        "LD-XH",
        MERGER,
        None,
    ),
    (
        "LD-XH-VHXH",
        "Phòng Văn hóa – Xã hội phường Xuân Hương – Đà Lạt",
        K.GOVERNMENT_OFFICE,
        L.COMMUNE,
        "LD-XH",
        MERGER,
        None,
    ),
    ("LD-CL-CB3", "Chi bộ Tổ dân phố 3", K.PARTY_CELL, L.CELL, "LD-CL", MERGER, None),
    (
        "LD-CL-BCHQS",
        "Ban Chỉ huy Quân sự phường Cam Ly – Đà Lạt",
        K.MILITARY,
        L.COMMUNE,
        "LD-CL",
        MERGER,
        None,
    ),
    (
        "LD-CL-CBQS",
        "Chi bộ Quân sự phường Cam Ly – Đà Lạt",
        K.PARTY_CELL,
        L.CELL,
        "LD-CL",
        MERGER,
        None,
    ),
    (
        "LD-CL-UBND",
        "Ủy ban nhân dân phường Cam Ly – Đà Lạt",
        K.GOVERNMENT_OFFICE,
        L.COMMUNE,
        "LD-CL",
        MERGER,
        None,
    ),
    (
        "LD-CL-ND",
        "Hội Nông dân phường Cam Ly – Đà Lạt",
        K.MASS_ORGANIZATION,
        L.COMMUNE,
        "LD-CL",
        MERGER,
        None,
    ),
    (
        "LD-CL-CCB",
        "Hội Cựu chiến binh phường Cam Ly – Đà Lạt",
        K.MASS_ORGANIZATION,
        L.COMMUNE,
        "LD-CL",
        MERGER,
        None,
    ),
    (
        "LD-CL-CD",
        "Công đoàn cơ sở phường Cam Ly – Đà Lạt",
        K.MASS_ORGANIZATION,
        L.COMMUNE,
        "LD-CL",
        MERGER,
        None,
    ),
]

LECTURERS = [
    ("Nguyễn Thị Thu Hà", Lecturer.Kind.FULL_TIME, "Thạc sĩ Triết học; Cao cấp LLCT"),
    ("Trần Văn Đức", Lecturer.Kind.FULL_TIME, "Cử nhân Lịch sử Đảng; Cao cấp LLCT"),
    ("Phạm Ngọc Ánh", Lecturer.Kind.CONCURRENT, "Cử nhân Luật; Trung cấp LLCT"),
    ("Lê Hoàng Long", Lecturer.Kind.CONCURRENT, "Cử nhân Quân sự; Trung cấp LLCT"),
]

USERS = [
    # username, first name, last name, role
    ("director", "Hòa", "Nguyễn Thị", Membership.Role.DIRECTOR),
    ("staff", "Minh", "Trần Văn", Membership.Role.STAFF),
    ("committee", "Dũng", "Lê Quang", Membership.Role.COMMITTEE),
]


class Command(BaseCommand):
    help = (
        "Create (or bring up to date) a demo province, one centre serving two "
        "communes, a dozen units, the programme catalogue, this year's classes, "
        "four earlier years as declared counts, the plans of this year and the "
        "last, and the users admin, director, staff and committee. Refuses to "
        "run with DEBUG off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for every demo user; without it each gets a new random one.",
        )
        parser.add_argument(
            "--without-year",
            action="store_true",
            help="Only the province, centre and users; no classes.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (never on a production database).",
        )

    def handle(self, *args, password=None, force=False, without_year=False, **options):
        skip_year = without_year
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with known roles; it runs only with "
                "DJANGO_DEBUG=1, or with --force on a database you can throw away."
            )
        call_command("loaddata", "class_types", verbosity=0)
        with scopes_disabled(), transaction.atomic():
            center = self._organizations_and_center()
            logins = self._users(center, password)
            for full_name, kind, qualifications in LECTURERS:
                Lecturer.objects.update_or_create(
                    center=center,
                    full_name=full_name,
                    defaults={"kind": kind, "qualifications": qualifications},
                )
            if not skip_year:
                # Each class recounted once at the end, not at every session,
                # enrolment and result the year is built from.
                with summaries.batched():
                    self._year(center)
                # The plans are set near what was done: after the recount.
                today = timezone.localdate()
                build_plans(center, years=[today.year - 1, today.year])
        self.stdout.write(self.style.SUCCESS(f"Demo centre: {center.name}"))
        self.stdout.write("Log in at http://127.0.0.1:8000/ with:")
        for username, secret in logins:
            self.stdout.write(f"  {username:<10} {secret}")

    def _year(self, center: Center) -> None:
        today = timezone.localdate()
        made = build_year(
            center,
            year=today.year,
            today=today,
            by=get_user_model().objects.get(username="staff"),
        )
        if made:
            self.stdout.write(f"Demo year {today.year}: {made} enrolments.")
        add_partners_and_clusters(center, year=today.year)
        build_lecturer_activities(center, year=today.year, today=today)
        forms = build_feedback(center, year=today.year, today=today)
        if forms:
            self.stdout.write(f"Learner feedback: {forms} forms.")
        # Four earlier years entered as counts only, for the report.
        past = build_history(center, years=range(today.year - 4, today.year))
        if past:
            self.stdout.write(f"Earlier years: {past} classes, counts only.")

    def _organizations_and_center(self) -> Center:
        by_code = {}
        for code, name, kind, level, parent, valid_from, valid_to in ORGANIZATIONS:
            by_code[code], _ = Organization.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "kind": kind,
                    "level": level,
                    "parent": by_code.get(parent),
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                },
            )
        # 1 July 2025: the city's committee and centre end; the wards take over.
        by_code["LD-DALAT"].successors.set([by_code["LD-XH"], by_code["LD-CL"]])
        by_code["LD-TTCT-DALAT-CU"].successors.set([by_code["LD-TTCT-DALAT"]])
        center, _ = Center.objects.update_or_create(
            slug="da-lat",
            defaults={
                "name": "Trung tâm Chính trị Đà Lạt",
                "organization": by_code["LD-TTCT-DALAT"],
                "superior_body_line": "ĐẢNG ỦY PHƯỜNG XUÂN HƯƠNG – ĐÀ LẠT",
                "issuing_body_name": "TRUNG TÂM CHÍNH TRỊ",
                "place_name": "Đà Lạt",
                "director_name": "Nguyễn Thị Hòa",
            },
        )
        center.communes.set([by_code["LD-XH"], by_code["LD-CL"]])
        self.committee_organization = by_code["LD-XH"]
        return center

    def _users(self, center: Center, password: str | None) -> list[tuple[str, str]]:
        User = get_user_model()
        logins = []
        admin_secret = password or secrets.token_urlsafe(9)
        admin, _ = User.objects.get_or_create(username="admin")
        admin.is_staff = admin.is_superuser = True
        admin.set_password(admin_secret)
        admin.save()
        logins.append(("admin", admin_secret))
        for username, first, last, role in USERS:
            secret = password or secrets.token_urlsafe(9)
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.set_password(secret)
            user.save()
            if role == Membership.Role.COMMITTEE:
                Membership.objects.get_or_create(
                    user=user, role=role, organization=self.committee_organization
                )
            else:
                Membership.objects.get_or_create(user=user, role=role, center=center)
            logins.append((username, secret))
        return logins
