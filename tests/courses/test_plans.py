"""The annual plan page: a year's targets per programme."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from courses.models import AnnualPlan, Block, ClassType
from courses.services import save_plan
from tests.conftest import ROLES, table_snapshot
from tests.factories import make_class_type

YEAR = 2026
# The catalogue (fixtures/class_types.json) by block order, then programme order.
ORDER = [
    "trung-cap-llct",
    "so-cap-llct",
    "nhan-thuc-ve-dang",
    "dang-vien-moi",
    "bi-thu-chi-bo",
    "nghiep-vu-cong-tac-dang",
    "cap-nhat-kien-thuc",
    "lich-su-dang-bo",
    "tuyen-giao",
    "dan-van",
    "tuyen-giao-dan-van",
    "hoc-tap-nghi-quyet",
    "quoc-phong-an-ninh",
    "chinh-tri-he",
    "quan-ly-nha-nuoc",
    "mat-tran-doan-the",
]


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(datetime.datetime(YEAR, 6, 15, 9, 0), tick=False)


@pytest.fixture
def catalogue(db):
    make_class_type()
    return {class_type.code: class_type for class_type in ClassType.objects.all()}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def plan_url(center, year=YEAR) -> str:
    return reverse("courses:plan_form", args=[center.slug, year])


def make_plan(center, class_type, classes, trainees, year=YEAR) -> AnnualPlan:
    with scopes_disabled():
        return AnnualPlan.objects.create(
            center=center,
            year=year,
            class_type=class_type,
            target_classes=classes,
            target_trainees=trainees,
        )


def saved(center) -> dict:
    with scopes_disabled():
        return {
            (plan.year, plan.class_type.code): (
                plan.target_classes,
                plan.target_trainees,
            )
            for plan in AnnualPlan.objects.filter(center=center).select_related(
                "class_type"
            )
        }


def form_data(catalogue, **values) -> dict:
    """Every active programme's two inputs, blank unless given as code=(c, t)."""
    data = {}
    for code, class_type in catalogue.items():
        if not class_type.is_active:
            continue
        classes, trainees = values.get(code.replace("-", "_"), ("", ""))
        data[f"classes_{class_type.pk}"] = classes
        data[f"trainees_{class_type.pk}"] = trainees
    return data


@pytest.mark.django_db
def test_plans_opens_the_current_year_or_the_year_asked_for(site_a):
    client = client_for(site_a.committee)
    base = reverse("courses:plan_current", args=[site_a.center.slug])
    response = client.get(base)
    assert response.status_code == 302
    assert response["Location"] == plan_url(site_a.center)
    response = client.get(base, {"year": "2019"})
    assert response["Location"] == plan_url(site_a.center, 2019)


@pytest.mark.django_db
def test_one_row_per_active_programme_by_block_prefilled_with_the_plan(
    site_a, site_b, catalogue
):
    make_plan(site_a.center, catalogue["nhan-thuc-ve-dang"], 6, 480)
    make_plan(site_a.center, catalogue["dang-vien-moi"], 9, 900, year=YEAR - 1)
    make_plan(site_b.center, catalogue["dang-vien-moi"], 4, 200)
    response = client_for(site_a.director).get(plan_url(site_a.center))
    assert response.status_code == 200
    form = response.context["form"]
    assert [row.class_type.code for row in form.rows] == ORDER
    rows = {row.class_type.code: row for row in form.rows}
    assert rows["nhan-thuc-ve-dang"].classes.value() == 6
    assert rows["nhan-thuc-ve-dang"].trainees.value() == 480
    # Last year's plan and another centre's plan are not this page's.
    assert rows["dang-vien-moi"].classes.value() is None
    assert 'value="900"' not in response.text and 'value="200"' not in response.text
    text = response.text
    blocks = [block.name for block in Block.objects.order_by("order")]
    assert [text.index(name) for name in blocks] == sorted(
        text.index(name) for name in blocks
    )
    assert 'name="classes_' in text and "<button" in text and ">Lưu</button>" in text


@pytest.mark.django_db
def test_a_programme_out_of_use_shows_only_where_it_has_a_plan(site_a, catalogue):
    retired = catalogue["trung-cap-llct"]
    retired.is_active = False
    retired.save()
    client = client_for(site_a.director)
    rows = client.get(plan_url(site_a.center)).context["form"].rows
    assert retired not in [row.class_type for row in rows]
    make_plan(site_a.center, retired, 1, 40)
    rows = client.get(plan_url(site_a.center)).context["form"].rows
    assert retired in [row.class_type for row in rows]


