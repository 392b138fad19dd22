"""Issuing a document straight through the register, with a small stand-in
layout: what a report or a class paper does, without their pages."""

import datetime

from trainingcenter import documents


def fake_render(number: str, texts: dict) -> documents.Rendered:
    return documents.Rendered(
        pdf=f"%PDF-1.4 Số {number}".encode(), docx=f"PK Số {number}".encode()
    )


def issue(
    center,
    kind: str = "KH",
    *,
    on: datetime.date,
    key: str = "",
    subject: str = "Kế hoạch mở lớp",
    by=None,
):
    """Issue a document of `kind` for the centre's organization on `on`."""
    key = key or f"test:{kind}:{on.isoformat()}:{subject}"
    return documents.issue(
        center.organization,
        kind,
        key,
        subject=subject,
        issued_on=on,
        signer_title="GIÁM ĐỐC",
        signer_name="Nguyễn Văn Giám",
        frozen=documents.Frozen(figures={}, fields={"subject": subject}),
        render=fake_render,
        by=by,
    )
