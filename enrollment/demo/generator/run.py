"""The settings of one run of the generator, shared by every stage."""

from collections.abc import Callable
from dataclasses import dataclass

from enrollment.demo.generator.writer import Writer


@dataclass
class Run:
    """One run: the year, the seed, how much to make, where rows and progress go."""

    year: int
    seed: int
    # Share of the classes with an award whose passed trainees get certificates.
    certificate_share: float
    # Attendance rows too (centre scale only: the nation would need ~25 million).
    attendance: bool
    writer: Writer
    say: Callable[[str], None]
    # Tests: fewer classes per centre, same distributions.
    shrink: float = 1.0