@pytest.mark.django_db
def test_director_saves_the_whole_year_at_once(site_a, site_b, catalogue):
    make_plan(site_a.center, catalogue["nhan-thuc-ve-dang"], 6, 480)
    make_plan(site_a.center, catalogue["dang-vien-moi"], 5, 300)
    make_plan(site_a.center, catalogue["dang-vien-moi"], 4, 250, year=YEAR - 1)
    make_plan(site_b.center, catalogue["nhan-thuc-ve-dang"], 2, 90)
    data = form_data(
        catalogue,
        nhan_thuc_ve_dang=("7", "500"),  # changed
        dang_vien_moi=("0", "0"),  # emptied: the plan goes
        bi_thu_chi_bo=("0", ""),  # nothing planned, nothing made
        quoc_phong_an_ninh=("3", "150"),  # new
        cap_nhat_kien_thuc=("2", ""),  # blank trainees: 0
    )
    response = client_for(site_a.director).post(plan_url(site_a.center), data)
    assert response.status_code == 302
    assert response["Location"] == plan_url(site_a.center)
    assert saved(site_a.center) == {
        (YEAR, "nhan-thuc-ve-dang"): (7, 500),
        (YEAR, "quoc-phong-an-ninh"): (3, 150),
        (YEAR, "cap-nhat-kien-thuc"): (2, 0),
        (YEAR - 1, "dang-vien-moi"): (4, 250),
    }
    assert saved(site_b.center) == {(YEAR, "nhan-thuc-ve-dang"): (2, 90)}


@pytest.mark.django_db
def test_totals_of_the_year_at_the_bottom(site_a, catalogue):
    make_plan(site_a.center, catalogue["nhan-thuc-ve-dang"], 6, 480)
    make_plan(site_a.center, catalogue["mat-tran-doan-the"], 7, 700)
    make_plan(site_a.center, catalogue["so-cap-llct"], 9, 999, year=YEAR + 1)
    response = client_for(site_a.staff).get(plan_url(site_a.center))
    assert response.context["form"].totals() == (13, 1180)
    assert 'id="plan-total-classes">13</td>' in response.text
    assert 'id="plan-total-trainees">1.180</td>' in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "classes, trainees, wrong",
    [
        ("-1", "40", "classes"),
        ("2", "-40", "trainees"),
        ("hai", "40", "classes"),
        ("1,5", "40", "classes"),
        ("2", "40 người", "trainees"),
        ("1001", "40", "classes"),
        ("2", "100001", "trainees"),
        ("0", "40", "classes"),  # trainees but no class
    ],
)
def test_a_bad_number_saves_nothing_and_comes_back_as_typed(
    site_a, catalogue, classes, trainees, wrong
):
    make_plan(site_a.center, catalogue["nhan-thuc-ve-dang"], 6, 480)
    mat_tran = catalogue["mat-tran-doan-the"]
    data = form_data(
        catalogue,
        nhan_thuc_ve_dang=("8", "600"),  # valid, but must not be saved either
        mat_tran_doan_the=(classes, trainees),
    )
    before = table_snapshot()
    response = client_for(site_a.director).post(plan_url(site_a.center), data)
    assert response.status_code == 200
    assert table_snapshot() == before
    assert saved(site_a.center) == {(YEAR, "nhan-thuc-ve-dang"): (6, 480)}
    name = f"{wrong}_{mat_tran.pk}"
    assert list(response.context["form"].errors) == [name]
    text = response.text
    assert f'value="{classes}"' in text and f'value="{trainees}"' in text
    assert 'value="600"' in text
    assert f'aria-describedby="{name}-error"' in text and f'id="{name}-error"' in text


@pytest.mark.django_db
@pytest.mark.parametrize("year", [1989, YEAR + 2, 20000])
def test_a_year_outside_1990_to_next_year_gets_a_message(site_a, catalogue, year):
    client = client_for(site_a.director)
    response = client.get(plan_url(site_a.center, year))
    assert response.status_code == 200
    assert "form" not in response.context
    assert response.context["switcher"].errors["year"]
    assert f'value="{year}"' in response.text
    assert 'aria-invalid="true" aria-describedby="year-error"' in response.text
    before = table_snapshot()
    data = form_data(catalogue, nhan_thuc_ve_dang=("3", "200"))
    assert client.post(plan_url(site_a.center, year), data).status_code == 200
    assert table_snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["1989", "2028", "hai nghìn", ""])
def test_the_year_switcher_refuses_a_bad_year(site_a, typed):
    response = client_for(site_a.staff).get(
        reverse("courses:plan_current", args=[site_a.center.slug]), {"year": typed}
    )
    assert response.status_code == 200
    assert response.context["switcher"].errors["year"]
    assert f'value="{typed}"' in response.text


