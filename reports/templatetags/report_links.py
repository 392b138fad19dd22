"""Links between the pages of a report as a document, for a centre's report
or an organization's (reports.scope.Scope.link)."""

from django import template

register = template.Library()


@register.simple_tag
def scope_url(scope, name: str, *args) -> str:
    return scope.link(name, *args)
