"""Scopes are installed on every centre-owned model."""

import pytest
from django.apps import apps
from django.db import models
from django_scopes import ScopeError, scope

from enrollment.models import Verification
from tests.factories import make_lecturer
from trainingcenter.models import Center, Membership

# Models with a path to Center that are deliberately not scoped, and why.
UNSCOPED = {
    Center: "the tenant itself",
    Verification: "the public page's log: no centre is known when a code is looked up",
    Membership: "resolves which centre a user may enter, before any scope exists",
}


def path_to_center(model, depth=0, seen=()):
    if model is Center:
        return True
    if depth > 4 or model in seen:
        return False
    for field in model._meta.get_fields():
        if (
            isinstance(field, models.ForeignKey | models.OneToOneField)
            and not field.auto_created
        ):
            if path_to_center(field.related_model, depth + 1, (*seen, model)):
                return True
    return False


def test_every_model_with_a_path_to_a_centre_has_a_scoped_manager():
    checked = 0
    for model in apps.get_models():
        if model in UNSCOPED or not path_to_center(model):
            continue
        if model.__name__.startswith("Historical"):
            # Audit rows are read only as Enrollment.history.filter(training_class=
            # <a class fetched through request.center>), never on their own.
            continue
        if model._meta.app_label not in {
            "trainingcenter",
            "courses",
            "enrollment",
            "reports",
        }:
            continue
        manager = model._default_manager
        assert "ScopedManager" in type(manager).__qualname__ or hasattr(
            manager, "with_scope"
        ), f"{model._meta.label} needs objects = center_scoped(...)"
        checked += 1
    assert checked >= 1


@pytest.mark.django_db
def test_query_outside_a_scope_raises(site_a, site_b):
    from courses.models import Lecturer

    make_lecturer(site_a.center)
    make_lecturer(site_b.center, full_name="Trần Thị Bình")
    with pytest.raises(ScopeError):
        list(Lecturer.objects.all())
    with scope(center=site_a.center):
        names = list(Lecturer.objects.values_list("center__slug", flat=True))
    assert names == ["trung-tam-a"]
