from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from trainingcenter import roles
from trainingcenter.models import Membership, Organization
from trainingcenter.tenancy import CENTER_SESSION_KEY, centers_for_user


@require_GET
def home(request):
    """Send the user to their centre: the last one used, the only one, or a choice."""
    centers = centers_for_user(request.user)
    last = request.session.get(CENTER_SESSION_KEY)
    for center in centers:
        if center.slug == last:
            return redirect("reports:dashboard", center.slug)
    if len(centers) == 1:
        return redirect("reports:dashboard", centers[0].slug)
    return redirect("center_list")


@require_GET
def center_list(request):
    return render(
        request,
        "trainingcenter/center_list.html",
        {
            "centers": centers_for_user(request.user),
            # Committees report on every centre under their organization.
            "organizations": Organization.objects.filter(
                committee_memberships__user=request.user,
                committee_memberships__role=Membership.Role.COMMITTEE,
            ).distinct(),
        },
    )


@require_GET
def role_table(request):
    """What each role may do, from the one table the permission checks follow."""
    return render(
        request,
        "trainingcenter/roles.html",
        {"roles": roles.ROLES, "rows": roles.table()},
    )
