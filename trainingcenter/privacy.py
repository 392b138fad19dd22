"""Need to know: which role sees which sensitive field, on which page or export.

Sensitive personal data under the Law on Personal Data Protection
(91/2025/QH15): the citizen ID, ethnicity, party membership and its dates,
and religion (not recorded today; listed so that a centre that records it
starts from "omitted" everywhere). `TABLE` is the one place that says what
each role sees; templates and exporters ask `rule()` or `visible()`, the
docs' table (docs/privacy.md) is written from it by `markdown_table()`, and
a test walks every page and export against it.

Also here: the citizen ID's mask (its last four digits), the logging filter
that masks any 12-digit number in a log line, and the purposes an export of
personal data must give.
"""

import logging
import re

from django import forms
from django.utils.translation import gettext_lazy as _

SHOWN, MASKED, OMITTED, NO_ACCESS = "shown", "masked", "omitted", "no access"

FIELDS = {
    "citizen_id": "Số CCCD",
    "ethnicity": "Dân tộc",
    "party_status": "Đảng viên (tình trạng)",
    "party_dates": "Ngày vào Đảng, ngày chính thức",
    "religion": "Tôn giáo",
}
ROLES = {
    "staff": "Cán bộ trung tâm",
    "director": "Giám đốc",
    "committee": "Cấp ủy",
    "administrator": "Quản trị hệ thống",
}
PLACES = {
    "trainee_list": "Danh sách học viên (trang)",
    "trainee_detail": "Hồ sơ học viên (trang)",
    "trainee_form": "Sửa hồ sơ học viên (biểu mẫu)",
    "class_roster": "Trang lớp (danh sách, điểm danh, kết quả)",
    "roster_export": "Danh sách lớp (Excel)",
    "roster_pdf": "Danh sách ký tên (PDF)",
    "registry_export": "Danh sách học viên của trung tâm (Excel)",
    "certificate_register": "Sổ cấp giấy chứng nhận (trang, PDF, Excel)",
    "report_workbook": "Báo cáo (trang, PDF, Excel, kể cả danh sách lớp)",
    "rollup_certified": "Tổng hợp: người có giấy chứng nhận (trang, Excel)",
    "rollup_pipeline": "Tổng hợp: nguồn kết nạp Đảng (trang, Excel)",
    "person_file": "Hồ sơ dữ liệu của người học (PDF, Excel)",
}

_ALL = (SHOWN, SHOWN, SHOWN, SHOWN, OMITTED)
_NONE = (OMITTED, OMITTED, OMITTED, OMITTED, OMITTED)
_MASKED_ID = (MASKED, SHOWN, SHOWN, SHOWN, OMITTED)
_PARTY_ONLY = (OMITTED, OMITTED, SHOWN, SHOWN, OMITTED)
_SHUT = (NO_ACCESS,) * 5


def _row(*values) -> dict:
    return dict(zip(FIELDS, values, strict=True))


# place -> role -> field -> SHOWN / MASKED / OMITTED / NO_ACCESS.
# Staff enter and correct people (the form shows the ID in full) but read
# the record and export the whole registry with the ID masked; the director
# answers for the data and sees it; a committee reads rollups, where only the
# admission pipeline needs party status; the administrator manages accounts
# and centres (the admin holds no trainee) and reads what a committee reads.
TABLE = {
    "trainee_list": {
        "staff": _row(*_NONE),
        "director": _row(*_NONE),
        "committee": _row(*_SHUT),
        "administrator": _row(*_SHUT),
    },
    "trainee_detail": {
        "staff": _row(*_MASKED_ID),
        "director": _row(*_ALL),
        "committee": _row(*_SHUT),
        "administrator": _row(*_SHUT),
    },
    "trainee_form": {
        "staff": _row(*_ALL),
        "director": _row(*_ALL),
        "committee": _row(*_SHUT),
        "administrator": _row(*_SHUT),
    },
    "class_roster": {
        "staff": _row(*_NONE),
        "director": _row(*_NONE),
        "committee": _row(*_SHUT),
        "administrator": _row(*_SHUT),
    },
    "roster_export": {
        "staff": _row(*_ALL),
        "director": _row(*_ALL),
        "committee": _row(*_SHUT),
        "administrator": _row(*_SHUT),
    },
    "roster_pdf": {
        "staff": _row(*_NONE),
        "director": _row(*_NONE),
        "committee": _row(*_SHUT),
        "administrator": _row(*_SHUT),
    },
    "registry_export": {
        "staff": _row(*_MASKED_ID),
        "director": _row(*_ALL),
        "committee": _row(*_SHUT),
        "administrator": _row(*_SHUT),
    },
    "certificate_register": {
        "staff": _row(*_NONE),
        "director": _row(*_NONE),
        "committee": _row(*_SHUT),
        "administrator": _row(*_SHUT),
    },
    "report_workbook": {
        "staff": _row(*_NONE),
        "director": _row(*_NONE),
        "committee": _row(*_NONE),
        "administrator": _row(*_NONE),
    },
    "rollup_certified": {
        "staff": _row(*_SHUT),
        "director": _row(*_SHUT),
        "committee": _row(*_NONE),
        "administrator": _row(*_NONE),
    },
    "rollup_pipeline": {
        "staff": _row(*_SHUT),
        "director": _row(*_SHUT),
        "committee": _row(*_PARTY_ONLY),
        "administrator": _row(*_PARTY_ONLY),
    },
    "person_file": {
        "staff": _row(*_SHUT),
        "director": _row(*_ALL),
        "committee": _row(*_SHUT),
        "administrator": _row(*_SHUT),
    },
}


