"""What every gate is judged with: the project root, today, history, the base, waivers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from conveyor.gates.files import Kind, detect, expect, find_reports, shown
from conveyor.gates.history import GateHistory, GateRecord
from conveyor.gates.policy import Exemption


@dataclass(frozen=True, slots=True, kw_only=True)
class Context:
    root: Path
    today: date
    history: GateHistory | None = None
    base_branch: str | None = None  # history lookups: deltas, max_drop, new_only, branch baselines
    changed: Mapping[str, frozenset[int]] | None = None  # None: no --base given
    waivers: tuple[Exemption, ...] = ()

    def base_record(self, gate: str) -> GateRecord | None:
        if self.history is None or self.base_branch is None:
            return None
        return self.history.last_gate(gate=gate, branch=self.base_branch)


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    path: Path
    name: str  # as shown to the user
    kind: Kind
    data: object  # parsed JSON; None for XML (streamed by its parser)


@dataclass(frozen=True, slots=True, kw_only=True)
class Reports:
    found: tuple[Report, ...]
    missing: tuple[str, ...] = field(default=())

    def reasons(self) -> list[str]:
        return [f"missing report: expected a file at `{p}`, none found" for p in self.missing]


def read_reports(
    ctx: Context, patterns: Sequence[str], accepted: Sequence[Kind], gate: str
) -> Reports:
    """The reports `patterns` match, each recognised by content and checked against `accepted`."""
    found = find_reports(ctx.root, patterns)
    reports = []
    for path in found.files:
        name = shown(path, ctx.root)
        kind, data = detect(path, name)
        expect(kind, accepted, name, gate)
        reports.append(Report(path=path, name=name, kind=kind, data=data))
    return Reports(found=tuple(reports), missing=found.missing)


def exemption_for(
    ids: Iterable[str], entries: Sequence[Exemption], today: date
) -> tuple[Exemption | None, Exemption | None]:
    """(the live entry covering one of `ids`, an expired entry naming one of them)."""
    wanted = set(ids)
    live = expired = None
    for entry in entries:
        if entry.id in wanted:
            if entry.expired(today):
                expired = expired or entry
            else:
                live = live or entry
    return live, expired


def expired_reason(entry: Exemption, what: str) -> str:
    assert entry.expires is not None
    return f"{what} `{entry.id}` expired on {entry.expires.isoformat()} ({entry.reason}): renew or remove it"
