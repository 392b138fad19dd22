"""A generated year of work at the scale of a centre, a province or the country.

`manage.py generate_data` runs these stages in one transaction, in this order:

- `structure`: provinces, their school and military command, communes and
  centres (organizations coded "GEN-…", centres whose slug starts "gen-");
  made once and reused every year.
- `cleanup`: refuses a year already generated, or with --force deletes the
  generated centres' classes of that year and what hangs from them.
- `catalogue`: the programme catalogue (loaded if empty) and each generated
  centre's lecturers.
- `country`: every centre's year in turn (`centre_year`: `people` for the
  trainees, `classes` for classes, sessions, partners, venues and the plan,
  `results` for each enrolment's outcome), then `enrolments` (enrolments and
  attendance) and `certificates` (numbered certificates and their counters),
  then the per-class summaries, counted by the application's own service.
- `writer`: how rows reach the database; `run`: the settings every stage
  shares.

Why the services are bypassed: the country is 4,2 million enrolments and 3
million trainees, far too many to save one model instance at a time. Rows
are built as plain tuples and written with COPY on PostgreSQL and
executemany on SQLite, with ids reserved ahead so rows can point at each
other before they are written. What the services would derive (name keys,
search text, certificate counters, per-class summaries) is filled in here
the same way, the summaries by the summaries service itself.

Identical arguments and seed give identical rows: every random draw comes
from a `random.Random` seeded with the seed, the year and the centre.
"""


class GeneratorError(Exception):
    """The generator refuses to write: the message says why, in Vietnamese."""


def fmt(n: int) -> str:
    """12345 -> "12.345" (Vietnamese thousands)."""
    return f"{n:,}".replace(",", ".")
