"""Write a report as dataset YAML, in the layout and key order of the shipped dataset."""

from __future__ import annotations

from typing import Any

from peelcli.models import Report

HEADER = "# A peel dataset: one PEEL inspection report. Format: docs/dataset.md\n"


def report_to_data(report: Report) -> dict[str, Any]:
    """The report as plain data in field order, leaving out absent values and empty lists."""
    data: dict[str, Any] = _prune(report.model_dump(mode="json"))
    return data


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v is not None and v != []}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def dump_report(report: Report) -> str:
    """The report as dataset YAML: UTF-8 text, keys in model order, long lines folded."""
    import yaml

    body = yaml.safe_dump(
        report_to_data(report),
        sort_keys=False,
        allow_unicode=True,
        width=96,
        indent=2,
        default_flow_style=False,
    )
    return HEADER + body
