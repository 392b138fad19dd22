"""Back office: the programme catalogue and the lecturers of every centre."""

from django.contrib import admin
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin

from courses.models import (
    Block,
    CertificateTemplate,
    ClassType,
    GradingBand,
    Lecturer,
    LecturerActivity,
)
from trainingcenter.admin import ChoiceWidget, HardenedImportExportMixin


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    search_fields = ["name", "code"]


class ClassTypeResource(resources.ModelResource):
    block = fields.Field(
        attribute="block",
        column_name="block",
        widget=widgets.ForeignKeyWidget(Block, field="code"),
    )
    kind = fields.Field(
        attribute="kind", column_name="kind", widget=ChoiceWidget(ClassType.Kind)
    )
    assessment = fields.Field(
        attribute="assessment",
        column_name="assessment",
        widget=ChoiceWidget(ClassType.Assessment),
    )
    award = fields.Field(
        attribute="award", column_name="award", widget=ChoiceWidget(ClassType.Award)
    )

    class Meta:
        model = ClassType
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "block",
            "kind",
            "periods",
            "sessions",
            "assessment",
            "award",
            "award_validity_months",
            "min_attendance_percent",
            "eligible_party_status",
            "legal_basis",
            "learners",
            "order",
            "is_active",
        ]
        export_order = fields
        skip_unchanged = True


class GradingBandInline(admin.TabularInline):
    model = GradingBand
    extra = 0


@admin.register(ClassType)
class ClassTypeAdmin(HardenedImportExportMixin, ImportExportModelAdmin):
    resource_classes = [ClassTypeResource]
    list_display = ["name", "code", "block", "kind", "periods", "sessions", "award"]
    list_filter = ["kind", "block", "award", "is_active"]
    search_fields = ["name", "code"]
    inlines = [GradingBandInline]


@admin.register(CertificateTemplate)
class CertificateTemplateAdmin(admin.ModelAdmin):
    """A programme's own certificate page. What it prints is checked on save;
    what it refers to by URL is refused when the PDF is rendered
    (only the project's static files are served to it)."""

    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Lecturer)
class LecturerAdmin(admin.ModelAdmin):
    list_display = ["full_name", "center", "kind", "unit", "is_active"]
    list_filter = ["center", "kind", "is_active"]
    search_fields = ["full_name", "name_key"]
    autocomplete_fields = ["unit"]
    list_select_related = ["center", "unit"]


@admin.register(LecturerActivity)
class LecturerActivityAdmin(admin.ModelAdmin):
    list_display = ["date", "lecturer", "kind", "title", "award"]
    list_filter = ["kind", "award", "lecturer__center"]
    search_fields = ["title", "lecturer__full_name", "lecturer__name_key"]
    autocomplete_fields = ["lecturer"]
    list_select_related = ["lecturer"]
    date_hierarchy = "date"
