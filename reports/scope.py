"""Who a report covers and who may see it: one centre, or every centre under
an organization (a committee's subtree). Nothing else decides a report's scope.

A committee's figures by centre follow the centres under it; its people (the
rollups by sending unit, the certified lists, the admission pipeline) follow
the units under it, whichever centre of the deployment trained them."""

from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django_scopes import scopes_disabled

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
    # Who looks at an organization's report (for `may_sign`).
    user_id: int | None = None

    @cached_property
    def units(self) -> set[int] | None:
        """A committee's people: the units under it (and merged into it),
        whichever centre trained them. None for one centre's scope: its own
        trainees. Read when a rollup asks, not for every report page."""
        if self.organization_id is None:
            return None
        return Organization.objects.committee_units(self.organization_id)

    def url(self, suffix: str = "") -> str:
        return reverse(f"{self.url_name}{suffix}", args=self.url_args)

    def link(self, name: str, *args) -> str:
        """A page of the report as a document, for either scope: "issued_report"
        is reports:issued_report of a centre, org_issued_report of an
        organization."""
        prefix = "reports:" if self.center_id else "org_"
        return reverse(f"{prefix}{name}", args=[*self.url_args, *args])

    @cached_property
    def may_sign(self) -> bool:
        """An organization's report: whether the user writes and issues it
        (a committee membership of that very organization marked as signing
        its documents). A centre's: its director, as the view decides."""
        if self.organization_id is None or self.user_id is None:
            return False
        return signs_for(self.user_id, self.organization_id)


def signs_for(user_id: int, organization_id: int) -> bool:
    return Membership.objects.filter(
        user_id=user_id,
        role=Membership.Role.COMMITTEE,
        organization_id=organization_id,
        signs_documents=True,
    ).exists()


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
        url_name="reports:report",
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
    # The committee above every centre gets all of them as an unfiltered
    # queryset, which the report's queries read without a centre filter
    # (counting.of_centers).
    outside = Center.objects.exclude(organization_id__in=subtree).exists()
    centers = (
        Center.objects.filter(organization_id__in=subtree)
        if outside
        else Center.objects.all()
    )
    parent = organization.parent
    return Scope(
        label=organization.name,
        centers=centers,
        issuer=Issuer(
            superior=(parent.name if parent else "").upper(),
            issuing=organization.name.upper(),
            place=organization.place_name,
            signer_title=organization.signer_title,
            signer_name=organization.signer_name,
        ),
        url_name="org_report",
        url_args=(organization.pk,),
        organization_id=organization.pk,
        user_id=user.pk,
    )


@contextmanager
def across_centers():
    """Run reads that cover more than one centre, or none yet.

    The scoped managers (trainingcenter.tenancy) filter every query by the one
    centre of a request under /c/<centre>/. An organization's report or
    rollups cover every centre under it, and a background file is looked up
    by its owner before its scope is known, so those reads run with that
    filter off; each one is limited explicitly instead: by `Scope.centers`,
    which `for_organization` has checked against the user, or by the job's
    user. This is the only place in reports, outside management commands,
    that turns the filter off.
    """
    with scopes_disabled():
        yield
