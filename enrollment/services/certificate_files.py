"""Certificate PDFs: rendered in the background after issue, one document per
batch split into one frozen file per certificate; merged and zipped downloads.
"""

import hashlib
import io
import json
import logging
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.template import Context
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from enrollment.models import (
    Certificate,
    CertificateBatch,
)
from trainingcenter.pdf import render_pdf, sandboxed_template
from trainingcenter.tenancy import job_scope, jobs_of

logger = logging.getLogger(__name__)


def start_rendering(batch: CertificateBatch) -> None:
    """Render a small batch now; queue a large one for the background worker."""
    from enrollment.tasks import render_batch_task

    if batch.total <= settings.CERTIFICATE_INLINE_MAX:
        try:
            render_batch(batch.pk)
        except Exception:  # recorded on the batch; the numbers stand
            logger.exception("certificate batch %s failed", batch.pk)
    else:
        render_batch_task.enqueue(batch.pk)


def render_batch(batch_id: int) -> None:
    """Render a batch in chunks, committing each, so its progress can be shown.

    It runs in its class's centre scope, as the issuing request did."""
    batch = (
        jobs_of(CertificateBatch, pk=batch_id)
        .select_related("training_class__center")
        .get()
    )
    if batch.status == CertificateBatch.Status.DONE:
        return
    batch.start()
    with job_scope(batch.training_class.center):
        # A batch resumed after its worker died renders only what is missing.
        waiting = list(
            batch.certificates.filter(pdf=None)
            .order_by("number", "pk")
            .values_list("pk", flat=True)
        )
        step = settings.CERTIFICATE_CHUNK
        try:
            for start in range(0, len(waiting), step):
                render_certificates(waiting[start : start + step])
                batch.beat()
        except Exception as error:
            batch.fail(error)
            raise
    batch.finish()


def render_certificates(ids: Sequence[int]) -> None:
    """Render the certificates as one document per template and store one page
    per certificate, with the hash of the printed fields and the PDF.

    Frozen: a certificate that already has its PDF is never rendered again.
    The caller is in the certificates' centre scope (a request, the batch's
    worker) or past it (a management command).
    """
    certificates = list(
        Certificate.objects.filter(pk__in=ids, pdf=None)
        .select_related("enrollment__training_class__class_type__certificate_template")
        .order_by("number", "pk")
    )
    by_template = {}
    for certificate in certificates:
        template = certificate.enrollment.training_class.class_type.certificate_template
        by_template.setdefault(template, []).append(certificate)
    for template, group in by_template.items():
        _render_group(group, template)
        # Rendered outside any transaction (seconds of WeasyPrint would hold
        # SQLite's one write lock), written in a short one. A certificate
        # that another renderer froze meanwhile keeps its own PDF.
        with transaction.atomic():
            for certificate in group:
                Certificate._base_manager.filter(pk=certificate.pk, pdf=None).update(
                    pdf=certificate.pdf, digest=certificate.digest
                )


def _render_group(certificates: list[Certificate], template) -> None:
    """One WeasyPrint document for the group, split into one PDF per page with
    pikepdf (qpdf): about four times faster than splitting with pypdf. The
    PDFs and digests are set on the certificates, not saved."""
    import pikepdf

    with translation.override("vi"):
        document = render_pdf(
            "enrollment/print/certificates.html",
            certificate_pages(certificates, template),
        )
    with pikepdf.open(io.BytesIO(document)) as source:
        if len(source.pages) != len(certificates):
            raise RuntimeError("a certificate did not fit on one page")
        for certificate, page in zip(certificates, source.pages, strict=True):
            single = pikepdf.new()
            single.pages.append(page)
            single.docinfo["/Title"] = f"Giấy chứng nhận {certificate.number_text}"
            out = io.BytesIO()
            single.save(out, deterministic_id=True)
            certificate.pdf = out.getvalue()
            certificate.digest = digest(certificate.fields, certificate.pdf)


