"""A committee's own report as a document: the organization's report over
the centres under it, written and issued in the organization's register.

Every committee member over the organization reads it (404 for anyone else,
as the report itself); the member whose membership of that very
organization is marked "writes and issues the committee's documents" (the
committee's office, set in the administration) writes its text and issues
it. The pages are the centre's (reports/issuing.py) for another scope.
"""

from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reports import issuing
from reports.views import for_organization


@require_http_methods(["GET", "POST"])
@for_organization
def report_text(request, target):
    return issuing.text_page(request, target)


@require_http_methods(["GET", "POST"])
@for_organization
def report_issue(request, target):
    return issuing.issue_page(request, target)


@require_GET
@for_organization
def issued_reports(request, target):
    return issuing.issued_list_page(request, target)


@require_GET
@for_organization
def issued_report(request, target, pk):
    return issuing.issued_page(request, target, pk)


@require_GET
@for_organization
def issued_file(request, target, pk, kind):
    return issuing.issued_file_page(request, target, pk, kind)


@require_POST
@for_organization
def issued_new_version(request, target, pk):
    return issuing.new_version(request, target, pk)
