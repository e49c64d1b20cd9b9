from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conveyor.errors import PolicyError
from conveyor.gates.policy import load_policy, parse_policy

FULL = """
[tool.conveyor.gates.coverage]
reports = ["coverage.xml"]
fail_under = 60
warn_under = 80
patch_fail_under = 80
patch_warn_under = 90
max_drop = 1.0
modules = { "src/app/config.py" = 100, "src/app/core/*" = 90 }

[tool.conveyor.gates.tests]
reports = ["reports/junit-*.xml"]
min_pass_rate = 100
min_tests = 1
release_after = 5
quarantine = [{ id = "tests/test_net.py::test_retry", reason = "times out on CI", owner = "platform-team", expires = 2026-12-31 }]

[tool.conveyor.gates.security]
reports = ["bandit.json", "audit.json", "scan.sarif"]
max = { critical = 0, high = 0, medium = 5 }
unknown_severity = "medium"
new_only = true

[tool.conveyor.gates.performance]
reports = [".benchmarks/current.json"]
baseline = "branch:main"
max_regression = "7.5%"
significance = 0.01
min_samples = 8

[tool.conveyor.gates.lint]
reports = ["ruff.json"]
max_errors = 0
max_warnings = 10

[[tool.conveyor.gates.waivers]]
id = "B602"
reason = "shell=True with a constant command"
owner = "platform-team"
expires = 2027-01-31
"""


def _write(tmp_path: Path, text: str, name: str = "pyproject.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_every_key_of_the_issue_is_read(tmp_path: Path) -> None:
    _write(tmp_path, FULL)
    policy = load_policy(tmp_path)
    assert policy.configured == ("coverage", "tests", "security", "performance", "lint")
    cov = policy.coverage
    assert cov is not None
    assert (cov.fail_under, cov.warn_under, cov.max_drop) == (60, 80, 1.0)
    assert (cov.patch_fail_under, cov.patch_warn_under) == (80, 90)
    assert dict(cov.modules) == {"src/app/config.py": 100, "src/app/core/*": 90}
    tests = policy.tests
    assert tests is not None
    assert (tests.min_pass_rate, tests.min_tests, tests.release_after) == (100, 1, 5)
    assert tests.quarantine[0].id == "tests/test_net.py::test_retry"
    assert tests.quarantine[0].expires == date(2026, 12, 31)
    sec = policy.security
    assert sec is not None
    assert dict(sec.max) == {"critical": 0, "high": 0, "medium": 5}
    assert (sec.unknown_severity, sec.new_only) == ("medium", True)
    perf = policy.performance
    assert perf is not None
    assert perf.baseline == "branch:main"
    assert perf.max_regression == pytest.approx(0.075)
    assert (perf.significance, perf.min_samples) == (0.01, 8)
    assert policy.lint is not None
    assert (policy.lint.max_errors, policy.lint.max_warnings) == (0, 10)
    assert policy.waivers[0].owner == "platform-team"
    assert policy.waivers[0].expires == date(2027, 1, 31)


def test_absent_tables_are_not_run(tmp_path: Path) -> None:
    _write(tmp_path, '[tool.conveyor.gates.lint]\nreports = ["ruff.json"]\n')
    policy = load_policy(tmp_path)
    assert policy.configured == ("lint",)
    assert policy.security is None


def test_no_policy_at_all_runs_no_gate(tmp_path: Path) -> None:
    assert load_policy(tmp_path).configured == ()


def test_dot_conveyor_toml_takes_the_same_tables(tmp_path: Path) -> None:
    _write(tmp_path, '[tool.conveyor.gates.lint]\nreports = ["a.json"]\n')
    _write(tmp_path, '[tool.conveyor.gates.tests]\nreports = ["j.xml"]\n', ".conveyor.toml")
    policy = load_policy(tmp_path)
    assert policy.file == ".conveyor.toml"
    assert policy.configured == ("tests",)


def test_config_file_wins_and_may_use_a_bare_gates_table(tmp_path: Path) -> None:
    _write(tmp_path, '[tool.conveyor.gates.lint]\nreports = ["a.json"]\n')
    _write(tmp_path, '[gates.coverage]\nreports = ["c.xml"]\n', "ci.toml")
    policy = load_policy(tmp_path, Path("ci.toml"))
    assert policy.configured == ("coverage",)


def test_missing_config_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="config file not found") as info:
        load_policy(tmp_path, Path("nope.toml"))
    assert info.value.file == "nope.toml"


def test_config_file_without_gate_tables_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, "[tool.other]\nx = 1\n", "ci.toml")
    with pytest.raises(PolicyError, match=r"has no `\[tool.conveyor.gates\]` table"):
        load_policy(tmp_path, Path("ci.toml"))


def test_broken_toml_names_the_file(tmp_path: Path) -> None:
    _write(tmp_path, "[tool.conveyor.gates.lint\n")
    with pytest.raises(PolicyError, match="not valid TOML") as info:
        load_policy(tmp_path)
    assert info.value.file == "pyproject.toml"


