from __future__ import annotations

import json

import pytest

from conveyor.errors import ReportError
from conveyor.gates.findings import (
    bandit_findings,
    pip_audit_findings,
    ruff_findings,
    sarif_findings,
)

from .conftest import Sample


def test_real_bandit_report(sample: Sample) -> None:
    findings = bandit_findings(json.loads(sample.bandit_json.read_text()), "bandit.json")
    by_rule = {f.rule: f for f in findings}
    assert {"B602", "B324", "B404"} <= set(by_rule)
    assert by_rule["B324"].severity == "high"  # md5 for security
    assert by_rule["B602"].path == "src/app/core/calc.py"
    assert by_rule["B602"].line > 0


def test_pip_audit_report_uses_unknown_severity_and_keeps_aliases(sample: Sample) -> None:
    findings = pip_audit_findings(json.loads(sample.pip_audit_json.read_text()), "a.json", "medium")
    [finding] = findings  # click has no vulns; mypkg was skipped
    assert finding.rule == "PYSEC-2019-217"
    assert finding.severity == "medium"
    assert finding.path == "jinja2==2.10"
    assert "CVE-2019-10906" in finding.ids
    assert "2.10.1" in finding.message


def test_real_ruff_json_and_sarif_agree(sample: Sample) -> None:
    root = str(sample.root.resolve())
    from_json = ruff_findings(json.loads(sample.ruff_json.read_text()), "ruff.json", root)
    from_sarif = sarif_findings(
        json.loads(sample.ruff_sarif.read_text()), "ruff.sarif", "lint", root
    )
    assert [(f.rule, f.path, f.line) for f in from_json] == [("F401", "src/app/config.py", 1)]
    assert [(f.rule, f.path, f.line, f.severity) for f in from_sarif] == [
        ("F401", "src/app/config.py", 1, "error")
    ]


SARIF = {
    "version": "2.1.0",
    "runs": [
        {
            "tool": {
                "driver": {
                    "name": "CodeQL",
                    "rules": [
                        {"id": "py/sql-injection", "properties": {"security-severity": "9.8"}},
                        {"id": "py/weak-crypto", "properties": {"security-severity": "5.0"}},
                        {"id": "py/other", "defaultConfiguration": {"level": "note"}},
                    ],
                }
            },
            "results": [
                {
                    "ruleId": "py/sql-injection",
                    "message": {"text": "query built from user input"},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": "app/db.py"},
                                "region": {"startLine": 12},
                            }
                        }
                    ],
                    "partialFingerprints": {"primaryLocationLineHash": "abc:1"},
                },
                {"ruleIndex": 1, "message": {"text": "md5"}},
                {"ruleId": "py/other", "message": {"text": "n"}},
                {"ruleId": "py/unknown", "level": "error", "message": {"text": "e"}},
            ],
        }
    ],
}


def test_sarif_severity_from_cvss_then_level() -> None:
    findings = sarif_findings(SARIF, "scan.sarif", "security")
    assert [(f.rule, f.severity) for f in findings] == [
        ("py/sql-injection", "critical"),
        ("py/weak-crypto", "medium"),
        ("py/other", "low"),
        ("py/unknown", "high"),
    ]
    assert findings[0].location == "app/db.py:12"
    assert findings[0].fingerprint == "abc:1"


@pytest.mark.parametrize(
    ("reader", "data"),
    [
        (lambda d: bandit_findings(d, "x.json"), {"results": {"a": 1}, "metrics": {}}),
        (lambda d: bandit_findings(d, "x.json"), {"results": [1], "metrics": {}}),
        (lambda d: pip_audit_findings(d, "x.json", "high"), {"dependencies": [{"vulns": "no"}]}),
        (
            lambda d: sarif_findings(d, "x.json", "lint"),
            {"runs": [{"results": [[]]}], "version": "2.1.0"},
        ),
        (lambda d: ruff_findings(d, "x.json", "/"), {"code": 1}),
    ],
)
def test_right_kind_wrong_shape_is_a_report_error(reader: object, data: object) -> None:
    assert callable(reader)
    with pytest.raises(ReportError) as info:
        reader(data)
    assert info.value.file == "x.json"


def test_the_pip_audit_fixture_is_what_pip_audit_prints(sample: Sample) -> None:
    """pip-audit needs the network to find vulnerabilities; its own JSON formatter does not."""
    formatter = pytest.importorskip("pip_audit._format.json")
    service = pytest.importorskip("pip_audit._service.interface")
    version = pytest.importorskip("packaging.version")
    vuln = service.VulnerabilityResult(
        id="PYSEC-2019-217",
        description="In Pallets Jinja before 2.10.1, str.format_map allows a sandbox escape.",
        fix_versions=[version.Version("2.10.1")],
        aliases={"CVE-2019-10906", "GHSA-462w-v97r-4m45"},
    )
    result = {
        service.ResolvedDependency(name="jinja2", version=version.Version("2.10")): [vuln],
        service.ResolvedDependency(name="click", version=version.Version("8.1.7")): [],
        service.SkippedDependency(
            name="mypkg", skip_reason="Dependency not found on PyPI and could not be audited"
        ): [],
    }
    printed = json.loads(formatter.JsonFormat(True, True).format(result, []))
    printed["dependencies"][0]["vulns"][0]["aliases"].sort()
    assert printed == json.loads(sample.pip_audit_json.read_text())
