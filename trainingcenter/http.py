"""HTTP helpers: file downloads, and who the client is."""

from axes.helpers import get_client_ip_address
from django.http import HttpResponse
from django.utils.http import content_disposition_header

# The content types of the files the app writes.
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"


def file_response(filename: str, content_type: str, content: bytes) -> HttpResponse:
    """An attachment with a safe RFC 6266 file name, never cached (SECURITY.md R27)."""
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
