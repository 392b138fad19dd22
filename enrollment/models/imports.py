"""Trainee lists uploaded from Excel: the uploads waiting for their preview to
be confirmed, the header names a list may use, and how a centre's lists read."""

import hashlib
import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import TrainingClass
from trainingcenter.models import Center, Organization
from trainingcenter.tenancy import center_scoped
from trainingcenter.text import search_key


def header_key(text) -> str:
    """A header compared without diacritics, case, spaces or punctuation:
    "Đơn vị / Chi bộ", "ĐƠN VỊ - CHI BỘ" and "Don vi chi bo" are one key."""
    return re.sub(r"[\W_]+", "", search_key(str(text or "")))


def header_row_key(headers) -> str:
    """One key for a whole header row (cells in order, blanks kept in place)."""
    keys = "|".join(header_key(cell) for cell in headers).rstrip("|")
    return hashlib.sha256(keys.encode()).hexdigest() if keys.strip("|") else ""


class ListField(models.TextChoices):
    """What a column of a trainee list can hold."""

    SEQUENCE = "sequence", _("Row number (STT, not stored)")
    FULL_NAME = "full_name", _("Full name")
    GIVEN_NAME = "given_name", _("Given name (the name's last word, beside “Họ đệm”)")
    BIRTH_DATE = "birth_date", _("Date or year of birth")
    GENDER = "gender", _("Gender")
    MALE_MARK = "male_mark", _("“Nam” column (x, or the birth date of a man)")
    FEMALE_MARK = "female_mark", _("“Nữ” column (x, or the birth date of a woman)")
    ETHNICITY = "ethnicity", _("Ethnicity")
    UNIT = "unit", _("Unit / party cell")
    POSITION = "position", _("Position")
    PARTY_STATUS = "party_status", _("Party status")
    ADMISSION_DATE = "admission_date", _("Date of admission to the Party")
    FULL_MEMBERSHIP_DATE = "full_membership_date", _("Date of full membership")
    CITIZEN_ID = "citizen_id", _("Citizen ID")
    NOTES = "notes", _("Notes")


class ImportBatch(models.Model):
    """An uploaded trainee list waiting for confirmation; private to its uploader.

    Owned by the uploader, the centre and the class: anyone else's token answers
    404. The cells stay in the database, so app servers keep no state.
    """

    token = models.CharField(max_length=43, unique=True, editable=False)
    center = models.ForeignKey(Center, models.CASCADE, related_name="+")
    training_class = models.ForeignKey(
        TrainingClass, models.CASCADE, related_name="import_batches"
    )
    user = models.ForeignKey("auth.User", models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    # The first sheet's cells as read at upload time (never the file itself):
    # the preview and the confirmation reuse them without parsing again.
    sheet = models.JSONField(default=dict)
    sending_unit = models.ForeignKey(
        Organization, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Header (as `header_key`) -> list field ("" leaves the column out).
    mapping = models.JSONField(default=dict)
    # The mapping came from an earlier list with the same header row.
    mapping_remembered = models.BooleanField(
        _("column mapping remembered"), default=False, db_default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = center_scoped(models.QuerySet, center="center")

    class Meta:
        verbose_name = _("trainee list upload")
        verbose_name_plural = _("trainee list uploads")

    def __str__(self):
        return self.file_name


class HeaderSynonym(models.Model):
    """A header name that centres write for a list field ("Chi bộ" for the unit).

    Compared by `normalised` (see `header_key`), so one entry covers every
    spelling of the same words. Seeded with the names seen in real lists;
    superusers add more in the admin.
    """

    field = models.CharField(_("field"), max_length=24, choices=ListField)
    text = models.CharField(_("header as written"), max_length=120)
    normalised = models.CharField(
        _("compared as"), max_length=120, unique=True, editable=False
    )

    class Meta:
        verbose_name = _("header name")
        verbose_name_plural = _("header names")
        ordering = ["field", "normalised"]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.normalised = header_key(self.text)
        super().save(*args, **kwargs)


class ColumnMapping(models.Model):
    """How a centre chose to read a header row, applied to its next list with
    the same header row (whoever sends it)."""

    center = models.ForeignKey(Center, models.CASCADE, related_name="+")
    sending_unit = models.ForeignKey(
        Organization, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # `header_row_key` of the header row; the headers as written, for the admin.
    header_row = models.CharField(
        _("header row"), max_length=64, default="", db_default=""
    )
    headers = models.JSONField(_("headers"), default=list, db_default=[])
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    objects = center_scoped(models.QuerySet, center="center")

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        # One per centre and header row, kept so by `choose_columns` rather
        # than by a unique constraint added to a table already in use (which
        # a running release could trip over). Two saved at the same instant
        # would only mean that the newer one is applied.

    def __str__(self):
        return ", ".join(self.headers)[:120]
