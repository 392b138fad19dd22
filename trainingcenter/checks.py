"""System checks that refuse to start an unsafe deployment."""

import openpyxl
from django.core.checks import Error, register


@register()
def defusedxml_present(app_configs, **kwargs):
    """openpyxl only guards against XML bombs with defusedxml: an uploaded
    workbook could otherwise exhaust the memory."""
    if not getattr(openpyxl, "DEFUSEDXML", False):
        return [
            Error(
                "openpyxl runs without defusedxml, so Excel uploads are unsafe.",
                hint="pip install defusedxml (it is in requirements.txt).",
                id="trainingcenter.E001",
            )
        ]
    return []
