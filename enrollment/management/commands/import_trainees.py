"""Import a trainee list into a class from the command line, as the upload page does."""

import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_scopes import scope, scopes_disabled

from courses.models import TrainingClass
from enrollment import importing
from enrollment.models import ImportBatch
from enrollment.services import imports
from trainingcenter.models import Membership
from trainingcenter.uploads import UploadRefused


class Command(BaseCommand):
    help = (
        "Check an Excel trainee list for a class and print the preview (each row: "
        "new, already registered, already in the class, or errors). With --commit "
        "and no error, enrol everyone in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("training_class", type=int, help="The class's id.")
        parser.add_argument("file", type=Path, help="The .xlsx list.")
        parser.add_argument(
            "--user",
            default=None,
            help="Username recorded as the importer (default: the first superuser).",
        )
        parser.add_argument("--commit", action="store_true", help="Save the import.")

    def handle(self, *args, training_class, file, user, commit, **options):
        with scopes_disabled():
            klass = (
                TrainingClass.objects.select_related("center", "class_type")
                .filter(pk=training_class)
                .first()
            )
        if klass is None:
            raise CommandError(f"No class with id {training_class}.")
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        actor = self._actor(user)
        with scope(center=klass.center):
            try:
                sheet = importing.read_list(content)
            except UploadRefused as refusal:
                raise CommandError(str(refusal)) from None
            parsed = importing.parse_list(sheet, training_class=klass)
            self._report(parsed)
            if not commit:
                self.stdout.write("Dry run: nothing saved (add --commit to import).")
                return
            if parsed.error_count:
                raise CommandError(
                    f"{parsed.error_count} rows have errors; nothing saved."
                )
            try:
                with transaction.atomic():
                    batch = ImportBatch.objects.create(
                        token=secrets.token_urlsafe(24),
                        center=klass.center,
                        training_class=klass,
                        user=actor,
                        file_name=file.name[:255],
                        sheet=sheet.to_json(),
                    )
                    result = imports.import_trainee_list(
                        batch,
                        by=actor,
                        membership=Membership(role=Membership.Role.DIRECTOR),
                        over_capacity_confirmed=True,
                        sheet=sheet,
                    )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Enrolled {result.created} new and {result.matched} registered people."
            )
        )

    def _actor(self, username):
        User = get_user_model()
        users = (
            User.objects.filter(username=username)
            if username
            else User.objects.filter(is_superuser=True)
        )
        actor = users.order_by("pk").first()
        if actor is None:
            raise CommandError("Give --user: no such user, or no superuser exists.")
        return actor

    def _report(self, parsed):
        if not parsed.header_row:
            self.stdout.write(
                "No column “Họ và tên” was found in the first twenty rows."
            )
            return
        counts = {"new": 0, "match": 0, "enrolled": 0, "error": 0}
        for row in parsed.rows:
            counts[row.kind] += 1
            name = row.values.get("full_name") or row.raw_name
            line = f"row {row.number:>5}  {row.kind:<8}  {name}"
            if row.match_how:
                line += f"  ({row.match_how})"
            self.stdout.write(line)
            for column, message in row.errors:
                self.stdout.write(f"           {column}: {message}")
        self.stdout.write(
            "new {new}, already registered {match}, already in the class {enrolled}, "
            "errors {error}; skipped rows {skipped}".format(
                **counts, skipped=parsed.ignored
            )
        )
