"""Grade distribution shares that add up to 100,0%: the class page and the
report's tables (reports.tables) both show them.

Each grade's share of the graded is a percent with one decimal, rounded half
up, as every other share of the report. Rounded one by one,
three equal thirds make 33,3% + 33,3% + 33,3% = 99,9%; when that happens the
shares are apportioned by the largest-remainder method instead: every share
is first cut down to its tenth of a percent, and the tenths still missing go
to the grades whose cut-off parts were largest (the better grade first on a
tie), so the parts add up to exactly 100,0%.
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
