"""The papers of a class: drafts to look at, "Ban hành" with its
confirmation, a new version, the issued files (one PDF, a ZIP of one file per
unit), and the centre's wording of each kind.

Every member of the centre drafts and downloads; the director issues and
words. The writes are the register's and enrollment/paperwork's; a paper
once issued is served byte for byte as stored.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enrollment.models import PaperWording
from enrollment.paperwork import content, issuing, output, wording
from trainingcenter.http import PDF, ZIP, file_response
from trainingcenter.logs import audit
from trainingcenter.models import Membership
from trainingcenter.tenancy import STAFF_ROLES, role_required
from trainingcenter.word import DOCX

DIRECTOR = (Membership.Role.DIRECTOR,)


def _class_and_kind(request, class_pk, kind):
    training_class = get_object_or_404(
        request.center.classes.select_related(
            "class_type", "center__organization__parent", "ordering_body"
        ),
        pk=class_pk,
    )
    paper_kind = issuing.kind_of(kind)
    if paper_kind is None:
        raise Http404
    return training_class, paper_kind


def _log(request, training_class, paper_kind, figures: list[dict], file_format):
    issuing.log_papers(
        user=request.user,
        center=request.center,
        paper_code=paper_kind.code,
        figures=figures,
        file_format=file_format,
        filters={"class": training_class.pk, "paper": paper_kind.code},
    )


def _back(request, training_class) -> str:
    url = reverse(
        "enrollment:class_detail", args=[request.center.slug, training_class.pk]
    )
    return f"{url}#papers"


@require_GET
@role_required(*STAFF_ROLES)
def paper_draft_pdf(request, center, class_pk, kind):
    """The papers of the kind as they stand today, marked DỰ THẢO, without a
    number: one PDF, a page run per unit for the papers to the units."""
    training_class, paper_kind = _class_and_kind(request, class_pk, kind)
    made = list(issuing.drafts(training_class, paper_kind, today=timezone.localdate()))
    if not made:
        messages.error(
            request, content.missing(content.facts_of(training_class), paper_kind)
        )
        return redirect(_back(request, training_class))
    audit("paper draft", class_=training_class.pk, kind=kind, user=request.user.pk)
    _log(request, training_class, paper_kind, [p.figures for p, _f in made], "pdf")
    pdf = output.merged_pdf([files.pdf for _paper, files in made])
    return file_response(issuing.file_name(paper_kind, "pdf"), PDF, pdf)


@require_GET
@role_required(*STAFF_ROLES)
def paper_draft_docx(request, center, class_pk, kind):
    """The draft in Word: one .docx, or a ZIP of one per unit when there are
    several (one unit's summons is its own .docx, named for the unit)."""
    training_class, paper_kind = _class_and_kind(request, class_pk, kind)
    made = list(issuing.drafts(training_class, paper_kind, today=timezone.localdate()))
    if not made:
        messages.error(
            request, content.missing(content.facts_of(training_class), paper_kind)
        )
        return redirect(_back(request, training_class))
    audit("paper draft", class_=training_class.pk, kind=kind, user=request.user.pk)
    figures = [paper.figures for paper, _files in made]
    single = not paper_kind.per_unit or len(made) == 1
    _log(request, training_class, paper_kind, figures, "docx" if single else "zip")
    if not paper_kind.per_unit:
        return file_response(
            issuing.file_name(paper_kind, "docx"), DOCX, made[0][1].docx
        )
    if len(made) == 1:
        ((paper, files),) = made
        name = issuing.file_name(paper_kind, "docx", unit=paper.unit_name)
        return file_response(name, DOCX, files.docx)
    archive = output.zipped(
        [
            (issuing.file_name(paper_kind, "docx", unit=paper.unit_name), files.docx)
            for paper, files in made
        ]
    )
    return file_response(issuing.file_name(paper_kind, "zip"), ZIP, archive)


@require_http_methods(["GET", "POST"])
@role_required(*DIRECTOR)
def paper_issue(request, center, class_pk, kind):
    """Asked once, then issued: one number, or one per unit."""
    training_class, paper_kind = _class_and_kind(request, class_pk, kind)
    state = next(s for s in issuing.states(training_class) if s.kind == paper_kind)
    back = _back(request, training_class)
    refusal = state.missing or (
        _("Not needed: the class was opened by no. %(number)s.")
        % {"number": state.replaced_by_other}
        if state.replaced_by_other
        else ""
    )
    if not refusal and not state.waiting:
        refusal = _("These papers have all been issued already.")
    if refusal:
        messages.error(request, refusal)
        return redirect(back)
    if request.method == "POST" and request.POST.get("confirmed"):
        try:
            made = issuing.issue(
                training_class, paper_kind, today=timezone.localdate(), by=request.user
            )
        except ValidationError as refused:
            messages.error(request, refused.messages[0])
        except OperationalError:  # another issuer held the counter too long
            messages.error(
                request,
                _(
                    "Another document of the centre is being issued; try again in "
                    "a moment. Nothing was issued."
                ),
            )
        else:
            audit(
                "papers issued",
                class_=training_class.pk,
                kind=kind,
                documents=",".join(str(d.pk) for d in made),
                user=request.user.pk,
            )
            messages.success(
                request,
                _("Issued: %(numbers)s.")
                % {"numbers": ", ".join(d.number_text for d in made)},
            )
        return redirect(back)
    return render(
        request, "includes/confirm.html", _confirmation(request, training_class, state)
    )


def _confirmation(request, training_class, state) -> dict:
    kind = state.kind
    center = request.center
    facts = [
        _(
            "%(count)s documents will be numbered in the centre's register "
            "(%(kind)s), one after the other."
        )
        % {"count": state.waiting, "kind": kind.register_kind},
        _("Date of issue %(day)s; signed by %(title)s %(name)s.")
        % {
            "day": f"{timezone.localdate():%d/%m/%Y}",
            "title": center.director_title,
            "name": center.director_name or _("(no name entered)"),
        },
    ]
    if kind.per_unit:
        facts.append(
            _("One document per sending unit, listing that unit's people only.")
        )
    return {
        "heading": _("Issue: %(kind)s?") % {"kind": kind.label},
        "subject": training_class,
        "facts": facts,
        "warning": _(
            "An issued document is frozen and its number is never given back; a "
            "correction is a new version under a new number."
        ),
        "action": request.path,
        "hidden": [],
        "confirm_label": _("Issue"),
        "cancel_url": _back(request, training_class),
    }


@require_POST
@role_required(*DIRECTOR)
def paper_new_version(request, center, class_pk, kind):
    training_class, paper_kind = _class_and_kind(request, class_pk, kind)
    opened = issuing.new_version(training_class, paper_kind, by=request.user)
    if opened:
        audit(
            "papers reopened",
            class_=training_class.pk,
            kind=kind,
            documents=opened,
            user=request.user.pk,
        )
        messages.info(
            request,
            _("Issue the new version when ready: it takes new numbers."),
        )
    return redirect(_back(request, training_class))


def _issued(request, class_pk, kind, file_format, *, single=False):
    """The issued papers of the kind, as served in `file_format` and logged;
    404 when none is issued, or when `single` and there are several."""
    training_class, paper_kind = _class_and_kind(request, class_pk, kind)
    found = issuing.issued_documents(training_class, paper_kind)
    if not found or (single and len(found) != 1):
        raise Http404
    audit(
        "issued papers file", class_=training_class.pk, kind=kind, user=request.user.pk
    )
    _log(request, training_class, paper_kind, [d.fields for d in found], file_format)
    return paper_kind, found


@require_GET
@role_required(*STAFF_ROLES)
def paper_pdf(request, center, class_pk, kind):
    """The issued papers as stored: one PDF (every unit's, in number order)."""
    paper_kind, found = _issued(request, class_pk, kind, "pdf")
    if len(found) == 1:
        name = issuing.file_name(paper_kind, "pdf", found[0])
        return file_response(name, PDF, bytes(found[0].pdf))
    merged = output.merged_pdf([bytes(d.pdf) for d in found])
    return file_response(f"{issuing.FILE_NAMES[paper_kind.code]}.pdf", PDF, merged)


@require_GET
@role_required(*STAFF_ROLES)
def paper_docx(request, center, class_pk, kind):
    """One issued paper's Word file; several (one per unit) come as a ZIP."""
    paper_kind, found = _issued(request, class_pk, kind, "docx", single=True)
    name = issuing.file_name(paper_kind, "docx", found[0])
    return file_response(name, DOCX, bytes(found[0].docx))


@require_GET
@role_required(*STAFF_ROLES)
def paper_zip(request, center, class_pk, kind):
    """One PDF and one .docx per issued paper, as stored."""
    paper_kind, found = _issued(request, class_pk, kind, "zip")
    entries = []
    for document in found:
        for extension in ("pdf", "docx"):
            name = issuing.file_name(paper_kind, extension, document)
            entries.append((name, bytes(getattr(document, extension))))
    archive = output.zipped(entries)
    return file_response(f"{issuing.FILE_NAMES[paper_kind.code]}.zip", ZIP, archive)


class WordingForm(forms.Form):
    text = forms.CharField(
        label=_l("Text"),
        widget=forms.Textarea(attrs={"rows": 18}),
        max_length=wording.TEXT_MAX_CHARS,
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean_text(self):
        return wording.check(self.kind, self.cleaned_data["text"])


@require_http_methods(["GET", "POST"])
@role_required(*DIRECTOR)
def paper_wording(request, center, kind):
    """The centre's wording of a kind, with the fields it may name."""
    paper_kind = issuing.kind_of(kind)
    if paper_kind is None:
        raise Http404
    current = wording.text_of(request.center, paper_kind)
    form = WordingForm(request.POST or None, initial={"text": current}, kind=paper_kind)
    if request.method == "POST":
        if request.POST.get("reset"):
            PaperWording.objects.filter(center=request.center, kind=kind).delete()
            messages.success(request, _("The default text is used again."))
            return redirect(request.path)
        if form.is_valid():
            PaperWording.objects.update_or_create(
                center=request.center,
                kind=kind,
                defaults={
                    "text": form.cleaned_data["text"],
                    "updated_by": request.user,
                },
            )
            audit("paper wording", kind=kind, user=request.user.pk)
            messages.success(request, _("The text has been saved."))
            return redirect(request.path)
    return render(
        request,
        "enrollment/paperwork/wording.html",
        {
            "form": form,
            "kind": paper_kind,
            "kinds": wording.KINDS.values(),
            "fields": [(name, wording.FIELDS[name]) for name in paper_kind.fields],
            "is_default": current == paper_kind.default,
        },
        status=400 if form.errors else 200,
    )
