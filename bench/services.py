"""The services of a deployment scheduled as systemd schedules them: each in
a CPU group of its own, weighted by its unit's CPUWeight=.

Once a unit sets CPUWeight=, systemd turns the CPU controller on for its
slice, and every service of the host (the web, PostgreSQL, each worker)
becomes one cgroup of the kernel's scheduler: all of PostgreSQL's backends
share the weight of postgresql.service, all of gunicorn's processes that of
the web's unit. A bench starts its processes the same way: a cgroup per
service (cgroup v2's cpu.weight, or v1's cpu.shares, 1024 for a weight of
100), made for the run and removed after it.

Where the bench may not make cgroups (not root, no CPU controller), each
service gets a session of its own, whose autogroup is weighted by its nice
level instead; then PostgreSQL, whose processes each open a session of their
own, weighs as one service per backend, so the figures are not the
deployment's, and `how` says so.
"""

import contextlib
import math
import os
import re
from pathlib import Path

V2 = Path("/sys/fs/cgroup")
V1 = Path("/sys/fs/cgroup/cpu")
# systemd's default CPUWeight=, which nice 0 weighs as; each nice level weighs
# 1,25 times less.
DEFAULT_CPU_WEIGHT = 100
PREFIX = f"trainingcenter-bench-{os.getpid()}-"


def _hierarchy() -> tuple[Path, str] | None:
    """Where to make CPU groups, and the file that weighs them, if here."""
    controllers = V2 / "cgroup.subtree_control"
    if controllers.exists() and "cpu" in controllers.read_text().split():
        return V2, "cpu.weight"
    if (V1 / "cpu.shares").exists():
        return V1, "cpu.shares"
    return None


def _own_group(pid: int | str, root: Path) -> str | None:
    """The CPU cgroup of process `pid` in the hierarchy at `root`."""
    v1 = root != V2
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/cgroup").read_text().splitlines():
            number, controllers, path = line.split(":", 2)
            if (v1 and "cpu" in controllers.split(",")) or (not v1 and number == "0"):
                return path
    return None


class CpuGroups:
    """The services of one run; their groups are emptied and removed when
    the block ends (processes still alive go back where the bench is)."""

    def __init__(self):
        self.made: list[Path] = []
        self.hierarchy = _hierarchy()
        self.home = _own_group("self", self.hierarchy[0]) if self.hierarchy else None
        if self.hierarchy:  # may this process make a group here?
            probe = self.hierarchy[0] / f"{PREFIX}probe"
            try:
                probe.mkdir()
                probe.rmdir()
            except OSError:
                self.hierarchy = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if not self.hierarchy:
            return
        root, _ = self.hierarchy
        home = root / (self.home or "/").lstrip("/")
        for group in reversed(self.made):
            with contextlib.suppress(OSError):
                for pid in (group / "cgroup.procs").read_text().split():
                    with contextlib.suppress(OSError):
                        (home / "cgroup.procs").write_text(pid)
                group.rmdir()

    @property
    def how(self) -> str:
        if self.hierarchy:
            return "each service a cgroup, weighted as systemd weighs it"
        return (
            "each service an autogroup (no cgroup could be made here; PostgreSQL"
            " weighs as one service per backend, unlike a deployment)"
        )

    def _group(self, name: str, weight: int) -> Path:
        root, weigh = self.hierarchy
        group = root / f"{PREFIX}{name}"
        if group not in self.made:
            group.mkdir()
            self.made.append(group)
        value = weight if weigh == "cpu.weight" else weight * 1024 // 100
        (group / weigh).write_text(str(value))
        return group

    def preexec(self, name: str, weight: int = DEFAULT_CPU_WEIGHT):
        """A `preexec_fn` for Popen(start_new_session=True): the child and
        what it starts are the service `name` of `weight`."""
        if self.hierarchy:
            procs = self._group(name, weight) / "cgroup.procs"
            return lambda: procs.write_text(str(os.getpid()))
        nice = round(math.log(DEFAULT_CPU_WEIGHT / weight, 1.25))

        def autogroup():
            if nice:
                os.nice(nice)
                with contextlib.suppress(OSError):
                    Path("/proc/self/autogroup").write_text(str(nice))

        return autogroup

    def adopt(
        self, name: str, leader: int | None, weight: int = DEFAULT_CPU_WEIGHT
    ) -> bool:
        """Process `leader` and its children become the service `name`
        (their children to come follow them), if they run beside the bench
        rather than as a service already. True when they were moved."""
        if (
            not self.hierarchy
            or leader is None
            or _own_group(leader, self.hierarchy[0]) != self.home
        ):
            return False
        import psutil  # comes with locust

        procs = self._group(name, weight) / "cgroup.procs"
        main = psutil.Process(leader)
        for process in [main, *main.children()]:
            with contextlib.suppress(OSError):  # a child that has just ended
                procs.write_text(str(process.pid))
        return True


def cpu_weight(unit: str) -> int:
    """A systemd unit's CPUWeight= (its text), or systemd's default."""
    found = re.search(r"^CPUWeight=(\d+)$", unit, re.M)
    return int(found[1]) if found else DEFAULT_CPU_WEIGHT
