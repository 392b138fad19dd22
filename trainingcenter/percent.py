"""Grade distribution shares that add up to 100,0%: the class page and the
report's tables (reports.tables) both show them.

Each grade's share of the graded is a percent with one decimal, rounded half
up, as every other share of the report. Rounded one by one,
three equal thirds make 33,3% + 33,3% + 33,3% = 99,9%; when that happens the
shares are apportioned by the largest-remainder method instead: every share
is first cut down to its tenth of a percent, and the tenths still missing go
to the grades whose cut-off parts were largest (the better grade first on a
tie), so the parts add up to exactly 100,0%.

The whole is everyone whose result is recorded. A programme assessed only
as Đạt / Không đạt gives its passes no grade: they count in the whole as a
rest with no column of its own (`ungraded_shares`), so that 4 not passed of
248 read 1,6%, not 100%.
"""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

TENTH = Decimal("0.1")


def share(part: int, whole: int | None) -> Decimal | None:
    """part / whole as a fraction rounded to one decimal of a percent, half up."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, ROUND_HALF_UP) / 100


def shares(counts: dict[str, int]) -> dict[str, Decimal | None]:
    """Name -> fraction ("0.333" for 33,3%), in the order given; None when
    nothing is graded."""
    whole = sum(counts.values())
    if not whole:
        return {name: None for name in counts}
    rounded = {name: share(n, whole) for name, n in counts.items()}
    if sum(rounded.values()) == 1:
        return rounded
    exact = {name: Decimal(n) * 100 / whole for name, n in counts.items()}
    cut = {name: value.quantize(TENTH, ROUND_DOWN) for name, value in exact.items()}
    missing = int((100 - sum(cut.values())) / TENTH)
    order = sorted(counts, key=lambda name: -(exact[name] - cut[name]))
    for name in order[:missing]:
        cut[name] += TENTH
    return {name: cut[name] / 100 for name in counts}


def ungraded_shares(grades: dict[str, int], ungraded: int) -> dict[str, Decimal | None]:
    """The shares of `grades` in a whole that also holds `ungraded` (passes
    without a grade), which has no share of its own. With none, `shares`;
    else each share rounded half up on its own: they do not add up to 100,0%
    and are not made to."""
    if ungraded <= 0:
        return shares(grades)
    whole = sum(grades.values()) + ungraded
    return {name: share(count, whole) for name, count in grades.items()}
