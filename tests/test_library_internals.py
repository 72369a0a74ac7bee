"""Library internals are reached from one module per library (docs/decisions/0015-dependency-directions.md).

allauth's `internal` modules are guarded by an import-linter contract (`accounts/mfa.py` only); ninja's
private helpers are attributes, which import-linter cannot see: this test reads the sources."""

import ast
from pathlib import Path

import maillage

PACKAGE = Path(maillage.__file__).resolve().parent
NINJA_PRIVATE_NAMES = {"_get_bound_routers", "_get_urls", "_bound_routers_cache", "_routers"}
NINJA_MODULE = PACKAGE / "api" / "ninja_internals.py"


def private_ninja_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in NINJA_PRIVATE_NAMES:
            uses.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} .{node.attr}")
        elif isinstance(node, ast.FunctionDef) and node.name in NINJA_PRIVATE_NAMES:
            uses.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} def {node.name}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ninja"):
            private = [alias.name for alias in node.names if alias.name.startswith("_")]
            if private or any(part.startswith("_") for part in (node.module or "").split(".")):
                uses.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} from {node.module}")
    return uses


def test_ninja_private_helpers_are_used_in_one_module_only():
    uses = [
        use
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != NINJA_MODULE
        for use in private_ninja_uses(path)
    ]
    assert uses == []


def test_the_check_sees_the_one_module_that_may_use_them():
    # The check would find nothing if it looked in the wrong place.
    assert private_ninja_uses(NINJA_MODULE) == ["maillage/api/ninja_internals.py:10 ._get_bound_routers"]
