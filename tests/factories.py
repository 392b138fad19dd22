"""Plain factories with keyword defaults and unique values (STYLE.md S21)."""

import uuid

from django.contrib.auth import get_user_model

from courses.models import Lecturer
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
