"""Learner feedback surveys ("phiếu phản hồi"): codes, answers and counts.

A trainee answers once, with a one-time code handed out on a slip; what they
answer is stored without the code (models.py). Forms collected on paper are
typed in by the staff as one grid per class. Each write recounts the survey's
tallies, which Biểu 3 adds up.
"""

import datetime
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _, gettext_lazy

from courses.models import Lecturer, TrainingClass
from enrollment.models import (
    Enrollment,
    FeedbackAnswer,
    FeedbackCode,
    FeedbackResponse,
    FeedbackTally,
    Rating,
    Survey,
)

# Easy to read aloud and to type on a phone: no 0/O, 1/I/L.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
TOKEN_LENGTH = 6
CRITERIA = FeedbackAnswer.CRITERIA
CRITERION_LABELS = {
    "content": gettext_lazy("Content"),
    "method": gettext_lazy("Method"),
    "manner": gettext_lazy("Teaching manner"),
    "usefulness": gettext_lazy("Usefulness"),
}
RATING_FIELDS = {
    Rating.VERY_SATISFIED: "very_satisfied",
    Rating.SATISFIED: "satisfied",
    Rating.NOT_SATISFIED: "not_satisfied",
}


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalize_code(text: str) -> str:
    """What a trainee typed, as stored: upper case, without spaces or dashes."""
    return "".join(c for c in text.upper() if c.isalnum())[:CODE_LENGTH]


def shown_code(code: str) -> str:
    """ "ABCD-EFGH": two halves are easier to copy from a slip."""
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def public_url(survey: Survey, code: str = "") -> str:
    url = f"{settings.SITE_URL}/f/{survey.token}/"
    return f"{url}{code}/" if code else url


def qr_data_uri(url: str, scale: int = 8) -> str:
    """The QR code of `url` as an inline SVG: pages and PDFs fetch nothing."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=scale, border=2)


def open_survey(training_class: TrainingClass) -> Survey:
    """The class's survey, created on first use with a fresh short link."""
    survey = Survey.objects.filter(training_class=training_class).first()
    while survey is None:
        try:
            with transaction.atomic():
                survey = Survey.objects.create(
                    training_class=training_class, token=_random(TOKEN_LENGTH)
                )
        except IntegrityError:  # the token was taken, or another request won
            survey = Survey.objects.filter(training_class=training_class).first()
    return survey


def closes_on(training_class: TrainingClass) -> datetime.date:
    return training_class.end_date + datetime.timedelta(
        days=training_class.center.feedback_days
    )


def is_open(training_class: TrainingClass, today: datetime.date) -> bool:
    """Trainees may answer from the first day until some days after the last."""
    return training_class.start_date <= today <= closes_on(training_class)


def valid_codes(survey: Survey):
    """The codes that may answer: every code printed for the survey. The
    slips are handed out unnamed and shuffled, so a code stands for nobody;
    a trainee who withdraws does not take a particular slip's code along."""
    return FeedbackCode.objects.filter(survey=survey)


def issue_codes(survey: Survey) -> list[FeedbackCode]:
    """The unused codes of the class's trainees (new trainees get theirs), in
    random order: the slips carry no name."""
    missing = list(
        survey.training_class.enrollments.active()
        .filter(feedback_code__isnull=True)
        .values_list("pk", flat=True)
    )
    taken = set(survey.codes.values_list("code", flat=True))
    new = []
    for pk in missing:
        code = _random(CODE_LENGTH)
        while code in taken:
            code = _random(CODE_LENGTH)
        taken.add(code)
        new.append(FeedbackCode(survey=survey, enrollment_id=pk, code=code))
    FeedbackCode.objects.bulk_create(new, ignore_conflicts=True)
    codes = list(
        valid_codes(survey)
        .filter(used=False)
        .exclude(enrollment__status=Enrollment.Status.WITHDRAWN)
    )
    secrets.SystemRandom().shuffle(codes)
    return codes


@dataclass
class Question:
    """A block of the form: one lecturer and the topics they taught, or the
    class as a whole when no session names a lecturer."""

    lecturer: Lecturer | None
    topics: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return str(self.lecturer.pk if self.lecturer else 0)


