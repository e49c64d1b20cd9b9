"""Scenario files: small workflows whose lines say which rule must fire there.

A line ending in `# expect: RULE[, RULE…]` must get exactly those diagnostics (errors or
warnings) and every other line none; a scenario without such a line is a near-miss that
must come out clean. A scenario is a `.yml` file, or a directory that is a repository root.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conveyor.workflow.checks import check_paths

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios" / "validate"
EXPECT = re.compile(r"#\s*expect:\s*([a-z, -]+)$")


def _scenarios() -> list[Path]:
    return sorted(p for p in SCENARIOS.iterdir() if p.suffix == ".yml" or p.is_dir())


def _expected(root: Path) -> set[tuple[str, int, str]]:
    files = [root] if root.is_file() else sorted(root.rglob("*.y*ml"))
    found = set()
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            match = EXPECT.search(line)
            if match:
                for rule in match.group(1).split(","):
                    found.add((file.name, number, rule.strip()))
    return found


@pytest.mark.parametrize("scenario", _scenarios(), ids=lambda p: p.name)
def test_scenario(scenario: Path) -> None:
    root = scenario if scenario.is_dir() else scenario.parent
    diagnostics = check_paths([scenario], root=root)
    got = {(Path(d.file).name, d.line, d.rule) for d in diagnostics}
    assert got == _expected(scenario), "\n".join(str(d) for d in diagnostics)


def test_every_rule_has_a_scenario_that_hits_it() -> None:
    from conveyor.workflow.checks import RULES

    hit = {rule for scenario in _scenarios() for _, _, rule in _expected(scenario)}
    assert sorted(set(RULES) - hit - {"yaml-syntax"}) == []
