"""Who a class's papers go to: the units that sent people, in Vietnamese
order, each once; never the centre itself, which calls its own people
in-house, and never a superior twice."""

import pytest
from django_scopes import scopes_disabled

from enrollment.paperwork import content, output
from enrollment.paperwork.wording import KINDS
from tests.enrollment.paperwork import UNIT_A, UNIT_B, make_paper_class
from tests.factories import make_enrollment, make_trainee


@pytest.mark.django_db
def test_no_paper_to_the_centre_itself_and_no_recipient_twice(site_a):
    with scopes_disabled():
        klass, _units = make_paper_class(site_a.center)
        center = site_a.center.organization
        superior = center.parent
        for name, unit in (("Phan Văn Nhà", center), ("Đỗ Thị Trên", superior)):
            make_enrollment(
                klass, make_trainee(site_a.center, full_name=name), unit=unit
            )
        facts = content.facts_of(klass)
        summons = content.papers(facts, KINDS["summons"])
        plan = content.papers(facts, KINDS["plan"])[0]
    addressed = [paper.unit_name for paper in summons]
    assert center.name not in addressed
    # Vietnamese order: "Đảng ủy xã Hòa Bình", "Đảng ủy xã Tân Phú", then
    # the superior ("Đảng ủy phường …" sorts before "Đảng ủy xã …").
    assert addressed == [superior.name, UNIT_B, UNIT_A]
    lines = plan.recipients
    assert f"- {superior.name} (để báo cáo)," in lines
    assert sum(superior.name in line for line in lines) == 1
    assert not any(center.name in line for line in lines)
    # Everyone is still called: the centre's own person counted in the total.
    assert facts.called_in_all() == len(facts.enrollments)


@pytest.mark.django_db
def test_a_diploma_programmes_decision_grants_a_diploma(site_a):
    """Sơ cấp lý luận chính trị gives a bằng: its decision and plan say so."""
    with scopes_disabled():
        klass, _units = make_paper_class(site_a.center)
        klass.award = "diploma"
        klass.save()
        facts = content.facts_of(klass)
        (decision,) = content.papers(facts, KINDS["results"])
        (plan,) = content.papers(facts, KINDS["plan"])
        body = output.body_text(site_a.center, decision)
        plan_body = output.body_text(site_a.center, plan)
    assert decision.subject.startswith("Công nhận kết quả học tập và cấp bằng lớp")
    assert "Công nhận kết quả học tập và cấp bằng cho 3 đồng chí" in body
    assert "giấy chứng nhận" not in body
    assert "cấp bằng theo quy định" in plan_body


@pytest.mark.django_db
def test_a_class_of_the_centres_own_staff_needs_no_summons(site_a):
    with scopes_disabled():
        klass, _units = make_paper_class(site_a.center)
        klass.enrollments.update(unit=site_a.center.organization)
        facts = content.facts_of(klass)
        summons = content.missing(facts, KINDS["summons"])
        notice = content.missing(facts, KINDS["notice"])
    assert summons.startswith("Không cần: mọi học viên là cán bộ của trung tâm")
    assert notice == "Không cần: không có học viên nào do đơn vị khác cử."
