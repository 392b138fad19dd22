"""Reduce the identifying details of trainees past their centre's retention
period (enrollment.services.retention). Run daily by a systemd timer
(deploy/systemd/trainingcenter-retention.*); `--dry-run` lists whom it would
reduce, by count and a sample, and changes nothing.

The sample shows record numbers and initials only: the output goes to the
system log, where no full name belongs.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_scopes import scopes_disabled

from enrollment.services import retention
from trainingcenter.models import Center


class Command(BaseCommand):
    help = (
        "Reduce the identifying details of trainees whose last class ended "
        "longer ago than their centre's retention period."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List whom, change nothing."
        )
        parser.add_argument("--center", help="Only this centre (its slug).")
        parser.add_argument(
            "--sample",
            type=int,
            default=10,
            help="How many of the people due to list (numbers and initials).",
        )
        parser.add_argument(
            "--today", help="As of this day (YYYY-MM-DD) instead of today."
        )

    def handle(self, *args, dry_run, center, sample, today, **options):
        try:
            today = (
                datetime.date.fromisoformat(today) if today else timezone.localdate()
            )
        except ValueError:
            raise CommandError("--today: ngày theo dạng YYYY-MM-DD.") from None
        total = 0
        with scopes_disabled():
            centers = Center.objects.exclude(retention_months=None).order_by("slug")
            if center:
                centers = centers.filter(slug=center)
            for one in centers:
                total += self._center(retention.due(one, today), today, dry_run, sample)
            uploads = retention.abandoned_uploads(timezone.now())
            dropped = uploads.count() if dry_run else uploads.delete()[0]
        verb = "sẽ rút gọn" if dry_run else "đã rút gọn"
        self.stdout.write(f"Tổng: {verb} thông tin định danh của {total} học viên.")
        verb = "sẽ xóa" if dry_run else "đã xóa"
        self.stdout.write(f"{verb.capitalize()} {dropped} danh sách tải lên bỏ dở.")

    def _center(self, due, today, dry_run: bool, sample: int) -> int:
        count = due.trainees.count()
        self.stdout.write(
            f"{due.center.slug}: {count} học viên có lớp cuối kết thúc trước "
            f"{due.before:%d/%m/%Y}; giữ nguyên {due.kept} người còn giấy chứng "
            "nhận có hiệu lực."
        )
        if dry_run:
            for person in due.trainees[:sample]:
                self.stdout.write(
                    f"  #{person.pk} {retention.initials(person.full_name)} "
                    f"(lớp cuối {person.last_class:%d/%m/%Y})"
                )
            return count
        return retention.reduce(due.trainees, today)
