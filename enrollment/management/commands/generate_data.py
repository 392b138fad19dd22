"""Fill the database with a generated year of work, for benchmarks and trials.

`manage.py generate_data --scale centre|province|nation --year 2026` makes one
centre (about 110 classes, 6.000 enrolments), one province (22 centres, about
2.400 classes, 130.000 enrolments) or the whole country (700 centres under 34
provinces, about 76.000 classes, 4,2 million enrolments, 3 million persons;
DESIGN.md "Scale").

Everything it makes hangs under organizations coded "GEN-…" and centres whose
short name starts with "gen-". It never reads, changes or deletes anything of
another centre; --force deletes only the generated centres' classes of that
year (and what hangs from them) before making them again.

Rows are written with COPY on PostgreSQL and executemany on SQLite, with ids
reserved from the table's sequence; at nation scale the big tables are loaded
without their foreign keys and non-unique indexes, which are made again in the
same transaction. The per-class summaries are then counted by
enrollment.services.summaries, the code the application itself uses, and the tables
vacuumed and analysed. Everything happens in one transaction: an error leaves
nothing behind.
"""

import argparse
import base64
import datetime
import io
import math
import random
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django_scopes import scopes_disabled
from sequences.models import Sequence

from courses.models import (
    AnnualPlan,
    ClassSession,
    ClassType,
    CoOrganizer,
    Lecturer,
    TrainingClass,
)
from enrollment.demo.names import FAMILY_NAMES, GIVEN, MIDDLE
from enrollment.models import (
    Attendance,
    Certificate,
    ClassLecturerSummary,
    ClassSummary,
    ClassUnitSummary,
    Enrollment,
    Trainee,
)
from enrollment.services import summaries as summaries_service
from enrollment.services.certificates import counter_name
from trainingcenter.models import Center, Organization
from trainingcenter.text import collation_key, search_key

SLUG_PREFIX = "gen-"
CODE_PREFIX = "GEN-"

# The 34 provinces and cities since 1 July 2025.
PROVINCES = [
    ("thành phố", "Hà Nội"), ("thành phố", "Huế"), ("tỉnh", "Lai Châu"),
    ("tỉnh", "Điện Biên"), ("tỉnh", "Sơn La"), ("tỉnh", "Lạng Sơn"),
    ("tỉnh", "Quảng Ninh"), ("tỉnh", "Thanh Hóa"), ("tỉnh", "Nghệ An"),
    ("tỉnh", "Hà Tĩnh"), ("tỉnh", "Cao Bằng"), ("tỉnh", "Tuyên Quang"),
    ("tỉnh", "Lào Cai"), ("tỉnh", "Thái Nguyên"), ("tỉnh", "Phú Thọ"),
    ("tỉnh", "Bắc Ninh"), ("tỉnh", "Hưng Yên"), ("thành phố", "Hải Phòng"),
    ("tỉnh", "Ninh Bình"), ("tỉnh", "Quảng Trị"), ("thành phố", "Đà Nẵng"),
    ("tỉnh", "Quảng Ngãi"), ("tỉnh", "Gia Lai"), ("tỉnh", "Khánh Hòa"),
    ("tỉnh", "Lâm Đồng"), ("tỉnh", "Đắk Lắk"), ("thành phố", "Hồ Chí Minh"),
    ("tỉnh", "Đồng Nai"), ("tỉnh", "Tây Ninh"), ("thành phố", "Cần Thơ"),
    ("tỉnh", "Vĩnh Long"), ("tỉnh", "Đồng Tháp"), ("tỉnh", "Cà Mau"),
    ("tỉnh", "An Giang"),
]  # fmt: skip
# 700 centres: 22 in the first province (the province scale), 20 or 21 elsewhere.
CENTRES_PER_PROVINCE = [22] + [21] * 18 + [20] * 15
COMMUNES_PER_CENTRE = 5
CLASSES_PER_CENTRE = 76_000 / 700
ENROLMENTS_PER_CLASS = 4_200_000 / 76_000
ENROLMENTS_PER_PERSON = 4.2 / 3.0
PLACE_WORDS = (
    "An Bình Tân Phú Hòa Long Thạnh Hưng Xuân Vĩnh Phước Mỹ Quang Đông Tây Nam "
    "Bắc Trung Thuận Đức Minh Hồng Thanh Yên Cẩm Hải Sơn Lộc Phong Kim"
).split()

# Programme, share of the classes (%), trainees per class before scaling,
# half-day sessions when the catalogue gives none. The Party programmes lead.
PROGRAMMES = [
    ("nhan-thuc-ve-dang", 22, (45, 85), 10),
    ("dang-vien-moi", 18, (30, 65), 14),
    ("bi-thu-chi-bo", 5, (50, 90), 6),
    ("nghiep-vu-cong-tac-dang", 8, (30, 60), 4),
    ("cap-nhat-kien-thuc", 7, (35, 65), 4),
    ("lich-su-dang-bo", 4, (50, 90), 2),
    ("quoc-phong-an-ninh", 9, (35, 60), 8),
    ("chinh-tri-he", 5, (80, 140), 2),
    ("mat-tran-doan-the", 11, (35, 65), 4),
    ("so-cap-llct", 3, (35, 50), 44),
    ("trung-cap-llct", 1, (40, 60), 30),
    ("hoc-tap-nghi-quyet", 7, (70, 130), 1),
]

