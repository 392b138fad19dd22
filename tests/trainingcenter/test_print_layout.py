"""Rules of the printed page every paper of the centre shares (css/print.css)."""

import io

from pypdf import PdfReader

from trainingcenter.pdf import render_html


def _pages(rows: int) -> list[str]:
    html = (
        '<html><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="css/print.css"></head><body>'
        '<table class="roster"><thead><tr><th>STT</th><th>Họ và tên</th></tr></thead>'
        + "".join(f"<tr><td>{n}</td><td>Nguyễn Văn An</td></tr>" for n in range(rows))
        + '</table><div class="signature"><div class="title">Giám đốc</div>'
        '<div class="name">Trần Văn Bình</div></div></body></html>'
    )
    reader = PdfReader(io.BytesIO(render_html(html)))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def test_a_signature_never_stands_alone_on_the_last_page():
    """Row by row, the list grows until the signature no longer fits on the
    first page: the last rows go over with it, not the signature alone."""
    rows = 10
    while len(pages := _pages(rows)) == 1:
        rows += 1
        assert rows < 80, "the list never reached a second page"
    assert "GIÁM ĐỐC" in pages[-1] or "Giám đốc" in pages[-1]
    assert "Nguyễn Văn An" in pages[-1], pages[-1]


def _header_lines(superior: str) -> list[str]:
    from django.template.loader import render_to_string

    from tests.factories import make_center

    html = render_to_string(
        "print/base.html",
        {"center": make_center(superior_body_line=superior), "document_date": None},
    )
    reader = PdfReader(io.BytesIO(render_html(html)))
    text = reader.pages[0].extract_text().replace("\u00a0", " ")
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def test_a_header_line_wraps_before_the_bodys_name_not_inside_it(db):
    """The superior body of a merged ward is too long for the header's
    column: it wraps after "PHƯỜNG", as a clerk would set it, in the PDF and
    in the Word file made from it."""
    lines = _header_lines("ĐẢNG ỦY PHƯỜNG XUÂN HƯƠNG – ĐÀ LẠT")
    assert lines[:2] == ["ĐẢNG ỦY PHƯỜNG", "XUÂN HƯƠNG – ĐÀ LẠT"], lines
    # A name that fits is left as it is.
    assert _header_lines("ĐẢNG ỦY XÃ TÂN HÒA")[0] == "ĐẢNG ỦY XÃ TÂN HÒA"
