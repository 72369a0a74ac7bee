"""Test modules never import each other nor a conftest: what several modules share lives in a helper module
(tests/urls.py, tests/situations/worlds.py, tests/browser/helpers.py…), so that changing one test file cannot
break the collection of another."""

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return names


def is_test_or_conftest(module: str) -> bool:
    parts = module.split(".")
    return parts[0] == "tests" and any(p == "conftest" or p.startswith("test_") for p in parts[1:])


def test_test_modules_never_import_each_other():
    found = sorted(
        f"{path.relative_to(TESTS.parent)} imports {module}"
        for path in TESTS.rglob("*.py")
        for module in imported_modules(path)
        if is_test_or_conftest(module)
    )
    assert not found, "\n".join(found)


def test_the_check_sees_such_an_import(tmp_path):
    path = tmp_path / "test_example.py"
    path.write_text("from tests.web.test_access_rules import walk\nfrom tests.situations import conftest\n")
    assert {m for m in imported_modules(path) if is_test_or_conftest(m)} == {
        "tests.web.test_access_rules",
        "tests.web.test_access_rules.walk",
        "tests.situations.conftest",
    }
