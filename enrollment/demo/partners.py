"""Co-organised classes and classes held for a cluster of communes, in the demo.

Writes `CoOrganizer` rows and, for a class held in a cluster, its venue and
`venue_communes`, so that the report's columns for co-organised and cluster
classes have something to count. Partners are looked up by organization code
(the demo province of enrollment/demo/province.py); a class is named by
programme and intake within its year. Before the 2025 merger the city's
bodies were the partners, after it the wards'.
"""

import datetime

from courses.models import CoOrganizer, TrainingClass
from trainingcenter.models import Center, Organization

PARTNERS = {
    # (programme, intake): (partner before, partner from 1 July 2025)
    ("nhan-thuc-ve-dang", "khóa 1"): ("LD-DALAT-DTN", "LD-XH-DTN"),
    ("quoc-phong-an-ninh", "khóa 1"): ("LD-DALAT-BCHQS", "LD-CL-BCHQS"),
    ("chinh-tri-he", "khóa 1"): ("LD-DALAT-GDDT", "LD-XH-VHXH"),
    ("chinh-tri-he", "khóa 2"): ("LD-DALAT-GDDT", "LD-XH-VHXH"),
}
MERGER = datetime.date(2025, 7, 1)
CLUSTERS = [("mat-tran-doan-the", "khóa 2"), ("nhan-thuc-ve-dang", "khóa 5")]
CLUSTER_VENUE = "Hội trường Ủy ban nhân dân phường Cam Ly – Đà Lạt (cụm phường)"


def add_partners_and_clusters(center: Center, *, year: int) -> None:
    """Partners of the year's classes, and the year's cluster classes.

    Idempotent: a partner already recorded and a venue already set stay.
    """
    classes = {
        (c.class_type.code, c.intake_label): c
        for c in TrainingClass.objects.filter(
            center=center, start_date__year=year
        ).select_related("class_type")
    }
    partners = {o.code: o for o in Organization.objects.filter(code__startswith="LD")}
    for key, (before, after) in PARTNERS.items():
        training_class = classes.get(key)
        partner = training_class and partners.get(
            before if training_class.start_date < MERGER else after
        )
        if partner:
            CoOrganizer.objects.get_or_create(
                training_class=training_class,
                organization=partner,
                defaults={"role": CoOrganizer.Role.PARTNER},
            )
    communes = list(center.communes.all())
    for key in CLUSTERS:
        training_class = classes.get(key)
        if training_class is None or training_class.start_date < MERGER:
            continue
        if training_class.venue != CLUSTER_VENUE:
            training_class.venue = CLUSTER_VENUE
            training_class.save()
        training_class.venue_communes.add(*communes)
