"""A `GateReport` as a console table (rich), Markdown (Codecov-style deltas) or JSON."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from conveyor.gates.history import GateRecord
from conveyor.gates.model import GateReport, GateResult

_STYLE = {"pass": "green", "warn": "yellow", "fail": "bold red"}
_ICON = {"pass": "✅", "warn": "⚠️", "fail": "❌"}
_MAX_FILE_ROWS = 50


def console() -> Console:
    """A console for command output; piped output is wide, so test ids and paths stay whole."""
    probe = Console()
    if probe.is_terminal or os.environ.get("COLUMNS"):
        return probe
    return Console(width=200)


def to_json(report: GateReport) -> str:
    return json.dumps(report.as_json(), indent=2, sort_keys=False)


def _figures(result: GateResult) -> str:
    return ", ".join(f"{k} {_num(v)}" for k, v in result.figures.items() if v is not None)


def _num(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def _signed(value: float) -> str:
    return f"{value:+.2f}"


def to_console(report: GateReport, console: Console) -> None:
    if not report.gates:
        console.print("no gates configured: add [tool.conveyor.gates.*] tables to pyproject.toml")
        return
    table = Table(title=f"quality gates: {report.status}", title_justify="left")
    table.add_column("gate")
    table.add_column("status")
    table.add_column("figures")
    table.add_column("reasons")
    for gate in report.gates:
        figures = _figures(gate)
        delta = report.deltas.get(gate.name)
        if delta:
            changed = {k: v for k, v in delta.items() if v}
            if changed:
                figures += "\nvs base: " + ", ".join(
                    f"{k} {_signed(v)}" for k, v in changed.items()
                )
        table.add_row(
            gate.name,
            Text(gate.status, style=_STYLE[gate.status]),
            figures,
            _reasons(gate),
        )
    console.print(table)


def _level(gate: GateResult, index: int) -> str:
    return gate.levels[index] if index < len(gate.levels) else gate.status


def _reasons(gate: GateResult) -> Text:
    """Each reason on its own line, failing ones red and warnings yellow; listed ones dim."""
    text = Text()
    for index, reason in enumerate(gate.reasons):
        level = _level(gate, index)
        text.append(f"{level}: " if level != "pass" else "", style=_STYLE[level])
        text.append(reason + "\n")
    for note in gate.listed:
        text.append(note + "\n", style="dim")
    text.rstrip()
    return text if text.plain else Text("-")


def to_markdown(report: GateReport) -> str:
    """A summary for `$GITHUB_STEP_SUMMARY` or a pull-request comment."""
    out = [f"## {_ICON[report.status]} Quality gates: {report.status}", ""]
    if report.base:
        out += [f"Compared with `{report.base}`.", ""]
    out += ["| gate | status | figures | Δ vs base |", "|---|---|---|---|"]
    for gate in report.gates:
        delta = report.deltas.get(gate.name)
        shown = ", ".join(f"{k} {_signed(v)}" for k, v in (delta or {}).items() if v) or (
            "no base figure" if delta is None else "±0"
        )
        out.append(
            f"| {gate.name} | {_ICON[gate.status]} {gate.status} | {_figures(gate)} | {shown} |"
        )
    coverage = next((g for g in report.gates if g.name == "coverage"), None)
    if coverage is not None:
        out += _coverage_section(coverage, report)
    for gate in report.gates:
        if gate.reasons or gate.listed:
            out += [
                "",
                f"<details><summary>{gate.name}: {len(gate.reasons) + len(gate.listed)} note(s)</summary>",
                "",
            ]
            out += [
                f"- {_ICON[_level(gate, i)] + ' ' if _level(gate, i) != 'pass' else ''}{_escape(r)}"
                for i, r in enumerate(gate.reasons)
            ]
            out += [f"- {_escape(r)}" for r in gate.listed]
            out += ["", "</details>"]
    return "\n".join(out) + "\n"


def _coverage_section(coverage: GateResult, report: GateReport) -> list[str]:
    rate = coverage.figures.get("line_rate")
    delta = (report.deltas.get("coverage") or {}).get("line_rate")
    overall = f"{_num(rate)}%" + (f" ({_signed(delta)})" if delta is not None else "")
    out = ["", f"**Coverage:** {overall}"]
    patch = coverage.figures.get("patch_rate")
    if patch is not None:
        out[-1] += f" · **patch:** {_num(patch)}%"
    files = coverage.detail.get("files", {})
    patch_files = coverage.detail.get("patch_files", {})
    assert isinstance(files, Mapping)
    assert isinstance(patch_files, Mapping)
    paths = sorted(
        set(report.file_deltas) | set(patch_files),
        key=lambda p: (report.file_deltas.get(p, 0.0), p),
    )
    if paths:
        out += ["", "| file | coverage | Δ | patch |", "|---|---|---|---|"]
        for path in paths[:_MAX_FILE_ROWS]:
            delta = report.file_deltas.get(path)
            shown = _signed(delta) if delta is not None else "ø"
            covered, measured = patch_files.get(path, (0, 0))
            patch = f"{100 * covered / measured:.2f}% ({covered}/{measured})" if measured else ""
            out.append(f"| `{path}` | {_num(files.get(path))}% | {shown} | {patch} |")
        if len(paths) > _MAX_FILE_ROWS:
            out.append(f"| … {len(paths) - _MAX_FILE_ROWS} more | | | |")
    return out


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;")


def trend_console(trends: Mapping[str, Sequence[GateRecord]], console: Console) -> None:
    """`conveyor gate --history`: each gate's figures, newest first."""
    if not any(trends.values()):
        console.print("no gate history yet: run `conveyor gate` with a store (.conveyor/)")
        return
    for gate, records in trends.items():
        table = Table(title=gate, title_justify="left")
        for column in ("recorded", "branch", "commit", "status", "figures"):
            table.add_column(column)
        for r in records:
            figures = ", ".join(f"{k} {_num(v)}" for k, v in r.figures.items())
            when = r.recorded_at.strftime("%Y-%m-%d %H:%M")
            table.add_row(
                when, r.branch, r.commit[:10], Text(r.status, style=_STYLE[r.status]), figures
            )
        console.print(table)


def trend_json(trends: Mapping[str, Sequence[GateRecord]]) -> str:
    return json.dumps(
        {
            gate: [
                {
                    "recorded_at": r.recorded_at.isoformat(),
                    "branch": r.branch,
                    "commit": r.commit,
                    "status": r.status,
                    "figures": dict(r.figures),
                }
                for r in records
            ]
            for gate, records in trends.items()
        },
        indent=2,
    )
