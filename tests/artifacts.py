"""Where the tests leave what a person looks at: screenshots, PDFs, page
images. One folder per database engine (test-artifacts/sqlite/,
test-artifacts/postgresql/): `make test` runs both passes at the same time, and
a pass must not overwrite the pages the other is reading back."""

from pathlib import Path

from django.db import connection

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / connection.vendor
ARTIFACTS.mkdir(parents=True, exist_ok=True)
