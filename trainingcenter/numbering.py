"""How a register of outgoing documents counts: the period its numbers run
through before starting at 1 again (the calendar year, or the committee's
term), and the lock that issuing and a change of the period share.

The rest of the register (numbers, freezing, drafts) is
`trainingcenter.documents`, which uses these.
"""

import datetime

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy as _l

from trainingcenter.models import Organization

# How long an issuer waits for another one's layout, in milliseconds.
ISSUE_WAIT_MS = 60_000


class Period(models.TextChoices):
    """What the numbers of a register run through before starting at 1 again."""

    YEAR = "year", _l("the calendar year")
    TERM = "term", _l("the committee's term")


class DocumentRegister(models.Model):
    """How an issuer numbers its documents: per calendar year (the default),
    or per term from `term_start`, the first day of the current term."""

    Period = Period

    issuer = models.OneToOneField(
        Organization,
        models.PROTECT,
        primary_key=True,
        related_name="document_register",
        verbose_name=_l("issuer"),
    )
    period = models.CharField(
        _l("numbers start again at 1 with"),
        max_length=4,
        choices=Period,
        default=Period.YEAR,
    )
    term_start = models.DateField(_l("first day of the current term"), null=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _l("register of outgoing documents")
        verbose_name_plural = _l("registers of outgoing documents")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(period="term") | models.Q(term_start__isnull=False),
                name="register_term_has_a_start",
            )
        ]

    def __str__(self):
        return str(self.issuer)

    def period_key(self, on: datetime.date) -> str:
        """The period a document issued `on` is numbered in: "2026", or
        "term-2025-10-16" for the term begun on 16/10/2025."""
        if self.period == Period.TERM:
            return term_key(self.term_start)
        return str(on.year)


def today() -> datetime.date:
    return timezone.localdate()


def term_key(start: datetime.date) -> str:
    return f"term-{start.isoformat()}"


def period_label(key: str) -> str:
    """ "Năm 2026", "Nhiệm kỳ từ 16/10/2025"."""
    if key.startswith("term-"):
        start = datetime.date.fromisoformat(key.removeprefix("term-"))
        return _("Term from %(date)s") % {"date": start.strftime("%d/%m/%Y")}
    return _("Year %(year)s") % {"year": key}


def register_of(issuer: Organization) -> DocumentRegister:
    """The issuer's register settings as stored now (per year until someone
    sets them)."""
    found = DocumentRegister.objects.filter(issuer_id=issuer.pk).first()
    return found or DocumentRegister(issuer_id=issuer.pk)


def locked_register(issuer: Organization) -> DocumentRegister:
    """The register's row, locked until the transaction ends: issuing and a
    change of the period wait for each other."""
    DocumentRegister.objects.get_or_create(issuer_id=issuer.pk)
    return DocumentRegister.objects.select_for_update().get(issuer_id=issuer.pk)


def wait_for_other_issuers() -> None:
    """The counter stays locked while the document is laid out (seconds);
    another issuer of the same kind waits for it rather than failing at the
    usual lock timeout. For this transaction only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {ISSUE_WAIT_MS}")
            cursor.execute(f"SET LOCAL statement_timeout = {ISSUE_WAIT_MS * 2}")
