"""Who may do what, as users read it: the roles page, the user guide and the
README say what the permission checks do (they share trainingcenter/roles.py,
which tests/test_urls_permissions.py holds against every centre page)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import make_center, make_member
from trainingcenter import roles

GUIDE = Path(settings.BASE_DIR) / "docs" / "huong-dan-su-dung.md"
README = Path(settings.BASE_DIR) / "README.md"


def test_the_user_guide_prints_the_role_table():
    expected = roles.markdown_table()
    assert expected in GUIDE.read_text(encoding="utf-8"), (
        "docs/huong-dan-su-dung.md: replace its role table with\n" + expected
    )


def test_only_the_director_issues_certificates_in_the_table_and_the_readme():
    issuing = roles.action_of("enrollment:certificates_issue")
    assert issuing.roles == {roles.DIRECTOR}
    rows = {
        line.split("|")[1].strip(): line
        for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith("| **")
    }
    assert "issues certificates" in rows["**director** (giám đốc)"]
    assert "issue" not in rows["**staff** (cán bộ trung tâm)"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [roles.STAFF, roles.DIRECTOR, roles.COMMITTEE])
def test_every_role_reads_the_table_from_the_menu(role):
    client = Client()
    client.force_login(make_member(make_center(), role))
    dashboard = client.get("/", follow=True).content.decode()
    assert f'href="{reverse("roles")}"' in dashboard and "Ai làm gì" in dashboard
    page = client.get(reverse("roles")).content.decode()
    for label in ("Việc", "Cán bộ trung tâm", "Giám đốc", "Quản trị viên"):
        assert label in page
    assert "Cấp giấy chứng nhận (số đã cấp không thể thu hồi)" in page
    assert page.count("✓") == sum(len(action.roles) for action in roles.ACTIONS)


@pytest.mark.django_db
def test_the_roles_page_asks_for_a_login():
    response = Client().get(reverse("roles"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
