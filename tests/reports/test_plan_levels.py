"""Plans per programme, per block and for the whole centre: each level is
compared with its own target where it has one (classes and trainees apart),
the text says by how much the plan is over or short, a period shorter than
the year says it is the year's plan, and the centre rollup (Biểu 4) shows
the % of plan in classes even without a trainee target."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from courses.models import AnnualPlan, Block, ClassType, PlanTotal, TrainingClass
from enrollment.services import summaries
from reports import counting, rollups, scope, wording
from tests.conftest import table_snapshot
from tests.factories import make_organization
from trainingcenter.models import Center

# (programme, month, declared trainees) of 2026, all counted in the plan.
CLASSES = [
    ("nhan-thuc-ve-dang", 3, 80),
    ("nhan-thuc-ve-dang", 4, 70),
    ("dang-vien-moi", 5, 50),
    ("mat-tran-doan-the", 9, 100),
]


@pytest.fixture
def year_site(site_a):
    call_command("loaddata", "class_types", verbosity=0)
    with scopes_disabled():
        ids = []
        for code, month, trainees in CLASSES:
            programme = ClassType.objects.get(code=code)
            ids.append(
                TrainingClass.objects.create(
                    center=site_a.center,
                    class_type=programme,
                    start_date=datetime.date(2026, month, 2),
                    end_date=datetime.date(2026, month, 6),
                    assessment=programme.assessment,
                    award=programme.award,
                    historic=True,
                    declared_enrolled=trainees,
                ).pk
            )
        summaries.refresh(ids)
    return site_a


def build(center, period=None):
    target = scope.for_center(center)
    with scopes_disabled(), translation.override("vi"):
        return counting.build_report(
            target.centers,
            period or counting.Period.year(2026),
            scope_label=target.label,
            issuer=target.issuer,
        )


def plan(center, code, classes, trainees):
    AnnualPlan.objects.create(
        center=center,
        year=2026,
        class_type=ClassType.objects.get(code=code),
        target_classes=classes,
        target_trainees=trainees,
    )


@pytest.mark.django_db
def test_each_level_is_compared_with_its_own_target(year_site):
    center = year_site.center
    plan(center, "nhan-thuc-ve-dang", 2, 160)
    plan(center, "dang-vien-moi", 2, 100)
    party = Block.objects.get(code="dang")
    # The party block's own target: classes only; its trainees still add up
    # the programmes' (260). The centre states its total classes only.
    PlanTotal.objects.create(center=center, year=2026, block=party, target_classes=5)
    PlanTotal.objects.create(center=center, year=2026, target_classes=6)
    report = build(center)
    (refresher,) = report.sections
    party_row, mass_row = refresher.groups
    assert (party_row.figures.target_classes, party_row.figures.target_trainees) == (
        5,
        260,
    )
    assert party_row.figures.plan_classes_share == Decimal("0.6")  # 3 / 5
    # The mass-organisation block has no target at any level.
    assert mass_row.figures.target_classes == 0
    # The centre: 4 classes of 6 planned; trainees against the blocks' sum.
    assert (report.in_plan.target_classes, report.in_plan.target_trainees) == (6, 260)
    assert report.in_plan.plan_classes_share == Decimal("0.667")
    assert report.total.target_classes == 6
    text = wording.in_plan(report, "Năm 2026")
    assert "đạt 66,7% kế hoạch về số lớp và 115,4% kế hoạch về số học viên" in text
    assert "còn thiếu 2 lớp so với kế hoạch; vượt 40 lượt học viên so với" in text


@pytest.mark.django_db
def test_over_the_plan_by_classes_and_trainees_and_the_years_plan(year_site):
    center = year_site.center
    PlanTotal.objects.create(
        center=center, year=2026, target_classes=3, target_trainees=200
    )
    with translation.override("vi"):
        text = wording.in_plan(build(center), "Năm 2026")
        assert "vượt 1 lớp (100 lượt học viên) so với kế hoạch." in text
        half = build(
            center,
            counting.Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
        )
        text = wording.in_plan(half, "Trong kỳ")
    # The first half: 3 classes of the year's 3, 200 of its 200.
    assert "đạt 100,0% kế hoạch năm về số lớp" in text
    assert "đúng kế hoạch năm" in text


@pytest.mark.django_db
def test_the_centre_rollup_shows_the_class_share_without_trainee_targets(
    year_site,
):
    center = year_site.center
    organization = make_organization(name="Đảng ủy tỉnh thử")
    center.organization.parent = organization
    center.organization.save()
    PlanTotal.objects.create(center=center, year=2026, target_classes=8)
    with scopes_disabled():
        rollup = rollups.by_center(
            scope.for_center(center).centers,
            rollups.Filters(counting.Period.year(2026)),
        )
    (row,) = rollup.rows
    assert row.plan_classes_share == Decimal("0.5")  # 4 of 8
    assert row.plan_share is None  # no trainee target: "–"


@pytest.mark.django_db
def test_the_director_enters_block_and_centre_targets(year_site):
    center = year_site.center
    party = Block.objects.get(code="dang")
    client = Client()
    client.force_login(year_site.director)
    url = reverse("courses:plan_form", args=[center.slug, 2026])
    page = client.get(url)
    assert f'name="block_classes_{party.pk}"' in page.content.decode()
    assert 'name="total_classes"' in page.content.decode()
    data = {
        f"block_classes_{party.pk}": "19",
        f"block_trainees_{party.pk}": "1394",
        "total_classes": "33",
        "total_trainees": "",
    }
    assert client.post(url, data).status_code == 302
    with scopes_disabled():
        saved = {
            (p.block_id, p.target_classes, p.target_trainees)
            for p in PlanTotal.objects.filter(center=center, year=2026)
        }
    assert saved == {(party.pk, 19, 1394), (None, 33, 0)}
    # A bad number saves nothing, level or programme.
    before = table_snapshot()
    response = client.post(url, {**data, "total_classes": "-3"})
    assert response.status_code == 200
    assert "total_classes" in response.context["form"].errors
    assert table_snapshot() == before
    # Emptied, the levels have no row any more.
    data = {key: "" for key in data}
    assert client.post(url, data).status_code == 302
    with scopes_disabled():
        assert not PlanTotal.objects.filter(center=center).exists()


@pytest.mark.django_db
def test_over_several_centres_each_centre_counts_at_its_own_level(year_site, site_b):
    a, b = year_site.center, site_b.center
    party = Block.objects.get(code="dang")
    # A states a total and a party-block target; B plans by programme only.
    PlanTotal.objects.create(center=a, year=2026, target_classes=10)
    PlanTotal.objects.create(center=a, year=2026, block=party, target_classes=5)
    plan(b, "nhan-thuc-ve-dang", 3, 100)
    with scopes_disabled(), translation.override("vi"):
        centers = Center.objects.filter(pk__in=[a.pk, b.pk])
        report = counting.build_report(
            centers,
            counting.Period.year(2026),
            scope_label="",
            issuer=scope.for_center(a).issuer,
        )
        rollup = rollups.by_center(centers, rollups.Filters(report.period))
    party_row = report.sections[0].groups[0]
    assert party_row.label == "A. Khối Đảng"
    assert party_row.figures.target_classes == 5 + 3
    assert (report.in_plan.target_classes, report.in_plan.target_trainees) == (
        10 + 3,
        100,
    )
    targets = {
        row.name: (row.target_classes, row.target_trainees) for row in rollup.rows
    }
    assert targets == {a.name: (10, 0), b.name: (3, 100)}
