"""Learner feedback: the staff's pages for a class, and the public form.

The public pages are light (no Bootstrap, no script: an old phone on a slow
network) and need no account; a one-time code from the trainee's slip lets
them answer once.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_scopes import scope

from enrollment.forms import FeedbackForm, FormsGivenForm, PaperFormSet
from enrollment.models import (
    FeedbackAnswer,
    FeedbackAttempt,
    FeedbackResponse,
    Survey,
)
from enrollment.services import feedback
from trainingcenter.http import PDF, client_address, file_response, rate_limited
from trainingcenter.pdf import render_pdf
from trainingcenter.tenancy import STAFF_ROLES, find_by_code, role_required

BLANK_ROWS = 10


def _class(request, class_pk):
    return get_object_or_404(
        request.center.classes.select_related("class_type", "center"), pk=class_pk
    )


@require_GET
@role_required(*STAFF_ROLES)
def class_feedback(request, center, class_pk):
    training_class = _class(request, class_pk)
    survey = Survey.objects.filter(training_class=training_class).first()
    context = {
        "training_class": training_class,
        "survey": survey,
        "closes_on": feedback.closes_on(training_class),
        "is_open": feedback.is_open(training_class, timezone.localdate()),
    }
    if survey is not None:
        total, lecturers = feedback.class_results(survey)
        # Free text can name people: the director reads it, the staff do not.
        director = request.membership.is_director
        context |= {
            "link": feedback.public_url(survey),
            "qr": feedback.qr_data_uri(feedback.public_url(survey), scale=5),
            "total": total,
            # With one lecturer, their row is the class's.
            "rows": lecturers + [total] if len(lecturers) > 1 else lecturers,
            "show_comments": director,
            "comments": (
                list(
                    survey.responses.exclude(comment="")
                    .order_by("?")
                    .values_list("comment", flat=True)
                )
                if director
                else []
            ),
        }
    return render(request, "enrollment/feedback/class_feedback.html", context)


@require_POST
@role_required(*STAFF_ROLES)
def feedback_open(request, center, class_pk):
    training_class = _class(request, class_pk)
    feedback.open_survey(training_class)
    messages.success(
        request,
        _(
            "The feedback form is open. Print the code slips and hand one to "
            "each trainee."
        ),
    )
    return redirect("enrollment:class_feedback", center, training_class.pk)


@require_GET
@role_required(*STAFF_ROLES)
def feedback_screen(request, center, class_pk):
    """A page to project in the classroom: the QR code and the short link."""
    training_class = _class(request, class_pk)
    survey = get_object_or_404(Survey, training_class=training_class)
    link = feedback.public_url(survey)
    return render(
        request,
        "enrollment/feedback/screen.html",
        {
            "training_class": training_class,
            "link": link,
            "short_link": link.split("://", 1)[-1],
            "qr": feedback.qr_data_uri(link, scale=12),
            "closes_on": feedback.closes_on(training_class),
        },
    )


@require_GET
@role_required(*STAFF_ROLES)
def feedback_slips(request, center, class_pk):
    """A4 sheets of slips to cut: an unused code per trainee, with its QR."""
    training_class = _class(request, class_pk)
    survey = get_object_or_404(Survey, training_class=training_class)
    # No name on a slip, and shuffled: hand them out at random, and no one
    # (staff included) can tell whose code answered.
    slips = [
        {
            "code": feedback.shown_code(code.code),
            "qr": feedback.qr_data_uri(feedback.public_url(survey, code.code), scale=3),
        }
        for code in feedback.issue_codes(survey)
    ]
    link = feedback.public_url(survey)
    with translation.override("vi"):
        content = render_pdf(
            "enrollment/print/feedback_slips.html",
            {
                "center": request.center,
                "training_class": training_class,
                "slips": slips,
                "short_link": link.split("://", 1)[-1],
                "closes_on": feedback.closes_on(training_class),
            },
        )
    return file_response(f"phieu-ma-phan-hoi-lop-{training_class.pk}.pdf", PDF, content)


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def feedback_paper(request, center, class_pk):
    """The class's paper forms as one grid: a row per form, a digit per box."""
    training_class = _class(request, class_pk)
    survey = get_object_or_404(Survey, training_class=training_class)
    paper = survey.responses.filter(channel=FeedbackResponse.Channel.PAPER)
    questions = feedback.questions(
        training_class,
        also=FeedbackAnswer.objects.filter(response__in=paper)
        .exclude(lecturer=None)
        .values("lecturer")
        .distinct(),
    )
    # Comments are the director's to read (they may name people). Staff type
    # those of new forms; those already typed stay as they are, unseen.
    director = request.membership.is_director
    kept = {} if director else dict(paper.values_list("pk", "comment"))
    if request.method == "POST":
        formset = PaperFormSet(request.POST, questions=questions)
        given_form = FormsGivenForm(request.POST)
        if formset.is_valid() and given_form.is_valid():
            forms = [
                (
                    form.rows(),
                    kept[form.cleaned_data["id"]]
                    if form.cleaned_data.get("id") in kept
                    else form.cleaned_data.get("comment", ""),
                )
                for form in formset
                if not form.is_blank()
            ]
            try:
                feedback.replace_paper(
                    survey, forms, given_form.cleaned_data["forms_given"]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("%(count)s paper forms are recorded.") % {"count": len(forms)},
                )
                return redirect("enrollment:class_feedback", center, training_class.pk)
    else:
        formset = PaperFormSet(
            initial=_paper_initial(paper, questions, with_comments=director)
            + [{}] * _blank_rows(request),
            questions=questions,
        )
        given_form = FormsGivenForm(initial={"forms_given": survey.forms_given})
    return render(
        request,
        "enrollment/feedback/paper.html",
        {
            "training_class": training_class,
            "survey": survey,
            "questions": questions,
            "criteria": [(c, feedback.CRITERION_LABELS[c]) for c in feedback.CRITERIA],
            "formset": formset,
            "given_form": given_form,
            "given": feedback.forms_given(survey),
            "more_rows": _blank_rows(request) + BLANK_ROWS,
            "show_comments": director,
        },
    )


