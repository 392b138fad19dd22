"""Migration safety: nothing pending, and the linter is wired up."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.production import postgres_only

OUR_APPS = ["trainingcenter", "courses", "enrollment", "reports"]


@pytest.mark.django_db
def test_no_pending_migrations():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:  # --check exits 1 when a migration is missing
        pytest.fail(f"makemigrations --check: pending changes\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()


def test_linter_covers_our_apps_and_ignores_only_landed_migrations():
    options = settings.MIGRATION_LINTER_OPTIONS
    assert "django_migration_linter" in settings.INSTALLED_APPS
    assert sorted(options["include_apps"]) == sorted(OUR_APPS)
    # The ignore list is frozen: new migrations are linted strictly.
    assert sorted(options["ignore_name"]) == sorted(
        [
            "0001_initial",
            "0002_import_batches",
            "0006_class_persons_units",
            "0007_feedback",
            "0002_center_feedback_days",
        ]
    )


# The linter reads the SQL of the engine it runs on; the one whose locks matter
# is PostgreSQL (SQLite rebuilds a table for changes that are metadata-only on
# PostgreSQL, such as a NOT NULL column with a database default).
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_lintmigrations_passes():
    out = StringIO()
    try:
        call_command("lintmigrations", "--quiet", "ok", "ignore", stdout=out)
    except SystemExit:  # the linter exits 1 on an erroneous migration
        pytest.fail("lintmigrations found errors: see the captured output")
