"""Who may do what: the one table of the roles' rights.

Each action names the roles that may take it and the centre pages (URL
names) it consists of. The "roles" page of the application, the table of the
user guide (docs/huong-dan-su-dung.md) and the URL walk of the tests
(tests/test_urls_permissions.py) are all read from `ACTIONS`: a view whose
`role_required` disagrees with its action, a centre page that no action
lists, or a guide whose table differs, fails a test.

An action without pages is decided inside a page that more roles open (a
director's confirmation on the enrolment page, the plan page that only a
director may save); its view checks it and its tests say so.
"""

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from trainingcenter.models import Membership

STAFF = Membership.Role.STAFF
DIRECTOR = Membership.Role.DIRECTOR
COMMITTEE = Membership.Role.COMMITTEE
# A superuser: the back office (Django admin), no role inside a centre.
ADMINISTRATOR = "administrator"

ROLES = [
    (STAFF, Membership.Role.STAFF.label),
    (DIRECTOR, Membership.Role.DIRECTOR.label),
    (COMMITTEE, Membership.Role.COMMITTEE.label),
    (ADMINISTRATOR, _("Administrator")),
]
CENTRE = frozenset({STAFF, DIRECTOR})
READERS = frozenset({STAFF, DIRECTOR, COMMITTEE})


@dataclass(frozen=True)
class Action:
    title: str
    roles: frozenset
    pages: tuple[str, ...] = ()


