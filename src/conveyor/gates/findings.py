"""bandit JSON, pip-audit JSON, SARIF 2.1.0 and ruff JSON → `Finding`s.

Each reader takes the parsed JSON document and the file name (for errors). A document of
the right kind but the wrong shape is a `ReportError` that says what was expected.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conveyor.errors import ReportError
from conveyor.gates.model import Finding, fingerprint


def _list(data: object, key: str, name: str) -> list[Any]:
    value = data.get(key, []) if isinstance(data, Mapping) else None
    if not isinstance(value, list):
        raise ReportError(f"`{key}` must be a list", file=name)
    return value


def _obj(value: object, what: str, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ReportError(f"{what} must be an object, not {type(value).__name__}", file=name)
    return value


def _each(data: object, key: str, what: str, name: str) -> list[Mapping[str, Any]]:
    return [_obj(item, what, name) for item in _list(data, key, name)]


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def bandit_findings(data: object, name: str) -> list[Finding]:
    result = []
    for item in _each(data, "results", "a bandit result", name):
        rule = str(item.get("test_id") or item.get("test_name") or "bandit")
        path = str(item.get("filename", "")).removeprefix("./")
        message = str(item.get("issue_text", ""))
        result.append(
            Finding(
                gate="security",
                rule=rule,
                severity=str(item.get("issue_severity", "")).lower() or "low",
                path=path,
                line=_int(item.get("line_number")),
                message=message,
                fingerprint=fingerprint(rule, path, message),
                report=name,
            )
        )
    return result


def pip_audit_findings(data: object, name: str, unknown_severity: str) -> list[Finding]:
    result = []
    for dep in _each(data, "dependencies", "a pip-audit dependency", name):
        package = f"{dep.get('name', '?')}=={dep.get('version', '?')}"
        for vuln in _each(dep, "vulns", "a pip-audit vulnerability", name):
            vid = str(vuln.get("id", "?"))
            fixes = ", ".join(str(v) for v in vuln.get("fix_versions") or [])
            result.append(
                Finding(
                    gate="security",
                    rule=vid,
                    severity=unknown_severity,
                    path=package,
                    message=f"fixed in {fixes}" if fixes else "no fixed version",
                    fingerprint=fingerprint(vid, str(dep.get("name", ""))),
                    aliases=tuple(str(a) for a in vuln.get("aliases") or []),
                    report=name,
                )
            )
    return result


_LEVEL_SECURITY = {"error": "high", "warning": "medium", "note": "low", "none": "info"}


def _cvss(score: object) -> str | None:
    try:
        value = float(str(score))
    except ValueError:
        return None
    if value >= 9.0:
        return "critical"
    if value >= 7.0:
        return "high"
    if value >= 4.0:
        return "medium"
    return "low" if value > 0 else "info"


def _relative(path: str, root: str) -> str:
    path = path.removeprefix("file://")
    prefix = root.rstrip("/") + "/"
    return path[len(prefix) :] if path.startswith(prefix) else path.removeprefix("./")


def sarif_findings(data: object, name: str, gate: str, root: str = "") -> list[Finding]:
    """SARIF results; `security-severity` (CVSS) when given, else the result level."""
    result = []
    for run in _each(data, "runs", "a SARIF run", name):
        driver = _obj(_obj(run.get("tool", {}), "tool", name).get("driver", {}), "driver", name)
        rules = [_obj(r, "a SARIF rule", name) for r in driver.get("rules") or []]
        by_id = {str(r.get("id")): r for r in rules}
        for item in _each(run, "results", "a SARIF result", name):
            result.append(
                _sarif_result(item, rules=rules, by_id=by_id, name=name, gate=gate, root=root)
            )
    return result


def _sarif_result(
    item: Mapping[str, Any],
    *,
    rules: list[Mapping[str, Any]],
    by_id: Mapping[str, Mapping[str, Any]],
    name: str,
    gate: str,
    root: str,
) -> Finding:
    index = item.get("ruleIndex")
    rule_obj: Mapping[str, Any] = {}
    if isinstance(index, int) and 0 <= index < len(rules):
        rule_obj = rules[index]
    rule = str(item.get("ruleId") or rule_obj.get("id") or "sarif")
    rule_obj = rule_obj or by_id.get(rule, {})
    default = _obj(rule_obj.get("defaultConfiguration", {}), "defaultConfiguration", name)
    level = str(item.get("level") or default.get("level") or "warning")
    props = {**(rule_obj.get("properties") or {}), **(item.get("properties") or {})}
    if gate == "security":
        severity = _cvss(props.get("security-severity")) or _LEVEL_SECURITY.get(level, "medium")
    else:
        severity = "error" if level == "error" else "warning"
    uri, line = _sarif_location(item)
    path = _relative(uri, root)
    message = _obj(item.get("message", {}), "message", name).get("text") or ""
    prints = item.get("partialFingerprints") or item.get("fingerprints") or {}
    stable = next(iter(prints.values()), None) if isinstance(prints, Mapping) else None
    return Finding(
        gate=gate,
        rule=rule,
        severity=severity,
        path=path,
        line=line,
        message=str(message),
        fingerprint=str(stable) if stable else fingerprint(rule, path, str(message)),
        report=name,
    )


def _sarif_location(item: Mapping[str, Any]) -> tuple[str, int]:
    for location in item.get("locations") or []:
        physical = location.get("physicalLocation") if isinstance(location, Mapping) else None
        if isinstance(physical, Mapping):
            uri = (physical.get("artifactLocation") or {}).get("uri", "")
            line = _int((physical.get("region") or {}).get("startLine"))
            return str(uri), line
    return "", 0


def ruff_findings(data: object, name: str, root: str) -> list[Finding]:
    """ruff `--output-format json`: a diagnostic is an error unless ruff marks it a warning."""
    if not isinstance(data, list):
        raise ReportError("ruff JSON must be a list of diagnostics", file=name)
    result = []
    for item in (_obj(d, "a ruff diagnostic", name) for d in data):
        rule = str(item.get("code") or "syntax-error")
        path = _relative(str(item.get("filename", "")), root)
        location = item.get("location") or {}
        message = str(item.get("message", ""))
        result.append(
            Finding(
                gate="lint",
                rule=rule,
                severity="warning" if item.get("severity") == "warning" else "error",
                path=path,
                line=_int(location.get("row") if isinstance(location, Mapping) else 0),
                message=message,
                fingerprint=fingerprint(rule, path, message),
                report=name,
            )
        )
    return result
