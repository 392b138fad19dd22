"""The benchmarks run on a machine without the tests package: every module of
bench/ imports, with Django set up on the benchmarks' own settings, while any
import of `tests` fails. The benchmarks themselves run on demand (`make bench`)."""

import ast
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
# A module that needs a package only requirements-bench.txt installs.
NEEDS = {"locustfile": "locust"}

# Run in a fresh interpreter: the tests package refused, each module imported
# as `python bench/<module>.py` would import it (bench/ first on the path).
PROBE = """
import importlib, importlib.abc, json, sys

class NoTests(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "tests" or name.startswith("tests."):
            raise ImportError(f"the benchmarks may not import {name}")
        return None

sys.meta_path.insert(0, NoTests())
sys.path[:0] = [sys.argv[1], sys.argv[2]]
failed = {}
for name in sys.argv[3:]:
    try:
        importlib.import_module(name)
    except Exception as error:
        failed[name] = f"{type(error).__name__}: {error}"
from django.conf import settings
print(json.dumps({
    "failed": failed,
    "settings": settings.SETTINGS_MODULE,
    "debug": settings.DEBUG,
    "hasher": settings.PASSWORD_HASHERS[0],
    "tests_loaded": sorted(m for m in sys.modules if m.split(".")[0] == "tests"),
}))
"""


def bench_modules() -> list[str]:
    return sorted(
        path.stem
        for path in BENCH.glob("*.py")
        if path.stem not in NEEDS or importlib.util.find_spec(NEEDS[path.stem])
    )


def test_every_benchmark_imports_without_the_tests_package(tmp_path):
    modules = bench_modules()
    assert {"import_bench", "settings", "common", "lists", "server"} <= set(modules)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")
    }
    # The locustfile reads the plan the load bench writes for it.
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"year": 2026}), encoding="utf-8")
    env["BENCH_LOAD_PLAN"] = str(plan)
    env["BENCH_LOAD_SAMPLES"] = str(tmp_path / "samples.tsv")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(BENCH), str(ROOT), *modules],
        capture_output=True,
        text=True,
        env=env,
        cwd=BENCH,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["failed"] == {}
    assert found["tests_loaded"] == []
    # The deployment's settings: DEBUG off, the real password hasher.
    assert found["settings"] == "bench.settings"
    assert found["debug"] is False
    assert "PBKDF2" in found["hasher"]


@pytest.mark.parametrize("name", ["tests", "tests.factories"])
def test_the_probe_refuses_the_tests_package(name):
    """The blocker really blocks: a bench module importing tests would fail."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE.replace("sys.argv[3:]", f"[{name!r}, 'common']"),
            str(BENCH),
            str(ROOT),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        cwd=BENCH,
        timeout=120,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert name in found["failed"] and "may not import" in found["failed"][name]


def _uses_of_tests(path: Path) -> list[str]:
    """Imports of the tests package anywhere in a module (inside functions too),
    and strings naming one of its modules (a subprocess's settings)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value.startswith("tests.") and " " not in node.value:
                names = [node.value]
        found += [
            f"{path.name}:{node.lineno} {name}"
            for name in names
            if name == "tests" or name.startswith("tests.")
        ]
    return found


def test_no_benchmark_uses_the_tests_package_even_lazily():
    """An import inside a function runs only when a bench runs: read them all."""
    found = [use for path in sorted(BENCH.glob("*.py")) for use in _uses_of_tests(path)]
    assert found == []


def test_the_scan_finds_a_lazy_import(tmp_path):
    module = tmp_path / "lazy.py"
    module.write_text(
        "def run():\n"
        "    from tests.factories import make_center\n"
        "    import tests.enrollment.excel\n"
        "    env = {'DJANGO_SETTINGS_MODULE': 'tests.settings'}\n",
        encoding="utf-8",
    )
    assert [use.split(" ")[1] for use in _uses_of_tests(module)] == [
        "tests.factories",
        "tests.enrollment.excel",
        "tests.settings",
    ]


def test_the_import_bench_lists_pass_the_imports_date_checks():
    """A bench list the import refuses stops `make bench` at its first attempt:
    every row of the largest list it makes is a person the import accepts."""
    import datetime
    import random

    from enrollment.cells import clean_date
    from enrollment.person_dates import date_problems

    sys.path.insert(0, str(BENCH))
    try:
        from lists import people
    finally:
        sys.path.remove(str(BENCH))
    rows = people(5000, ["Chi bộ 1"], random.Random(1), citizen_prefix="0")
    today = datetime.date.today()
    problems = {}
    for row in rows:
        birth, _ = clean_date(row[2])
        admission, _ = clean_date(row[7])
        found = date_problems(
            birth=birth,
            birth_year_only=False,
            admission=admission,
            full_membership=None,
            today=today,
        )
        if found:
            problems[row[0]] = found
    assert problems == {}
    assert len({row[8] for row in rows}) == 5000  # distinct citizen IDs