ACTIONS = [
    Action(
        _(
            "Read the centre's overview, its summary report (page, PDF, Excel) "
            "and the programmes"
        ),
        READERS,
        (
            "reports:dashboard",
            "reports:report",
            "reports:report_pdf",
            "reports:report_xlsx",
            "reports:report_docx",
            "courses:class_type_list",
        ),
    ),
    Action(
        _("Read the report's assessment and the issued reports (PDF, Word)"),
        READERS,
        (
            "reports:report_text",
            "reports:issued_reports",
            "reports:issued_report",
            "reports:issued_pdf",
            "reports:issued_docx",
        ),
    ),
    Action(
        _("Write the report's assessment, direction and proposals"),
        frozenset({DIRECTOR}),
    ),
    Action(
        _("Issue a report with its number, and a new version of it"),
        frozenset({DIRECTOR}),
        ("reports:report_issue", "reports:issued_new_version"),
    ),
    Action(
        _(
            "Read the register of outgoing documents (every issued document, "
            "its PDF and Word files) and export it"
        ),
        CENTRE,
        (
            "documents:outgoing",
            "documents:outgoing_xlsx",
            "documents:outgoing_pdf",
            "documents:outgoing_docx",
        ),
    ),
    Action(
        _("Set whether the register numbers per year or per committee term"),
        frozenset({DIRECTOR}),
        ("documents:outgoing_period",),
    ),
    Action(
        _("Read the annual plans"),
        READERS,
        ("courses:plan_current", "courses:plan_form"),
    ),
    Action(_("Set the annual plan"), frozenset({DIRECTOR})),
    Action(
        _("Open classes, change them and add their sessions"),
        CENTRE,
        (
            "courses:class_list",
            "courses:class_create",
            "courses:class_update",
            "courses:class_quotas",
            "courses:session_create",
            "courses:session_update",
            "enrollment:class_detail",
        ),
    ),
    Action(
        _("Enter classes from before the system from an Excel file"),
        CENTRE,
        ("enrollment:historic_class_import", "enrollment:historic_class_template"),
    ),
    Action(
        _("Correct the figures of a class from before the system"),
        frozenset({DIRECTOR}),
        ("courses:class_correct",),
    ),
    Action(
        _("Keep the trainee registry"),
        CENTRE,
        (
            "enrollment:trainee_list",
            "enrollment:trainee_create",
            "enrollment:trainee_detail",
            "enrollment:trainee_update",
            "enrollment:registry_export",
        ),
    ),
    Action(
        _("Enrol trainees (by search or from an Excel list) and withdraw them"),
        CENTRE,
        (
            "enrollment:enrollment_add",
            "enrollment:enrollment_withdraw",
            "enrollment:class_template",
            "enrollment:import_upload",
            "enrollment:import_preview",
            "enrollment:import_confirm",
            "enrollment:import_errors",
        ),
    ),
    Action(_("Enrol beyond a class's capacity"), frozenset({DIRECTOR})),
    Action(
        _("Create a unit missing from the register while importing a list"),
        frozenset({DIRECTOR}),
        ("enrollment:import_unit_create",),
    ),
    Action(
        _(
            "Make a class's papers as drafts (plan, summons, decisions, notices) "
            "and download the issued ones (PDF, Word, ZIP)"
        ),
        CENTRE,
        (
            "enrollment:paper_draft_pdf",
            "enrollment:paper_draft_docx",
            "enrollment:paper_pdf",
            "enrollment:paper_docx",
            "enrollment:paper_zip",
        ),
    ),
    Action(
        _("Issue a class's papers with their numbers, and new versions of them"),
        frozenset({DIRECTOR}),
        ("enrollment:paper_issue", "enrollment:paper_new_version"),
    ),
    Action(
        _("Adapt the centre's wording of the class papers"),
        frozenset({DIRECTOR}),
        ("enrollment:paper_wording",),
    ),
    Action(
        _("Take attendance, enter results, move a class on and close it"),
        CENTRE,
        (
            "enrollment:attendance",
            "enrollment:results",
            "enrollment:class_status",
            "enrollment:class_close",
        ),
    ),
    Action(
        _("Reopen a closed class, giving a reason"),
        frozenset({DIRECTOR}),
        ("enrollment:class_reopen",),
    ),
    Action(
        _("Print the sign-in list and export the class list"),
        CENTRE,
        ("enrollment:roster_pdf", "enrollment:roster_export"),
    ),
    Action(
        _("Run learner feedback (link, QR code, paper forms)"),
        CENTRE,
        (
            "enrollment:class_feedback",
            "enrollment:feedback_open",
            "enrollment:feedback_screen",
            "enrollment:feedback_slips",
            "enrollment:feedback_paper",
        ),
    ),
    Action(_("Read the learners' written comments"), frozenset({DIRECTOR})),
    Action(
        _("Keep the lecturers and their activities"),
        CENTRE,
        (
            "courses:lecturer_list",
            "courses:lecturer_create",
            "courses:lecturer_update",
            "courses:lecturer_activity_create",
            "courses:lecturer_activity_update",
            "courses:lecturer_activity_delete",
        ),
    ),
    Action(
        _("See and print issued certificates and the certificate register"),
        CENTRE,
        (
            "enrollment:class_certificates",
            "enrollment:class_certificates_pdf",
            "enrollment:class_certificates_zip",
            "enrollment:batch_detail",
            "enrollment:batch_resume",
            "enrollment:certificate_detail",
            "enrollment:certificate_pdf",
            "enrollment:register",
            "enrollment:register_pdf",
            "enrollment:register_xlsx",
        ),
    ),
    Action(
        _("Issue certificates (numbers that are never given back)"),
        frozenset({DIRECTOR}),
        ("enrollment:certificates_issue",),
    ),
    Action(
        _("Revoke and reissue a certificate"),
        frozenset({DIRECTOR}),
        ("enrollment:certificate_revoke", "enrollment:certificate_reissue"),
    ),
    Action(
        _("Record the numbers of diplomas"),
        frozenset({DIRECTOR}),
        ("enrollment:diplomas_record",),
    ),
    Action(
        _(
            "See who exported personal data and who opened whose record; "
            "export a person's own file"
        ),
        frozenset({DIRECTOR}),
        (
            "enrollment:export_log",
            "enrollment:export_log_xlsx",
            "enrollment:access_log",
            "enrollment:person_file_pdf",
            "enrollment:person_file_xlsx",
        ),
    ),
    Action(
        _("Record the requests people make about their data, and their answers"),
        frozenset({DIRECTOR}),
        (
            "enrollment:subject_requests",
            "enrollment:subject_request_create",
            "enrollment:subject_request_update",
        ),
    ),
    Action(
        _("Read the report and rollups over every centre under the organization"),
        frozenset({COMMITTEE}),
    ),
    Action(
        _(
            "Write the organization's own report and issue it in the "
            "organization's register: only the committee member whose "
            "membership is marked “writes and issues the committee's "
            "documents” (the committee's office), set in the administration"
        ),
        frozenset({COMMITTEE}),
    ),
    Action(
        _(
            "Manage centres, organizations, users and their roles, programmes "
            "and lecturers in the administration; import and export them"
        ),
        frozenset({ADMINISTRATOR}),
    ),
]


def action_of(page: str) -> Action | None:
    """The action a centre page (URL name) belongs to."""
    for action in ACTIONS:
        if page in action.pages:
            return action
    return None


def table() -> list[tuple[str, list[bool]]]:
    """Each action's title and, per role of ROLES, whether it may."""
    return [
        (str(action.title), [role in action.roles for role, _ in ROLES])
        for action in ACTIONS
    ]


def markdown_table() -> str:
    """The table as the user guide prints it, in Vietnamese."""
    with translation.override("vi"):
        head = ["Việc", *(str(label) for _, label in ROLES)]
        lines = [
            "| " + " | ".join(head) + " |",
            "|" + "---|" * len(head),
        ]
        for title, allowed in table():
            marks = ["✓" if may else "—" for may in allowed]
            lines.append("| " + " | ".join([title, *marks]) + " |")
    return "\n".join(lines) + "\n"
