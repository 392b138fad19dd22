"""Tenancy: one path from the URL to the centre's data.

1. `CenterMiddleware` resolves the centre from the URL, finds the user's role
   in it or answers 404, and runs the view and its template inside
   `django_scopes.scope(center=...)`.
2. Every model with a path to `Center` gets its default manager from
   `center_scoped`, so a query outside a scope raises `ScopeError`.
3. Views fetch through the tenant: `get_object_or_404(request.center.lecturers, pk=pk)`.
Inside a centre a missing role answers 403; anything of another centre 404.
The few reads past a centre's scope (jobs, public codes, committees) are the
helpers at the end of this module; outside them only the admin, migrations
and management commands read unscoped.
"""

import functools
import logging
import time
from collections.abc import Callable

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django_scopes import ScopedManager, scope, scopes_disabled

from trainingcenter.models import Center, Membership, Organization

logger = logging.getLogger(__name__)

CENTER_SESSION_KEY = "current_center"


def center_scoped(queryset_class: type[models.QuerySet], *, center: str):
    """The default manager of a centre-owned model: scoped by `center` (a lookup)."""
    return ScopedManager(
        _manager_class=models.Manager.from_queryset(queryset_class), center=center
    )


class SessionTimeoutMiddleware:
    """Log out after 3 hours idle or 12 hours after login: offices share computers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault("login_at", now)
            last_seen = request.session.get("last_seen", now)
            if (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            ):
                logout(request)
                return redirect(f"{settings_login_url()}?next={request.path}")
            # Write at most once a minute: a session save is a database write.
            if now - last_seen >= 60 or "last_seen" not in request.session:
                request.session["last_seen"] = now
        return self.get_response(request)


def _mark_login(sender, request, user, **kwargs):
    now = int(time.time())
    request.session["login_at"] = now
    request.session["last_seen"] = now


user_logged_in.connect(_mark_login, dispatch_uid="trainingcenter_mark_login")


def _log_lockout(sender, request, username, ip_address, **kwargs):
    # A lock is an event an administrator must be able to find.
    logger.warning("Login locked for user %r from %s", username, ip_address)


user_locked_out.connect(_log_lockout, dispatch_uid="trainingcenter_log_lockout")


def settings_login_url() -> str:
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)


def membership_for(user, center: Center) -> Membership | None:
    """The membership that lets `user` into `center`, or None.

    A direct staff or director membership wins; otherwise a committee
    membership on the centre's organization or any organization above it.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    memberships = list(
        Membership.objects.filter(user=user).filter(
            models.Q(center=center) | models.Q(role=Membership.Role.COMMITTEE)
        )
    )
    for membership in memberships:
        if membership.center_id == center.pk:
            return membership
    committee = [m for m in memberships if m.is_committee]
    if committee:
        above = set(center.organization.ancestor_ids())
        for membership in committee:
            if membership.organization_id in above:
                return membership
    return None


def centers_for_user(user) -> list[Center]:
    """Every centre the user may open, by name."""
    if not user.is_authenticated:
        return []
    direct = Center.objects.filter(memberships__user=user)
    committee_orgs = Organization.objects.filter(
        committee_memberships__user=user,
        committee_memberships__role=Membership.Role.COMMITTEE,
    )
    centers = set(direct)
    if committee_orgs.exists():
        # Organization trees are shallow (province > commune > cell), so the
        # ancestor walk per centre stays cheap.
        org_ids = set(committee_orgs.values_list("pk", flat=True))
        for center in Center.objects.select_related("organization__parent__parent"):
            if org_ids & set(center.organization.ancestor_ids()):
                centers.add(center)
    return sorted(centers, key=lambda c: c.name)


