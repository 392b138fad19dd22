"""A class with trainees from two sending units, sessions, lecturers,
results and a certificate: what the tests of the class papers issue from."""

import datetime
import io
import secrets
from decimal import Decimal

import docx
from pypdf import PdfReader

from enrollment.models import Certificate, Enrollment
from tests.factories import (
    make_class,
    make_enrollment,
    make_lecturer,
    make_organization,
    make_session,
    make_trainee,
)
from trainingcenter.models import Organization

UNIT_A = "Đảng ủy xã Tân Phú"
UNIT_B = "Đảng ủy xã Hòa Bình"
PEOPLE = {
    # name, birth date, unit, status, score, grade
    "Nguyễn Thị Hòa": (datetime.date(1995, 5, 17), UNIT_A, "completed", "8.5", "Giỏi"),
    "Trần Văn Bình": (datetime.date(1988, 1, 2), UNIT_A, "completed", "7.0", "Khá"),
    "Lê Thị Cúc": (datetime.date(1990, 12, 30), UNIT_B, "completed", "6.5", "Khá"),
    "Phạm Văn Dũng": (datetime.date(1979, 3, 9), UNIT_B, "failed", "4.0", "Không đạt"),
}


def make_paper_class(center):
    """The class, closed, with its people in two units; the centre signed."""
    center.director_name = "Võ Thị Ký"
    center.save()
    parent = center.organization.parent
    parent.name = "Đảng ủy phường Xuân Hương"
    parent.save()
    units = {
        name: make_organization(name=name, level=Organization.Level.COMMUNE)
        for name in (UNIT_A, UNIT_B)
    }
    klass = make_class(
        center,
        venue="Hội trường Trung tâm Chính trị",
        start_date=datetime.date(2026, 3, 2),
        end_date=datetime.date(2026, 3, 6),
        status="closed",
    )
    lecturer = make_lecturer(center, full_name="Đỗ Minh Giảng")
    make_session(klass, topic="Bài 1: Chủ nghĩa Mác – Lênin", lecturer=lecturer)
    make_session(
        klass,
        date=datetime.date(2026, 3, 3),
        part=2,
        topic="Bài 2: Tư tưởng Hồ Chí Minh",
        lecturer=make_lecturer(center, full_name="Hà Thu Lan"),
        periods=4,
    )
    for name, (born, unit, status, score, grade) in PEOPLE.items():
        trainee = make_trainee(
            center, full_name=name, birth_date=born, position="Bí thư chi bộ"
        )
        enrollment = make_enrollment(
            klass,
            trainee,
            unit=units[unit],
            status=status,
            score=Decimal(score),
            grade=grade,
        )
        if name == "Nguyễn Thị Hòa":  # 7/GCN-TTCT in the centre's first class
            number = 7 + Certificate.objects.filter(issuer=center.organization).count()
            Certificate.objects.create(
                enrollment=enrollment,
                kind=Certificate.Kind.CERTIFICATE,
                issuer=center.organization,
                year=2026,
                number=number,
                number_text=f"{number}/GCN-TTCT",
                issued_on=datetime.date(2026, 3, 10),
                code=secrets.token_urlsafe(16),
                fields={"full_name": name},
            )
    withdrawn = make_trainee(center, full_name="Vũ Văn Rút")
    make_enrollment(
        klass, withdrawn, unit=units[UNIT_A], status=Enrollment.Status.WITHDRAWN
    )
    return klass, units


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(content)).pages
    )


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a .docx, in document order enough."""
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    parts.extend(p.text for p in document.sections[0].header.paragraphs)
    return " ".join(" ".join(parts).split())
