"""The catalogue's programmes for propaganda (tuyên giáo), mass mobilisation
(dân vận), the two together and state management, which centres report on
their own rows; party-work skills keep organisation, inspection and office
work. A deployment whose catalogue was loaded earlier gets them here; one
without a catalogue yet gets them with the fixture."""

from django.db import migrations

BASIS = "Hướng dẫn 154-HD/BTGTW ngày 09/10/2020"
PARTY_WORK = "nghiep-vu-cong-tac-dang"
PARTY_WORK_NAME = "Bồi dưỡng nghiệp vụ công tác Đảng (tổ chức, kiểm tra, văn phòng cấp ủy)"
PARTY_WORK_LEARNERS = "Cán bộ làm công tác tổ chức, kiểm tra, văn phòng cấp ủy ở cơ sở"
# code, name, block, learners, order, legal basis
PROGRAMMES = [
    (
        "tuyen-giao",
        "Bồi dưỡng nghiệp vụ công tác tuyên giáo",
        "dang",
        "Cán bộ làm công tác tuyên giáo ở cơ sở, báo cáo viên, tuyên truyền viên",
        17,
        BASIS,
    ),
    (
        "dan-van",
        "Bồi dưỡng nghiệp vụ công tác dân vận",
        "dang",
        "Cán bộ làm công tác dân vận ở cơ sở",
        18,
        BASIS,
    ),
    (
        "tuyen-giao-dan-van",
        "Bồi dưỡng nghiệp vụ công tác tuyên giáo, dân vận",
        "dang",
        "Cán bộ làm công tác tuyên giáo và dân vận ở cơ sở (lớp chung)",
        19,
        BASIS,
    ),
    (
        "quan-ly-nha-nuoc",
        "Bồi dưỡng kiến thức quản lý nhà nước",
        "chinh-quyen",
        "Cán bộ, công chức, viên chức chính quyền cơ sở",
        23,
        "",
    ),
]


def add_programmes(apps, schema_editor):
    Block = apps.get_model("courses", "Block")
    ClassType = apps.get_model("courses", "ClassType")
    blocks = {block.code: block for block in Block.objects.all()}
    if not blocks:
        return  # no catalogue yet: the fixture brings everything
    old_name = "Bồi dưỡng nghiệp vụ công tác Đảng"
    ClassType.objects.filter(code=PARTY_WORK, name=old_name).update(
        name=PARTY_WORK_NAME, learners=PARTY_WORK_LEARNERS
    )
    for code, name, block, learners, order, basis in PROGRAMMES:
        if block not in blocks or ClassType.objects.filter(code=code).exists():
            continue
        ClassType.objects.create(
            code=code,
            name=name,
            block=blocks[block],
            kind="refresher",
            sessions=4,
            assessment="none",
            award="certificate",
            learners=learners,
            legal_basis=basis,
            order=order,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_mark_historic_classes"),
    ]

    operations = [
        migrations.RunPython(add_programmes, migrations.RunPython.noop),
    ]