def _blank_rows(request) -> int:
    try:
        return min(max(int(request.GET.get("rows", BLANK_ROWS)), 1), 500)
    except ValueError:
        return BLANK_ROWS


def _paper_initial(paper, questions, *, with_comments: bool) -> list[dict]:
    """The paper forms already typed, as the grid's rows, in their order."""
    keys = {q.key for q in questions}
    rows = []
    for response in paper.prefetch_related("answers").order_by("number", "pk"):
        row = {"id": response.pk}
        if with_comments:
            row["comment"] = response.comment
        for answer in response.answers.all():
            key = str(answer.lecturer_id or 0)
            if key in keys:
                for criterion in feedback.CRITERIA:
                    value = getattr(answer, criterion)
                    row[f"q{key}_{criterion}"] = str(value) if value else ""
        rows.append(row)
    return rows


# The public form ----------------------------------------------------------------


def _wrong_code(request) -> None:
    """Log a wrong code; the log keeps a day (it is only there for the limit)."""
    FeedbackAttempt.objects.filter(
        at__lt=timezone.now() - datetime.timedelta(days=1)
    ).delete()
    FeedbackAttempt.objects.create(client=client_address(request))


def _window(request, survey):
    """The page for a form not open today, or None when it is open."""
    training_class = survey.training_class
    today = timezone.localdate()
    if today < training_class.start_date:
        return _public(request, "not_yet.html", survey, status=403)
    if not feedback.is_open(training_class, today):
        return _public(request, "closed.html", survey, status=410)
    return None


def _survey(token) -> Survey:
    survey = find_by_code(
        Survey,
        related=["training_class__class_type", "training_class__center"],
        token=token.upper(),
    )
    if survey is None:
        raise Http404
    return survey


@login_not_required
@never_cache
@require_GET
def feedback_start(request, token):
    """Where the class's QR code leads: type the code from the slip."""
    survey = _survey(token)
    with scope(center=survey.training_class.center):
        closed = _window(request, survey)
        if closed:
            return closed
        typed = feedback.normalize_code(request.GET.get("code", ""))
        if typed:
            return redirect("feedback_form", token=survey.token, code=typed)
        return _public(request, "start.html", survey)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def feedback_form(request, token, code):
    survey = _survey(token)
    training_class = survey.training_class
    with scope(center=training_class.center):
        closed = _window(request, survey)
        if closed:
            return closed
        if rate_limited(
            FeedbackAttempt.objects.filter(client=client_address(request)),
            within=datetime.timedelta(minutes=10),
            limit=settings.FEEDBACK_FAILURES_PER_10_MINUTES,
        ):
            return _public(request, "limited.html", survey, status=429)
        code = feedback.normalize_code(code)
        found = feedback.valid_codes(survey).filter(code=code).first()
        if found is None:
            _wrong_code(request)
            return _public(
                request, "start.html", survey, {"wrong_code": True}, status=404
            )
        if found.used:
            return _public(request, "used.html", survey, status=409)
        questions = feedback.questions(training_class)
        form = FeedbackForm(request.POST or None, questions=questions)
        if request.method == "POST" and form.is_valid():
            try:
                feedback.submit_online(
                    survey, code, form.rows(), form.cleaned_data["comment"]
                )
            except feedback.CodeUsed:
                return _public(request, "used.html", survey, status=409)
            return _public(request, "thanks.html", survey)
        return _public(
            request,
            "form.html",
            survey,
            {"form": form, "code": feedback.shown_code(code)},
            status=400 if form.is_bound else 200,
        )


def _public(request, template, survey, extra=None, status=200):
    training_class = survey.training_class
    context = {
        "survey": survey,
        "training_class": training_class,
        "center_name": training_class.center.name,
        "closes_on": feedback.closes_on(training_class),
        **(extra or {}),
    }
    return render(
        request, f"enrollment/feedback/public/{template}", context, status=status
    )
