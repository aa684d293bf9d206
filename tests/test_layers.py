"""The shape of peelcli/: imports flow one way, down the layers, and commands stay thin."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "peelcli"

# Top to bottom: a module imports only from layers below its own, or from its own unit (a
# package, such as peelcli.render). `peelcli.__version__` is the bottom of all.
LAYERS: list[tuple[str, ...]] = [
    ("peelcli.__main__", "peelcli"),  # the process; the package's public API, loaded lazily
    ("peelcli.cli",),
    ("peelcli.completion", "peelcli.export"),
    ("peelcli.render",),
    ("peelcli.api",),
    ("peelcli.across_reports", "peelcli.tracking"),
    ("peelcli.similarity",),
    ("peelcli.pattern",),  # a --regex search's time limit, kept apart from the pure query
    ("peelcli.query",),
    ("peelcli.importer",),
    ("peelcli.reading",),
    ("peelcli.dataset",),
    ("peelcli.report_checks",),  # checks across a report: IDs, grades on its scale
    ("peelcli.models",),
    ("peelcli.vocabulary",),  # grades, eras, finding kinds, IDs: under the models
    ("peelcli.forces",),
    ("peelcli.forked",),  # a child process tied to peel's life: for parsing and for reading
    ("peelcli.errors", "peelcli.env", "peelcli.text", "peelcli.__version__"),
]
UNITS = {unit for layer in LAYERS for unit in layer}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every peelcli module a file imports, at its top or inside a function, for type
    checking or for running."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "peelcli")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] != "peelcli":
                continue
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                if name == "peelcli.__version__":
                    found.add(name)
                    continue
                # `from peelcli.render import views` imports a module; `from peelcli.query
                # import Scope`, a name of one.
                is_module = (PACKAGE.parent / Path(*name.split("."))).with_suffix(".py").exists()
                is_package = (PACKAGE.parent / Path(*name.split("."))).is_dir()
                found.add(name if is_module or is_package else node.module)
    return found


def _unit(module: str) -> str:
    """The unit of LAYERS a module belongs to: itself, or the package that holds it."""
    unit = module
    while unit not in UNITS or (unit == "peelcli" and module != "peelcli"):
        unit = unit.rpartition(".")[0]
        assert unit, f"{module} is in no layer: give it one in LAYERS"
    return unit


def _graph() -> dict[str, set[str]]:
    return {
        _module_name(path): _imports(path) - {_module_name(path)}
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def test_every_module_has_a_layer() -> None:
    for module in _graph():
        assert _unit(module), module


def test_no_import_points_up_or_sideways() -> None:
    rank = {unit: n for n, layer in enumerate(LAYERS) for unit in layer}
    upward = []
    for module, imports in _graph().items():
        for imported in imports:
            mine, theirs = _unit(module), _unit(imported)
            if mine != theirs and rank[theirs] <= rank[mine]:
                upward.append(f"{module} imports {imported}")
    assert upward == []


def test_no_two_modules_import_each_other_even_in_a_ring() -> None:
    graph = _graph()
    cycles = []
    state: dict[str, int] = {}  # 1 on the path being walked, 2 done

    def walk(module: str, path: list[str]) -> None:
        state[module] = 1
        for imported in sorted(graph.get(module, ())):
            if state.get(imported) == 1:
                cycles.append(" -> ".join([*path[path.index(imported) :], imported]))
            elif imported in graph and imported not in state:
                walk(imported, [*path, imported])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])
    assert cycles == []


def test_the_layering_test_sees_an_upward_import(tmp_path: Path) -> None:
    source = tmp_path / "bad.py"
    source.write_text("def f():\n    from peelcli.cli import app\n", encoding="utf-8")
    assert _imports(source) == {"peelcli.cli"}
    assert _unit("peelcli.query") == "peelcli.query" and _unit("peelcli.cli.base") == "peelcli.cli"
    with pytest.raises(AssertionError, match="in no layer"):
        _unit("peelcli.newcomer")


def test_the_body_count_sees_a_long_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = "".join(f"    x{n} = {n}\n" for n in range(41))
    (tmp_path / "long_command.py").write_text(f'def long():\n    """Doc."""\n{lines}')
    monkeypatch.syspath_prepend(str(tmp_path))
    import long_command  # type: ignore[import-not-found]

    assert _body_lines(long_command.long) == 41


def _commands() -> list[tuple[str, object]]:
    import typer

    from peelcli.cli import app

    group = typer.main.get_command(app)
    commands = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        inner = getattr(command, "commands", None)  # a group, such as track: its commands
        if inner is not None:
            commands.extend((f"{name} {sub}", c) for sub, c in inner.items())
        else:
            commands.append((name, command))
    return sorted(commands)


def _body_lines(function: object) -> int:
    """Lines of a function's body, its docstring aside."""
    while hasattr(function, "__wrapped__"):
        function = function.__wrapped__
    source = inspect.getsource(function)  # type: ignore[arg-type]
    (node,) = ast.parse(inspect.cleandoc("\n" + source) if source[0] == " " else source).body
    assert isinstance(node, ast.FunctionDef)
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return (body[-1].end_lineno or 0) - body[0].lineno + 1


@pytest.mark.parametrize("name", [name for name, _ in _commands()])
def test_no_command_body_is_over_40_lines(name: str) -> None:
    command = dict(_commands())[name]
    callback = command.callback  # type: ignore[attr-defined]
    # typer wraps the function it was given; the command's own function is inside.
    assert _body_lines(callback) <= 40


def test_no_module_is_over_500_lines() -> None:
    from conftest import ROOT

    sizes = {
        str(module.relative_to(ROOT)): module.read_text("utf-8").count("\n")
        for module in (ROOT / "peelcli").rglob("*.py")
    }
    assert len(sizes) > 100
    assert {name: size for name, size in sizes.items() if size > 500} == {}
