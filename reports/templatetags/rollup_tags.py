from django import template

register = template.Library()


@register.filter
def rollup_cells(row, programmes):
    """A rollup row's cells in the order of the programme columns."""
    return row.cells(programmes)