def questions(training_class: TrainingClass, also=()) -> list[Question]:
    """A question per lecturer of the class's sessions, and per lecturer in
    `also` (rated on forms already typed, though no longer in a session)."""
    by_lecturer: dict[int, Question] = {}
    for session in training_class.class_sessions.select_related("lecturer").order_by(
        "date", "part", "pk"
    ):
        if session.lecturer is None:
            continue
        question = by_lecturer.setdefault(
            session.lecturer_id, Question(session.lecturer)
        )
        if session.topic and session.topic not in question.topics:
            question.topics.append(session.topic)
    for lecturer in Lecturer.objects.filter(pk__in=also).exclude(pk__in=by_lecturer):
        by_lecturer[lecturer.pk] = Question(lecturer)
    return list(by_lecturer.values()) or [Question(None)]


def field_name(question: Question, criterion: str) -> str:
    return f"q{question.key}_{criterion}"


def _answers(response: FeedbackResponse, rows: dict[str, dict[str, int | None]]):
    return [
        FeedbackAnswer(
            response=response,
            lecturer_id=int(key) or None,
            **{c: ratings.get(c) for c in CRITERIA},
        )
        for key, ratings in rows.items()
        if any(ratings.get(c) for c in CRITERIA)
    ]


class CodeUsed(Exception):
    """The code was used already, or is not one of this class's."""


def submit_online(
    survey: Survey, code: str, rows: dict[str, dict[str, int | None]], comment: str
) -> None:
    """Record one form answered with `code`; the code can never answer again."""
    with transaction.atomic():
        # Forms of one class are counted one after another: the survey row
        # is locked until this form is in and recounted.
        Survey.objects.select_for_update().filter(pk=survey.pk).first()
        # One UPDATE decides: of two submissions with one code, one wins.
        found = valid_codes(survey).filter(code=code).values_list("pk").first()
        # A bare "UPDATE … WHERE id = %s AND NOT used": PostgreSQL re-checks
        # `used` once a concurrent submission's lock is released (a join or
        # subquery in the UPDATE would not be re-checked, so the plain base
        # manager: the centre's scope would add one).
        used = found and FeedbackCode._base_manager.filter(
            pk=found[0], used=False
        ).update(used=True)
        if not used:
            raise CodeUsed
        response = FeedbackResponse.objects.create(
            survey=survey, channel=FeedbackResponse.Channel.ONLINE, comment=comment
        )
        FeedbackAnswer.objects.bulk_create(_answers(response, rows))
        recount(survey)


def forms_given(survey: Survey) -> int:
    if survey.forms_given is not None:
        return survey.forms_given
    return survey.training_class.enrollments.active().count()


def replace_paper(
    survey: Survey,
    forms: list[tuple[dict[str, dict[str, int | None]], str]],
    given: int | None,
) -> None:
    """The class's paper forms become `forms` (the whole grid, typed again).

    Refused, with nothing changed, when more forms would be received than
    were given out.
    """
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        survey.forms_given = given
        online = survey.responses.filter(
            channel=FeedbackResponse.Channel.ONLINE
        ).count()
        if online + len(forms) > forms_given(survey):
            raise ValidationError(
                _(
                    "%(received)s forms would be received (%(online)s online, "
                    "%(paper)s on paper), more than the %(given)s given out. "
                    "Nothing was saved."
                )
                % {
                    "received": online + len(forms),
                    "online": online,
                    "paper": len(forms),
                    "given": forms_given(survey),
                }
            )
        survey.save(update_fields=["forms_given"])
        survey.responses.filter(channel=FeedbackResponse.Channel.PAPER).delete()
        responses = FeedbackResponse.objects.bulk_create(
            FeedbackResponse(
                survey=survey,
                channel=FeedbackResponse.Channel.PAPER,
                number=number,
                comment=comment,
            )
            for number, (_rows, comment) in enumerate(forms, start=1)
        )
        FeedbackAnswer.objects.bulk_create(
            answer
            for response, (rows, _comment) in zip(responses, forms, strict=True)
            for answer in _answers(response, rows)
        )
        recount(survey)


