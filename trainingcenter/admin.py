"""Back office: organizations, centres and memberships, for superusers."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin

from trainingcenter import documents
from trainingcenter.documents import DocumentRegister
from trainingcenter.forms import DateInput
from trainingcenter.models import Center, Membership, Organization, OutgoingDocument


class ChoiceWidget(widgets.Widget):
    """A choice read as its stored value or its label in either language.

    An administrator's spreadsheet says "Chi bộ", not "party_cell".
    """

    def __init__(self, choices):
        super().__init__()
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        from django.utils import translation

        from trainingcenter.text import search_key

        if value in (None, ""):
            return ""
        wanted = search_key(str(value))
        for stored, label in self.choices.choices:
            if wanted == search_key(stored):
                return stored
            for language in ("vi", "en"):
                with translation.override(language):
                    if wanted == search_key(str(label)):
                        return stored
        raise ValueError(_("Unknown value “%(value)s”.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return str(self.choices(value).label) if value else ""


DATE_FORMAT = "%d/%m/%Y"


class HardenedImportExportMixin:
    """Import-export admin, hardened.

    Let the export page's one inline handler run, and nothing else inline.

    django-import-export's export form toggles its field boxes with
    onchange="onSelectToggleChange(event)"; CSP allows exactly that text by hash.
    """

    export_csp = {
        "script-src": [
            "'unsafe-hashes'",
            "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",
        ]
    }

    def export_action(self, request, *args, **kwargs):
        response = super().export_action(request, *args, **kwargs)
        response._csp_update = self.export_csp
        return response

    def get_import_data_kwargs(self, **kwargs):
        # All or nothing: the library's default commits the valid rows of a file
        # with invalid ones, leaving half a file imported.
        return {
            **super().get_import_data_kwargs(**kwargs),
            "rollback_on_validation_errors": True,
        }


class OrganizationResource(resources.ModelResource):
    kind = fields.Field(
        attribute="kind", column_name="kind", widget=ChoiceWidget(Organization.Kind)
    )
    level = fields.Field(
        attribute="level", column_name="level", widget=ChoiceWidget(Organization.Level)
    )
    parent = fields.Field(
        attribute="parent",
        column_name="parent",
        widget=widgets.ForeignKeyWidget(Organization, field="code"),
    )
    valid_from = fields.Field(
        attribute="valid_from",
        column_name="valid_from",
        widget=widgets.DateWidget(format=DATE_FORMAT),
    )
    valid_to = fields.Field(
        attribute="valid_to",
        column_name="valid_to",
        widget=widgets.DateWidget(format=DATE_FORMAT),
    )
    successors = fields.Field(
        attribute="successors",
        column_name="successors",
        widget=widgets.ManyToManyWidget(Organization, field="code", separator=","),
    )

    class Meta:
        model = Organization
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "kind",
            "level",
            "parent",
            "valid_from",
            "valid_to",
            "successors",
        ]
        export_order = fields
        skip_unchanged = True
        report_skipped = False

    def before_import(self, dataset, **kwargs):
        """Put every parent before its children, whatever order the file has."""
        if "code" not in dataset.headers or "parent" not in dataset.headers:
            return
        code_at, parent_at = (
            dataset.headers.index("code"),
            dataset.headers.index("parent"),
        )
        rows = list(dataset)
        in_file = {str(row[code_at]).strip() for row in rows}
        placed, ordered = set(), []
        while rows:
            ready = [
                row
                for row in rows
                if not row[parent_at]
                or str(row[parent_at]).strip() not in in_file
                or str(row[parent_at]).strip() in placed
            ]
            if not ready:  # a cycle: leave the rest as given, the import reports it
                ready = rows
            for row in ready:
                placed.add(str(row[code_at]).strip())
                ordered.append(row)
            rows = [row for row in rows if row not in ready]
        headers = dataset.headers
        dataset.wipe()
        dataset.headers = headers
        for row in ordered:
            dataset.append(row)


@admin.register(Organization)
class OrganizationAdmin(HardenedImportExportMixin, ImportExportModelAdmin):
    resource_classes = [OrganizationResource]
    list_display = ["name", "code", "kind", "level", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", "level"]
    search_fields = ["name", "code", "name_key"]
    autocomplete_fields = ["parent", "successors"]
    list_select_related = ["parent"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role"]
    autocomplete_fields = ["user"]


@admin.register(Center)
class CenterAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "organization", "place_name"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["organization", "communes"]
    # The centre's pages are for its members; the admin has none there.
    view_on_site = False
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "center", "organization", "signs_documents"]
    list_filter = ["role", "signs_documents", "center"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "center", "organization"]
    list_select_related = ["user", "center", "organization"]


class DocumentRegisterForm(forms.ModelForm):
    class Meta:
        model = DocumentRegister
        fields = ["issuer", "period", "term_start"]
        widgets = {"term_start": DateInput()}

    def clean(self):
        data = super().clean()
        issuer = data.get("issuer") or getattr(self.instance, "issuer", None)
        if issuer is not None and data.get("period"):
            try:
                documents.check_period(issuer, data["period"], data.get("term_start"))
            except ValidationError as error:
                self.add_error("term_start", error)
        return data


@admin.register(DocumentRegister)
class DocumentRegisterAdmin(admin.ModelAdmin):
    """How an issuer's register numbers its documents: a centre's director
    sets it on the centre's register page; a committee's here. Saved through
    the register (trainingcenter.documents.set_period), never deleted."""

    form = DocumentRegisterForm
    list_display = ["issuer", "period", "term_start"]
    list_filter = ["period"]
    search_fields = ["issuer__name", "issuer__code"]
    autocomplete_fields = ["issuer"]

    def get_readonly_fields(self, request, obj=None):
        return ["issuer"] if obj else []

    def save_model(self, request, obj, form, change):
        documents.set_period(obj.issuer, obj.period, obj.term_start, by=request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutgoingDocument)
class OutgoingDocumentAdmin(admin.ModelAdmin):
    """The register of outgoing documents, read only: an issued document
    never changes, and a number is never taken back."""

    list_display = ["number_text", "year", "issuer", "subject", "issued_on"]
    list_filter = ["kind", "year"]
    search_fields = ["number_text", "subject"]
    exclude = ["pdf", "docx"]
    list_select_related = ["issuer"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
