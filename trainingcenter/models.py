"""The tenancy core: organizations, centres and who may work in them; and the
background job every app's long work is recorded by."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from trainingcenter.text import collation_key, search_key


class OrganizationQuerySet(models.QuerySet):
    def subtree_ids(self, root_ids) -> set[int]:
        """Ids of the given organizations and everything below them.

        One query per level; organization trees are a handful of levels deep.
        """
        found, frontier = set(root_ids), set(root_ids)
        while frontier:
            frontier = (
                set(self.filter(parent_id__in=frontier).values_list("pk", flat=True))
                - found
            )
            found |= frontier
        return found

    def committee_units(self, root_id: int) -> set[int]:
        """The units whose people a committee sees: its subtree, and the units
        merged into it (a commune closed by a merger whose successor lies in
        the subtree, and that commune's own subtree), whichever centre
        trained their people."""
        through = Organization.successors.through
        found = self.subtree_ids([root_id])
        while True:
            merged = set(
                through.objects.filter(to_organization_id__in=found).values_list(
                    "from_organization_id", flat=True
                )
            )
            if merged <= found:
                return found
            found |= self.subtree_ids(merged - found)

    def units_of(self, center):
        """The bodies a centre deals with: everything in its province's tree.

        That covers the communes it serves and their cells and agencies, and the
        provincial school or military command that co-organise its classes.
        Organizations are shared reference data; trainees and classes are not.
        """
        top = center.organization
        while top.parent_id:
            top = top.parent
        roots = {top.pk, *center.communes.values_list("pk", flat=True)}
        return self.filter(pk__in=self.subtree_ids(roots))


class Organization(models.Model):
    """A Party or state body, a cell, an agency or a mass organisation.

    Names are data: a body keeps the name it had while it existed, and a merger
    closes it (valid_to) and points to its successors (provinces and communes
    were merged on 01/07/2025).
    """

    class Kind(models.TextChoices):
        PARTY_COMMITTEE = "party_committee", _("Party committee")
        PARTY_CELL = "party_cell", _("Party cell")
        TRAINING_CENTER = "training_center", _("Political training centre")
        POLITICAL_SCHOOL = "political_school", _("Political school")
        GOVERNMENT_OFFICE = "government_office", _("Government agency")
        MASS_ORGANIZATION = "mass_organization", _("Mass organisation")
        MILITARY = "military", _("Military command")
        OTHER = "other", _("Other unit")

    class Level(models.TextChoices):
        CENTRAL = "central", _("Central")
        PROVINCE = "province", _("Province")
        DISTRICT = "district", _("District (until 30/06/2025)")
        COMMUNE = "commune", _("Commune")
        GRASSROOTS = "grassroots", _("Grassroots")
        CELL = "cell", _("Cell")

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("A short unique code used to match units in Excel files."),
    )
    name = models.CharField(_("name"), max_length=255)
    abbreviation = models.CharField(
        _("abbreviation in document numbers"),
        max_length=20,
        blank=True,
        db_default="",
        help_text=_(
            "What follows the kind of document in its number: TTCT in "
            "“Số 12-BC/TTCT”. Left empty, a centre uses TTCT."
        ),
    )
    # What a committee's own documents print (a centre's are on the Center).
    signer_title = models.CharField(
        _("signer's title on the committee's documents"),
        max_length=120,
        blank=True,
        db_default="",
        help_text=_("For example: T/M BAN THƯỜNG VỤ / BÍ THƯ"),
    )
    signer_name = models.CharField(
        _("signer's name on the committee's documents"),
        max_length=120,
        blank=True,
        db_default="",
    )
    place_name = models.CharField(
        _("place name for the date line"), max_length=120, blank=True, db_default=""
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    level = models.CharField(_("level"), max_length=12, choices=Level)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organization"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successors"),
    )
    name_key = models.CharField(max_length=255, editable=False, db_index=True)
    name_order = models.CharField(max_length=800, editable=False, db_index=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="trainingcenter_organization_valid_range",
                violation_error_message=_("“Valid to” cannot be before “valid from”."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = search_key(self.name)
        self.name_order = collation_key(self.name)[:800]
        super().save(*args, **kwargs)

    def ancestor_ids(self) -> list[int]:
        """Ids of this organization and every parent above it, nearest first."""
        ids, node, seen = [], self, set()
        while node is not None and node.pk not in seen:
            ids.append(node.pk)
            seen.add(node.pk)
            node = node.parent
        return ids


class Center(models.Model):
    """The tenant: a training centre that runs classes.

    It holds what its documents print (the header lines, the place, the
    signer), so that a rename
    or a merger is an edit, not a code change.
    """

    slug = models.SlugField(
        _("short name in addresses"),
        unique=True,
        blank=True,
        help_text=_(
            "Letters, digits and hyphens; appears in every address. "
            "Left empty, it is made from the name."
        ),
    )
    name = models.CharField(_("name"), max_length=255)
    organization = models.OneToOneField(
        Organization,
        models.PROTECT,
        related_name="center",
        verbose_name=_("organization"),
        help_text=_("The centre as a unit in the organization tree."),
    )
    communes = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="served_by_centers",
        verbose_name=_("communes served"),
    )
    superior_body_line = models.CharField(
        _("superior body (first header line)"),
        max_length=255,
        help_text=_("For example: ĐẢNG ỦY PHƯỜNG XUÂN HƯƠNG – ĐÀ LẠT"),
    )
    issuing_body_name = models.CharField(
        _("issuing body (second header line)"),
        max_length=255,
        help_text=_("For example: TRUNG TÂM CHÍNH TRỊ"),
    )
    place_name = models.CharField(
        _("place name for the date line"),
        max_length=120,
        help_text=_("For example: Đà Lạt"),
    )
    director_name = models.CharField(_("director's name"), max_length=120, blank=True)
    director_title = models.CharField(
        _("signer's title"), max_length=120, default="GIÁM ĐỐC"
    )
    certificate_number_pattern = models.CharField(
        _("certificate number pattern"),
        max_length=60,
        default="{number}/GCN-TTCT",
        help_text=_("{number} is replaced by the running number, {year} by the year."),
    )
    feedback_days = models.PositiveSmallIntegerField(
        _("days the feedback form stays open"),
        default=7,
        validators=[MaxValueValidator(90)],
        help_text=_("Counted from the class's last day."),
    )
    retention_months = models.PositiveSmallIntegerField(
        _("months identifying details are kept"),
        null=True,
        blank=True,
        validators=[MinValueValidator(12), MaxValueValidator(1200)],
        help_text=_(
            "After a trainee's last class: then the name is reduced to initials, "
            "the date of birth to the year, and the citizen ID and ethnicity are "
            "removed, every night. Empty: kept without limit."
        ),
    )

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(search_key(self.name))[:50]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reports:dashboard", args=[self.slug])


class Membership(models.Model):
    """A user's role: in a centre (staff, director) or over an organization (committee).

    A committee member sees, read-only, every centre whose organization lies in
    the subtree of theirs.
    """

    class Role(models.TextChoices):
        STAFF = "staff", _("Centre staff")
        DIRECTOR = "director", _("Director")
        COMMITTEE = "committee", _("Party committee")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role)
    center = models.ForeignKey(
        Center,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("centre"),
    )
    organization = models.ForeignKey(
        Organization,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="committee_memberships",
        verbose_name=_("organization"),
    )
    # The committee's office (văn phòng cấp ủy) or its signer: writes and
    # issues the committee's own reports. Other committee members read.
    signs_documents = models.BooleanField(
        _("writes and issues the committee's documents"),
        default=False,
        db_default=False,
        help_text=_(
            "Committee members only: may write the committee's report and issue "
            "it with a number in the committee's register."
        ),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=["staff", "director"],
                        center__isnull=False,
                        organization__isnull=True,
                    )
                    | Q(
                        role="committee",
                        center__isnull=True,
                        organization__isnull=False,
                    )
                ),
                name="trainingcenter_membership_target_matches_role",
                violation_error_message=_(
                    "Staff and directors belong to a centre; a committee member "
                    "to an organization. Choose one of them, not both."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "center"],
                condition=Q(center__isnull=False),
                name="trainingcenter_membership_one_per_center",
                violation_error_message=_(
                    "This user already has a role in this centre."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "organization"],
                condition=Q(organization__isnull=False),
                name="trainingcenter_membership_one_per_organization",
            ),
        ]

    def __str__(self):
        target = self.center or self.organization
        return f"{self.user} – {self.get_role_display()} – {target}"

    def clean(self):
        super().clean()
        if self.signs_documents and self.role != self.Role.COMMITTEE:
            raise ValidationError(
                {
                    "signs_documents": _(
                        "Only a committee member writes and issues the "
                        "committee's documents; a centre's director issues "
                        "the centre's."
                    )
                }
            )

    @property
    def is_director(self) -> bool:
        """Directors issue certificates, sign reports and change plans."""
        return self.role == self.Role.DIRECTOR

    @property
    def can_edit(self) -> bool:
        """Centre staff and directors change the centre's data; committees read."""
        return self.role in (self.Role.STAFF, self.Role.DIRECTOR)

    @property
    def is_committee(self) -> bool:
        """A party committee member: read-only rollups over an organization."""
        return self.role == self.Role.COMMITTEE


# The abstract background job and the register of outgoing documents live in
# their own modules, beside the tenancy core.
from trainingcenter.documents import (  # noqa: E402, F401
    DocumentDraft,
    DocumentRegister,
    OutgoingDocument,
)
from trainingcenter.jobs import Job, JobQuerySet  # noqa: E402, F401