def recount(survey: Survey) -> None:
    """The survey's received forms and its tallies, counted afresh (a class has
    at most a few hundred forms)."""
    counts = survey.responses.aggregate(
        received=Count("pk"),
        online=Count("pk", filter=Q(channel=FeedbackResponse.Channel.ONLINE)),
    )
    Survey.objects.filter(pk=survey.pk).update(
        received=counts["received"], received_online=counts["online"]
    )
    survey.received, survey.received_online = counts["received"], counts["online"]
    rows = (
        FeedbackAnswer.objects.filter(response__survey=survey)
        .order_by()
        .values("lecturer")
        .annotate(
            forms=Count("pk"),
            **{
                f"{criterion}_{rating}": Count("pk", filter=Q(**{criterion: rating}))
                for criterion in CRITERIA
                for rating in Rating.values
            },
        )
    )
    FeedbackTally.objects.filter(survey=survey).delete()
    FeedbackTally.objects.bulk_create(
        FeedbackTally(
            survey=survey,
            lecturer_id=row["lecturer"],
            criterion=criterion,
            responses=row["forms"],
            **{
                name: row[f"{criterion}_{rating}"]
                for rating, name in RATING_FIELDS.items()
            },
        )
        for row in rows
        for criterion in CRITERIA
    )


# Shares -----------------------------------------------------------------------


@dataclass
class Shares:
    """One criterion's answers: how many very satisfied, satisfied, not."""

    very_satisfied: int = 0
    satisfied: int = 0
    not_satisfied: int = 0

    def __iadd__(self, other: "Shares") -> "Shares":
        self.very_satisfied += other.very_satisfied
        self.satisfied += other.satisfied
        self.not_satisfied += other.not_satisfied
        return self

    @property
    def answers(self) -> int:
        return self.very_satisfied + self.satisfied + self.not_satisfied

    def share(self, name: str) -> Decimal | None:
        """The fraction of answers that are `name` (None with no answer)."""
        return _ratio(getattr(self, name), self.answers)

    @property
    def very_satisfied_share(self) -> Decimal | None:
        return self.share("very_satisfied")

    @property
    def satisfied_share(self) -> Decimal | None:
        return self.share("satisfied")

    @property
    def not_satisfied_share(self) -> Decimal | None:
        return self.share("not_satisfied")

    @property
    def pleased_share(self) -> Decimal | None:
        """Satisfied or very satisfied: the figure reports quote."""
        return _ratio(self.very_satisfied + self.satisfied, self.answers)


def _ratio(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


@dataclass
class ResultRow:
    """A lecturer's (or a class's, a centre's, the total's) shares per criterion."""

    label: str
    given: int = 0
    received: int = 0
    criteria: dict[str, Shares] = field(
        default_factory=lambda: {c: Shares() for c in CRITERIA}
    )

    def add(self, criterion: str, shares: Shares) -> None:
        self.criteria[criterion] += shares

    @property
    def cells(self) -> list[tuple[str, Shares]]:
        return [(str(CRITERION_LABELS[c]), self.criteria[c]) for c in CRITERIA]

    @property
    def received_share(self) -> Decimal | None:
        return _ratio(self.received, self.given)


def tally_shares(row: dict) -> Shares:
    return Shares(row["very_satisfied"], row["satisfied"], row["not_satisfied"])


def class_results(survey: Survey) -> tuple[ResultRow, list[ResultRow]]:
    """The class in total, and one row per lecturer, from the tallies."""
    total = ResultRow(_("Whole class"), forms_given(survey), survey.received)
    by_lecturer: dict[int | None, ResultRow] = {}
    for tally in survey.tallies.select_related("lecturer").order_by(
        "lecturer__sort_key", "lecturer"
    ):
        row = by_lecturer.setdefault(
            tally.lecturer_id,
            ResultRow(
                tally.lecturer.full_name if tally.lecturer else _("The class"),
                total.given,
                tally.responses,
            ),
        )
        shares = Shares(tally.very_satisfied, tally.satisfied, tally.not_satisfied)
        row.add(tally.criterion, shares)
        total.add(tally.criterion, shares)
    return total, list(by_lecturer.values())
