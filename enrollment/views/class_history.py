"""The class page's two histories: the results of its trainees, and the
corrections of the class itself (what each version changed)."""

from django.utils.translation import gettext as _

from courses.models import TrainingClass
from enrollment.models import Enrollment
from enrollment.services.privacy import change_reason
from trainingcenter.templatetags.vn import vn_number
from trainingcenter.text import told_apart


def results_history(training_class, roster, limit: int = 20) -> list:
    """The latest recorded versions of the class's enrolments, newest first,
    each with the trainee's name (told apart from a namesake by the birth)
    and why it was written ("Lưu kết quả", "Xét lại theo điểm danh", …)."""
    history = list(
        Enrollment.history.filter(training_class_id=training_class.pk)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    names = told_apart(
        {e.trainee_id: (e.trainee.full_name, e.trainee.birth_display) for e in roster}
    )
    for entry in history:
        entry.trainee_name = names.get(entry.trainee_id, "")
        entry.reason = change_reason(entry.history_change_reason)
        if not entry.reason and entry.history_type == "+":
            entry.reason = _("Enrolled in the class")
    return history


def class_corrections(training_class, limit: int = 20) -> list:
    """A class's recorded versions, newest first, each with what it changed
    ("label: before → after") in `changes`."""
    entries = list(
        training_class.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )[: limit + 1]
    )
    # A class written without the ORM (generated, loaded) may have no version.
    for newer, older in zip(entries, [*entries[1:], None][: len(entries)], strict=True):
        newer.changes = []
        if older is None:
            continue
        for change in newer.diff_against(older).changes:
            field = TrainingClass._meta.get_field(change.field)
            if field.is_relation:
                newer.changes.append(str(field.verbose_name))
                continue
            old, new = _shown(change.old, field), _shown(change.new, field)
            newer.changes.append(f"{field.verbose_name}: {old} → {new}")
    return entries[:limit]


def _shown(value, field=None) -> str:
    if field is not None and field.choices and value is not None:
        return str(dict(field.flatchoices).get(value, value))
    if value is None:
        return _("not known")
    if value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return vn_number(value)
    if hasattr(value, "strftime"):
        return f"{value:%d/%m/%Y}"
    return str(value)
