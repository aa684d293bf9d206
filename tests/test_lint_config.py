"""The linter's exemptions stay true: a file exempt from the ban on heavy module-level
imports (ruff's TID253) does import a banned module at module level."""

from __future__ import annotations

import ast
import sys

import pytest
from conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli")

CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LINT = CONFIG["tool"]["ruff"]["lint"]
BANNED = LINT["flake8-tidy-imports"]["banned-module-level-imports"]
EXEMPT = sorted(
    path
    for path, rules in LINT["per-file-ignores"].items()
    if "TID253" in rules and not path.endswith("**")
)


def _module_level_imports(tree: ast.Module) -> set[str]:
    """The modules a file imports outside any function or class (in if and try blocks too)."""
    names: set[str] = set()
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            for field in ("body", "orelse", "finalbody", "handlers"):
                for child in getattr(node, field, []):
                    pending.extend(child.body if isinstance(child, ast.ExceptHandler) else [child])
    return names


def _banned(name: str) -> bool:
    return any(name == ban or name.startswith(ban + ".") for ban in BANNED)


def test_the_banned_list_is_read() -> None:
    assert "rich" in BANNED and EXEMPT


@pytest.mark.parametrize("path", EXEMPT)
def test_an_exempt_file_needs_its_exemption(path: str) -> None:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    assert any(_banned(name) for name in _module_level_imports(tree)), (
        f"{path} imports nothing banned at module level: remove its TID253 exemption"
    )


def test_the_query_layer_is_never_exempt() -> None:
    # Pure functions over the models: nothing heavy loads at its top, whatever its shape
    # (a module or a package).
    assert not [path for path in EXEMPT if path.startswith("peelcli/query")]
