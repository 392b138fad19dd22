"""Numbered certificates for the generated classes, and the counters they advance.

Writes a `Certificate` for 93% of the passed trainees of the classes chosen
for certificates (every certifying class at centre scale, 5% otherwise),
numbered per issuer and year after any number already issued, then sets the
issuers' counters (django-sequences rows) to the last number written, so the
next certificate issued on the certificate pages follows the generated ones.
The issuing service works class by class (it locks the class, fills each
certificate's printed fields, records a batch and an event per certificate,
and renders the PDFs after the commit), far too slow for hundreds of
thousands; these rows carry no printed fields, no file and no digest.
"""

import base64
import datetime
import random

from django.db import connection
from django.db.models import Max
from django.utils import timezone
from sequences.models import Sequence

from enrollment.demo.generator import fmt
from enrollment.demo.generator.results import STATUS
from enrollment.demo.generator.run import Run
from enrollment.models import Certificate, Enrollment
from enrollment.services.certificates import counter_name

CERTIFICATE_COLUMNS = [
    "enrollment_id", "kind", "issuer_id", "year", "number", "number_text",
    "issued_on", "signer_title", "signer_name", "code", "fields",
    "digest", "revoked_reason", "created_at",
]  # fmt: skip


def write_certificates(
    run: Run,
    rng: random.Random,
    enrolments: list[tuple],
    first: int,
    class_meta: dict[int, tuple],
) -> None:
    """Certificates for 93% of the passed trainees of the `class_meta` classes
    (issuer, last day, award by class id); enrolment ids from `first`."""
    if not class_meta:
        return
    chosen = sorted(
        (row[0], first + i)
        for i, row in enumerate(enrolments)
        if row[0] in class_meta
        and row[STATUS] == Enrollment.Status.COMPLETED
        and rng.random() < 0.93
    )
    issuers = {meta[0] for meta in class_meta.values()}
    number = dict(
        Certificate.objects.filter(issuer__in=issuers, year=run.year)
        .values("issuer")
        .annotate(top=Max("number"))
        .values_list("issuer", "top")
    )
    rows = _certificate_rows(run.year, rng, chosen, class_meta, number)
    run.writer.write(Certificate, CERTIFICATE_COLUMNS, rows)
    _advance_counters(number, run.year)
    run.say(f"Đã ghi {fmt(len(rows))} giấy chứng nhận.")


def _certificate_rows(year, rng, chosen, class_meta, number) -> list[tuple]:
    """One row per (class, enrolment) of `chosen`; `number` (the last number
    by issuer) is advanced as they are numbered."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    last_day = datetime.date(year, 12, 31)
    rows = []
    for class_id, enrollment_id in chosen:
        issuer, end, award = class_meta[class_id]
        number[issuer] = (number.get(issuer) or 0) + 1
        code = base64.urlsafe_b64encode(rng.getrandbits(256).to_bytes(32)).decode()
        rows.append(
            (
                enrollment_id,
                "diploma" if award == "diploma" else "certificate",
                issuer,
                year,
                number[issuer],
                f"{number[issuer]}/GCN-TTCT",
                min(end + datetime.timedelta(days=3), last_day).isoformat(),
                "GIÁM ĐỐC",
                "Nguyễn Văn An",
                code.rstrip("="),
                "{}",
                "",
                "",
                now,
            )
        )
    return rows


def _advance_counters(number: dict[int, int], year: int) -> None:
    """The counters the certificate pages number from: the next one issued
    by hand follows the last generated one."""
    Sequence.objects.bulk_create(
        [
            Sequence(name=counter_name(issuer, year), last=last)
            for issuer, last in number.items()
        ],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["last"],
    )
