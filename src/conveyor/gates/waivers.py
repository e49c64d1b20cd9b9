"""Waivers applied to findings: waived ones are listed, expired ones fail their gate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from conveyor.gates.context import Context, exemption_for, expired_reason
from conveyor.gates.model import Finding


@dataclass(frozen=True, slots=True, kw_only=True)
class Waived:
    counted: tuple[Finding, ...]  # judged against the budget
    listed: tuple[str, ...]  # waived findings, shown
    expired: tuple[str, ...]  # reasons: an expired waiver names a finding here


def apply_waivers(findings: Sequence[Finding], ctx: Context) -> Waived:
    counted: list[Finding] = []
    listed: list[str] = []
    expired: dict[str, str] = {}
    for finding in findings:
        live, old = exemption_for(finding.ids, ctx.waivers, ctx.today)
        if live is not None:
            owner = f", {live.owner}" if live.owner else ""
            listed.append(f"waived {finding.rule} at {finding.location} — {live.reason}{owner}")
            continue
        if old is not None:
            expired.setdefault(old.id, expired_reason(old, "waiver"))
        counted.append(finding)
    return Waived(counted=tuple(counted), listed=tuple(listed), expired=tuple(expired.values()))


def matched_ids(findings: Sequence[Finding]) -> set[str]:
    return {i for f in findings for i in f.ids}