def role_of(membership, user=None) -> str:
    """The table's role for a membership (or a superuser without one)."""
    if membership is not None:
        return membership.role
    return "administrator" if user is not None and user.is_superuser else "staff"


def rule(place: str, role: str, field: str) -> str:
    return TABLE[place][role][field]


def visible(place: str, role: str) -> dict[str, str]:
    """Field -> rule for one role on one place (what a template asks)."""
    return TABLE[place][role]


def mask_citizen_id(value: str) -> str:
    """ "••••••••1234": the last four digits, enough to tell two people apart
    on the phone, never enough to use the number."""
    value = (value or "").strip()
    return f"{'•' * 8}{value[-4:]}" if value else ""


def citizen_id_for(place: str, role: str, value: str) -> str:
    """The citizen ID as `role` may see it on `place`: in full, masked or ""."""
    shown = rule(place, role, "citizen_id")
    if shown == SHOWN:
        return value or ""
    return mask_citizen_id(value) if shown == MASKED else ""


def markdown_table() -> str:
    """The docs' table, one block per page or export (docs/privacy.md)."""
    label = {
        SHOWN: "hiện",
        MASKED: "che (4 số cuối)",
        OMITTED: "không có",
        NO_ACCESS: "không vào được",
    }
    lines = []
    for place, roles in TABLE.items():
        lines += [f"### {PLACES[place]} (`{place}`)", ""]
        lines.append("| Trường | " + " | ".join(ROLES.values()) + " |")
        lines.append("|---" * (len(ROLES) + 1) + "|")
        for field, title in FIELDS.items():
            cells = [label[roles[role][field]] for role in ROLES]
            lines.append(f"| {title} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


# Logs and error reports ------------------------------------------------------

# Twelve digits standing alone: a citizen ID (CCCD), wherever it appears.
CITIZEN_ID_PATTERN = re.compile(r"(?<!\d)\d{8}(\d{4})(?!\d)")


def mask_ids_in(text: str) -> str:
    return CITIZEN_ID_PATTERN.sub(lambda m: "•" * 8 + m[1], text)


class MaskCitizenIdsFilter(logging.Filter):
    """Mask every 12-digit number of a log record (its message, its
    arguments and its traceback), so that no citizen ID reaches a log file or
    an error report, whoever wrote the line."""

    def filter(self, record):
        message = record.getMessage()
        masked = mask_ids_in(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_ids_in(record.exc_text)
        return True


# The purpose of an export ----------------------------------------------------


class Purpose:
    COMMITTEE_REPORT = "committee_report"
    ADMISSION = "admission"
    CERTIFICATE = "certificate"
    OWN_REQUEST = "own_request"
    CLASS_WORK = "class_work"
    OTHER = "other"

    CHOICES = [
        (COMMITTEE_REPORT, _("Report to the party committee")),
        (ADMISSION, _("Review for party admission")),
        (CERTIFICATE, _("Issuing certificates")),
        (OWN_REQUEST, _("Request of the person themself")),
        (CLASS_WORK, _("Running the class")),
        (OTHER, _("Other")),
    ]


class PurposeForm(forms.Form):
    """Why personal data leaves the system: a choice, and words for "Other"."""

    purpose = forms.ChoiceField(
        label=_("Purpose of the export"),
        choices=Purpose.CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Choose the purpose of this export: a file with personal data "
                "is not made without one."
            )
        },
    )
    purpose_detail = forms.CharField(
        label=_("Purpose in your own words"), max_length=200, required=False
    )

    def clean(self):
        cleaned = super().clean()
        detail = " ".join((cleaned.get("purpose_detail") or "").split())
        if cleaned.get("purpose") == Purpose.OTHER and not detail:
            self.add_error(
                "purpose_detail",
                _('Say what the export is for when you choose "Other".'),
            )
        cleaned["purpose_detail"] = mask_ids_in(detail)
        return cleaned


# Searches ---------------------------------------------------------------------

_ID_LIKE = re.compile(r"\d{9,}")


def looks_like_citizen_id(text: str) -> bool:
    """A search text holding nine digits or more in a row: an ID (old ID
    cards had nine, citizen IDs twelve), never put in an address."""
    return bool(_ID_LIKE.search((text or "").replace(" ", "").replace(".", "")))
