"""System checks that refuse to start an unsafe deployment, and warn of a slow one."""

import ctypes

import openpyxl
from django.core.checks import Error, Warning, register


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


@register()
def harfbuzz_subset_present(app_configs, **kwargs):
    """Without HarfBuzz's subsetting library WeasyPrint cuts the fonts of every
    PDF with fontTools: a small one-page document took 168 ms instead of 29 ms.
    Looked for as WeasyPrint looks for it, without importing WeasyPrint (a
    second on every management command)."""
    for name in HARFBUZZ_SUBSET_NAMES:
        try:
            ctypes.CDLL(name)
            return []
        except OSError:
            continue
    return [
        Warning(
            "WeasyPrint finds no HarfBuzz-Subset library: every PDF (certificates, "
            "papers, reports) takes several times longer to make.",
            hint="apt-get install libharfbuzz-subset0",
            id="trainingcenter.W001",
        )
    ]


HARFBUZZ_SUBSET_NAMES = (
    "libharfbuzz-subset.so.0",
    "libharfbuzz-subset.0.dylib",
    "libharfbuzz-subset-0.dll",
)
