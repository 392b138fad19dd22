"""HTTP helpers: file downloads, who the client is, and how often it came."""

import datetime

from axes.helpers import get_client_ip_address
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

# The content types of the files the app writes.
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"


def file_response(filename: str, content_type: str, content: bytes) -> HttpResponse:
    """An attachment with a safe RFC 6266 file name, never cached (files
    carry personal data, and offices share computers)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response["Cache-Control"] = "no-store"
    return response


def client_address(request) -> str:
    """The client's address as axes finds it (behind AXES_PROXY_COUNT proxies),
    for the public pages' rate limits: a proxy's address must not stand for
    every client."""
    return (get_client_ip_address(request) or "")[:64]


def rate_limited(attempts: QuerySet, *, within: datetime.timedelta, limit: int) -> bool:
    """Whether `attempts` (one client's logged tries, each row stamped `at`)
    reach `limit` within the last `within`: the public pages' limit, counted
    in the database so that every worker process and host sees the same."""
    since = timezone.now() - within
    return attempts.filter(at__gte=since).count() >= limit
