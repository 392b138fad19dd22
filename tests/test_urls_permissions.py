"""Walk the URLconf: every centre page answers 404 across centres, for every role.

New views are covered without anyone remembering. A pattern with an object
id needs an entry in OBJECT_MAKERS; a missing entry fails the walk instead
of passing it silently.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from tests.conftest import ROLES, table_snapshot
from tests.factories import (
    blank_pdf,
    make_certificate,
    make_class,
    make_enrollment,
    make_lecturer,
    make_lecturer_activity,
    make_session,
    make_subject_request,
    make_trainee,
)
from trainingcenter import roles
from trainingcenter.documents import OutgoingDocument
from trainingcenter.models import Membership


def _class(center):
    return {"pk": make_class(center).pk}


def _subject_request(center):
    return {"pk": make_subject_request(center).pk}


def _historic_class(center):
    return {"pk": make_class(center, historic=True, status="closed").pk}


def _issued_report(center):
    """A report issued by the centre, stored as the register keeps it."""
    number = OutgoingDocument.objects.count() + 1  # one per maker call
    document = OutgoingDocument.objects.create(
        issuer=center.organization,
        kind=OutgoingDocument.Kind.REPORT,
        year=2026,
        number=number,
        number_text=f"{number}-BC/TTCT",
        key="report:2026-01-01:2026-12-31",
        subject="Báo cáo tổng kết năm 2026",
        issued_on=timezone.localdate(),
        signer_title="Giám đốc",
        signer_name="Nguyễn Văn Ký",
        fields={},
        figures_digest="0" * 64,
        digest="0" * 64,
        pdf=b"%PDF-1.4",
        docx=b"PK",
    )
    return {"pk": document.pk}


def _paper_class(center):
    """A class with a session: its plan can be drafted and issued."""
    training_class = make_class(center)
    make_session(training_class)
    return {"class_pk": training_class.pk, "kind": "plan"}


def _issued_paper(center):
    """A class whose plan the register holds as issued."""
    found = _paper_class(center)
    OutgoingDocument.objects.create(
        issuer=center.organization,
        kind=OutgoingDocument.Kind.PLAN,
        year=2026,
        number=OutgoingDocument.objects.count() + 1,
        number_text="1-KH/TTCT",
        key=f"class:{found['class_pk']}:plan",
        subject="Kế hoạch mở lớp",
        issued_on=timezone.localdate(),
        signer_title="Giám đốc",
        signer_name="Nguyễn Văn Ký",
        fields={},
        figures_digest="0" * 64,
        digest="0" * 64,
        pdf=blank_pdf(),
        docx=b"PK",
    )
    return found


def _lecturer_activity(center):
    activity = make_lecturer_activity(make_lecturer(center))
    return {"lecturer_pk": activity.lecturer_id, "pk": activity.pk}


def _session(center):
    training_class = make_class(center)
    return {"class_pk": training_class.pk, "pk": make_session(training_class).pk}


def _enrollment(center):
    training_class = make_class(center)
    return {"class_pk": training_class.pk, "pk": make_enrollment(training_class).pk}


def _upload(center):
    """An upload of a small list, owned by one of the centre's staff."""
    from enrollment.importing import read_list
    from enrollment.models import ImportBatch
    from tests.enrollment.excel import person, workbook
    from trainingcenter.models import Membership

    training_class = make_class(center)
    owner = Membership.objects.filter(center=center, role="staff").first()
    batch = ImportBatch.objects.create(
        token=f"tok{training_class.pk}x{center.pk}",
        center=center,
        training_class=training_class,
        user=owner.user,
        file_name="ds.xlsx",
        sheet=read_list(workbook([person(1, "Nguyễn Văn An")])).to_json(),
    )
    return {"class_pk": training_class.pk, "token": batch.token}


def _class_pk(center):
    return {"class_pk": make_class(center).pk}


def _certificate(center):
    return {"pk": make_certificate(center).pk}


def _certificate_class(center):
    return {"class_pk": make_certificate(center).enrollment.training_class_id}


def _batch(center):
    return {"pk": make_certificate(center).batch_id}


def _survey_class(center):
    from enrollment.services.feedback import open_survey

    training_class = make_class(center)
    make_enrollment(training_class)
    open_survey(training_class)
    return {"class_pk": training_class.pk}