@pytest.mark.parametrize(
    ("table", "key", "hint"),
    [
        ({"coverage": {"reports": ["c"], "fail_undr": 60}}, "coverage.fail_undr", "fail_under"),
        ({"covrage": {}}, "covrage", "coverage"),
        ({"security": {"reports": ["c"], "max": {"hgh": 1}}}, "security.max.hgh", "high"),
        (
            {"tests": {"reports": ["c"], "quarantine": [{"id": "t", "reson": "x"}]}},
            "tests.quarantine[0].reson",
            "reason",
        ),
    ],
)
def test_unknown_key_suggests_the_close_one(table: dict[str, object], key: str, hint: str) -> None:
    with pytest.raises(PolicyError) as info:
        parse_policy(table, file="pyproject.toml")
    assert info.value.key == f"tool.conveyor.gates.{key}"
    assert f"did you mean `{hint}`?" in str(info.value)


@pytest.mark.parametrize(
    ("table", "key", "words"),
    [
        (
            {"coverage": {"reports": ["c"], "fail_under": "60"}},
            "coverage.fail_under",
            "must be a number",
        ),
        (
            {"coverage": {"reports": ["c"], "fail_under": 160}},
            "coverage.fail_under",
            "between 0 and 100",
        ),
        (
            {"coverage": {"reports": ["c"], "max_drop": True}},
            "coverage.max_drop",
            "must be a number",
        ),
        ({"coverage": {"reports": ["c"], "modules": ["a"]}}, "coverage.modules", "table of glob"),
        (
            {"coverage": {"reports": ["c"], "modules": {"a": "x"}}},
            "coverage.modules.a",
            "must be a number",
        ),
        ({"coverage": {}}, "coverage.reports", "is required"),
        ({"coverage": {"reports": []}}, "coverage.reports", "non-empty list"),
        ({"coverage": {"reports": [1]}}, "coverage.reports", "as strings"),
        ({"tests": {"reports": ["j"], "min_tests": -1}}, "tests.min_tests", "whole number"),
        (
            {"tests": {"reports": ["j"], "min_pass_rate": 101}},
            "tests.min_pass_rate",
            "between 0 and 100",
        ),
        (
            {"tests": {"reports": ["j"], "quarantine": {"id": "x"}}},
            "tests.quarantine",
            "list of tables",
        ),
        (
            {"tests": {"reports": ["j"], "quarantine": [{"id": "x"}]}},
            "tests.quarantine[0].reason",
            "is required",
        ),
        (
            {
                "tests": {
                    "reports": ["j"],
                    "quarantine": [{"id": "x", "reason": "r", "expires": "soon"}],
                }
            },
            "tests.quarantine[0].expires",
            "a date",
        ),
        (
            {"security": {"reports": ["s"], "max": {"high": 1.5}}},
            "security.max.high",
            "whole number",
        ),
        (
            {"security": {"reports": ["s"], "unknown_severity": "severe"}},
            "security.unknown_severity",
            "one of critical, high",
        ),
        ({"security": {"reports": ["s"], "new_only": "yes"}}, "security.new_only", "true or false"),
        (
            {"performance": {"reports": ["p"], "max_regression": "ten"}},
            "performance.max_regression",
            "percentage",
        ),
        (
            {"performance": {"reports": ["p"], "max_regression": "-5%"}},
            "performance.max_regression",
            "negative",
        ),
        (
            {"performance": {"reports": ["p"], "baseline": "branch:"}},
            "performance.baseline",
            "names no branch",
        ),
        ({"lint": {"reports": ["r"], "max_errors": "0"}}, "lint.max_errors", "whole number"),
        ({"waivers": [{"id": "B602"}]}, "waivers[0].reason", "is required"),
        ({"waivers": [{"id": "", "reason": "r"}]}, "waivers[0].id", "non-empty string"),
        ({"lint": "ruff.json"}, "lint", "must be a table"),
    ],
)
def test_bad_value_names_key_and_what_is_allowed(
    table: dict[str, object], key: str, words: str
) -> None:
    with pytest.raises(PolicyError, match=words) as info:
        parse_policy(table, file="pyproject.toml")
    assert info.value.key == f"tool.conveyor.gates.{key}"
    assert str(info.value).startswith(f"pyproject.toml: `tool.conveyor.gates.{key}`")


def test_max_regression_accepts_a_plain_number_as_percent() -> None:
    policy = parse_policy({"performance": {"reports": ["p"], "max_regression": 10}}, file="f")
    assert policy.performance is not None
    assert policy.performance.max_regression == pytest.approx(0.10)


def test_expires_as_an_iso_string_is_a_date() -> None:
    policy = parse_policy(
        {"waivers": [{"id": "X", "reason": "r", "expires": "2027-01-31"}]}, file="f"
    )
    assert policy.waivers[0].expires == date(2027, 1, 31)


def test_expires_is_inclusive() -> None:
    policy = parse_policy(
        {"waivers": [{"id": "X", "reason": "r", "expires": "2027-01-31"}]}, file="f"
    )
    waiver = policy.waivers[0]
    assert not waiver.expired(date(2027, 1, 31))
    assert waiver.expired(date(2027, 2, 1))
