"""Back office for the certificate register: read-only, nothing can be deleted
(the register and its events are the legal record). Failed print batches
can be run again."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from enrollment.models import Certificate, CertificateBatch, CertificateEvent


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