# URL name -> how to make the objects its path names, in a given centre.
OBJECT_MAKERS = {
    "reports:issued_report": _issued_report,
    "reports:issued_pdf": _issued_report,
    "reports:issued_docx": _issued_report,
    "reports:issued_new_version": _issued_report,
    "documents:outgoing_pdf": _issued_report,
    "documents:outgoing_docx": _issued_report,
    "courses:plan_form": lambda center: {"year": timezone.localdate().year},
    "courses:lecturer_update": lambda center: {"pk": make_lecturer(center).pk},
    "courses:lecturer_activity_create": lambda center: {
        "lecturer_pk": make_lecturer(center).pk
    },
    "courses:lecturer_activity_update": _lecturer_activity,
    "courses:lecturer_activity_delete": _lecturer_activity,
    "courses:class_update": _class,
    "courses:class_quotas": _class,
    "courses:class_correct": _historic_class,
    "courses:session_create": lambda center: {"class_pk": make_class(center).pk},
    "courses:session_update": _session,
    "enrollment:trainee_detail": lambda center: {"pk": make_trainee(center).pk},
    "enrollment:trainee_update": lambda center: {"pk": make_trainee(center).pk},
    "enrollment:person_file_pdf": lambda center: {"pk": make_trainee(center).pk},
    "enrollment:person_file_xlsx": lambda center: {"pk": make_trainee(center).pk},
    "enrollment:class_detail": _class,
    "enrollment:class_status": _class,
    "enrollment:class_close": lambda center: {
        "pk": make_class(center, status="in_progress").pk
    },
    "enrollment:class_reopen": lambda center: {
        "pk": make_class(center, status="closed").pk
    },
    "enrollment:enrollment_add": lambda center: {"class_pk": make_class(center).pk},
    "enrollment:enrollment_withdraw": _enrollment,
    "enrollment:attendance": _session,
    "enrollment:results": lambda center: {"class_pk": make_class(center).pk},
    "enrollment:roster_pdf": _class_pk,
    "enrollment:roster_export": _class_pk,
    "enrollment:class_template": _class_pk,
    "enrollment:import_upload": _class_pk,
    "enrollment:import_preview": _upload,
    "enrollment:import_confirm": _upload,
    "enrollment:import_errors": _upload,
    "enrollment:import_unit_create": _upload,
    "enrollment:class_certificates": _class_pk,
    "enrollment:certificates_issue": _class_pk,
    "enrollment:diplomas_record": _class_pk,
    "enrollment:class_certificates_pdf": _certificate_class,
    "enrollment:class_certificates_zip": _certificate_class,
    "enrollment:batch_detail": _batch,
    "enrollment:batch_resume": _batch,
    "enrollment:class_feedback": _class_pk,
    "enrollment:feedback_open": _class_pk,
    "enrollment:feedback_screen": _survey_class,
    "enrollment:feedback_slips": _survey_class,
    "enrollment:feedback_paper": _survey_class,
    "enrollment:paper_draft_pdf": _paper_class,
    "enrollment:paper_draft_docx": _paper_class,
    "enrollment:paper_issue": _paper_class,
    "enrollment:paper_new_version": _paper_class,
    "enrollment:paper_pdf": _issued_paper,
    "enrollment:paper_docx": _issued_paper,
    "enrollment:paper_zip": _issued_paper,
    "enrollment:paper_wording": lambda center: {"kind": "summons"},
    "enrollment:certificate_detail": _certificate,
    "enrollment:certificate_pdf": _certificate,
    "enrollment:certificate_revoke": _certificate,
    "enrollment:certificate_reissue": _certificate,
    "enrollment:subject_request_update": _subject_request,
}
MIN_CENTER_PATTERNS = 20
# Pages that only send the user on (to the current year's plan): 302, not 200.
REDIRECTS = {"courses:plan_current"}


def walk(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from walk(
                entry,
                prefix + str(entry.pattern),
                f"{namespace}{ns}:" if ns else namespace,
            )
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern), entry


def center_patterns():
    seen = {}
    for name, route, entry in walk():
        if "<slug:center>" in route and name not in seen:
            seen[name] = (route, entry)
    return seen


def build_url(name, route, center):
    wanted = {part.split(">")[0].split(":")[-1] for part in route.split("<")[1:]}
    wanted.discard("center")
    kwargs = {}
    if wanted:
        assert name in OBJECT_MAKERS, (
            f"{name}: add a maker to OBJECT_MAKERS so the walk covers it"
        )
        with scopes_disabled():
            kwargs = OBJECT_MAKERS[name](center)
        assert set(kwargs) == wanted, name
    return reverse(name, kwargs={"center": center.slug, **kwargs})


def test_walk_finds_the_centre_pages():
    assert len(center_patterns()) >= MIN_CENTER_PATTERNS


