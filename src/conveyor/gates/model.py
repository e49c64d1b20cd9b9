"""One finding model and the verdict records every gate returns.

A gate reads its reports into `Finding`s (security, lint) or figures (coverage, tests,
performance), judges them against its policy and returns a `GateResult`: a status, the
reasons for it and the numbers behind it. `GateReport` is the verdict of one
`conveyor gate` run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from conveyor.gates.history import Figure

Status = Literal["pass", "warn", "fail"]
Check = tuple[Status, str]  # one reason and the status it gives its gate
_RANK: dict[Status, int] = {"pass": 0, "warn": 1, "fail": 2}


def worst(statuses: Iterable[Status]) -> Status:
    """The most severe status of `statuses` (`pass` when there are none)."""
    result: Status = "pass"
    for status in statuses:
        if _RANK[status] > _RANK[result]:
            result = status
    return result


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One problem a scanner or linter reported."""

    gate: str
    rule: str
    severity: str  # critical | high | medium | low | info (security); error | warning (lint)
    path: str
    line: int = 0
    message: str = ""
    fingerprint: str = ""
    aliases: tuple[str, ...] = ()  # other ids of the same problem (CVE, GHSA for a PYSEC id)
    report: str = ""

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    @property
    def ids(self) -> tuple[str, ...]:
        return (self.rule, *self.aliases)


def fingerprint(*parts: str) -> str:
    """A stable id for a finding that survives line moves (rule, path, message; no line)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "replace"))
    return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True, kw_only=True)
class GateResult:
    """The verdict of one gate: its status, the reasons, and the numbers behind them."""

    name: str
    status: Status
    reasons: tuple[str, ...] = ()
    figures: Mapping[str, Figure | None] = field(default_factory=dict)
    listed: tuple[str, ...] = ()  # waived findings, quarantined tests: shown, never judged
    detail: Mapping[str, object] = field(default_factory=dict)  # kept in history (per-file …)
    levels: tuple[Status, ...] = ()  # the status each reason gives, in order

    @staticmethod
    def of(
        *,
        name: str,
        checks: Iterable[Check],
        figures: Mapping[str, Figure | None] | None = None,
        listed: tuple[str, ...] = (),
        detail: Mapping[str, object] | None = None,
    ) -> GateResult:
        """The verdict of `checks`: the worst of their statuses, with every reason."""
        checks = list(checks)
        return GateResult(
            name=name,
            status=worst(s for s, _ in checks),
            reasons=tuple(r for _, r in checks),
            levels=tuple(s for s, _ in checks),
            figures=figures or {},
            listed=listed,
            detail=detail or {},
        )

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "status": self.status,
            "reasons": list(self.reasons),
            "levels": [
                self.levels[i] if i < len(self.levels) else self.status
                for i in range(len(self.reasons))
            ],
            "figures": dict(self.figures),
            "listed": list(self.listed),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class GateReport:
    """The verdict of one `conveyor gate` run."""

    gates: tuple[GateResult, ...]
    base: str | None = None
    base_branch: str | None = None  # where the deltas come from
    deltas: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # gate -> figure -> ±
    file_deltas: Mapping[str, float] = field(default_factory=dict)  # coverage per file, ± points

    @property
    def status(self) -> Status:
        return worst(g.status for g in self.gates)

    def as_json(self) -> dict[str, object]:
        gates = []
        for gate in self.gates:
            entry = gate.as_json()
            if gate.name in self.deltas:
                entry["deltas"] = dict(self.deltas[gate.name])
            gates.append(entry)
        result: dict[str, object] = {"status": self.status, "base": self.base, "gates": gates}
        if self.file_deltas:
            result["file_deltas"] = dict(self.file_deltas)
        return result