def certificate_pages(certificates: Sequence[Certificate], template=None) -> dict:
    """The context of the certificates document: one page of HTML per certificate,
    from the programme's own template or the standard one, and its extra CSS."""
    if template is not None and template.body.strip():
        compiled = sandboxed_template(template.body)

        def page(context):
            return compiled.render(Context(context))
    else:

        def page(context):
            return render_to_string("enrollment/print/certificate_page.html", context)

    qr = _qr_codes(certificates)
    return {
        "pages": [
            mark_safe(page({"c": c.fields, "qr": mark_safe(qr[c.code])}))  # noqa: S308
            for c in certificates
        ],
        "extra_css": mark_safe(template.css.replace("</", "<\\/"))  # noqa: S308
        if template is not None
        else "",
    }


def _qr_codes(certificates) -> dict[str, str]:
    """QR codes of the verification addresses as inline PNG images (nothing is
    fetched). A 1-bit PNG lays out faster in WeasyPrint than an SVG path; it is
    printed without smoothing, so the modules stay sharp. A fixed mask pattern
    (any of the eight reads equally well) saves trying all eight: 60% of the
    time segno takes for a class."""
    import segno

    return {
        c.code: format_html(
            '<img class="qr" alt="" src="{}">',
            segno.make(c.fields["verify_url"], error="m", mask=2).png_data_uri(
                scale=4, border=1
            ),
        )
        for c in certificates
    }


def merged_pdf(certificates: Sequence[Certificate]) -> bytes:
    """The stored PDFs one after the other: a class printed as one file."""
    import pikepdf

    merged = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(bytes(c.pdf))) for c in certificates]
    try:
        for source in sources:
            merged.pages.extend(source.pages)
        merged.docinfo["/Title"] = "Giấy chứng nhận"
        out = io.BytesIO()
        merged.save(out, deterministic_id=True)
    finally:
        for source in sources:
            source.close()
    return out.getvalue()


def zipped_pdfs(certificates: Sequence[Certificate]) -> bytes:
    """One stored PDF per certificate in a ZIP, named by number and name."""
    import zipfile

    from django.utils.text import slugify

    from trainingcenter.text import search_key

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            name = slugify(search_key(certificate.fields.get("full_name", "")))
            number = slugify(certificate.number_text.replace("/", "-"))
            archive.writestr(f"{number}-{name}.pdf", bytes(certificate.pdf))
    return out.getvalue()


def digest(fields: dict, pdf: bytes) -> str:
    """SHA-256 over the printed fields and the PDF bytes."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(canonical + b"\0" + bytes(pdf)).hexdigest()


def withdrawn_copy(certificate: Certificate) -> bytes:
    """The stored PDF of a revoked or replaced certificate with a red mark
    across every page ("ĐÃ THU HỒI ngày …", "ĐÃ ĐƯỢC THAY THẾ bằng số …"):
    the centre keeps its copy for the file, and the copy cannot pass for a
    standing certificate. The stored file and its digest are not touched."""
    from pypdf import PdfReader, PdfWriter

    if certificate.status == "revoked":
        lines = [
            "ĐÃ THU HỒI",
            f"ngày {timezone.localtime(certificate.revoked_at):%d/%m/%Y}",
        ]
    else:
        lines = ["ĐÃ ĐƯỢC THAY THẾ", f"bằng số {certificate.replaced_by.number_text}"]
    writer = PdfWriter(clone_from=io.BytesIO(bytes(certificate.pdf)))
    marks = {}
    for page in writer.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        if size not in marks:
            marks[size] = PdfReader(io.BytesIO(_mark(lines, *size))).pages[0]
        page.merge_page(marks[size])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _mark(lines: list[str], width: float, height: float) -> bytes:
    """One transparent page of `width` x `height` points with `lines` in red,
    large, across its middle."""
    size = {"width": f"{width:.1f}", "height": f"{height:.1f}"}
    return render_pdf("enrollment/print/withdrawn_mark.html", {"lines": lines, **size})
