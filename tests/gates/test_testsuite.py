from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from conveyor.gates.context import Context
from conveyor.gates.history import MemoryHistory, TestOutcome
from conveyor.gates.policy import Exemption, TestsPolicy
from conveyor.gates.testsuite import judge, read_tests

from .conftest import Sample

TODAY = date(2026, 6, 1)
FAILS = "tests/test_calc.py::test_fails"


def _run(
    root: Path, policy: TestsPolicy, **kwargs: object
) -> tuple[str, tuple[str, ...], dict[str, object]]:
    ctx = Context(root=root, today=TODAY, **kwargs)  # type: ignore[arg-type]
    cases, missing = read_tests(policy, ctx)
    result = judge(cases, missing, policy, ctx)
    return result.status, result.reasons + result.listed, dict(result.figures)


def _policy(**kwargs: object) -> TestsPolicy:
    return TestsPolicy(reports=("reports/junit-*.xml",), **kwargs)  # type: ignore[arg-type]


def test_real_pytest_run_with_a_failure_fails(sample: Sample) -> None:
    status, reasons, figures = _run(sample.root, _policy(min_pass_rate=100))
    assert status == "fail"
    assert figures == {
        "tests": 6, "ran": 5, "passed": 4, "failed": 1, "skipped": 1,
        "quarantined": 0, "flaky": 0, "pass_rate": 80.0,
    }  # fmt: skip
    assert any(r.startswith(f"{FAILS} failed: assert False is True") for r in reasons)
    assert "pass rate 80.00% is under min_pass_rate 100%" in reasons


def test_pass_rate_at_the_minimum_only_warns_about_the_failure(sample: Sample) -> None:
    status, reasons, _ = _run(sample.root, _policy(min_pass_rate=80))
    assert status == "warn"
    assert any(r.startswith(FAILS) for r in reasons)


def test_without_a_minimum_any_failure_fails(sample: Sample) -> None:
    assert _run(sample.root, _policy())[0] == "fail"


def test_quarantined_test_is_listed_and_does_not_fail(sample: Sample) -> None:
    entry = Exemption(id=FAILS, reason="flaky on CI", owner="platform-team", expires=TODAY)
    status, reasons, figures = _run(sample.root, _policy(min_pass_rate=100, quarantine=(entry,)))
    assert status == "pass"
    assert figures["quarantined"] == 1
    assert figures["pass_rate"] == 100.0
    assert f"quarantined {FAILS}: failed — flaky on CI (platform-team)" in reasons


def test_quarantine_by_classname_form(sample: Sample) -> None:
    entry = Exemption(id="tests.test_calc::test_fails", reason="r")
    assert _run(sample.root, _policy(quarantine=(entry,)))[0] == "pass"


def test_expired_quarantine_fails_naming_it(sample: Sample) -> None:
    entry = Exemption(id=FAILS, reason="flaky", expires=TODAY - timedelta(days=1))
    status, reasons, _ = _run(sample.root, _policy(quarantine=(entry,)))
    assert status == "fail"
    assert f"quarantine of `{FAILS}` expired on 2026-05-31 (flaky): renew or remove it" in reasons


def test_waiver_by_test_id_acts_like_quarantine(sample: Sample) -> None:
    waiver = Exemption(id=FAILS, reason="known")
    assert _run(sample.root, _policy(), waivers=(waiver,))[0] == "pass"


def test_min_tests_catches_a_suite_that_ran_nothing(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports/junit-a.xml").write_text(
        '<testsuites><testsuite name="pytest" tests="0"/></testsuites>'
    )
    status, reasons, _ = _run(tmp_path, _policy(min_tests=1))
    assert status == "fail"
    assert "0 test(s) ran, fewer than min_tests 1" in reasons


def test_missing_report_fails_naming_the_glob(tmp_path: Path) -> None:
    status, reasons, _ = _run(tmp_path, _policy())
    assert status == "fail"
    assert "missing report: expected a file at `reports/junit-*.xml`, none found" in reasons


def _rerun_report(root: Path) -> None:
    (root / "reports").mkdir()
    (root / "reports/junit-a.xml").write_text(
        '<testsuite><testcase classname="tests.test_net" name="test_retry"><flakyFailure message="timeout"/></testcase>'
        '<testcase classname="tests.test_net" name="test_ok"/></testsuite>'
    )


def test_passed_on_rerun_is_flaky_a_warning_not_a_failure(tmp_path: Path) -> None:
    _rerun_report(tmp_path)
    status, reasons, figures = _run(tmp_path, _policy(min_pass_rate=100))
    assert status == "warn"
    assert figures["flaky"] == 1
    assert "flaky: tests/test_net.py::test_retry both passed and failed (failed, passed)" in reasons


def test_quarantined_test_passing_n_runs_is_suggested_for_release(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports/junit-a.xml").write_text(
        '<testsuite><testcase classname="tests.test_net" name="test_retry"/></testsuite>'
    )
    test_id = "tests/test_net.py::test_retry"
    start = datetime(2026, 5, 1, tzinfo=UTC)
    history = MemoryHistory(
        tests=[
            TestOutcome(
                test_id=test_id,
                outcome="passed",
                commit=f"c{i}",
                branch="main",
                recorded_at=start + timedelta(hours=i),
            )
            for i in range(2)
        ]
    )
    entry = Exemption(id=test_id, reason="slow")
    _, listed, _ = _run(tmp_path, _policy(quarantine=(entry,), release_after=3), history=history)
    assert f"{test_id} passed 3 runs in a row: consider releasing it from quarantine" in listed
    _, listed, _ = _run(tmp_path, _policy(quarantine=(entry,), release_after=4), history=history)
    assert not any("consider releasing" in r for r in listed)


@pytest.mark.parametrize("outcome", ["failed", "error"])
def test_a_failure_in_history_breaks_the_streak(tmp_path: Path, outcome: str) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports/junit-a.xml").write_text(
        '<testsuite><testcase classname="tests.test_net" name="test_retry"/></testsuite>'
    )
    test_id = "tests/test_net.py::test_retry"
    start = datetime(2026, 5, 1, tzinfo=UTC)
    history = MemoryHistory(
        tests=[
            TestOutcome(
                test_id=test_id,
                outcome=o,
                commit=f"c{i}",
                branch="main",
                recorded_at=start + timedelta(hours=i),
            )  # type: ignore[arg-type]
            for i, o in enumerate(["passed", outcome, "passed"])
        ]
    )
    _, listed, _ = _run(
        tmp_path,
        _policy(quarantine=(Exemption(id=test_id, reason="r"),), release_after=3),
        history=history,
    )
    assert not any("consider releasing" in r for r in listed)
