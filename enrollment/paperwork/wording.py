"""The kinds of class paper, the fields their text may name, their default
Vietnamese texts, and the one safe way a text is filled.

A centre's director may reword any kind (enrollment.models.PaperWording).
The text is plain lines; a field is a name in braces, "{lop}", replaced by
the class's value and nothing else: no template language ever runs on a
text a user wrote, so "{{ x }}" or "{% x %}" stay as typed, and the result is
escaped wherever it is printed. A name that is not a field of the kind is
refused when the text is saved, with the name in the message.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _, gettext_lazy as _l

from trainingcenter.documents import Kind

# {name}: lower-case letters, digits and underscores, no space inside.
FIELD = re.compile(r"\{([A-Za-z0-9_]+)\}")
# A line standing alone as {danh_sach} is where a paper's list goes.
LIST_FIELD = "danh_sach"
TEXT_MAX_CHARS = 10_000
DEFAULTS = Path(__file__).resolve().parent / "defaults"

FIELDS = {
    "lop": _l("the class: programme and intake"),
    "chuong_trinh": _l("the programme's name"),
    "ngay_khai_giang": _l("first day, dd/mm/yyyy"),
    "ngay_be_giang": _l("last day, dd/mm/yyyy"),
    "dia_diem": _l("the venue"),
    "so_hoc_vien": _l("number of trainees (of the unit, in a paper to a unit)"),
    "so_luong": _l(
        "number called: of the unit in a summons (the number asked of it, or "
        "its people when more are enrolled), of the class in a plan"
    ),
    "so_buoi": _l("number of sessions"),
    "so_tiet": _l("number of periods"),
    "giang_vien": _l("the lecturers"),
    "phoi_hop": _l("the co-organisers"),
    "trung_tam": _l("the centre's name"),
    "co_quan": _l("the issuing body (second header line)"),
    "nam": _l("the year of the class"),
    "don_vi": _l("the sending unit"),
    "so_dat": _l("number of trainees who passed"),
    "van_bang": _l("what passing earns: “giấy chứng nhận” or, for a diploma, “bằng”"),
    "van_ban_mo_lop": _l("the plan or decision that opened the class"),
    LIST_FIELD: _l("the list of trainees, on a line of its own"),
}
COMMON = [
    "lop",
    "van_bang",
    "chuong_trinh",
    "ngay_khai_giang",
    "ngay_be_giang",
    "dia_diem",
    "so_hoc_vien",
    "so_buoi",
    "so_tiet",
    "giang_vien",
    "phoi_hop",
    "trung_tam",
    "co_quan",
    "nam",
]


@dataclass(frozen=True)
class PaperKind:
    code: str  # in URLs and keys
    register_kind: str  # BC/KH/QĐ/GTT/TB
    label: object
    doc_type: str  # printed, always Vietnamese
    per_unit: bool
    fields: tuple[str, ...]
    default: str


def _default(name: str) -> str:
    """A kind's default text: a party document is always Vietnamese, so the
    texts are kept as written, one file each beside this module."""
    return (DEFAULTS / f"{name}.txt").read_text(encoding="utf-8").strip()


UNIT = ("don_vi", LIST_FIELD)
CALLED = ("so_luong",)
KINDS = {
    kind.code: kind
    for kind in (
        PaperKind(
            "plan",
            Kind.PLAN,
            _l("Plan to open the class"),
            "KẾ HOẠCH",
            False,
            (*COMMON, *CALLED),
            _default("plan"),
        ),
        PaperKind(
            "opening",
            Kind.DECISION,
            _l("Decision to open the class"),
            "QUYẾT ĐỊNH",
            False,
            (*COMMON, *CALLED),
            _default("opening"),
        ),
        PaperKind(
            "summons",
            Kind.SUMMONS,
            _l("Summons to the sending units"),
            "GIẤY TRIỆU TẬP",
            True,
            (*COMMON, *UNIT, *CALLED),
            _default("summons"),
        ),
        PaperKind(
            "results",
            Kind.DECISION,
            _l("Decision recognising the results"),
            "QUYẾT ĐỊNH",
            False,
            (*COMMON, "so_dat", "van_ban_mo_lop"),
            _default("results"),
        ),
        PaperKind(
            "notice",
            Kind.NOTICE,
            _l("Notice of results to the sending units"),
            "THÔNG BÁO",
            True,
            (*COMMON, *UNIT, "so_dat"),
            _default("notice"),
        ),
    )
}
# The class is opened by a plan or by a decision: the centre issues one.
OPENING_KINDS = ("plan", "opening")


def unknown_fields(kind: PaperKind, text: str) -> list[str]:
    """The names in braces that are not fields of `kind`, in order, once each."""
    found = []
    for name in FIELD.findall(text):
        if name not in kind.fields and name not in found:
            found.append(name)
    return found


def check(kind: PaperKind, text: str) -> str:
    """The text as it would be kept, or a ValidationError naming what is wrong."""
    text = "\n".join(line.rstrip() for line in (text or "").splitlines()).strip()
    if not text:
        raise ValidationError(_("The text cannot be empty."), code="empty")
    if len(text) > TEXT_MAX_CHARS:
        raise ValidationError(
            _("The text may hold at most %(count)s characters.")
            % {"count": f"{TEXT_MAX_CHARS:,}".replace(",", ".")},
            code="too_long",
        )
    if unknown := unknown_fields(kind, text):
        raise ValidationError(
            _(
                "Unknown field %(fields)s: use only the fields listed beside the "
                "text. Nothing was saved."
            )
            % {"fields": ", ".join(f"{{{name}}}" for name in unknown)},
            code="unknown_field",
        )
    return text


def fill(text: str, values: dict[str, str]) -> str:
    """Each {name} of `values` replaced by its value; everything else,
    braces included, stays exactly as written."""
    return FIELD.sub(
        lambda match: str(values.get(match.group(1), match.group(0))), text
    )


def text_of(center, kind: PaperKind) -> str:
    """The centre's wording of `kind`, or the default one."""
    from enrollment.models import PaperWording

    wording = PaperWording.objects.filter(center=center, kind=kind.code).first()
    return wording.text if wording else kind.default
