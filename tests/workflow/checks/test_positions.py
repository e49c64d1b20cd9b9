"""Diagnostics point at the exact place: inside quoted values and block scalars too."""

from __future__ import annotations

from pathlib import Path

import pytest

from conveyor.workflow.checks import check_paths

WORKFLOW = """\
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo ${{ gihub.sha }}
      - run: "echo ${{ gihub.sha }}"
      - run: |
          echo first
          echo ${{ gihub.sha }}
      - name: >-
          folded ${{ gihub.sha }}
        run: echo
      - if: github.sha == gihub.sha
        run: echo
      - run: echo ${{ gihub.sha }} ${{ gihub.sha }}
"""


@pytest.fixture
def positions(tmp_path: Path) -> list[tuple[int, int]]:
    file = tmp_path / "w.yml"
    file.write_text(WORKFLOW, encoding="utf-8")
    return [(d.line, d.column) for d in check_paths([file], root=tmp_path)]


def test_positions_point_at_the_context_name(positions: list[tuple[int, int]]) -> None:
    assert positions == [(6, 23), (7, 24), (10, 20), (12, 22), (14, 27), (16, 23), (16, 40)]


def test_cycle_message_names_the_cycle(tmp_path: Path) -> None:
    file = tmp_path / "w.yml"
    file.write_text(
        "on: push\njobs:\n"
        + "".join(
            f"  {a}:\n    needs: {b}\n    runs-on: ubuntu-latest\n    steps: [{{run: echo}}]\n"
            for a, b in (("a", "c"), ("b", "a"), ("c", "b"))
        ),
        encoding="utf-8",
    )
    [cycle] = check_paths([file], root=tmp_path)
    assert cycle.message == "jobs need each other in a cycle: a -> c -> b -> a"
    assert (cycle.line, cycle.column) == (4, 12)
