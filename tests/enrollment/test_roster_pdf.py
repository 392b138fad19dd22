"""The sign-in list PDF: party-document layout, Vietnamese, no citizen IDs."""

import io
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled
from pypdf import PdfReader

from tests.artifacts import ARTIFACTS
from tests.factories import make_class, make_class_type, make_enrollment, make_trainee


@pytest.mark.django_db
def test_roster_pdf_lists_the_class_in_vietnamese_without_citizen_ids(site_a):
    center = site_a.center
    center.director_name = "Nguyễn Thị Hòa"
    center.save()
    with scopes_disabled():
        training_class = make_class(
            center, class_type=make_class_type(), venue="Hội trường A"
        )
        names = [f"Đặng Văn Người {i:02d}" for i in range(45)]
        for name in names:
            make_enrollment(
                training_class,
                make_trainee(
                    center,
                    full_name=name,
                    citizen_id=f"0010950{len(name):05d}"[:12]
                    if name.endswith("00")
                    else "",
                ),
            )
    client = Client()
    client.force_login(site_a.staff)
    response = client.get(
        reverse("enrollment:roster_pdf", args=[center.slug, training_class.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 2
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "DANH SÁCH HỌC VIÊN",
        "TRUNG TÂM CHÍNH TRỊ",
        "Bồi dưỡng nhận thức về Đảng",
        "Đặng Văn Người 44",
        "Ký tên",
        "Nguyễn Thị Hòa",
        "02/03/2026",
        "Thử Nghiệm, ngày",
    ):
        assert expected in text, expected
    assert "001095" not in text
    # Every page repeats the table header and carries its number.
    for number, page in enumerate(reader.pages, start=1):
        assert "Họ và tên" in page.extract_text()
        assert f"{number}/{len(reader.pages)}" in page.extract_text()
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert all("Liberation-Serif" in font for font in fonts), fonts
    if shutil.which("pdftoppm"):
        pdf = ARTIFACTS / "roster.pdf"
        pdf.write_bytes(response.content)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                str(pdf),
                str(ARTIFACTS / "roster"),
            ],
            check=True,
        )
        assert (ARTIFACTS / "roster-1.png").stat().st_size > 5_000


@pytest.mark.django_db
def test_pdf_renderer_fetches_nothing_outside_static(tmp_path, settings):
    """Remote URLs and local files outside static/ are refused."""
    from trainingcenter import pdf

    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT")
    template = tmp_path / "hostile.html"
    template.write_text(
        f'<link rel="attachment" href="file://{secret}">'
        '<img src="http://127.0.0.1:9/x.png"><img src="file:///etc/passwd">'
        '<link rel="stylesheet" href="css/print.css"><p>Chào</p>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    fetcher = pdf._static_only_fetcher()
    original = pdf._static_only_fetcher
    pdf._static_only_fetcher = lambda: fetcher
    try:
        content = pdf.render_pdf("hostile.html", {})
    finally:
        pdf._static_only_fetcher = original
    assert b"SECRET-CONTENT" not in content
    reader = PdfReader(io.BytesIO(content))
    assert not reader.attachments
    assert "Chào" in reader.pages[0].extract_text()
    assert any("secret.txt" in url for url in fetcher.refused)
    assert any(url.startswith("http://") for url in fetcher.refused)
    assert not any(url.endswith("print.css") for url in fetcher.refused)
