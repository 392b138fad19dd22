"""The backup-and-restore drill.

`pg_dump -Fc` of a seeded database, `pg_restore --no-owner` into a new
database, and the same report figures, certificate register, table row
counts and applied migrations afterwards. PostgreSQL only: the dump format
and the tools are PostgreSQL's.
"""

import contextlib
import hashlib
import os
import subprocess

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from enrollment.models import Certificate
from reports import counting
from tests.conftest import table_snapshot
from tests.production import postgres_only
from tests.production.serving import pg_tool
from trainingcenter.models import Center

pytestmark = postgres_only


def run_pg(tool: str, *args: str) -> None:
    settings = connection.settings_dict
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    command = [pg_tool(tool), "-h", settings["HOST"] or "127.0.0.1"]
    if settings.get("PORT"):
        command += ["-p", str(settings["PORT"])]
    command += ["-U", settings["USER"] or "postgres", *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stderr}"


@contextlib.contextmanager
def default_database_named(name: str):
    """Point the default connection at another database (build_report uses it)."""
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


def figures() -> dict:
    """What the drill compares: reports, the certificate register, every table."""
    year = timezone.localdate().year
    with scopes_disabled():
        centers = Center.objects.all()
        reports = {
            label: counting.build_report(
                centers, period, scope_label="Sao lưu", issuer=None
            )
            for label, period in [
                ("year", counting.Period.year(year)),
                (
                    "term",
                    counting.Period(
                        counting.Period.year(year - 4).start,
                        counting.Period.year(year).end,
                    ),
                ),
            ]
        }
        register = [
            (
                c.kind,
                c.year,
                c.number_text,
                c.issued_on,
                c.code,
                c.digest,
                hashlib.sha256(bytes(c.pdf)).hexdigest() if c.pdf else None,
                c.revoked_at,
            )
            for c in Certificate.objects.order_by("pk")
        ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = cursor.fetchall()
    return {
        "reports": reports,
        "bieu1": {k: (vars(r.total), r.persons) for k, r in reports.items()},
        "bieu3": {k: r.feedback for k, r in reports.items()},
        "register": register,
        "tables": table_snapshot(),
        "migrations": migrations,
    }


@pytest.mark.django_db(transaction=True)
def test_pg_dump_restores_to_the_same_reports_and_certificate_register(tmp_path):
    call_command("seed_demo", password="mot-mat-khau-demo-dai", force=True)
    before = figures()
    # The seed is realistic: a year of classes, certificates with their PDFs.
    year_total = before["bieu1"]["year"][0]
    assert year_total["classes"] > 0 and year_total["enrolled"] > 0
    assert year_total["certified"] > 0
    assert before["register"] and all(row[5] for row in before["register"])
    assert before["bieu3"]["year"] is not None and before["bieu3"]["year"].rows
    assert before["migrations"]

    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored"
    dump = tmp_path / "backup.dump"
    run_pg("pg_dump", "-Fc", "-f", str(dump), source)
    assert dump.stat().st_size > 0
    run_pg("dropdb", "--if-exists", restored)
    run_pg("createdb", restored)
    try:
        run_pg("pg_restore", "--no-owner", "--exit-on-error", "-d", restored, str(dump))
        with default_database_named(restored):
            after = figures()
            call_command("migrate", check=True, verbosity=0)  # nothing pending
    finally:
        run_pg("dropdb", "--if-exists", restored)

    assert after["migrations"] == before["migrations"]
    assert after["tables"] == before["tables"]
    assert after["register"] == before["register"]
    assert after["bieu1"] == before["bieu1"]
    assert after["bieu3"] == before["bieu3"]
    assert after["reports"] == before["reports"]
