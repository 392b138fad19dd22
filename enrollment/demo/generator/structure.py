"""The generated country's organizations and centres, made once and reused.

Writes, for each province of the layout, the provincial party committee, its
political school and military command, five communes per centre and the
centre's own organization (`Organization`, codes "GEN-…"), then the centres
(`Center`, slugs "gen-PP-CC") and the communes they serve. A few thousand
rows at most, so they go through `bulk_create`, one insert per tree level so
that each level knows its parents' ids. Organizations and centres already
there are reused; a centre with a generated slug that is not generated data
stops the run before anything is written.
"""

import random
from dataclasses import dataclass, field

from enrollment.demo.generator import GeneratorError
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
# Centres per province made at each scale.
LAYOUTS = {
    "centre": [1],
    "province": [CENTRES_PER_PROVINCE[0]],
    "nation": CENTRES_PER_PROVINCE,
}
COMMUNES_PER_CENTRE = 5
PLACE_WORDS = (
    "An Bình Tân Phú Hòa Long Thạnh Hưng Xuân Vĩnh Phước Mỹ Quang Đông Tây Nam "
    "Bắc Trung Thuận Đức Minh Hồng Thanh Yên Cẩm Hải Sơn Lộc Phong Kim"
).split()
K, L = Organization.Kind, Organization.Level


@dataclass
class GeneratedCentre:
    """A generated centre and the organizations its year refers to."""

    center: Center
    province: int
    communes: list[Organization]
    school_id: int
    military_id: int
    lecturer_ids: list[int] = field(default_factory=list)


@dataclass
class Plan:
    """The organizations and centres a layout needs, by code and slug."""

    # (code, name, kind, level, parent code)
    organizations: list[tuple] = field(default_factory=list)
    # (province, slug, name, organization code, [(commune code, level, place)], place)
    centres: list[tuple] = field(default_factory=list)


def build_structure(layout: list[int]) -> tuple[list[GeneratedCentre], int, int]:
    """The provinces, communes, partners and centres of `layout` (centres per
    province, in province order); returns the centres and how many
    organizations and centres were new."""
    plan = _plan(layout)
    existing, fresh = _save_organizations(plan.organizations)
    found, new_centres = _save_centres(plan.centres, existing)
    by_slug = {**found, **{c.slug: c for c in new_centres}}
    result = []
    for p, slug, _name, _org, communes, _place in plan.centres:
        pcode = _province_code(p)
        result.append(
            GeneratedCentre(
                center=by_slug[slug],
                province=p,
                communes=[existing[code] for code, _, _ in communes],
                school_id=existing[f"{pcode}-TCT"].pk,
                military_id=existing[f"{pcode}-QS"].pk,
            )
        )
    return result, fresh, len(new_centres)


def _province_code(p: int) -> str:
    return f"{CODE_PREFIX}P{p + 1:02d}"


def _plan(layout: list[int]) -> Plan:
    """Codes, names and places: the same for the same layout, every time."""
    plan = Plan()
    for p, count in enumerate(layout):
        kind, province = PROVINCES[p]
        pcode = _province_code(p)
        plan.organizations += [
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
                plan.organizations.append(
                    (code, f"Đảng bộ {level} {place}", K.PARTY_COMMITTEE,
                     L.COMMUNE, pcode)
                )  # fmt: skip
                communes.append((code, level, place))
            code, level, place = communes[0]
            name = f"Trung tâm Chính trị {level} {place} – {province}"
            org_code = f"{pcode}-T{c + 1:02d}"
            plan.organizations.append(
                (org_code, name, K.TRAINING_CENTER, L.COMMUNE, code)
            )
            slug = f"{SLUG_PREFIX}{p + 1:02d}-{c + 1:02d}"
            plan.centres.append((p, slug, name, org_code, communes, place))
    return plan


def _save_organizations(wanted: list[tuple]) -> tuple[dict[str, Organization], int]:
    """Every wanted organization by code, the missing ones created; returns
    them and how many were new."""
    existing = {
        o.code: o for o in Organization.objects.filter(code__in=[w[0] for w in wanted])
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
            raise GeneratorError("Cây tổ chức sinh không hợp lệ.")
    return existing, len(fresh)


def _save_centres(centres: list[tuple], existing) -> tuple[dict, list[Center]]:
    """The generated centres already there by slug, and the ones created with
    the communes they serve. Refuses a real centre with a generated slug."""
    found = {
        c.slug: c
        for c in Center.objects.filter(slug__in=[c[1] for c in centres]).select_related(
            "organization"
        )
    }
    for slug, center in found.items():
        if not center.organization.code.startswith(CODE_PREFIX):
            raise GeneratorError(
                f"Trung tâm “{slug}” đã có và không phải dữ liệu sinh: không ghi gì."
            )
    missing = [c for c in centres if c[1] not in found]
    new_centres = []
    for _p, slug, name, org_code, communes, place in missing:
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
            for center, entry in zip(new_centres, missing, strict=True)
            for code, _, _ in entry[4]
        ]
    )
    return found, new_centres
