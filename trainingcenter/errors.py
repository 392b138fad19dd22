"""The server-error page, which tells two faults apart:
the database out of reach (restarting, failed over) answers 503 with a
Retry-After, and a full disk answers 507, each with a plain Vietnamese message
instead of "server error". Either way the error is logged by Django as usual.

The pages are rendered without the request: no session, user or database.
"""

import errno
import sys

from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

# PostgreSQL's SQLSTATE classes: 08 connection exception, 57P operator
# intervention (shutdown, starting up); 53100 disk full.
_UNREACHABLE = ("08", "57P")
_DISK_FULL = "53100"


def fault_of(error: BaseException | None) -> str | None:
    """ "database" when the database cannot be reached, "disk" when a disk is
    full, None for any other error; looks along the chain of causes."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            return "disk"
        # openpyxl writes its sheets through lxml, which reports a full disk
        # as SerialisationError("IO_ENOSPC") rather than an OSError.
        if type(error).__name__ == "SerialisationError" and "ENOSPC" in str(error):
            return "disk"
        if type(error).__module__.startswith("psycopg2"):
            code = getattr(error, "pgcode", None) or ""
            if code == _DISK_FULL:
                return "disk"
            if type(error).__name__ in ("OperationalError", "InterfaceError") and (
                not code or code.startswith(_UNREACHABLE)
            ):
                return "database"
        error = error.__cause__ or error.__context__
    return None


def server_error(request, template_name="500.html"):
    """handler500: Django calls it inside its `except`, so the error is at hand."""
    response = fault_response(fault_of(sys.exc_info()[1]))
    if response is None:
        response = HttpResponse(loader.get_template(template_name).render(), status=500)
    return response


def bad_request(request, exception, template_name="400.html"):
    """handler400. Saving the session when the database is gone ends in
    Django's SessionInterrupted, a 400 "the session was deleted"; it is the
    database's fault and is answered as such."""
    response = fault_response(fault_of(exception))
    if response is None:
        response = defaults.bad_request(request, exception, template_name)
    return response


def fault_response(fault: str | None) -> HttpResponse | None:
    if fault == "database":
        response = _page(
            503,
            _("The service is briefly unavailable"),
            _(
                "The database cannot be reached at the moment (it may be "
                "restarting). Wait a minute and try again; if this goes on, "
                "tell the administrator."
            ),
        )
        response["Retry-After"] = "30"
        return response
    if fault == "disk":
        return _page(
            507,
            _("The server's disk is full"),
            _(
                "The file could not be written because the server has no disk "
                "space left. Tell the administrator, then try again."
            ),
        )
    return None


def _page(status: int, title: str, message: str) -> HttpResponse:
    content = loader.get_template("errors/unavailable.html").render(
        {"title": title, "message": message}
    )
    return HttpResponse(content, status=status)


def method_not_allowed_page(get_response):
    """Middleware: an address that only takes a form's POST, opened by its
    link (after Back, from a bookmark), answers its 405 with a page that
    says so, instead of an empty body the browser shows in its own words."""
    from django.shortcuts import render

    def middleware(request):
        response = get_response(request)
        if response.status_code != 405 or response.content or request.method != "GET":
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page

    return middleware
