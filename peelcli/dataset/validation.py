"""A parsed report's data to a validated Report, or every problem with its position.

Imported with :mod:`peelcli.dataset.parse` when a file is not in the cache. A problem's
line and column come from the text's node tree, made only when there is a problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from yaml.nodes import MappingNode, Node, SequenceNode

from peelcli.dataset.parse import node_tree, refuse_non_dataset
from peelcli.errors import PeelError, Problem, allocations_can_fail, quoted, validator_message
from peelcli.models import Report
from peelcli.report_checks import id_problems


def validate_data(data: Any, text: str | Callable[[], str], name: str) -> Report:
    """A Report from the data parsed from text, or a PeelError listing every problem with its
    position (found in the text's node tree, made only then; text may be a function that
    gives it, called only then)."""
    from pydantic import ValidationError

    if not isinstance(data, dict):
        kinds = {list: "a list", str: "text", int: "a number", bool: "true or false"}
        found = kinds.get(type(data), "nothing (null)")
        raise PeelError(
            Problem(f"expected a mapping of report fields at top level, found {found}", name, 1, 1)
        )
    refuse_non_dataset(data, name)
    _room_to_validate()
    try:
        report = Report.model_validate(data)
    except ValidationError as exc:
        node = node_tree(text if isinstance(text, str) else text())
        problems = [_validation_problem(err, node, name) for err in exc.errors()]
        raise PeelError(problems) from None
    wrong = id_problems(report)
    if wrong:
        node = node_tree(text if isinstance(text, str) else text())
        raise PeelError(
            [_problem_at(node, _parse_path(path), message, name, path) for path, message in wrong]
        )
    return report


# More than validating one report takes; reserved and given back before each.
VALIDATION_ROOM = 4 << 20


def _room_to_validate() -> None:
    """MemoryError unless there is room to validate a report.

    pydantic's validator is written in Rust, which ends the process when an allocation
    fails instead of raising, so that a limit on memory (`ulimit -v`) met while validating
    printed Rust's words and no line of peel's. Address space reserved and given back at
    once, never touched, costs two system calls; they are made only where an allocation
    can fail at all.
    """
    if not allocations_can_fail():
        return
    import mmap

    try:
        mmap.mmap(-1, VALIDATION_ROOM).close()
    except OSError:
        raise MemoryError from None


def _validation_problem(err: Any, root: Node | None, name: str) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    given = err.get("input")
    if kind == "enum" and isinstance(given, str) and loc and loc[-1] == "grade":
        from peelcli.models import grade_choices

        message = f"{quoted(given)} is not a grade; expected one of {grade_choices()}"
    elif kind == "extra_forbidden":
        message = f"unknown field {quoted(loc[-1])}"
        path = _format_path(loc)
        return _problem_at(root, loc, message, name, path, key=True)
    elif kind == "missing":
        message = "missing required field"
    else:
        message = validator_message(err["msg"])
        if given is not None and not isinstance(given, (dict, list)):
            message += f" (found {quoted(given)})"
    return _problem_at(root, loc, message, name, _format_path(loc))


def _problem_at(
    root: Node | None,
    loc: Sequence[str | int],
    message: str,
    name: str,
    path: str,
    key: bool = False,
) -> Problem:
    node = _node_at(root, loc, key) if root is not None else None
    mark = node.start_mark if node is not None else None
    if mark is None:
        return Problem(message, name, path=path)
    return Problem(message, name, mark.line + 1, mark.column + 1, path)


def _node_at(node: Node, loc: Sequence[str | int], key: bool) -> Node | None:
    """The node at a field path; the deepest one that exists for a missing field."""
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, MappingNode) and isinstance(part, str):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    node = key_node if key and last else value_node
                    break
            else:
                return node
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return node
    return node


def _format_path(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + (part if len(part) <= 60 else part[:60] + "…")
    return out


def _parse_path(path: str) -> list[str | int]:
    return [int(i) if i else k for k, i in re.findall(r"([A-Za-z_]+)|\[(\d+)\]", path)]
