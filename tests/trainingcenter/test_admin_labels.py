"""The admin speaks Vietnamese: every app and model it lists, ours and the
third-party packages' alike."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import make_user

# What the admin's index showed in English before the apps were renamed.
ENGLISH_LABELS = [
    "Axes",
    "Access attempts",
    "Access logs",
    "Access failures",
    "Tasks Database Backend",
    "Task results",
    "Task Results",
    "Simple_History",
    "Django_Tasks",
    "Chuỗi",  # "Sequences" in the package's own, literal translation
]


@pytest.fixture
def admin_index(db):
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:index"), headers={"accept-language": "vi"})
    assert response.status_code == 200
    return response


def test_no_english_app_or_model_name_is_left_in_the_admin(admin_index):
    # The text a reader sees, without the tags (class names and URLs say "axes").
    page = re.sub(r"<[^>]*>", " ", admin_index.content.decode())
    for label in ENGLISH_LABELS:
        assert label.lower() not in page.lower(), label
    assert "Kiểm soát đăng nhập" in page
    assert "Kết quả tác vụ chạy nền" in page


def test_every_listed_label_differs_from_its_english_name(admin_index):
    """Each app and model on the index, rendered again in English, reads
    otherwise: nothing untranslated slipped through."""
    from django.apps import apps

    apps_listed = admin_index.context["app_list"]
    assert len(apps_listed) >= 6
    for app in apps_listed:
        config = apps.get_app_config(app["app_label"])
        with translation.override("en"):
            english = str(config.verbose_name)
        assert app["name"] != english, app["name"]
        for model in app["models"]:
            meta = model["model"]._meta
            with translation.override("en"):
                english = str(meta.verbose_name_plural)
            assert model["name"].lower() != english.lower(), model["name"]