# Ethnic minorities (about 10% of trainees): ethnicity, share among them,
# family names, middle names (male, female) and given names (male, female;
# empty: the common Vietnamese ones).
MINORITIES = [
    ("Tày", 19, ["Nông", "Hoàng", "Lương", "Ma", "Lý"],
     (["Văn", "Đức"], ["Thị"]), ([], [])),
    ("Thái", 19, ["Lò", "Lường", "Cầm", "Quàng", "Vi"], (["Văn"], ["Thị"]), ([], [])),
    ("Mường", 15, ["Bùi", "Đinh", "Quách", "Hà"],
     (["Văn", "Công"], ["Thị"]), ([], [])),
    ("Khmer", 14, ["Thạch", "Danh", "Kim", "Sơn", "Lâm"], (["Sô", "Sa"], ["Thị"]),
     (["Phanh", "Rây", "Ra", "Rết", "Sóc"], ["Nét", "Sa Ly", "Chanh Thy", "Mây"])),
    ("Mông", 13, ["Giàng", "Vàng", "Sùng", "Thào", "Lầu"],
     (["A", "Seo", "Văn"], ["Thị"]),
     (["Páo", "Chứ", "Lử", "Dế", "Chính"], ["Mỷ", "Dở", "Sua", "Chi"])),
    ("Nùng", 11, ["Nông", "Lục", "Hoàng", "Mã"], (["Văn"], ["Thị"]), ([], [])),
    ("Dao", 9, ["Triệu", "Bàn", "Đặng", "Lý"],
     (["Văn", "Tòn"], ["Thị", "Mùi"]), ([], [])),
]  # fmt: skip
MINORITY_SHARE = 0.10
POSITIONS = [
    "Chuyên viên", "Công chức", "Giáo viên", "Bí thư chi bộ", "Phó Bí thư chi bộ",
    "Trưởng thôn", "Đoàn viên", "Hội viên", "Cán bộ", "Nhân viên", "",
]  # fmt: skip
LECTURERS = [
    ("full_time", "Giám đốc", "Thạc sĩ; Cao cấp lý luận chính trị"),
    ("full_time", "Phó Giám đốc", "Cử nhân; Cao cấp lý luận chính trị"),
    ("full_time", "Giảng viên", "Thạc sĩ; Trung cấp lý luận chính trị"),
    *[("concurrent", "Phó Bí thư Đảng ủy", "Cao cấp lý luận chính trị")] * 3,
    *[("concurrent", "Trưởng ban Xây dựng Đảng", "Trung cấp lý luận chính trị")] * 3,
    *[("concurrent", "Chủ tịch Ủy ban Mặt trận Tổ quốc", "Trung cấp lý luận chính trị")]
    * 2,
    *[("guest", "Giảng viên Trường Chính trị tỉnh", "Tiến sĩ")] * 2,
]
CHUNK = 100_000  # rows per COPY or executemany


def fmt(n: int) -> str:
    """12345 -> "12.345" (Vietnamese thousands)."""
    return f"{n:,}".replace(",", ".")


@dataclass
class Centre:
    center: Center
    province: int
    communes: list[Organization]
    school_id: int
    military_id: int
    lecturer_ids: list[int] = field(default_factory=list)


@contextmanager
def rebuilt_after(models, say):
    """PostgreSQL: load `models`' tables without their foreign keys and non-unique
    indexes, then create them again, in the caller's transaction.

    Inserting 4,2 million enrolments row by row into five indexes, with three
    foreign-key checks a row, took about 4 minutes; loading bare and building
    takes well under one. Primary keys and unique constraints stay, and the
    foreign keys are validated when they are added back. The tables are locked
    until the transaction ends; on any error everything rolls back.
    """
    if not models or connection.vendor != "postgresql":
        yield
        return
    restore = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for model in models:
            cursor.execute(
                """
                SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I',
                              conrelid::regclass, conname),
                       format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s',
                              conrelid::regclass, conname, pg_get_constraintdef(oid)),
                       2
                FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'
                UNION ALL
                SELECT format('DROP INDEX %%s', indexrelid::regclass),
                       pg_get_indexdef(indexrelid), 1
                FROM pg_index
                WHERE indrelid = %s::regclass AND NOT indisunique AND NOT indisprimary
                """,
                [model._meta.db_table, model._meta.db_table],
            )
            for drop, create, order in cursor.fetchall():
                cursor.execute(drop)
                restore.append((order, create))
    yield
    say(f"Tạo lại {len(restore)} chỉ mục và khóa ngoại…")
    with connection.cursor() as cursor:
        for _order, create in sorted(restore, key=lambda r: r[0]):
            cursor.execute(create)