class CenterMiddleware:
    """Resolve `center` from the URL, check the role, run inside its scope."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get("center")
        if match.app_name == "admin":
            # The admin is for superusers only; it sees every centre.
            with scopes_disabled():
                return self._render(self.get_response(request))
        if slug is None or not request.user.is_authenticated:
            with scope(center=None):
                return self._render(self.get_response(request))
        center = Center.objects.filter(slug=slug).select_related("organization").first()
        membership = membership_for(request.user, center) if center else None
        if membership is None:
            # The same answer whether the centre exists or not: a URL must not
            # tell an outsider which centres exist.
            raise Http404("No such centre for this user.")
        request.center = center
        request.membership = membership
        request.session[CENTER_SESSION_KEY] = center.slug
        with scope(center=center):
            return self._render(self.get_response(request))

    @staticmethod
    def _render(response):
        # Templates render lazily and may query: keep them inside the scope.
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        return response


def role_required(*roles: str) -> Callable:
    """Let only these roles of the current centre in; others get 403."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            membership = getattr(request, "membership", None)
            if membership is None or membership.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_roles = tuple(roles)
        return wrapped

    return decorator


# Past the centre scope. Outside the admin, migrations and management commands
# these are the only ways to read rows of more than one centre; each says why
# no single centre can be in scope.


def jobs_of(model: type[models.Model], **owner) -> models.QuerySet:
    """The background jobs of `model` (a `Job`) belonging to `owner`: a job
    id, or the user who asked. The worker and recovery know a job by its id
    before they know its centre, and a committee's job has no centre; so
    jobs are found by who they belong to, never listed per centre."""
    if not owner:
        raise TypeError("jobs_of() needs the job's id or owner")
    with scopes_disabled():
        return model._default_manager.filter(**owner)


def committee_scope():
    """Where a committee's report or rollup is counted: it reads every centre
    under the committee's organization, so no one centre can be in scope; it
    runs unscoped and narrows every query to its report scope's centres."""
    return scopes_disabled()


def job_scope(center: Center | None):
    """The scope a background job runs in: its centre's, as the request that
    queued it did; a committee's job (no centre) runs as its pages do."""
    return committee_scope() if center is None else scope(center=center)


def find_by_code(model: type[models.Model], *, related=(), **code):
    """The one row a public page's unguessable code names (a certificate's
    verification code, a feedback survey's link), or None. No centre is known
    until it is found; the page then works inside the row's centre."""
    with scopes_disabled():
        return model._default_manager.select_related(*related).filter(**code).first()


STAFF_ROLES = (Membership.Role.STAFF, Membership.Role.DIRECTOR)
ALL_ROLES = (
    Membership.Role.STAFF,
    Membership.Role.DIRECTOR,
    Membership.Role.COMMITTEE,
)


def center_context(request):
    """The current centre and the user's membership in it, for base_center.html:
    templates ask the membership (`current_membership.can_edit`)."""
    center = getattr(request, "center", None)
    membership = getattr(request, "membership", None)
    match = getattr(request, "resolver_match", None)
    view = match.url_name if match else ""
    return {
        "current_center": center,
        "current_membership": membership,
        "nav_section": NAV_SECTIONS.get(view, ""),
    }


# Which navigation tab a page belongs to, by URL name.
NAV_SECTIONS = {
    "dashboard": "overview",
    "report": "report",
    "report_pdf": "report",
    "report_xlsx": "report",
    "class_type_list": "programmes",
    "plan_current": "plans",
    "plan_form": "plans",
    **{
        name: "classes"
        for name in (
            "class_list",
            "class_create",
            "class_update",
            "class_detail",
            "session_create",
            "session_update",
            "enrollment_add",
            "enrollment_withdraw",
            "attendance",
            "results",
            "roster_pdf",
            "roster_export",
            "class_template",
            "import_upload",
            "import_preview",
            "import_confirm",
            "import_errors",
            "import_unit_create",
            "class_certificates",
            "certificates_issue",
            "diplomas_record",
            "class_certificates_pdf",
            "class_certificates_zip",
            "batch_detail",
            "historic_class_import",
            "historic_class_template",
        )
    },
    **{
        name: "register"
        for name in (
            "register",
            "register_pdf",
            "register_xlsx",
            "certificate_detail",
            "certificate_pdf",
            "certificate_revoke",
            "certificate_reissue",
        )
    },
    **{name: "documents" for name in ("outgoing", "outgoing_xlsx", "outgoing_period")},
    **{
        name: "trainees"
        for name in (
            "trainee_list",
            "trainee_create",
            "trainee_detail",
            "trainee_update",
        )
    },
    **{
        name: "lecturers"
        for name in ("lecturer_list", "lecturer_create", "lecturer_update")
    },
}
