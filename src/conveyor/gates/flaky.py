"""Flaky tests: a test that both passed and failed on the same commit.

Reruns within one run (Surefire-style `<flakyFailure>` or the same id twice) and separate
runs stored in history count alike. Quarantined tests that passed their last N runs are
suggested for release.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from conveyor.gates.history import TestOutcome
from conveyor.gates.junit import TestCase
from conveyor.gates.policy import Exemption

_FAILED = ("failed", "error")


@dataclass(frozen=True, slots=True, kw_only=True)
class FlakyTest:
    __test__ = False

    id: str
    attempts: int  # non-skipped executions seen
    failures: int
    flaky_commits: int  # commits on which it both passed and failed
    last_seen: datetime | None  # the newest failure on such a commit
    quarantined: bool = False

    @property
    def failure_rate(self) -> float:
        return round(100.0 * self.failures / self.attempts, 2) if self.attempts else 0.0

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "failure_rate": self.failure_rate,
            "attempts": self.attempts,
            "failures": self.failures,
            "flaky_commits": self.flaky_commits,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
            "quarantined": self.quarantined,
        }


def outcomes_of(cases: Sequence[TestCase], *, commit: str, when: datetime) -> list[TestOutcome]:
    """This run's test cases as history outcomes (every attempt)."""
    return [
        TestOutcome(test_id=c.id, outcome=o, commit=commit, branch="", recorded_at=when, attempt=i)
        for c in cases
        for i, o in enumerate(c.attempts, start=1)
    ]


def find_flaky(
    outcomes: Sequence[TestOutcome], quarantine: Sequence[Exemption] = ()
) -> list[FlakyTest]:
    """Flaky tests, the most often failing first."""
    by_test: dict[str, list[TestOutcome]] = {}
    for outcome in outcomes:
        if outcome.outcome != "skipped":
            by_test.setdefault(outcome.test_id, []).append(outcome)
    quarantined = {q.id for q in quarantine}
    found = []
    for test_id, runs in by_test.items():
        commits: dict[str, set[str]] = {}
        for run in runs:
            commits.setdefault(run.commit, set()).add(
                "failed" if run.outcome in _FAILED else "passed"
            )
        flaky = {c for c, seen in commits.items() if len(seen) == 2}
        if not flaky:
            continue
        failing = [r.recorded_at for r in runs if r.commit in flaky and r.outcome in _FAILED]
        found.append(
            FlakyTest(
                id=test_id,
                attempts=len(runs),
                failures=sum(r.outcome in _FAILED for r in runs),
                flaky_commits=len(flaky),
                last_seen=max(failing, default=None),
                quarantined=test_id in quarantined or test_id.partition("[")[0] in quarantined,
            )
        )
    found.sort(key=lambda f: (-f.failure_rate, f.id))
    return found


def release_candidates(
    outcomes: Sequence[TestOutcome], quarantine: Sequence[Exemption], runs: int
) -> list[str]:
    """Quarantined tests whose last `runs` runs all passed (oldest-first `outcomes`)."""
    result = []
    for entry in quarantine:
        mine = [
            o
            for o in outcomes
            if o.outcome != "skipped" and entry.id in (o.test_id, o.test_id.partition("[")[0])
        ]
        per_run: dict[tuple[object, str], bool] = {}
        for o in mine:
            key = (o.run_id if o.run_id is not None else o.recorded_at, o.commit)
            per_run[key] = per_run.get(key, True) and o.outcome == "passed"
        recent = list(per_run.values())[-runs:]
        if len(recent) >= runs and all(recent):
            result.append(entry.id)
    return result