class Writer:
    """Writes plain rows fast: COPY on PostgreSQL, executemany on SQLite.

    Ids are reserved from the table's sequence (PostgreSQL) or after its
    highest id inside the write transaction (SQLite), so rows can point at
    each other before they are written.
    """

    def __init__(self):
        self.pg = connection.vendor == "postgresql"
        self._next: dict[str, int] = {}
        self.pending: dict[type, tuple[list[str], list[tuple]]] = {}
        self.written: Counter = Counter()

    def reserve(self, model, n: int) -> int:
        """The first of `n` fresh ids for `model`'s table."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.pg:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'),"
                    " nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                    [table, table, max(n, 1)],
                )
                return cursor.fetchone()[0] - max(n, 1) + 1
            if table not in self._next:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
                highest = cursor.fetchone()[0]
                cursor.execute(
                    "SELECT seq FROM sqlite_sequence WHERE name = %s", [table]
                )
                row = cursor.fetchone()
                self._next[table] = max(highest, row[0] if row else 0) + 1
            first = self._next[table]
            self._next[table] += n
            return first

    @staticmethod
    def check(model, columns: list[str]) -> None:
        """Every NOT NULL column is given: a new model field fails here, loudly."""
        given = set(columns)
        missing = [
            f.column
            for f in model._meta.concrete_fields
            if not f.null and f.column not in given and not f.primary_key
        ]
        if missing:
            raise CommandError(f"{model._meta.db_table}: thiếu cột {missing}")

    def add(self, model, columns: list[str], rows) -> None:
        """Queue rows; `flush()` writes every queue in the order models were added."""
        queued = self.pending.setdefault(model, (columns, []))
        queued[1].extend(rows)

    def queued(self) -> int:
        return sum(len(rows) for _, rows in self.pending.values())

    def flush(self) -> None:
        for model, (columns, rows) in self.pending.items():
            self.write(model, columns, rows)
        self.pending = {}

    def write(self, model, columns: list[str], rows) -> int:
        """Write `rows` (tuples in `columns` order) now; returns how many."""
        self.check(model, columns)
        table = model._meta.db_table
        done = 0
        with connection.cursor() as cursor:
            if self.pg:
                sql = f'COPY "{table}" ({", ".join(columns)}) FROM STDIN'
                buffer, n = io.StringIO(), 0
                for row in rows:
                    buffer.write(
                        "\t".join([r"\N" if v is None else str(v) for v in row])
                    )
                    buffer.write("\n")
                    n += 1
                    if n == CHUNK:
                        buffer.seek(0)
                        cursor.copy_expert(sql, buffer)
                        done, buffer, n = done + n, io.StringIO(), 0
                if n:
                    buffer.seek(0)
                    cursor.copy_expert(sql, buffer)
                    done += n
            else:
                marks = ", ".join(["%s"] * len(columns))
                sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})'
                batch = []
                for row in rows:
                    batch.append(row)
                    if len(batch) == CHUNK:
                        cursor.executemany(sql, batch)
                        done, batch = done + len(batch), []
                if batch:
                    cursor.executemany(sql, batch)
                    done += len(batch)
        self.written[model._meta.label] += done
        return done


def _names():
    """Name pools: every combination's stored fields computed once, with weights.

    Returns {(gender, ethnicity): (fields list, cumulative weights)} and the
    ethnicity weights of the minorities.
    """
    pools = {}
    for gender in ("male", "female"):
        combos, weights = [], []
        for family, fw in FAMILY_NAMES:
            for middle, mw in MIDDLE[gender]:
                for given in GIVEN[gender]:
                    combos.append(f"{family} {middle} {given}")
                    weights.append(fw * mw)
        pools[gender, "Kinh"] = combos, weights
        for ethnicity, _share, families, middles, givens in MINORITIES:
            index = 0 if gender == "male" else 1
            given_names = givens[index] or GIVEN[gender]
            combos = [
                f"{family} {middle} {given}"
                for family in families
                for middle in middles[index]
                for given in given_names
            ]
            pools[gender, ethnicity] = combos, [1] * len(combos)
    result = {}
    for key, (combos, weights) in pools.items():
        fields = [Trainee.name_fields(name) for name in combos]
        cumulative, total = [], 0
        for weight in weights:
            total += weight
            cumulative.append(total)
        result[key] = fields, cumulative
    return result


class Command(BaseCommand):
    help = (
        "Fill the database with a generated year of classes, trainees, enrolments "
        "and results (every class closed, as at the end of the year): one centre "
        "(~110 classes, ~6.000 enrolments), one province (22 centres, ~2.400 "
        "classes, ~130.000 enrolments) or the nation (700 centres in 34 provinces, "
        "~76.000 classes, ~4,2 million enrolments, ~3 million persons; about 3 "
        "minutes on PostgreSQL, which locks the trainee, enrolment and session "
        "tables meanwhile). Only centres whose short name starts with 'gen-' are "
        "touched. Attendance is generated at centre scale only (the nation would "
        "need ~25 million rows); certificates for every certifying class at "
        "centre scale and for 5% of them otherwise (--certificate-share)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", choices=["centre", "province", "nation"], required=True
        )
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--order",
            choices=["random", "class"],
            default="random",
            help="random: enrolments stored in random class order (the worst "
            "case for reading one centre); class: stored class by class.",
        )
        parser.add_argument(
            "--certificate-share",
            type=float,
            help="Share of the classes with an award whose passed trainees get "
            "certificates (93%% of them). Default 1 at centre scale, 0,05 otherwise.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Delete the generated centres' classes of that year first.",
        )
        # Tests: fewer classes per centre, same distributions.
        parser.add_argument("--shrink", type=float, default=1.0, help=argparse.SUPPRESS)
        # Tests: the nation's way of loading (see rebuilt_after) at any scale.
        parser.add_argument(
            "--rebuild-indexes", action="store_true", help=argparse.SUPPRESS
        )

    def say(self, text: str) -> None:
        self.stdout.write(f"[{time.perf_counter() - self.started:7.1f} s] {text}")

    def handle(self, *args, scale, year, seed, order, force, shrink, **options):
        self.started = time.perf_counter()
        self.year, self.seed, self.shrink = year, seed, shrink
        share = options.get("certificate_share")
        self.certificate_share = (
            share if share is not None else (1.0 if scale == "centre" else 0.05)
        )
        self.attendance = scale == "centre"
        layout = {
            "centre": [1],
            "province": [CENTRES_PER_PROVINCE[0]],
            "nation": CENTRES_PER_PROVINCE,
        }[scale]
        pg = connection.vendor == "postgresql"
        with scopes_disabled():
            try:
                if pg:  # bulk statements outlive the site's per-statement limit
                    with connection.cursor() as cursor:
                        cursor.execute("SET statement_timeout = 0")
                with transaction.atomic():
                    self.writer = Writer()
                    programmes = self.catalogue()
                    if pg:
                        # Check foreign keys per statement: deferred to the
                        # commit, millions of checks queue up in memory.
                        # (loaddata sets them back to deferred, so after it.)
                        with connection.cursor() as cursor:
                            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    centres = self.structure(layout)
                    self.guard(centres, force)
                    self.say(f"{len(centres)} trung tâm; sinh dữ liệu năm {year}…")
                    big = [Trainee, Enrollment, ClassSession]
                    rebuild = scale == "nation" or options.get("rebuild_indexes")
                    with rebuilt_after(big if rebuild else [], self.say):
                        self.generate(centres, programmes, order)
                    self.say("Đếm tổng hợp theo lớp (enrollment.services.summaries)…")
                    counted = summaries_service.refresh_all(
                        self.year_classes(centres),
                        # One pass over the enrolments on PostgreSQL (about
                        # 25 s for the nation, against 4 min in chunks of
                        # 2.000 that each read the whole table); SQLite
                        # limits the parameters of a query.
                        chunk=1_000_000 if pg else 2000,
                    )
                    self.say(f"Đã đếm {fmt(counted)} lớp.")
                self.analyze()
            finally:
                if pg:
                    with connection.cursor() as cursor:
                        cursor.execute("RESET statement_timeout")
        written = ", ".join(
            f"{label.split('.')[1]} {fmt(n)}"
            for label, n in self.writer.written.items()
        )
        self.say(f"Xong. Đã ghi: {written}.")

    # Reference data and the organization tree.

    def catalogue(self) -> list[tuple[ClassType, int, tuple[int, int], int]]:
        if not ClassType.objects.exists():
            call_command("loaddata", "class_types", verbosity=0)
        types = {t.code: t for t in ClassType.objects.filter(is_active=True)}
        found = [
            (types[code], weight, size, sessions)
            for code, weight, size, sessions in PROGRAMMES
            if code in types
        ]
        if not found:
            raise CommandError(
                "Danh mục chương trình không có chương trình nào của dữ liệu mẫu."
            )
        return found

    def structure(self, layout: list[int]) -> list[Centre]:
        """Provinces, communes, partners and centres: made once, reused each year."""
        wanted: list[tuple] = []  # (code, name, kind, level, parent code)
        centres = []  # (province, slug, name, org code, commune codes, place)
        K, L = Organization.Kind, Organization.Level
        for p, count in enumerate(layout):
            kind, province = PROVINCES[p]
            pcode = f"{CODE_PREFIX}P{p + 1:02d}"
            wanted += [
                (pcode, f"Đảng bộ {kind} {province}",
                 K.PARTY_COMMITTEE, L.PROVINCE, None),
                (f"{pcode}-TCT", f"Trường Chính trị {kind} {province}",
                 K.POLITICAL_SCHOOL, L.PROVINCE, pcode),
                (f"{pcode}-QS", f"Bộ Chỉ huy Quân sự {kind} {province}",
                 K.MILITARY, L.PROVINCE, pcode),
            ]  # fmt: skip
            names = random.Random(p).sample(
                [f"{a} {b}" for a in PLACE_WORDS for b in PLACE_WORDS if a != b],
                CENTRES_PER_PROVINCE[p] * COMMUNES_PER_CENTRE,
            )
            for c in range(count):
                communes = []
                for k in range(COMMUNES_PER_CENTRE):
                    number = c * COMMUNES_PER_CENTRE + k
                    place = names[number]
                    level = "phường" if number % 3 == 0 else "xã"
                    code = f"{pcode}-X{number + 1:03d}"
                    wanted.append(
                        (code, f"Đảng bộ {level} {place}", K.PARTY_COMMITTEE,
                         L.COMMUNE, pcode)
                    )  # fmt: skip
                    communes.append((code, level, place))
                code, level, place = communes[0]
                name = f"Trung tâm Chính trị {level} {place} – {province}"
                org_code = f"{pcode}-T{c + 1:02d}"
                wanted.append((org_code, name, K.TRAINING_CENTER, L.COMMUNE, code))
                slug = f"{SLUG_PREFIX}{p + 1:02d}-{c + 1:02d}"
                centres.append((p, slug, name, org_code, communes, place))

        existing = {
            o.code: o
            for o in Organization.objects.filter(code__in=[w[0] for w in wanted])
        }
        parents = {code: parent for code, _, _, _, parent in wanted}
        fresh = [
            Organization(
                code=code,
                name=name,
                kind=kind,
                level=level,
                name_key=search_key(name),
                name_order=collation_key(name)[:800],
            )
            for code, name, kind, level, _ in wanted
            if code not in existing
        ]
        # One insert per tree level, so that each level knows its parents' ids.
        remaining = fresh
        while remaining:
            ready = [
                o
                for o in remaining
                if parents[o.code] is None or parents[o.code] in existing
            ]
            for org in ready:
                if parents[org.code]:
                    org.parent_id = existing[parents[org.code]].pk
            Organization.objects.bulk_create(ready)
            existing.update({o.code: o for o in ready})
            remaining = [o for o in remaining if o.pk is None]
            if not ready:
                raise CommandError("Cây tổ chức sinh không hợp lệ.")

        slugs = [c[1] for c in centres]
        found = {
            c.slug: c
            for c in Center.objects.filter(slug__in=slugs).select_related(
                "organization"
            )
        }
        for slug, center in found.items():
            if not center.organization.code.startswith(CODE_PREFIX):
                raise CommandError(
                    f"Trung tâm “{slug}” đã có và không phải dữ liệu sinh: "
                    "không ghi gì."
                )
        new_centres = []
        for _p, slug, name, org_code, communes, place in centres:
            if slug in found:
                continue
            commune_name = existing[communes[0][0]].name.removeprefix("Đảng bộ ")
            new_centres.append(
                Center(
                    slug=slug,
                    name=name,
                    organization=existing[org_code],
                    superior_body_line=f"ĐẢNG ỦY {commune_name.upper()}",
                    issuing_body_name="TRUNG TÂM CHÍNH TRỊ",
                    place_name=place,
                    director_name="Nguyễn Văn An",
                )
            )
        Center.objects.bulk_create(new_centres)
        Through = Center.communes.through
        Through.objects.bulk_create(
            [
                Through(center_id=center.pk, organization_id=existing[code].pk)
                for center, entry in zip(
                    new_centres,
                    [c for c in centres if c[1] not in found],
                    strict=True,
                )
                for code, _, _ in entry[4]
            ]
        )
        by_slug = {**found, **{c.slug: c for c in new_centres}}
        result = []
        for p, slug, _name, _org, communes, _place in centres:
            pcode = f"{CODE_PREFIX}P{p + 1:02d}"
            result.append(
                Centre(
                    center=by_slug[slug],
                    province=p,
                    communes=[existing[code] for code, _, _ in communes],
                    school_id=existing[f"{pcode}-TCT"].pk,
                    military_id=existing[f"{pcode}-QS"].pk,
                )
            )
        self.say(
            f"Cây tổ chức: {fmt(len(fresh))} đơn vị mới, "
            f"{fmt(len(new_centres))} trung tâm mới."
        )
        return result

    def year_classes(self, centres: list[Centre]):
        return TrainingClass.objects.filter(
            center__in=[c.center.pk for c in centres],
            start_date__gte=datetime.date(self.year, 1, 1),
            start_date__lte=datetime.date(self.year, 12, 31),
        )

    def guard(self, centres: list[Centre], force: bool) -> None:
        """Refuse to add a second generated year on top of the first, unless --force."""
        ids = [c.center.pk for c in centres]
        classes = self.year_classes(centres)
        plans = AnnualPlan.objects.filter(center__in=ids, year=self.year)
        taken = sorted(
            set(classes.values_list("center__slug", flat=True))
            | set(plans.values_list("center__slug", flat=True))
        )
        if not taken:
            return
        if not force:
            shown = ", ".join(taken[:5]) + ("…" if len(taken) > 5 else "")
            raise CommandError(
                f"Năm {self.year} đã có dữ liệu sinh ở {len(taken)} trung tâm "
                f"({shown}). Không ghi gì; thêm --force để xóa dữ liệu năm đó "
                "của các trung tâm sinh này và sinh lại."
            )
        self.say(f"--force: xóa dữ liệu năm {self.year} của {len(taken)} trung tâm…")
        # Raw deletes: no signals (each would recount a class), no collector.
        class_ids = classes.values("pk")
        enrollments = Enrollment.objects.filter(training_class__in=class_ids)
        for rows in (
            Attendance.objects.filter(enrollment__in=enrollments.values("pk")),
            Certificate.objects.filter(enrollment__in=enrollments.values("pk")),
            Enrollment.history.model.objects.filter(training_class_id__in=class_ids),
            enrollments,
            ClassSession.objects.filter(training_class__in=class_ids),
            CoOrganizer.objects.filter(training_class__in=class_ids),
            TrainingClass.venue_communes.through.objects.filter(
                trainingclass_id__in=class_ids
            ),
            ClassSummary.objects.filter(training_class__in=class_ids),
            ClassUnitSummary.objects.filter(training_class__in=class_ids),
            ClassLecturerSummary.objects.filter(training_class__in=class_ids),
            classes,
            plans,
            Trainee.objects.filter(center__in=ids, enrollments__isnull=True),
        ):
            rows._raw_delete(rows.db)

    # The year's rows.

    def generate(self, centres, programmes, order) -> list[int]:
        names = _names()
        ethnic_weights = [share for _, share, *_ in MINORITIES]
        ethnicities = [e for e, *_ in MINORITIES]
        mean_size = sum(w * (lo + hi) / 2 for _, w, (lo, hi), _ in programmes) / sum(
            w for _, w, _, _ in programmes
        )
        factor = ENROLMENTS_PER_CLASS / mean_size
        birth_days = [
            (datetime.date(1962, 1, 1) + datetime.timedelta(days=d)).isoformat()
            for d in range(0, 365 * 43)
        ]
        self.ensure_lecturers(centres, names)
        enrolments: list[tuple] = []  # (class, trainee, unit, party, status, …)
        class_meta: dict[int, tuple] = {}  # for certificates: org, end, award
        sessions_of: dict[int, list[int]] = {}
        class_ids: list[int] = []
        province_started, province, totals = time.perf_counter(), None, Counter()
        w = self.writer
        for index, centre in enumerate(centres):
            rng = random.Random(f"{self.seed}-{self.year}-{centre.center.slug}")
            made = self.centre_year(
                rng,
                centre,
                programmes,
                factor,
                names,
                ethnicities,
                ethnic_weights,
                birth_days,
                class_meta,
                sessions_of,
            )
            class_ids += made["class_ids"]
            enrolments += made["enrolments"]
            totals.update(
                classes=len(made["class_ids"]), enrolments=len(made["enrolments"])
            )
            if w.queued() > 200_000:
                w.flush()
            last = (
                index + 1 == len(centres)
                or centres[index + 1].province != centre.province
            )
            if last:
                province = centre.province
                self.say(
                    f"Tỉnh {province + 1}: đến nay {fmt(totals['classes'])} lớp, "
                    f"{fmt(totals['enrolments'])} lượt "
                    f"({time.perf_counter() - province_started:.1f} s)"
                )
                province_started = time.perf_counter()
        w.flush()
        self.say(
            f"Đã ghi lớp, học viên, buổi học, kế hoạch: "
            f"{fmt(w.written['courses.TrainingClass'])} lớp, "
            f"{fmt(w.written['enrollment.Trainee'])} học viên."
        )

        rng = random.Random(f"{self.seed}-{self.year}-order")
        if order == "random":
            rng.shuffle(enrolments)
        first = w.reserve(Enrollment, len(enrolments))
        columns = [
            "id", "training_class_id", "trainee_id", "unit_id", "party_status",
            "status", "withdrawal_reason", "score", "grade", "remarks",
        ]  # fmt: skip
        w.write(
            Enrollment,
            columns,
            ((first + i, *row, "") for i, row in enumerate(enrolments)),
        )
        self.say(f"Đã ghi {fmt(len(enrolments))} lượt ghi danh (thứ tự: {order}).")
        self.certificates(rng, enrolments, first, class_meta)
        if self.attendance:
            self.attendances(rng, enrolments, first, sessions_of)
        return class_ids

    def ensure_lecturers(self, centres, names) -> None:
        have: dict[int, list[int]] = {}
        for center_id, pk in Lecturer.objects.filter(
            center__in=[c.center.pk for c in centres], is_active=True
        ).values_list("center_id", "pk"):
            have.setdefault(center_id, []).append(pk)
        rows = []
        for centre in centres:
            if centre.center.pk in have:
                centre.lecturer_ids = have[centre.center.pk]
                continue
            rng = random.Random(f"lecturers-{centre.center.slug}")
            first = self.writer.reserve(Lecturer, len(LECTURERS))
            for i, (kind, position, qualifications) in enumerate(LECTURERS):
                gender = rng.choice(["male", "female"])
                fields, cumulative = names[gender, "Kinh"]
                person = rng.choices(fields, cum_weights=cumulative)[0]
                unit = centre.communes[i % len(centre.communes)].pk
                rows.append(
                    (
                        first + i,
                        centre.center.pk,
                        person["full_name"],
                        kind,
                        unit if kind == "concurrent" else None,
                        position,
                        qualifications,
                        True,
                        person["name_key"],
                        person["sort_key"],
                    )
                )
            centre.lecturer_ids = list(range(first, first + len(LECTURERS)))
        self.writer.write(
            Lecturer,
            [
                "id", "center_id", "full_name", "kind", "unit_id", "position",
                "qualifications", "is_active", "name_key", "sort_key",
            ],
            rows,
        )  # fmt: skip

    def centre_year(
        self,
        rng,
        centre,
        programmes,
        factor,
        names,
        ethnicities,
        ethnic_weights,
        birth_days,
        class_meta,
        sessions_of,
    ) -> dict:
        """One centre's classes, trainees, sessions and plan; enrolments returned."""
        w, year = self.writer, self.year
        center = centre.center
        count = max(1, round(rng.gauss(CLASSES_PER_CENTRE, 10) * self.shrink))
        chosen = rng.choices(programmes, weights=[p[1] for p in programmes], k=count)
        chosen.sort(key=lambda p: p[0].order)
        sizes = [max(5, round(rng.randint(*size) * factor)) for _, _, size, _ in chosen]
        total = sum(sizes)
        persons = min(total, max(max(sizes), round(total / ENROLMENTS_PER_PERSON)))
        first_trainee = w.reserve(Trainee, persons)
        first_class = w.reserve(TrainingClass, count)

        # Who sits in which class: everyone once, some twice or more.
        seats = list(range(persons)) + [
            rng.randrange(persons) for _ in range(total - persons)
        ]
        rng.shuffle(seats)
        status_of = ["full"] * persons
        for t in range(persons):
            if rng.random() < 0.45:
                status_of[t] = "non_member"
        rosters, position = [], 0
        for (programme, *_), size in zip(chosen, sizes, strict=True):
            members: set[int] = set()
            roster = []
            for t in seats[position : position + size]:
                while t in members:
                    t = rng.randrange(persons)
                members.add(t)
                roster.append(t)
            position += size
            rosters.append(roster)
            if programme.code == "dang-vien-moi":
                for t in roster:
                    status_of[t] = "probationary"
            elif programme.code == "nhan-thuc-ve-dang":
                for t in roster:
                    if status_of[t] != "probationary":
                        status_of[t] = "non_member"

        # Trainees: names from the pools, ~50% women, ~10% minorities.
        units = [c.pk for c in centre.communes]
        unit_of = [rng.choice(units) for _ in range(persons)]
        trainee_rows = []
        for t in range(persons):
            gender = "female" if rng.random() < 0.5 else "male"
            ethnicity = "Kinh"
            if rng.random() < MINORITY_SHARE:
                ethnicity = rng.choices(ethnicities, weights=ethnic_weights)[0]
            fields, cumulative = names[gender, ethnicity]
            person = rng.choices(fields, cum_weights=cumulative)[0]
            birth = rng.choice(birth_days)
            citizen = (
                f"{centre.province + 1:03d}{0 if gender == 'male' else 1}"
                f"{birth[2:4]}{year % 10}{t:05d}"
                if rng.random() < 0.7
                else ""
            )
            party = status_of[t]
            trainee_rows.append(
                (
                    first_trainee + t,
                    center.pk,
                    person["full_name"],
                    person["family_name"],
                    person["middle_name"],
                    person["given_name"],
                    birth,
                    False,
                    gender,
                    ethnicity,
                    unit_of[t],
                    rng.choice(POSITIONS),
                    party,
                    None
                    if party == "non_member"
                    else f"{year - 1}-0{rng.randint(1, 9)}-15",
                    None,
                    citizen,
                    "",
                    person["name_key"],
                    person["sort_key"],
                )
            )
        w.add(
            Trainee,
            [
                "id", "center_id", "full_name", "family_name", "middle_name",
                "given_name", "birth_date", "birth_year_only", "gender", "ethnicity",
                "unit_id", "position", "party_status", "admission_date",
                "full_membership_date", "citizen_id", "notes", "name_key", "sort_key",
            ],
            trainee_rows,
        )  # fmt: skip

        # Classes, their sessions, partners, venues and results.
        class_rows, session_rows, partner_rows, venue_rows = [], [], [], []
        enrolments = []
        sequence: Counter = Counter()
        plan: dict[int, list[int]] = {}
        session_count = sum(p[0].sessions or p[3] for p in chosen)
        first_session = w.reserve(ClassSession, session_count)
        next_session = first_session
        hall = f"Hội trường {center.name.split(' – ')[0]}"
        for i, ((programme, _, _, default_sessions), roster) in enumerate(
            zip(chosen, rosters, strict=True)
        ):
            class_id = first_class + i
            sequence[programme.pk] += 1
            sessions = programme.sessions or default_sessions
            days = math.ceil(sessions / 2)
            start = datetime.date(year, 1, 5) + datetime.timedelta(
                days=rng.randint(0, 330)
            )
            start += datetime.timedelta(days=(7 - start.weekday()) % 7)
            end = start + datetime.timedelta(days=days - 1)
            label = f"khóa {sequence[programme.pk]}"
            cluster = rng.random() < 0.10
            if cluster:
                chosen_communes = rng.sample(centre.communes, rng.randint(2, 3))
                venue = "Cụm " + ", ".join(
                    o.name.removeprefix("Đảng bộ ") for o in chosen_communes
                )
                venue_rows += [(class_id, o.pk) for o in chosen_communes]
            else:
                venue = hall
            in_plan = programme.code != "chinh-tri-he" and rng.random() > 0.03
            class_rows.append(
                (
                    class_id,
                    center.pk,
                    programme.pk,
                    label,
                    sequence[programme.pk],
                    start.isoformat(),
                    end.isoformat(),
                    venue,
                    None,
                    None,
                    center.organization_id if programme.award != "none" else None,
                    len(roster) + rng.randint(0, 10),
                    in_plan,
                    TrainingClass.Status.CLOSED,
                    programme.periods,
                    programme.sessions,
                    programme.assessment,
                    programme.award,
                    None,
                    None,
                    None,
                    search_key(" ".join([programme.name, label, venue]))[:400],
                    1,
                )
            )
            # Partners: the provincial school leads the diploma course; the
            # military command co-runs half the defence courses; a few hosts.
            if programme.code == "trung-cap-llct":
                partner_rows.append((class_id, centre.school_id, "lead"))
            elif programme.code == "quoc-phong-an-ninh" and rng.random() < 0.5:
                partner_rows.append((class_id, centre.military_id, "partner"))
            elif rng.random() < 0.03:
                partner_rows.append((class_id, rng.choice(units), "host"))
            ids = []
            for k in range(sessions):
                session_rows.append(
                    (
                        next_session,
                        class_id,
                        (start + datetime.timedelta(days=k // 2)).isoformat(),
                        1 + k % 2,
                        f"Chuyên đề {k + 1}",
                        rng.choice(centre.lecturer_ids)
                        if centre.lecturer_ids
                        else None,
                        5,
                    )
                )
                ids.append(next_session)
                next_session += 1
            if self.attendance:
                sessions_of[class_id] = ids
            graded = programme.assessment != "none"
            for t in roster:
                roll = rng.random()
                score = grade = None
                reason = ""
                if roll < 0.015:
                    status = Enrollment.Status.WITHDRAWN
                    reason = "Bận công tác"
                elif roll < (0.04 if graded else 0.02):
                    status = Enrollment.Status.FAILED
                    if graded:
                        score, grade = f"{rng.uniform(2, 4.9):.1f}", "Không đạt"
                else:
                    status = Enrollment.Status.COMPLETED
                    if graded:
                        value = min(10.0, max(5.0, rng.gauss(7.6, 1.1)))
                        score = f"{value:.1f}"
                        grade = (
                            "Giỏi"
                            if value >= 9
                            else "Khá"
                            if value >= 7
                            else "Trung bình"
                        )
                party = status_of[t]
                if programme.code == "dang-vien-moi":
                    party = "probationary"
                elif programme.code == "nhan-thuc-ve-dang":
                    party = "non_member"
                enrolments.append(
                    (
                        class_id,
                        first_trainee + t,
                        unit_of[t],
                        party,
                        status,
                        reason,
                        score,
                        grade or "",
                    )
                )
            if programme.award != "none" and rng.random() < self.certificate_share:
                class_meta[class_id] = (center.organization_id, end, programme.award)
            if in_plan:
                done = plan.setdefault(programme.pk, [0, 0])
                done[0] += 1
                done[1] += len(roster)
        w.add(
            TrainingClass,
            [
                "id", "center_id", "class_type_id", "intake_label", "sequence",
                "start_date", "end_date", "venue", "organizer_id", "ordering_body_id",
                "certificate_issuer_id", "capacity", "counted_in_plan", "status",
                "periods", "sessions", "assessment", "award", "declared_enrolled",
                "declared_completed", "declared_certified", "search_text", "version",
            ],
            class_rows,
        )  # fmt: skip
        w.add(
            ClassSession,
            [
                "id",
                "training_class_id",
                "date",
                "part",
                "topic",
                "lecturer_id",
                "periods",
            ],
            session_rows,
        )
        w.add(
            CoOrganizer, ["training_class_id", "organization_id", "role"], partner_rows
        )
        w.add(
            TrainingClass.venue_communes.through,
            ["trainingclass_id", "organization_id"],
            venue_rows,
        )
        # The approved plan: within about 15% of what was done.
        w.add(
            AnnualPlan,
            ["center_id", "year", "class_type_id", "target_classes", "target_trainees"],
            [
                (
                    center.pk,
                    year,
                    type_id,
                    max(1, round(classes * rng.uniform(0.9, 1.15))),
                    round(people * rng.uniform(0.9, 1.15)),
                )
                for type_id, (classes, people) in plan.items()
            ],
        )
        return {
            "class_ids": list(range(first_class, first_class + count)),
            "enrolments": enrolments,
        }

    def certificates(self, rng, enrolments, first, class_meta) -> None:
        """Numbered certificates for 93% of the passed trainees of chosen classes."""
        if not class_meta:
            return
        chosen = sorted(
            (row[0], first + i)
            for i, row in enumerate(enrolments)
            if row[0] in class_meta
            and row[4] == Enrollment.Status.COMPLETED
            and rng.random() < 0.93
        )
        issuers = {meta[0] for meta in class_meta.values()}
        number = dict(
            Certificate.objects.filter(issuer__in=issuers, year=self.year)
            .values("issuer")
            .annotate(top=Max("number"))
            .values_list("issuer", "top")
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        last_day = datetime.date(self.year, 12, 31)
        rows = []
        for class_id, enrollment_id in chosen:
            issuer, end, award = class_meta[class_id]
            number[issuer] = (number.get(issuer) or 0) + 1
            code = base64.urlsafe_b64encode(rng.getrandbits(256).to_bytes(32)).decode()
            rows.append(
                (
                    enrollment_id,
                    "diploma" if award == "diploma" else "certificate",
                    issuer,
                    self.year,
                    number[issuer],
                    f"{number[issuer]}/GCN-TTCT",
                    min(end + datetime.timedelta(days=3), last_day).isoformat(),
                    "GIÁM ĐỐC",
                    "Nguyễn Văn An",
                    code.rstrip("="),
                    "{}",
                    "",
                    "",
                    now,
                )
            )
        self.writer.write(
            Certificate,
            [
                "enrollment_id", "kind", "issuer_id", "year", "number", "number_text",
                "issued_on", "signer_title", "signer_name", "code", "fields",
                "digest", "revoked_reason", "created_at",
            ],
            rows,
        )  # fmt: skip
        # The counters the certificate pages number from (django-sequences):
        # the next one issued by hand follows the last generated one.
        Sequence.objects.bulk_create(
            [
                Sequence(name=counter_name(issuer, self.year), last=last)
                for issuer, last in number.items()
            ],
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["last"],
        )
        self.say(f"Đã ghi {fmt(len(rows))} giấy chứng nhận.")

    def attendances(self, rng, enrolments, first, sessions_of) -> None:
        rows = [
            (first + i, session, rng.random() > 0.04)
            for i, row in enumerate(enrolments)
            if row[4] != Enrollment.Status.WITHDRAWN
            for session in sessions_of[row[0]]
        ]
        self.writer.write(
            Attendance, ["enrollment_id", "class_session_id", "present"], rows
        )
        self.say(f"Đã ghi {fmt(len(rows))} dòng điểm danh.")

    def analyze(self) -> None:
        """Fresh planner statistics; on PostgreSQL outside a transaction, VACUUM too."""
        tables = [
            m._meta.db_table
            for m in (
                Organization,
                Center,
                Lecturer,
                TrainingClass,
                ClassSession,
                CoOrganizer,
                AnnualPlan,
                Trainee,
                Enrollment,
                Attendance,
                Certificate,
                ClassSummary,
            )
        ]
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                cursor.execute("ANALYZE")
            elif connection.in_atomic_block:
                cursor.execute("ANALYZE " + ", ".join(f'"{t}"' for t in tables))
            else:
                cursor.execute(
                    "VACUUM (ANALYZE) " + ", ".join(f'"{t}"' for t in tables)
                )
        self.say("Đã cập nhật thống kê (VACUUM ANALYZE / ANALYZE).")
