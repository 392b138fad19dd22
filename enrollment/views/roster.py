"""A class's roster: the class page and status, attendance, results, its files."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses import quotas
from courses.models import ClassType, TrainingClass
from enrollment import exports
from enrollment.forms import (
    parse_score,
)
from enrollment.models import (
    Attendance,
    Enrollment,
    ExportLog,
    Survey,
)
from enrollment.paperwork import issuing as paperwork
from enrollment.paperwork.content import held_certificates
from enrollment.services import certificates, feedback, privacy, roster as services
from enrollment.views.class_history import class_corrections, results_history
from enrollment.views.privacy import ask_purpose
from trainingcenter.http import PDF, file_response
from trainingcenter.models import Membership
from trainingcenter.pdf import render_pdf
from trainingcenter.percent import ungraded_shares
from trainingcenter.privacy import PLACES, Purpose, role_of
from trainingcenter.templatetags.vn import vn_score
from trainingcenter.tenancy import STAFF_ROLES, role_required
from trainingcenter.text import told_apart

# The grades of the class page, best first (the summary's counts).
GRADES = {
    "excellent": gettext_lazy("Excellent"),
    "good": gettext_lazy("Good"),
    "average": gettext_lazy("Average"),
    "failed": gettext_lazy("Not passed"),
}

# What a class from before the system records instead of a roster.
DECLARED_NUMBERS = [
    "declared_called",
    "declared_attended",
    "declared_enrolled",
    "declared_completed",
    "declared_certified",
]


NO_SESSION_HELD = gettext_lazy(
    "No session of this class has taken place yet; results and attendance "
    "can be entered once one has."
)


def _roster(training_class):
    return training_class.enrollments.select_related("trainee", "unit").order_by(
        "trainee__sort_key", "trainee__birth_date", "pk"
    )


@require_GET
@role_required(*STAFF_ROLES)
def class_detail(request, center, pk):
    training_class = get_object_or_404(
        request.center.classes.select_related(
            "class_type__block",
            "organizer",
            "ordering_body",
            "certificate_issuer",
            "summary",
        ).prefetch_related(Prefetch("co_organizers__organization"), "quotas"),
        pk=pk,
    )
    # With the certificates the class papers name: their states read the
    # roster and the sessions of this page instead of reading them again.
    roster = list(_roster(training_class).prefetch_related(held_certificates()))
    rates = services.attendance_rates(training_class)
    for enrollment in roster:
        enrollment.attendance_rate = rates.get(enrollment.pk)
    # In date order, said again: Django leaves a model's default ordering out
    # of a query with GROUP BY, and PostgreSQL returns groups in any order.
    sessions = (
        training_class.class_sessions.select_related("lecturer")
        .annotate(
            records=Count("attendances"),
            present=Count("attendances", filter=Q(attendances__present=True)),
        )
        .order_by("date", "part")
    )
    history = results_history(training_class, roster)
    corrections = class_corrections(training_class)
    active = [e for e in roster if e.status != Enrollment.Status.WITHDRAWN]
    active_rates = [rates[e.pk] for e in active if e.pk in rates]
    class_rate = sum(active_rates) / len(active_rates) if active_rates else None
    return render(
        request,
        "enrollment/roster/class_detail.html",
        {
            "training_class": training_class,
            "roster": roster,
            "sessions": sessions,
            "history": history,
            "corrections": corrections,
            "declared_numbers": [
                (
                    TrainingClass._meta.get_field(name).verbose_name,
                    getattr(training_class, name),
                )
                for name in DECLARED_NUMBERS
            ],
            "active_count": len(active),
            "called": quotas.total(training_class),
            "grades": _grades(training_class),
            "class_rate": class_rate,
            "with_outcome": sum(e.status != Enrollment.Status.ENROLLED for e in active),
            # Each with the day it becomes possible, when that is to come:
            # the button waits, greyed, instead of failing when pressed.
            "next_statuses": [
                (TrainingClass.Status(s), services.available_from(training_class, s))
                for s in services.TRANSITIONS[training_class.status]
            ],
            "has_held_session": any(s.date <= timezone.localdate() for s in sessions),
            # A class from before the system has no roster to write papers from.
            "papers": []
            if training_class.historic
            else paperwork.states(training_class, roster, sessions),
            "unsupported": certificates.unsupported_certificates(training_class),
        },
    )


def _grades(training_class) -> list[tuple[str, int, object]]:
    """The class's grade distribution from its summary row: (grade, count,
    share of those assessed), shares adding up to 100,0% when every pass has
    a grade; [] before any grade."""
    summary = getattr(training_class, "summary", None)
    if summary is None:
        return []
    counts = {name: getattr(summary, name) for name in GRADES}
    if not sum(counts.values()):
        return []
    graded_passes = sum(counts.values()) - counts["failed"]
    parts = ungraded_shares(counts, summary.passed - graded_passes)
    return [(label, counts[name], parts[name]) for name, label in GRADES.items()]


@require_POST
@role_required(*STAFF_ROLES)
def class_status(request, center, pk):
    training_class = get_object_or_404(request.center.classes, pk=pk)
    target = request.POST.get("status", "")
    if target not in TrainingClass.Status.values:
        messages.error(request, _("Unknown status."))
        return redirect(training_class)
    if target == TrainingClass.Status.CLOSED and not request.POST.get("confirmed"):
        # Closing is asked once, on a page that says what it leaves behind.
        return redirect("enrollment:class_close", center, pk)
    try:
        services.change_class_status(training_class, to=target, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The class is now “%(status)s”.")
            % {"status": TrainingClass.Status(target).label},
        )
    return redirect(training_class)


@require_GET
@role_required(*STAFF_ROLES)
def class_close(request, center, pk):
    """Before closing: sessions held of those planned, roll calls not taken,
    trainees without an outcome, certificates not yet issued. Asked once."""
    training_class = get_object_or_404(
        request.center.classes.select_related("class_type"), pk=pk
    )
    if TrainingClass.Status.CLOSED not in services.TRANSITIONS[training_class.status]:
        messages.error(request, _("This class cannot be closed now."))
        return redirect(training_class)
    too_early = services.date_refusal(training_class, TrainingClass.Status.CLOSED)
    if too_early:  # said before the questions, not after them
        messages.error(request, too_early.message)
        return redirect(training_class)
    return render(
        request,
        "enrollment/roster/class_close.html",
        {
            "training_class": training_class,
            "facts": services.closing_facts(training_class),
            "unsupported": certificates.unsupported_certificates(training_class),
        },
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for reopening"),
        max_length=services.REOPEN_REASON_MAX,
        help_text=gettext_lazy("Kept in the class's history."),
    )


@require_http_methods(["GET", "POST"])
@role_required(Membership.Role.DIRECTOR)
def class_reopen(request, center, pk):
    """A director reopens a closed class, giving the reason; certificates
    already issued stay valid unless revoked."""
    training_class = get_object_or_404(
        request.center.classes.select_related("class_type"), pk=pk
    )
    if training_class.historic:
        messages.error(
            request, _("A class from before the system is corrected, not reopened.")
        )
        return redirect(training_class)
    if not training_class.is_closed:
        messages.error(request, _("Only a closed class can be reopened."))
        return redirect(training_class)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_class(
                training_class, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(
                request, _("The class was reopened; it is “In progress” again.")
            )
            return redirect(training_class)
    return render(
        request,
        "enrollment/roster/class_reopen.html",
        {"training_class": training_class, "form": form},
    )


@require_GET
@role_required(*STAFF_ROLES)
def roster_pdf(request, center, class_pk):
    """The sign-in list of a class as an A4 PDF, without citizen IDs."""
    training_class = get_object_or_404(
        request.center.classes.select_related("class_type"), pk=class_pk
    )
    roster = list(_roster(training_class).exclude(status=Enrollment.Status.WITHDRAWN))
    survey = Survey.objects.filter(training_class=training_class).first()
    today = timezone.localdate()
    # The form's code only while it can still be answered: a list printed
    # after the class does not send trainees to a closed form.
    answerable = survey and (
        today < training_class.start_date or feedback.is_open(training_class, today)
    )
    link = feedback.public_url(survey) if answerable else ""
    with translation.override("vi"):
        content = render_pdf(
            "enrollment/print/roster.html",
            {
                "center": request.center,
                "training_class": training_class,
                "roster": roster,
                "document_date": today,
                # The feedback form's QR code and short link, once it is open.
                "feedback_link": link.split("://", 1)[-1],
                "feedback_qr": feedback.qr_data_uri(link, scale=3) if link else "",
            },
        )
    privacy.record_print(
        user=request.user,
        center=request.center,
        kind=ExportLog.Kind.ROSTER,
        purpose=Purpose.CLASS_WORK,
        file_format="pdf",
        people=len(roster),
        filters={"class": training_class.pk},
    )
    return file_response(
        f"danh-sach-hoc-vien-lop-{training_class.pk}.pdf", PDF, content
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def attendance(request, center, class_pk, pk):
    training_class = get_object_or_404(request.center.classes, pk=class_pk)
    class_session = get_object_or_404(
        training_class.class_sessions.select_related("lecturer"), pk=pk
    )
    roster = list(
        _roster(training_class).filter(~Q(status=Enrollment.Status.WITHDRAWN))
    )
    held = class_session.date <= timezone.localdate()
    posted = reasons = None
    if request.method == "POST":
        posted = {int(i) for i in request.POST.getlist("present") if i.isdigit()}
        reasons = {e.pk: request.POST.get(f"reason-{e.pk}", "") for e in roster}
        try:
            rejudged = services.record_attendance(
                class_session, present=posted, reasons=reasons, by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Attendance was saved."))
            name = told_apart(
                {e.pk: (e.trainee.full_name, e.trainee.birth_display) for e in roster}
            )
            ignored = [
                name[e.pk] for e in roster if e.pk in posted and reasons[e.pk].strip()
            ]
            if ignored:  # a reason beside a tick: said, not dropped in silence
                messages.warning(
                    request,
                    _("Ticked present, so no reason for absence was kept: %(names)s.")
                    % {"names": ", ".join(ignored)},
                )
            if rejudged:  # a result saved before this roll call reads otherwise
                changed = [f"{name[e.pk]}: {e.get_status_display()}" for e in rejudged]
                messages.info(
                    request,
                    _("With this roll call, results were judged again: %(list)s.")
                    % {"list": "; ".join(changed)},
                )
            return redirect(training_class)
    recorded = {
        pk: (present, reason)
        for pk, present, reason in Attendance.objects.filter(
            class_session=class_session
        ).values_list("enrollment_id", "present", "absence_reason")
    }
    for enrollment in roster:
        # A refused save keeps what was ticked and typed; before the first
        # roll call everyone is ticked, and nothing counts until it is saved.
        if posted is not None:
            enrollment.is_present = enrollment.pk in posted
            enrollment.absence_reason = reasons[enrollment.pk]
        else:
            enrollment.is_present, enrollment.absence_reason = recorded.get(
                enrollment.pk, (True, "")
            )
    return render(
        request,
        "enrollment/roster/attendance.html",
        {
            "training_class": training_class,
            "class_session": class_session,
            "roster": roster,
            "held": held,
            "taken": bool(recorded),
        },
    )


def _clearing(training_class, roster, rows, version: str) -> list:
    """The enrolments whose saved score the grid empties, asked about first:
    an emptied cell looks like nothing, and took the trainee's result with
    it. Only on the grid as saved (a stale one is refused whatever it
    empties) and only where a result needs a score."""
    if version != str(training_class.version):
        return []
    if training_class.assessment == ClassType.Assessment.NONE:
        return []
    return [
        e
        for e in roster
        if e.score is not None and e.pk in rows and rows[e.pk].score is None
    ]


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def results(request, center, class_pk):
    training_class = get_object_or_404(
        request.center.classes.select_related("class_type"), pk=class_pk
    )
    roster = list(
        _roster(training_class).filter(~Q(status=Enrollment.Status.WITHDRAWN))
    )
    errors, values, bad_rows, clearing = [], {}, set(), []
    version = str(training_class.version)
    held = services.held_sessions(training_class).exists()
    if request.method == "POST" and not held:
        errors.append(NO_SESSION_HELD)
    elif request.method == "POST":
        rows = {}
        for number, enrollment in enumerate(roster, start=1):
            raw = request.POST.get(f"score-{enrollment.pk}", "")
            remarks = request.POST.get(f"remarks-{enrollment.pk}", "").strip()[:255]
            values[enrollment.pk] = (raw, remarks)
            try:
                score = parse_score(raw)
            except ValueError as error:
                bad_rows.add(enrollment.pk)
                errors.append(
                    _("Row %(row)s (%(name)s), column “Score”: %(message)s")
                    % {"row": number, "name": enrollment.trainee, "message": error}
                )
                continue
            rows[enrollment.pk] = services.ResultRow(enrollment.pk, score, remarks)
        version = request.POST.get("version", "")
        clearing = _clearing(training_class, roster, rows, version)
        confirmed = {
            int(pk)
            for pk in request.POST.get("clear_confirmed", "").split(",")
            if pk.isascii() and pk.isdigit()
        }
        if not errors and {e.pk for e in clearing} <= confirmed:
            try:
                services.record_results(
                    training_class,
                    rows=rows,
                    version=int(version) if version.isdigit() else -1,
                    by=request.user,
                )
            except ValidationError as error:
                errors += error.messages
            else:
                messages.success(request, _("The results were saved."))
                return redirect(training_class)
    for enrollment in roster:
        raw, remarks = values.get(
            enrollment.pk,
            (vn_score(enrollment.score), enrollment.remarks),
        )
        enrollment.raw_score, enrollment.raw_remarks = raw, remarks
    return render(
        request,
        "enrollment/roster/results.html",
        {
            "training_class": training_class,
            "roster": roster,
            "errors": errors,
            "bad_rows": bad_rows,
            "version": version,
            "held": held,
            "roll_called": bool(services.attendance_rates(training_class)),
            "clearing": [] if errors else clearing,
            "clearing_names": ", ".join(e.trainee.full_name for e in clearing),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def roster_export(request, center, class_pk):
    training_class = get_object_or_404(
        request.center.classes.select_related("class_type"), pk=class_pk
    )
    purpose, page = ask_purpose(request, PLACES["roster_export"])
    if page is not None:
        return page
    privacy.record_export(
        user=request.user,
        center=request.center,
        kind=ExportLog.Kind.ROSTER,
        file_format="xlsx",
        people=training_class.enrollments.active().count(),
        purpose=purpose,
        filters={"class": training_class.pk},
    )
    exporter = exports.RosterExporter(
        training_class, by=request.user, role=role_of(request.membership)
    )
    return file_response(*exporter.export())
