from __future__ import annotations

import io
import json

from rich.console import Console

from conveyor.gates.model import GateReport, GateResult
from conveyor.gates.render import to_console, to_json, to_markdown

REPORT = GateReport(
    gates=(
        GateResult(
            name="coverage",
            status="warn",
            reasons=("total coverage 75.00% is under warn_under 80%",),
            levels=("warn",),
            figures={"line_rate": 75.0, "patch_rate": 90.0},
            detail={
                "files": {"src/a.py": 70.0, "src/b.py": 100.0, "src/c.py": 50.0},
                "patch_files": {"src/c.py": [1, 4]},
            },
        ),
        GateResult(
            name="lint", status="fail", reasons=("2 lint error(s) | more",), figures={"errors": 2}
        ),
        GateResult(name="security", status="pass", listed=("waived B602 at x.py:3 — constant",)),
    ),
    base="origin/main",
    base_branch="main",
    deltas={"coverage": {"line_rate": -1.5, "patch_rate": 0.0}},
    file_deltas={"src/a.py": -3.25, "src/b.py": 2.0},
)


def test_json_contract() -> None:
    data = json.loads(to_json(REPORT))
    assert data["status"] == "fail"
    assert [(g["name"], g["status"]) for g in data["gates"]] == [
        ("coverage", "warn"),
        ("lint", "fail"),
        ("security", "pass"),
    ]
    assert data["gates"][0]["reasons"] == ["total coverage 75.00% is under warn_under 80%"]
    assert data["gates"][0]["levels"] == ["warn"]
    assert data["gates"][0]["figures"] == {"line_rate": 75.0, "patch_rate": 90.0}
    assert data["gates"][0]["deltas"] == {"line_rate": -1.5, "patch_rate": 0.0}
    assert data["file_deltas"] == {"src/a.py": -3.25, "src/b.py": 2.0}


def test_markdown_has_codecov_style_deltas() -> None:
    text = to_markdown(REPORT)
    assert text.startswith("## ❌ Quality gates: fail")
    assert "Compared with `origin/main`." in text
    assert "| coverage | ⚠️ warn | line_rate 75, patch_rate 90 | line_rate -1.50 |" in text
    assert "| lint | ❌ fail | errors 2 | no base figure |" in text
    assert "**Coverage:** 75% (-1.50) · **patch:** 90%" in text
    assert text.index("| `src/a.py` | 70% | -3.25 |  |") < text.index(
        "| `src/b.py` | 100% | +2.00 |  |"
    )
    assert "| `src/c.py` | 50% | ø | 25.00% (1/4) |" in text  # changed, no base figure
    assert "- ❌ 2 lint error(s) \\| more" in text  # a pipe would break the table
    assert "- ⚠️ total coverage 75.00% is under warn_under 80%" in text
    assert "- waived B602 at x.py:3 — constant" in text


def test_console_table_shows_every_gate_and_reason() -> None:
    out = io.StringIO()
    to_console(REPORT, Console(file=out, width=200, color_system=None))
    text = out.getvalue()
    assert "quality gates: fail" in text
    for needle in (
        "coverage",
        "warn",
        "lint",
        "security",
        "waived B602",
        "vs base: line_rate -1.50",
    ):
        assert needle in text


def test_console_with_no_gates_says_how_to_add_them() -> None:
    out = io.StringIO()
    to_console(GateReport(gates=()), Console(file=out, width=200))
    assert "no gates configured" in out.getvalue()
