"""Back office for the certificate register: read-only, nothing can be deleted
(the register and its events are the legal record). Failed print batches
can be run again. The header names that trainee lists are read by can be
extended."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from enrollment.models import (
    Certificate,
    CertificateBatch,
    CertificateEvent,
    HeaderSynonym,
)
from enrollment.models.imports import header_key


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number_text", "kind", "issuer", "year", "issued_on", "revoked_at"]
    list_filter = ["kind", "year"]
    search_fields = ["number_text", "code"]
    list_select_related = ["issuer"]
    exclude = ["pdf", "code"]


@admin.register(CertificateEvent)
class CertificateEventAdmin(ReadOnlyAdmin):
    list_display = ["certificate", "action", "user", "at"]
    list_filter = ["action"]
    list_select_related = ["certificate", "user"]


@admin.register(CertificateBatch)
class CertificateBatchAdmin(ReadOnlyAdmin):
    list_display = ["training_class", "status", "total", "created_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["training_class__class_type", "created_by"]
    actions = ["render_again"]

    @admin.action(description=_("Print the unfinished certificates again"))
    def render_again(self, request, queryset):
        batches = list(queryset.exclude(status=CertificateBatch.Status.DONE))
        for batch in batches:
            batch.run_later()
        messages.info(
            request,
            _("%(count)s batches were sent to print again.") % {"count": len(batches)},
        )


class HeaderSynonymForm(forms.ModelForm):
    class Meta:
        model = HeaderSynonym
        fields = ["text", "field"]

    def clean_text(self):
        """Two entries that compare alike would contradict each other."""
        text = self.cleaned_data["text"]
        key = header_key(text)
        if not key:
            raise ValidationError(_("Write a header with letters or digits."))
        if (
            HeaderSynonym.objects.filter(normalised=key)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise ValidationError(_("A header that reads the same is already listed."))
        return text


@admin.register(HeaderSynonym)
class HeaderSynonymAdmin(admin.ModelAdmin):
    """A header that centres write for a field ("Nơi sinh hoạt Đảng" for the unit),
    compared without diacritics, case, spaces or punctuation."""

    form = HeaderSynonymForm
    list_display = ["text", "field", "normalised"]
    list_filter = ["field"]
    search_fields = ["text", "normalised"]
