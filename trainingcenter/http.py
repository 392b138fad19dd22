"""File downloads: one way to send (filename, content_type, bytes) to a browser."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def file_response(filename: str, content_type: str, content: bytes) -> HttpResponse:
    """An attachment with a safe RFC 6266 file name, never cached (SECURITY.md R27)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response["Cache-Control"] = "no-store"
    return response