def test_each_centre_page_is_one_action_of_the_role_table_with_its_roles():
    """The role table lists every centre page once, and the page's
    role_required lets in exactly the roles the table gives its action."""
    patterns = center_patterns()
    listed = [page for action in roles.ACTIONS for page in action.pages]
    assert len(listed) == len(set(listed)), "a page is listed under two actions"
    assert set(listed) == set(patterns), set(listed) ^ set(patterns)
    for name, (_, entry) in patterns.items():
        allowed = getattr(entry.callback, "required_roles", None)
        assert allowed is not None, f"{name} has no role_required decorator"
        assert set(allowed) == set(roles.action_of(name).roles), name


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_centre_page_is_404_for_another_centres_user(site_a, site_b, role):
    client = Client()
    client.force_login(site_a.user(role))
    visited = 0
    for name, (route, _) in center_patterns().items():
        url = build_url(name, route, site_b.center)
        before = table_snapshot()
        assert client.get(url).status_code == 404, url
        assert (
            client.post(url, {"full_name": "X", "kind": "full_time"}).status_code == 404
        ), url
        assert table_snapshot() == before, url
        visited += 1
    assert visited >= MIN_CENTER_PATTERNS


@pytest.mark.django_db
def test_nested_object_of_another_centre_is_404_under_own_centre(site_a, site_b):
    """A's centre in the path, B's lecturer id: 404."""
    client = Client()
    client.force_login(site_a.staff)
    lecturer_b = make_lecturer(site_b.center)
    url = reverse("courses:lecturer_update", args=[site_a.center.slug, lecturer_b.pk])
    assert client.get(url).status_code == 404
    before = table_snapshot()
    assert (
        client.post(url, {"full_name": "Đổi tên", "kind": "full_time"}).status_code
        == 404
    )
    assert table_snapshot() == before


@pytest.mark.django_db
def test_unknown_centre_answers_like_a_foreign_one(site_a):
    client = Client()
    client.force_login(site_a.staff)
    assert client.get("/c/khong-ton-tai/").status_code == 404


@pytest.mark.django_db
def test_every_centre_page_sends_anonymous_users_to_login(site_a):
    client = Client()
    for name, (route, _) in center_patterns().items():
        url = build_url(name, route, site_a.center)
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_own_centre_pages_open_or_refuse_by_role(site_a, role):
    """Inside one's own centre a page opens (200) or is refused by role (403),
    as the role table (trainingcenter/roles.py) says."""
    client = Client()
    client.force_login(site_a.user(role))
    opened = 0
    for name, (route, _) in center_patterns().items():
        url = build_url(name, route, site_a.center)
        action = roles.action_of(name)
        assert action is not None, f"{name}: list it in trainingcenter/roles.py"
        expected = (302 if name in REDIRECTS else 200) if role in action.roles else 403
        status = client.get(url).status_code
        # A POST-only view answers a GET with 405 for everyone;
        # an upload is private to its uploader, so other members get 404.
        accepted = (expected, 405, 404) if "<str:token>" in route else (expected, 405)
        assert status in accepted, (url, role)
        opened += status == 200
    assert opened >= (15 if role != Membership.Role.COMMITTEE else 2)


@pytest.mark.django_db
def test_committee_cannot_change_anything_in_a_centre_it_oversees(site_a):
    client = Client()
    client.force_login(site_a.committee)
    urls = [
        build_url(n, route, site_a.center)
        for n, (route, _) in center_patterns().items()
    ]
    before = table_snapshot()
    for url in urls:
        response = client.post(url, {"full_name": "X", "kind": "full_time"})
        assert response.status_code in (403, 405), url
    assert table_snapshot() == before


@pytest.mark.django_db
def test_every_state_change_needs_a_csrf_token(site_a):
    """POST without a token -> 403 and nothing changes; with a token but a
    foreign Origin -> 403 as well."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(site_a.staff)
    urls = [reverse("logout"), reverse("set_language"), reverse("password_change")]
    for name, (route, _) in center_patterns().items():
        urls.append(build_url(name, route, site_a.center))
    before = table_snapshot()
    for url in urls:
        response = client.post(url, {"full_name": "X", "kind": "full_time"})
        assert response.status_code in (403, 405), url
    client.get(reverse("courses:lecturer_create", args=[site_a.center.slug]))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("courses:lecturer_create", args=[site_a.center.slug]),
        {"full_name": "X", "kind": "full_time", "csrfmiddlewaretoken": token},
        headers={"origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert table_snapshot() == before


@pytest.mark.django_db
def test_removing_a_membership_closes_the_centre_at_once(site_a):
    """The very next request answers 404."""
    client = Client()
    client.force_login(site_a.staff)
    url = reverse("reports:dashboard", args=[site_a.center.slug])
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=site_a.staff).delete()
    assert client.get(url).status_code == 404
