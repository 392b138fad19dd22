"""Learner feedback for the demo year: the finished classes were surveyed.

Opens each class's survey and issues its codes through the feedback service,
then writes the answered forms (`FeedbackResponse`, `FeedbackAnswer`) in bulk,
marks the codes used and recounts the survey with the service. Most trainees
answered on their phones, some on paper. The codes come out of the service
in random order, so which trainee answered differs from run to run; the
numbers of forms do not.
"""

import datetime
import random

from courses.models import TrainingClass
from enrollment.demo.names import weighted
from enrollment.models import FeedbackAnswer, FeedbackCode, FeedbackResponse, Rating
from enrollment.services import feedback
from trainingcenter.models import Center

COMMENTS = [
    "Nội dung bài giảng sát thực tế cơ sở, dễ hiểu.",
    "Đề nghị tăng thời gian thảo luận, trao đổi.",
    "Giảng viên nhiệt tình, có nhiều ví dụ minh họa.",
    "Tài liệu nên phát trước để học viên nghiên cứu.",
    "Nên tổ chức thêm buổi đi thực tế.",
]


def build_feedback(center: Center, *, year: int, today: datetime.date) -> int:
    """Surveys with answers for the year's classes that have ended.

    Returns the number of forms made; does nothing for a class already
    surveyed (so seed_demo stays idempotent).
    """
    rng = random.Random(year * 7)
    classes = (
        TrainingClass.objects.filter(
            center=center, start_date__year=year, end_date__lt=today
        )
        .exclude(survey__isnull=False)
        .order_by("start_date", "pk")
    )
    return sum(_survey_class(rng, training_class) for training_class in classes)


def _survey_class(rng: random.Random, training_class: TrainingClass) -> int:
    """One class's survey: 62% answered online, a quarter on paper."""
    survey = feedback.open_survey(training_class)
    codes = feedback.issue_codes(survey)
    questions = feedback.questions(training_class)
    # Some lecturers are liked a little more than others.
    bias = {q.key: rng.uniform(-0.15, 0.1) for q in questions}
    answered = [c for c in codes if rng.random() < 0.62]
    paper = int(len(codes) * 0.25)
    forms = [
        (
            FeedbackResponse.Channel.ONLINE
            if i < len(answered)
            else FeedbackResponse.Channel.PAPER,
            rng.choice(COMMENTS) if rng.random() < 0.12 else "",
        )
        for i in range(len(answered) + paper)
    ]
    responses = FeedbackResponse.objects.bulk_create(
        FeedbackResponse(survey=survey, channel=channel, comment=comment)
        for channel, comment in forms
    )
    FeedbackAnswer.objects.bulk_create(
        FeedbackAnswer(
            response=response,
            lecturer_id=int(q.key) or None,
            **_ratings(rng, bias[q.key]),
        )
        for response in responses
        for q in questions
    )
    FeedbackCode.objects.filter(pk__in=[c.pk for c in answered]).update(used=True)
    feedback.recount(survey)
    return len(responses)


def _ratings(rng: random.Random, bias: float) -> dict:
    """A rating per criterion, mostly "very satisfied"; 3% left blank."""
    very = 0.55 + bias
    return {
        c: None
        if rng.random() < 0.03
        else weighted(
            rng,
            [
                (Rating.VERY_SATISFIED, very),
                (Rating.SATISFIED, 0.95 - very),
                (Rating.NOT_SATISFIED, 0.05),
            ],
        )
        for c in feedback.CRITERIA
    }
