"""The one PDF renderer: a Django template through WeasyPrint.

WeasyPrint fetches only the project's own static files (fonts, print CSS); any
other URL, local or remote, is refused, so a template or a certificate's
own HTML cannot make the server fetch anything.
"""

import base64
import mimetypes
from pathlib import Path
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.template.loader import render_to_string

STATIC_ROOT = (Path(settings.BASE_DIR) / "static").resolve()


def _static_only_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self):
            super().__init__(
                allowed_protocols={"file"}, allow_redirects=False, timeout=2
            )
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            if url.startswith(("data:image/png;base64,", "data:image/svg+xml;")):
                # Inline images the app made itself (QR codes): nothing is fetched.
                kind, _, payload = url[5:].partition(",")
                body = (
                    base64.b64decode(payload)
                    if kind.endswith(";base64")
                    else unquote_to_bytes(payload)
                )
                return URLFetcherResponse(
                    url, body, headers={"Content-Type": kind.split(";")[0]}
                )
            if url.startswith("file://"):
                path = Path(url[7:].split("?")[0]).resolve()
                if path.is_relative_to(STATIC_ROOT) and path.is_file():
                    kind = (
                        mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    )
                    return URLFetcherResponse(
                        url, path.read_bytes(), headers={"Content-Type": kind}
                    )
            self.refused.append(url)
            raise ValueError(f"refused {url}")

    return StaticOnlyFetcher()


def sandboxed_template(source: str):
    """Compile a template edited in the admin: it can load no other template and
    no tag library, and sees only the context it is given."""
    from django.template import Engine

    engine = Engine(loaders=[], libraries={}, autoescape=True)
    return engine.from_string(source)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render `template_name` with `context` to PDF bytes.

    Templates refer to static files by relative path ("fonts/…", "css/print.css");
    they resolve against static/ and nothing else can be loaded.
    """
    return render_html(render_to_string(template_name, context))


def render_html(html: str) -> bytes:
    """HTML the app rendered itself to PDF bytes, fetching static files only."""
    from weasyprint import HTML

    fetcher = _static_only_fetcher()
    document = HTML(
        string=html, base_url=f"{STATIC_ROOT.as_uri()}/", url_fetcher=fetcher
    )
    return document.write_pdf()
