"""The demo's accounts: a superuser and one user per role.

Writes `admin` (a superuser), `director`, `staff` (members of the demo
centre) and `committee` (on the ward committee's membership), each with the
given password or a fresh random one, set again on every run.
"""

import secrets

from django.contrib.auth import get_user_model

from trainingcenter.models import Center, Membership, Organization

USERS = [
    # username, first name, last name, role
    ("director", "Hòa", "Nguyễn Thị", Membership.Role.DIRECTOR),
    ("staff", "Minh", "Trần Văn", Membership.Role.STAFF),
    ("committee", "Dũng", "Lê Quang", Membership.Role.COMMITTEE),
]


def add_users(
    center: Center, *, committee: Organization, password: str | None
) -> list[tuple[str, str]]:
    """Create or update the demo accounts; returns (username, password) pairs
    in the order they are shown to the operator."""
    User = get_user_model()
    logins = []
    admin_secret = password or secrets.token_urlsafe(9)
    admin, _ = User.objects.get_or_create(username="admin")
    admin.is_staff = admin.is_superuser = True
    admin.set_password(admin_secret)
    admin.save()
    logins.append(("admin", admin_secret))
    for username, first, last, role in USERS:
        secret = password or secrets.token_urlsafe(9)
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.set_password(secret)
        user.save()
        if role == Membership.Role.COMMITTEE:
            Membership.objects.get_or_create(
                user=user, role=role, organization=committee
            )
        else:
            Membership.objects.get_or_create(user=user, role=role, center=center)
        logins.append((username, secret))
    return logins
