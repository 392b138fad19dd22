"""Plain factories with keyword defaults and unique values, so that tests
name only what matters to them and never collide."""

import datetime
import uuid

from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import (
    ClassSession,
    ClassType,
    Lecturer,
    LecturerActivity,
    TrainingClass,
)
from enrollment.models import Enrollment, Trainee
from trainingcenter.models import Center, Membership, Organization


def unique(prefix: str = "") -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def make_organization(**fields) -> Organization:
    fields.setdefault("code", unique("ORG-"))
    fields.setdefault("name", f"Đảng bộ phường {fields['code']}")
    fields.setdefault("kind", Organization.Kind.PARTY_COMMITTEE)
    fields.setdefault("level", Organization.Level.COMMUNE)
    return Organization.objects.create(**fields)


def make_center(*, parent: Organization | None = None, **fields) -> Center:
    parent = parent or make_organization()
    slug = fields.pop("slug", unique("c-"))
    organization = fields.pop("organization", None) or make_organization(
        name=f"Trung tâm Chính trị {slug}",
        kind=Organization.Kind.TRAINING_CENTER,
        parent=parent,
    )
    fields.setdefault("name", f"Trung tâm Chính trị {slug}")
    fields.setdefault("superior_body_line", "ĐẢNG ỦY PHƯỜNG THỬ NGHIỆM")
    fields.setdefault("issuing_body_name", "TRUNG TÂM CHÍNH TRỊ")
    fields.setdefault("place_name", "Thử Nghiệm")
    center = Center.objects.create(slug=slug, organization=organization, **fields)
    center.communes.add(parent)
    return center


def make_user(**fields):
    fields.setdefault("username", unique("user-"))
    password = fields.pop("password", None)
    user = get_user_model().objects.create(**fields)
    if password:
        user.set_password(password)
        user.save()
    return user


def make_member(center: Center, role: str, **fields):
    """A user with `role` in `center` (committee: over the centre's commune)."""
    user = make_user(**fields)
    if role == Membership.Role.COMMITTEE:
        Membership.objects.create(
            user=user, role=role, organization=center.organization.parent
        )
    else:
        Membership.objects.create(user=user, role=role, center=center)
    return user


def make_lecturer(center: Center, **fields) -> Lecturer:
    fields.setdefault("full_name", "Nguyễn Văn An")
    fields.setdefault("kind", Lecturer.Kind.FULL_TIME)
    return Lecturer.objects.create(center=center, **fields)


def make_lecturer_activity(lecturer: Lecturer, **fields) -> LecturerActivity:
    fields.setdefault("kind", LecturerActivity.Kind.PEER_TEACHING)
    fields.setdefault("date", datetime.date(2026, 3, 10))
    fields.setdefault("title", "Những vấn đề cơ bản về Đảng Cộng sản Việt Nam")
    return LecturerActivity.objects.create(lecturer=lecturer, **fields)


def make_class_type(**fields) -> ClassType:
    """The party-awareness programme from the real catalogue, loaded on demand."""
    from django.core.management import call_command

    code = fields.pop("code", "nhan-thuc-ve-dang")
    if not ClassType.objects.filter(code=code).exists():
        call_command("loaddata", "class_types", verbosity=0)
    class_type = ClassType.objects.get(code=code)
    for name, value in fields.items():
        setattr(class_type, name, value)
    if fields:
        class_type.save()
    return class_type


def make_class(center: Center, **fields) -> TrainingClass:
    class_type = fields.pop("class_type", None) or make_class_type()
    fields.setdefault("start_date", datetime.date(2026, 3, 2))
    fields.setdefault("end_date", datetime.date(2026, 3, 6))
    fields.setdefault("assessment", class_type.assessment)
    fields.setdefault("award", class_type.award)
    fields.setdefault("intake_label", "khóa I")
    return TrainingClass.objects.create(center=center, class_type=class_type, **fields)


def make_session(training_class: TrainingClass, **fields) -> ClassSession:
    fields.setdefault("date", training_class.start_date)
    fields.setdefault("part", ClassSession.Part.MORNING)
    fields.setdefault("topic", "Bài 1")
    return ClassSession.objects.create(training_class=training_class, **fields)


def make_trainee(center: Center, **fields) -> Trainee:
    fields.setdefault("full_name", "Nguyễn Thị Hòa")
    fields.setdefault("gender", Trainee.Gender.FEMALE)
    fields.setdefault("birth_date", datetime.date(1995, 5, 17))
    trainee = Trainee(center=center, **fields)
    trainee.save()
    return trainee


def make_enrollment(
    training_class: TrainingClass, trainee=None, **fields
) -> Enrollment:
    trainee = trainee or make_trainee(
        training_class.center, full_name=unique("Lê Văn ")
    )
    return Enrollment.objects.create(
        training_class=training_class, trainee=trainee, **fields
    )


def make_running_class(center: Center):
    """A class in progress, from two days ago to two days ahead, whose first
    session (two days ago) was held: attendance and results can be taken."""
    today = timezone.localdate()
    training_class = make_class(
        center,
        start_date=today - datetime.timedelta(days=2),
        end_date=today + datetime.timedelta(days=2),
    )
    session = make_session(training_class, date=training_class.start_date)
    return training_class, session


def make_subject_request(center: Center, **fields):
    """A request about a person's data, received today and still open."""
    from enrollment.models import SubjectRequest

    fields.setdefault("trainee", make_trainee(center))
    fields.setdefault("kind", SubjectRequest.Kind.ACCESS)
    fields.setdefault("received_on", timezone.localdate())
    answer_by, due_on = SubjectRequest.deadlines(fields["kind"], fields["received_on"])
    fields.setdefault("answer_by", answer_by)
    fields.setdefault("due_on", due_on)
    fields.setdefault("created_by", make_user())
    return SubjectRequest.objects.create(center=center, **fields)


def make_certificate(center: Center, **fields):
    """A numbered certificate of a closed class, recorded as issued, with a PDF."""
    import secrets

    from django.contrib.auth.models import User

    from enrollment.models import Certificate, CertificateBatch

    training_class = make_class(center, status="closed")
    enrollment = make_enrollment(
        training_class, status=Enrollment.Status.COMPLETED, grade="Khá"
    )
    batch = CertificateBatch.objects.create(
        training_class=training_class,
        total=1,
        created_by=User.objects.create(username=unique("issuer")),
        status=CertificateBatch.Status.DONE,
    )
    number = Certificate.objects.filter(issuer=center.organization).count() + 1
    fields.setdefault("kind", Certificate.Kind.CERTIFICATE)
    fields.setdefault("year", 2026)
    fields.setdefault("number", number)
    fields.setdefault("number_text", f"{number}/GCN-TTCT")
    fields.setdefault("issued_on", datetime.date(2026, 3, 10))
    fields.setdefault("pdf", blank_pdf())
    return Certificate.objects.create(
        enrollment=enrollment,
        issuer=center.organization,
        code=secrets.token_urlsafe(16),
        batch=batch,
        fields={"full_name": enrollment.trainee.full_name},
        **fields,
    )


def blank_pdf() -> bytes:
    """A real one-page A4 PDF, blank."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
