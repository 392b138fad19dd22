"""Who a report covers and who may see it: one centre, or every centre under
an organization (a committee's subtree). Nothing else decides a report's scope."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from reports.tables import Issuer
from trainingcenter.models import Center, Membership, Organization


@dataclass
class Scope:
    label: str
    centers: QuerySet
    issuer: Issuer
    url_name: str
    url_args: tuple
    organization_id: int | None = None
    center_id: int | None = None

    def url(self, suffix: str = "") -> str:
        return reverse(f"{self.url_name}{suffix}", args=self.url_args)


def for_center(center: Center) -> Scope:
    return Scope(
        label=center.name,
        centers=Center.objects.filter(pk=center.pk),
        issuer=Issuer(
            superior=center.superior_body_line,
            issuing=center.issuing_body_name,
            place=center.place_name,
            signer_title=center.director_title,
            signer_name=center.director_name,
        ),
        url_name="reports:summary",
        url_args=(center.slug,),
        center_id=center.pk,
    )


def for_organization(user, organization_id: int) -> Scope:
    """Every centre under the organization; 404 unless the user's committee
    membership covers it (the same answer whether it exists or not)."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None or not user.is_active:
        raise Http404
    allowed = (
        user.is_superuser
        or Membership.objects.filter(
            user=user,
            role=Membership.Role.COMMITTEE,
            organization_id__in=organization.ancestor_ids(),
        ).exists()
    )
    if not allowed:
        raise Http404
    subtree = Organization.objects.subtree_ids([organization.pk])
    parent = organization.parent
    return Scope(
        label=organization.name,
        centers=Center.objects.filter(organization_id__in=subtree),
        issuer=Issuer(
            superior=(parent.name if parent else "").upper(),
            issuing=organization.name.upper(),
            place="",
            signer_title="",
            signer_name="",
        ),
        url_name="org_summary",
        url_args=(organization.pk,),
        organization_id=organization.pk,
    )
