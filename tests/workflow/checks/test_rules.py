"""docs/compatibility.md lists every rule id with the description `RULES` gives it."""

from __future__ import annotations

from pathlib import Path

from conveyor.workflow.checks import RULES

DOCS = Path(__file__).resolve().parents[3] / "docs" / "compatibility.md"


def test_every_rule_is_documented_with_its_description() -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Validation rules", 1)[1].split("\n## ", 1)[0]
    rows = {
        cells[1].strip().strip("`"): cells[2].strip()
        for line in section.splitlines()
        if line.startswith("| `") and len(cells := line.split("|")) >= 4
    }
    assert rows == RULES
