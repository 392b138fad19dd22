"""Dependencies point one way: trainingcenter <- courses <- enrollment <- reports."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["trainingcenter", "courses", "enrollment", "reports"]


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & set(LAYERS)


def test_no_app_imports_a_higher_one():
    checked = 0
    for rank, app in enumerate(LAYERS):
        for path in (ROOT / app).rglob("*.py"):
            higher = imported_apps(path) & set(LAYERS[rank + 1 :])
            # The URLconf and the settings wire every app together by design.
            if path.name in {"urls.py", "settings.py"} and app == "trainingcenter":
                continue
            assert not higher, f"{path.relative_to(ROOT)} imports {higher}"
            checked += 1
    assert checked > 10