@pytest.mark.django_db
def test_first_and_next_year_open_with_links_only_within_range(site_a, catalogue):
    client = client_for(site_a.director)
    first = client.get(plan_url(site_a.center, 1990))
    assert first.status_code == 200 and first.context["previous_year"] is None
    last = client.get(plan_url(site_a.center, YEAR + 1))
    assert last.status_code == 200 and last.context["next_year"] is None
    assert last.context["previous_year"] == YEAR
    assert plan_url(site_a.center, YEAR) in last.text


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "committee"])
def test_staff_and_committee_read_the_plan_but_cannot_save(site_a, catalogue, role):
    make_plan(site_a.center, catalogue["nhan-thuc-ve-dang"], 6, 480)
    client = client_for(site_a.user(role))
    response = client.get(plan_url(site_a.center))
    assert response.status_code == 200
    text = response.text
    assert 'value="480"' in text
    inputs = re.findall(r'<input [^>]*name="(?:classes|trainees)_\d+"[^>]*>', text)
    assert len(inputs) == 2 * len(ORDER)
    assert all(" disabled" in tag for tag in inputs)
    assert ">Lưu</button>" not in text
    before = table_snapshot()
    data = form_data(catalogue, nhan_thuc_ve_dang=("9", "900"))
    assert client.post(plan_url(site_a.center), data).status_code == 403
    assert table_snapshot() == before


@pytest.mark.django_db
def test_another_centres_plan_is_404_and_unchanged(site_a, site_b, catalogue):
    make_plan(site_b.center, catalogue["nhan-thuc-ve-dang"], 6, 480)
    client = client_for(site_a.director)
    assert client.get(plan_url(site_b.center)).status_code == 404
    before = table_snapshot()
    data = form_data(catalogue, nhan_thuc_ve_dang=("0", "0"))
    assert client.post(plan_url(site_b.center), data).status_code == 404
    assert table_snapshot() == before


@pytest.mark.django_db
def test_a_programme_missing_from_the_post_keeps_its_plan(site_a, catalogue):
    """A programme added to the catalogue while the page was open is left alone."""
    make_plan(site_a.center, catalogue["mat-tran-doan-the"], 4, 200)
    data = form_data(catalogue, nhan_thuc_ve_dang=("6", "480"))
    mat_tran = catalogue["mat-tran-doan-the"].pk
    del data[f"classes_{mat_tran}"], data[f"trainees_{mat_tran}"]
    response = client_for(site_a.director).post(plan_url(site_a.center), data)
    assert response.status_code == 302
    assert saved(site_a.center) == {
        (YEAR, "nhan-thuc-ve-dang"): (6, 480),
        (YEAR, "mat-tran-doan-the"): (4, 200),
    }


@pytest.mark.django_db
def test_saving_over_a_plan_made_meanwhile_updates_it(site_a, catalogue):
    """Two directors at once: the unique row is upserted, never an error."""
    programme = catalogue["nhan-thuc-ve-dang"]
    make_plan(site_a.center, programme, 6, 480)
    with scope(center=site_a.center):
        assert save_plan(
            site_a.center, year=YEAR, targets={programme.pk: (7, 510)}, by=None
        ) == (1, 0)
    assert saved(site_a.center) == {(YEAR, "nhan-thuc-ve-dang"): (7, 510)}


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_programmes(site_a, catalogue):
    client = client_for(site_a.director)
    url = plan_url(site_a.center)

    def count(method, *args):
        with CaptureQueriesContext(connection) as queries:
            assert method(url, *args).status_code in (200, 302)
        return len(queries)

    def everything_planned():
        programmes = ClassType.objects.all()
        for class_type in programmes:
            if not saved(site_a.center).get((YEAR, class_type.code)):
                make_plan(site_a.center, class_type, 1, 30)
        return {
            f"{prefix}_{class_type.pk}": number
            for class_type in programmes
            for prefix, number in (("classes", "1"), ("trainees", "30"))
        }

    data = everything_planned()
    few = count(client.get), count(client.post, data)
    block = Block.objects.first()
    for number in range(25):
        ClassType.objects.create(
            code=f"them-{number}",
            name=f"Chương trình thêm {number}",
            block=block,
            kind="refresher",
            assessment="none",
            award="none",
        )
    data = everything_planned()
    many = count(client.get), count(client.post, data)
    assert many == few
    # GET: session, user, centre, membership, plans, the block and centre
    # targets, programmes, and the session write (3, with its savepoint).
    # POST: the same reads, then the upsert (3, a savepoint in the
    # transaction that also saves the block and centre targets: 2 more) and
    # the session write (3); the deletes of emptied plans and levels are
    # skipped when there are none.
    assert few == (10, 15)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_role_finds_the_plans_in_the_navigation(site_a, role):
    response = client_for(site_a.user(role)).get(
        reverse("reports:dashboard", args=[site_a.center.slug])
    )
    assert reverse("courses:plan_current", args=[site_a.center.slug]) in response.text
