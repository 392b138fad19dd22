"""One way to page a filtered list: the personal-data logs, the register of
outgoing documents, the register of requests about personal data."""

from django.core.paginator import Paginator
from django.shortcuts import render

PAGE_ROWS = 100


def filtered_page(request, template: str, form, rows, *, prepare=None, **extra):
    """A page of `rows`, 100 of them, the filters kept in the page links; a
    filter that does not validate answers 400 (`form` None: no filters).
    `prepare` is given the page's rows (a list) to add what the template shows
    of them."""
    page = Paginator(rows, PAGE_ROWS).get_page(request.GET.get("page"))
    if prepare:
        page.object_list = prepare(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        template,
        {"form": form, "page": page, "query_string": query.urlencode(), **extra},
        status=400 if form and request.GET and not form.is_valid() else 200,
    )
