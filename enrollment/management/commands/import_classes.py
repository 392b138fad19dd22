"""Record a centre's past classes from the Excel template."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from enrollment.services import historic_classes
from trainingcenter.models import Center
from trainingcenter.uploads import UploadRefused


class Command(BaseCommand):
    help = "Record past classes (counts only) from the Excel template; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--center", required=True, help="the centre's short name")

    def handle(self, *args, file: Path, center: str, **options):
        with scopes_disabled():
            target = Center.objects.filter(slug=center).first()
            if target is None:
                raise CommandError(f"Không có trung tâm “{center}”.")
            try:
                parsed = historic_classes.parse(
                    historic_classes.read(file.read_bytes()), target
                )
            except (OSError, UploadRefused) as error:
                raise CommandError(str(error)) from error
            for column in parsed.unread:
                # The page shows the same list before its confirmation.
                self.stdout.write(
                    self.style.WARNING(
                        f"Cột không nhập {column.letter} “{column.header}”: "
                        + "; ".join(column.samples)
                    )
                )
            errors = [
                f"Dòng {row.number}, cột “{column}”: {message}"
                for row in parsed.rows
                for column, message in row.errors
            ]
            if errors:
                raise CommandError("Không ghi gì.\n" + "\n".join(errors))
            made = historic_classes.import_classes(target, parsed.rows)
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {len(made)} lớp."))
