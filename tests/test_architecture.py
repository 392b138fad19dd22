"""The layout holds: dependencies point one way (trainingcenter <- courses <-
enrollment <- reports), reports writes nothing, modules and functions stay a
size a reader can hold, and nothing cites a document the repository lacks.

Each check lists every offender in its failure message.
"""

import ast
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["trainingcenter", "courses", "enrollment", "reports"]
# Where the size limits apply (migrations are generated, bench/ is lab work).
SIZED = [*LAYERS, "tests"]
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
# Folders that are not the project's own source.
SKIPPED_DIRS = {"__pycache__", "node_modules", "test-artifacts", "staticfiles"}


def source_files(top: Path, suffixes: tuple[str, ...] = (".py",)) -> list[Path]:
    """The files under `top` with these suffixes, hidden folders (.git, .venv)
    and the folders above left out; symbolic links to folders not followed."""
    found = []
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS
        )
        found += [Path(folder, f) for f in sorted(files) if f.endswith(suffixes)]
    return found


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def fail_with(offenders: list[str], what: str) -> None:
    if offenders:
        print(f"{what}:", *offenders, sep="\n  ")
    assert not offenders, f"{what}:\n  " + "\n  ".join(offenders)


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & set(LAYERS)


# The URLconf and the settings wire every app together by design.
WIRING = {"trainingcenter/urls.py", "trainingcenter/settings.py"}


def test_no_app_imports_a_higher_one():
    offenders, checked = [], set()
    for rank, app in enumerate(LAYERS):
        for path in source_files(ROOT / app):
            checked.add(relative(path))
            if relative(path) in WIRING:
                continue
            higher = imported_apps(path) & set(LAYERS[rank + 1 :])
            if higher:
                offenders.append(f"{relative(path)} imports {sorted(higher)}")
    fail_with(offenders, "modules importing an app above their own")
    # The packages by layer are walked too, not only the apps' top modules.
    for package in [
        "enrollment/models/",
        "enrollment/services/",
        "enrollment/views/",
        "enrollment/demo/",
        "courses/",
        "reports/",
        "trainingcenter/",
    ]:
        assert any(name.startswith(package) for name in checked), package
    assert len(checked) > 10


# Calls that write rows, whatever the object: reports reads every model and
# writes none (a dict's `update` reads as a write here too; `|=` says the same).
WRITES = {
    "save",
    "create",
    "update",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
RAW_WRITE = re.compile(
    r"\b(INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|TRUNCATE|MERGE\s+INTO)\b",
    re.IGNORECASE,
)


def writes_in(path: Path, label: str) -> list[str]:
    """Each write in this module (called `label`): a writing call, or SQL
    that writes."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
        ):
            found.append(f"{label}:{node.lineno} .{node.func.attr}(")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and RAW_WRITE.search(node.value)
        ):
            sql = RAW_WRITE.search(node.value)[0]
            found.append(f"{label}:{node.lineno} SQL {sql}")
    return found


def test_reports_writes_nothing():
    offenders, checked = [], 0
    for path in source_files(ROOT / "reports"):
        if "migrations" in path.relative_to(ROOT / "reports").parts:
            continue
        offenders += writes_in(path, relative(path))
        checked += 1
    assert checked > 5
    fail_with(offenders, "writes in reports (which only reads)")


def test_the_write_check_sees_a_save_and_raw_sql(tmp_path):
    """The check above finds what it looks for."""
    planted = tmp_path / "planted.py"
    planted.write_text(
        "def f(job, cursor):\n"
        "    job.save()\n"
        "    cursor.execute('update reports_reportjob set status = 1')\n"
        "    return {'a': 1}.get('a')\n",
        encoding="utf-8",
    )
    found = writes_in(planted, "planted.py")
    assert found == [
        "planted.py:2 .save(",
        "planted.py:3 SQL update reports_reportjob set",
    ]


def function_lengths(path: Path):
    """(name, first line, number of lines) of each function, nested ones too;
    decorators not counted."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node.lineno, node.end_lineno - node.lineno + 1


def sized_files():
    for top in SIZED:
        for path in source_files(ROOT / top):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def test_no_module_is_too_long():
    offenders = []
    for path in source_files(ROOT):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts or parts[0] == "bench":
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            offenders.append(f"{relative(path)}: {lines} lines")
    fail_with(offenders, f"modules over {MAX_MODULE_LINES} lines")


def test_no_function_is_too_long():
    offenders = []
    for path in sized_files():
        for name, line, length in function_lengths(path):
            if length > MAX_FUNCTION_LINES:
                offenders.append(f"{relative(path)}:{line} {name}: {length} lines")
    fail_with(offenders, f"functions over {MAX_FUNCTION_LINES} lines")


# A document the repository does not hold, or an issue number: a reader of
# the repository cannot follow either. (Spelt in pieces so that this file
# does not cite them itself.)
ABSENT_DOCUMENTS = ["STYLE", "SECURITY", "DOMAIN", "PERFORMANCE-BASELINES"]
CITATION = re.compile(
    r"\b(?:{})\.md\b|\b[Ii]ssue #?\d".format("|".join(ABSENT_DOCUMENTS))
)
TEXT_SUFFIXES = (".py", ".html", ".md", ".txt")


def test_nothing_cites_a_document_outside_the_repository_or_an_issue():
    offenders = []
    for path in source_files(ROOT, TEXT_SUFFIXES):
        if path.name.startswith("requirements"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            for match in CITATION.finditer(line):
                offenders.append(f"{relative(path)}:{number} {match[0]!r}")
    fail_with(offenders, "citations a reader of the repository cannot follow")
